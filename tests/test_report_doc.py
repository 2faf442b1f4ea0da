"""docs/report.md tells the truth: its Python runs (on the MPG example, as `spring.toml`) and
every command it shows parses."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from tests.builders import assert_commands_parse

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "report.md"
TEXT = DOC.read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", TEXT, flags=re.DOTALL)


def test_python_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every Python block runs, in order, in one namespace, on the cohort file it names."""
    shutil.copy(ROOT / "examples" / "mpg" / "cohort.toml", tmp_path / "spring.toml")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    sources = blocks("python")
    assert sources
    for source in sources:
        exec(compile(source, str(DOC), "exec"), namespace)
    assert namespace["records"]


def test_every_command_shown_parses() -> None:
    """Each `facilitrack ...` line of the console blocks (placeholders filled in) is a valid command line."""
    shown = []
    for block in blocks("console"):
        for line in block.replace("\\\n", " ").splitlines():
            if line.startswith("$ facilitrack "):
                shown.append(_filled(shlex.split(line[2:], comments=True)[1:]))
    assert_commands_parse(shown, at_least=10)


def _filled(args: list[str]) -> list[str]:
    """A synopsis as a command: ``[--x A]`` kept as ``--x A``, ``html|ob3`` the first choice,
    ``...`` and ``]...`` dropped, a DATE a date."""
    out = []
    for arg in args:
        word = arg.strip("[]").removesuffix("]...").rstrip("]")
        if word == "..." and out and out[-1] == "--format":
            out.append("html")
        elif word not in ("...", ""):
            out.append({"DATE": "2026-06-30"}.get(word, word.split("|")[0]))
    return out
