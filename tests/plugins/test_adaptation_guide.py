"""docs/adaptations.md stays true: its code is the example kits', its fragments conform, its
commands and code run, and every requirement kind and window anchor is shown."""

from __future__ import annotations

import ast
import re
import shlex
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from facilitrack import Program, parse_program
from facilitrack._host import hookspecs
from facilitrack.plugin import RequirementKinds
from facilitrack.testing import check_program

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "adaptations.md"
PACKAGE = ROOT / "examples" / "adaptation"

#: An optional ``<!-- from: PATH -->`` line, then a fenced block: (path or "", language, body).
BLOCK = re.compile(r"(?:<!-- from: (\S+) -->\n)?```(\w+)\n(.*?)```", re.DOTALL)


def _blocks() -> list[tuple[str, str, str]]:
    return BLOCK.findall(GUIDE.read_text(encoding="utf-8"))


def test_quoted_snippets_are_the_example_files_own_text() -> None:
    """Every snippet marked `from: PATH` appears verbatim in that file."""
    quoted = [(path, body) for path, _, body in _blocks() if path]

    assert quoted
    for path, body in quoted:
        assert body in (ROOT / path).read_text(encoding="utf-8"), path


def test_guide_quotes_every_file_of_the_kit() -> None:
    """The guide quotes the real files of both packages: definitions, hooks, kinds, cohort, tests."""
    quoted = {path for path, _, _ in _blocks() if path}

    assert {
        "examples/adaptation-toml/program.toml",
        "examples/adaptation/pyproject.toml",
        "examples/adaptation/src/facilitrack_circle/__init__.py",
        "examples/adaptation/src/facilitrack_circle/program.toml",
        "examples/adaptation/tests/conftest.py",
        "examples/adaptation/tests/test_circle.py",
        "examples/pcit/cohort.toml",
        "examples/pcit/pyproject.toml",
        "examples/pcit/src/facilitrack_pcit/__init__.py",
        "examples/pcit/src/facilitrack_pcit/therapist.toml",
        "examples/pcit/src/facilitrack_pcit/trainer.toml",
        "examples/pcit/tests/test_pcit_cohort.py",
        "examples/pcit/tests/test_pcit_programs.py",
        "examples/pcit/tests/test_pcit_therapist.py",
        "examples/pcit/tests/test_pcit_trainer.py",
        "plugins/duet/__init__.py",
    } == quoted


def _fragment_program(body: str) -> Program:
    """A TOML fragment of the guide as a whole program: the header filled in where it gives none,
    and bare ``[[stages.requirements]]`` made one stage."""
    data = tomllib.loads(body)
    if isinstance(data.get("stages"), dict):
        data["stages"] = [{"key": "stage", "title": "Stage", **data["stages"]}]
    header = {"key": "guide", "name": "Guide", "version": "1.0", "organisation": "Docs"}
    return parse_program(header | data, origin=str(GUIDE))


def test_guide_fragments_conform() -> None:
    """Every TOML block not quoted from a file is a definition that passes the conformance check."""
    fragments = [body for path, lang, body in _blocks() if lang == "toml" and not path]

    assert len(fragments) >= 4
    for body in fragments:
        check_program(_fragment_program(body), cited=False)


def _anchor_shape(anchor: str) -> str:
    """``met:training.hours`` → ``met:KEY.KEY``; ``stage`` stays ``stage``."""
    kind, _, ref = anchor.partition(":")
    return f"{kind}:{'.'.join('KEY' for _ in ref.split('.'))}" if ref else kind


def test_guide_shows_every_kind_and_anchor_in_toml() -> None:
    """Each built-in requirement kind and each shape of window anchor appears in a TOML block."""
    toml = "\n".join(body for _, lang, body in _blocks() if lang == "toml")
    kinds = set(re.findall(r'^\s*kind = "(\w+)"', toml, flags=re.MULTILINE))
    anchors = {_anchor_shape(a) for a in re.findall(r'from = "([\w:.]+)"', toml)}

    assert {"credential"} == set(RequirementKinds().names()) - kinds  # facilitrack 0.1's, in prose
    assert {"enrolment", "stage", "stage:KEY", "met:KEY", "met:KEY.KEY", "certificate:KEY.KEY"} <= anchors


def test_guide_names_every_hook() -> None:
    """A hook missing from the guide fails here (as datasette's docs test does)."""
    hooks = [name for name in dir(hookspecs) if name.startswith("facilitrack_")]
    text = GUIDE.read_text(encoding="utf-8")

    assert len(hooks) >= 6
    assert [] == [hook for hook in hooks if f"`{hook}`" not in text]


def test_guide_says_program_hooks_see_every_program() -> None:
    """The guide warns that a hook given a `program` is called for every program, not only its own."""
    text = " ".join(GUIDE.read_text(encoding="utf-8").split())

    assert "called for every program" in text
    assert "if program.key != " in text


def test_guide_python_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guide's unquoted Python (checking the TOML program) runs as written, from the repo."""
    monkeypatch.chdir(ROOT)
    code = [body for path, lang, body in _blocks() if lang == "python" and not path]

    assert code
    for body in code:
        exec(compile(body, str(GUIDE), "exec", dont_inherit=True), {"__name__": "guide"})  # as written


def test_guide_show_commands_run(cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """Each `facilitrack show --program-file` command in the guide succeeds."""
    commands = [
        shlex.split(line.removeprefix("$ "))[1:]
        for _, lang, body in _blocks() if lang == "console"
        for line in body.splitlines() if line.startswith("$ facilitrack show --program-file")
    ]
    monkeypatch.chdir(ROOT)

    assert 4 == len(commands)
    for args in commands:
        result = cli(*args)
        assert (0, "") == (result.code, result.err), args


@pytest.mark.parametrize(("package", "own"), [
    ("adaptation", "facilitrack_circle"), ("pcit", "facilitrack_pcit"),
])
def test_example_package_imports_only_the_public_api(package: str, own: str) -> None:
    """Each example package imports `facilitrack`, `facilitrack.plugin` and `facilitrack.testing`,
    no private module."""
    root = ROOT / "examples" / package
    imported: set[str] = set()
    for path in root.rglob("*.py"):
        if "build" in path.relative_to(root).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)

    assert {"facilitrack", "facilitrack.plugin", "facilitrack.testing"} == {
        name for name in imported if name.startswith("facilitrack") and name != own
    }


def test_running_the_tests_installs_what_they_need() -> None:
    """A block that runs `python -m pytest` first installs the package's `test` extra (pytest)."""
    import tomllib

    extras = tomllib.loads((PACKAGE / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    runs = [body for _, lang, body in _blocks() if lang == "console" and "python -m pytest" in body]

    assert runs
    assert any(dep.startswith("pytest") for dep in extras["test"])
    for body in runs:
        before = body.split("python -m pytest")[0]
        assert re.search(r"pip install -e '?\./examples/adaptation\[test\]'?", before), body
