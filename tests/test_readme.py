"""The README tells the truth: its Python runs, and every command it shows exists."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from facilitrack._cli import build_parser

README = Path(__file__).resolve().parent.parent / "README.md"
TEXT = README.read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", TEXT, flags=re.DOTALL)


def test_python_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every Python block of the README runs, in order, in one namespace."""
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    sources = [b for b in blocks("python") if "hookimpl" not in b]  # the plugin is a module
    assert len(sources) >= 2
    for source in sources:
        exec(compile(source, str(README), "exec"), namespace)
    assert (tmp_path / "spring.db").exists()


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
