"""Fixtures for the bundled programs: each loaded from its plugin alone, and an engine on it."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from facilitrack import Attended, Engine, Program
from facilitrack.testing import programs_of

from tests.builders import engine_on

#: The versions every bundled plugin registers: 1.0 (kept for trainees pinned to it) and 2.0.
VERSIONS = ("1.0", "2.0")


@pytest.fixture
def bundled() -> Callable[..., Program]:
    """A program a bundled plugin registers, loaded with no other plugin: 1.0 (the version the
    first tests were written against) unless another version is asked for."""

    def load(name: str, version: str = "1.0") -> Program:
        programs = programs_of(importlib.import_module(f"facilitrack_plugins.{name}"))
        assert list(VERSIONS) == [p.version for p in programs]
        [program] = [p for p in programs if p.version == version]
        return program

    return load


@pytest.fixture
def engine_for() -> Callable[[Program], Engine]:
    """An in-memory engine that knows only `program`, with no plugin hooks."""

    def make(program: Program) -> Engine:
        return engine_on(program)

    return make


@pytest.fixture
def weekly() -> Callable[[str, str, int, date], list[Attended]]:
    """`n` attendances of one activity, a week apart from `start`."""

    def make(trainee: str, activity: str, n: int, start: date) -> list[Attended]:
        return [
            Attended(trainee=trainee, activity=activity, on=start + timedelta(weeks=k))
            for k in range(n)
        ]

    return make


@pytest.fixture
def cohort_file(tmp_path: Path) -> Callable[[dict[str, Any]], Path]:
    """Writes a cohort file from its tables (a TOML document as data) in the CLI's directory."""

    def write(data: dict[str, Any]) -> Path:
        path = tmp_path / "cohort.toml"
        path.write_text(tomli_w.dumps(data), encoding="utf-8")
        return path

    return write


def cites(source: str | None, sentence: str) -> bool:
    """Whether a definition's `source` quotes part of `sentence` (``file.txt: 'the sentence'``).

    Tests of the 2.0 definitions hold the source sentence they follow; this ties it to the
    citation the definition carries, so neither can drift from the other.
    """
    file, _, quoted = sentence.partition(": ")
    whole = quoted.strip("'")
    parts = re.findall(r"'(.+?)'(?=;|$|\s*\[|\.?$)", " ".join((source or "").split()))
    return file in (source or "") and any(part.strip(". ") in whole for part in parts if len(part) > 12)
