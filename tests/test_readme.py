"""The README tells the truth: its Python runs, and every command it shows exists."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest
from facilitrack._cli import build_parser
from facilitrack.testing import CliResult

README = Path(__file__).resolve().parent.parent / "README.md"
TEXT = README.read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", TEXT, flags=re.DOTALL)


def test_python_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every Python block of the README runs as pasted on its own: each has its own imports."""
    monkeypatch.chdir(tmp_path)
    sources = [b for b in blocks("python") if "hookimpl" not in b]  # the plugin is a module
    assert len(sources) >= 2
    for source in sources:
        exec(compile(source, str(README), "exec"), {})
    assert (tmp_path / "spring.db").exists()


def commands(text: str) -> list[str]:
    """Each ``$ facilitrack ...`` command of the console blocks in `text`, continuation lines joined."""
    found = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.DOTALL):
        for line in block.replace("\\\n", " ").splitlines():
            if line.startswith("$ facilitrack "):
                found.append(line[2:])
    return found


def test_the_tour_pastes_and_runs_in_order(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    """Every command the README shows, pasted in order into an empty folder, exits 0."""
    # So `init` writes the starter the later commands name (trainee `ana`, the store), and no
    # line holds shell syntax (`a|b`, `[--out FILE]`) that would break when pasted.
    shown = commands(TEXT)

    assert len(shown) >= 14
    for command in shown:
        words = shlex.split(command, comments=True)[1:]
        args = [match for word in words  # as a shell expands `credentials/*.json`
                for match in (sorted(str(p.relative_to(tmp_path)) for p in tmp_path.glob(word))
                              if "*" in word else [word])]
        result = cli(*args)
        assert (0, "") == (result.code, result.err), command


def test_every_command_shown_exists() -> None:
    """Each `facilitrack COMMAND` in the README's console blocks is a real subcommand."""
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    known = set(sub.choices)  # type: ignore[arg-type]
    shown = set()
    for block in blocks("console"):
        for line in block.splitlines():
            if line.startswith("$ facilitrack "):
                shown.add(shlex.split(line[2:], comments=True)[1])
    assert shown
    assert set() == shown - known


def test_test_command_is_what_ci_runs() -> None:
    """.ci/run runs the README's test command verbatim."""
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    command = ci.strip().splitlines()[-1]
    assert command in TEXT


def test_the_guides_commands_paste_and_run_in_order(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    """docs/runner.md's commands, then docs/journal.md's, pasted in order into an empty folder."""
    docs = README.parent / "docs"
    shown = [
        *commands((docs / "runner.md").read_text(encoding="utf-8")),
        *commands((docs / "journal.md").read_text(encoding="utf-8")),
    ]

    assert len(shown) >= 12
    for command in shown:
        result = cli(*shlex.split(command, comments=True)[1:])
        assert (0, "") == (result.code, result.err), command
