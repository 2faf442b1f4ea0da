"""The Reflective Circle adaptation: it conforms, and its `rounds` kind counts whole rounds."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta

import facilitrack_circle
import pytest
from facilitrack import (
    ArtifactRecorded,
    ArtifactStatus,
    Attended,
    Engine,
    Program,
    ProgramRegistry,
    load_plugins,
)
from facilitrack.testing import FacilitrackProject, check_program, programs_of

START = date(2025, 1, 6)


@pytest.fixture
def program() -> Program:
    """The circle program as the plugin registers it, loaded without other plugins."""
    [circle] = programs_of(facilitrack_circle)
    return circle


@pytest.fixture
def engine(program: Program) -> Engine:
    """An engine that knows only the circle program."""
    host = load_plugins([facilitrack_circle], entry_points_group=None)
    registry = ProgramRegistry(host.kinds)
    registry.add(program, source="tests")
    return Engine(registry, hooks=host.hooks)


def test_program_conforms(program: Program) -> None:
    """The definition passes facilitrack's conformance check."""
    check_program(program)


def test_conforms_through_the_pytest_fixture(
    program: Program, facilitrack_check: Callable[[Program], None]
) -> None:
    """The `facilitrack_check` fixture, from facilitrack's pytest plugin, runs the same check."""
    facilitrack_check(program)


def test_installed_plugin_registers_program_and_kind() -> None:
    """Installed, the package is found through its `facilitrack` entry point."""
    host = load_plugins()
    assert host.programs.source("circle") == "plugin circle"
    assert "rounds" in host.kinds.names()


def test_a_round_half_done_counts_for_nothing(engine: Engine) -> None:
    """Twelve sessions are one round of two: facilitation still misses a round."""
    engine.enrol("dana", "circle", on=START, credential="licensed")
    day = START
    for _ in range(3):
        day += timedelta(days=1)
        engine.record(Attended(trainee="dana", activity="course_day", on=day))
    engine.record(ArtifactRecorded(
        trainee="dana", artifact="review_video", status=ArtifactStatus.approved, on=day,
    ))
    for _ in range(12):
        day += timedelta(weeks=1)
        engine.record(Attended(trainee="dana", activity="group_session", on=day))
        engine.record(Attended(trainee="dana", activity="consultation", on=day))

    status = engine.status("dana")

    assert status.stage == "facilitation"
    assert [(p.requirement, p.have, p.need) for p in status.missing] == [("group_session", 1, 2)]


def test_group_sessions_before_the_video_is_approved_do_not_count(engine: Engine) -> None:
    """The video review gates the rest: sessions led while it is pending are kept, not credited."""
    engine.enrol("noa", "circle", on=START, credential="early_childhood")
    for n in range(3):
        engine.record(Attended(trainee="noa", activity="course_day", on=START + timedelta(days=n)))
    engine.record(Attended(trainee="noa", activity="group_session", on=START + timedelta(days=5)))

    status = engine.status("noa")

    assert status.stage == "video_review"
    assert len(status.problems) == 1


COHORT = """
    [cohort]
    name = "Spring circle"
    program = "circle"

    [[trainees]]
    id = "dana"
    credential = "licensed"
    enrolled = 2025-01-06

    [[events]]
    trainee = "dana"
    attended = "course_day"
    dates = [2025-01-07, 2025-01-08, 2025-01-09]

    [[events]]
    trainee = "dana"
    on = 2025-01-10
    artifact = "review_video"
    status = "approved"

    [[events]]
    trainee = "dana"
    on = 2025-01-13
    attended = "group_session"
    weekly = 12
"""


def test_a_coordinator_sees_whole_rounds(
    facilitrack_project: Callable[..., FacilitrackProject],
) -> None:
    """Run as a coordinator would: a cohort file, `facilitrack run`, one round of two so far."""
    project = facilitrack_project({"cohort.toml": COHORT})

    result = project.run("run", "cohort.toml", "--format", "json")

    result.assert_success()
    [dana] = json.loads(result.out)["trainees"]
    assert dana["stage"] == "facilitation"
    assert {"requirement": "group_session", "have": 1, "need": 2} in [
        {k: m[k] for k in ("requirement", "have", "need")} for m in dana["missing"]
    ]
