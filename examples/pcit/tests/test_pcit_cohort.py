"""The example cohort file, run as a coordinator runs it: the real `facilitrack` command, in-process."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from facilitrack.testing import FacilitrackProject

COHORT = (Path(__file__).resolve().parents[1] / "cohort.toml").read_text(encoding="utf-8")
AS_OF = "2026-06-30"


@pytest.fixture
def project(facilitrack_project: Callable[..., FacilitrackProject]) -> FacilitrackProject:
    """A directory holding the package's cohort.toml; the installed plugin provides the program."""
    return facilitrack_project({"cohort.toml": COHORT})


def _trainees(project: FacilitrackProject) -> dict[str, dict[str, Any]]:
    result = project.run("run", "cohort.toml", "--as-of", AS_OF, "--format", "json")
    result.assert_success()
    return {t["id"]: t for t in json.loads(result.out)["trainees"]}


def _missing(trainee: dict[str, Any]) -> list[tuple[str, float, float]]:
    return [(m["requirement"], m["have"], m["need"]) for m in trainee["missing"]]


def test_each_trainee_stands_where_the_cohort_file_says(project: FacilitrackProject) -> None:
    """`facilitrack run`: each trainee's stage, ana's certificate, and what the others miss."""
    trainees = _trainees(project)

    assert {"ana": "certified", "ben": "consultation", "chen": "training", "dev": "eligibility"} == {
        key: t["stage"] for key, t in trainees.items()
    }
    assert [("2025-07-25", "2027-07-25", "valid")] == [
        (c["on"], c["expires"], c["status"]) for c in trainees["ana"]["certificates"]
    ]
    assert [("consultation_call", 20, 24), ("completed_case", 1, 2), ("session_reviews", 0, 4)] == _missing(
        trainees["ben"]
    )
    assert [("initial_training", 38, 40)] == _missing(trainees["chen"])
    assert [("eligibility_route", 0, 1)] == _missing(trainees["dev"])


def test_the_table_shows_hours_as_the_coordinator_counts_them(project: FacilitrackProject) -> None:
    """`facilitrack run` as a table: chen's hours read 38/40."""
    result = project.run("run", "cohort.toml", "--as-of", AS_OF)

    result.assert_success()
    assert "initial_training 38/40" in result.out


def test_check_names_the_late_call_and_the_ineligible_trainee(project: FacilitrackProject) -> None:
    """`facilitrack check` exits 1, naming ben's call after his year and dev's credential by row."""
    result = project.run("check", "cohort.toml")

    result.assert_failed(1)
    assert "events[15] (line 153): ben, 2026-01-23: consultation_call on 2026-01-23 is outside" in result.out
    assert "trainees[3].credential (line 46): dev" in result.out


def test_explain_says_why_asynchronous_hours_stop_counting(project: FacilitrackProject) -> None:
    """`facilitrack explain`: chen's 38 of 40 hours, and why two of hers do not count."""
    result = project.run("explain", "cohort.toml", "chen", "--as-of", AS_OF)

    result.assert_success()
    assert "[missing]  38/40  hours of initial training" in result.out
    assert "why: only 10 hours of asynchronous count" in result.out


def test_renewal_hours_show_in_the_certified_trainees_explanation(project: FacilitrackProject) -> None:
    """ana has 1 of the 3 hours of continuing education that renew her certificate."""
    result = project.run("explain", "cohort.toml", "ana", "--as-of", AS_OF, "--format", "json")

    result.assert_success()
    [renewal] = json.loads(result.out)["renewal"]
    assert ("continuing_education", 1, 3) == (renewal["requirement"], renewal["have"], renewal["need"])


def test_a_misspelt_mode_is_refused_with_the_row(project: FacilitrackProject) -> None:
    """A row whose mode the plugin does not know stops the run (exit 2), naming the plugin's rule."""
    project.write({"cohort.toml": COHORT.replace('mode = "live_virtual"', 'mode = "live_virtaul"', 1)})

    result = project.run("run", "cohort.toml", "--as-of", AS_OF)

    result.assert_failed(2)
    assert "'live_virtaul' is none of these" in result.err
