"""docs/adaptations.md stays true: its code is the example kit's, its commands and code run."""

from __future__ import annotations

import ast
import re
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from facilitrack._host import hookspecs

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "adaptations.md"

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
    """Both routes are shown from the real files: TOML program, entry point, hooks, kind, tests."""
    quoted = {path for path, _, _ in _blocks() if path}

    assert {
        "examples/adaptation-toml/program.toml",
        "examples/adaptation/pyproject.toml",
        "examples/adaptation/src/facilitrack_circle/__init__.py",
        "examples/adaptation/src/facilitrack_circle/program.toml",
        "examples/adaptation/tests/conftest.py",
        "examples/adaptation/tests/test_circle.py",
        "plugins/duet/__init__.py",
    } == quoted


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
        exec(compile(body, str(GUIDE), "exec"), {})


def test_guide_show_commands_run(cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """Each `facilitrack show --program-file` command in the guide succeeds."""
    commands = [
        shlex.split(line.removeprefix("$ "))[1:]
        for _, lang, body in _blocks() if lang == "console"
        for line in body.splitlines() if line.startswith("$ facilitrack show --program-file")
    ]
    monkeypatch.chdir(ROOT)

    assert 3 == len(commands)
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
