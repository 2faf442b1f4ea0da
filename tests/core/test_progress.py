"""Long work names its phases, to a reporter a command installed, and to no one otherwise."""

from __future__ import annotations

import shutil
from pathlib import Path

from facilitrack import load_cohort
from facilitrack._progress import reporting, step

ROOT = Path(__file__).resolve().parents[2]


def test_step_without_a_reporter_does_nothing() -> None:
    """A library user who installed no reporter is told nothing (and nothing fails)."""
    step("checking 3 rows")


def test_a_cohort_names_each_phase_in_order(tmp_path: Path) -> None:
    """Reading, checking, building, recording and reporting a cohort each say so, in that order."""
    path = shutil.copy(ROOT / "examples" / "mpg" / "cohort.toml", tmp_path / "cohort.toml")
    phases: list[str] = []
    with reporting(phases.append):
        load_cohort(path).report()
    step("after the block")
    starts = ["reading ", "reading the TOML of ", "checking ", "building the events of ", "recording ",
              "reporting on "]
    assert len(starts) == len(phases)
    for start, phase in zip(starts, phases, strict=True):
        assert phase.startswith(start), phases
