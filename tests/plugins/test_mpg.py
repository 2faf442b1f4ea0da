"""MPG: the pathway's numbers, their sources, and who may enter and advance."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from facilitrack import ArtifactRecorded, ArtifactStatus, Attended, Engine, Program, Waived

START = date(2024, 9, 2)
DEMO = START + timedelta(weeks=2)  # after both workshop days


def _requirements(data: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(s["key"], r["key"]): r for s in data["stages"] for r in s["requirements"]}


def test_show_json_carries_each_number_on_its_stage_with_a_source(cli: Callable[..., Any]) -> None:
    """`show mpg --format json` has 2, 12, 14, 1, 18, 20, 2 and 1 where the sources put them."""
    result = cli("show", "mpg", "--format", "json")
    reqs = _requirements(json.loads(result.out))

    expected = {
        ("level1", "workshop_day"): 2,
        ("demonstration", "demonstration_session"): 12,
        ("demonstration", "supervision"): 14,
        ("demonstration", "process_recording"): 1,
        ("trainee_led", "group_session"): 18,
        ("trainee_led", "consultation"): 20,
        ("trainee_led", "process_recording"): 2,
        ("trainee_led", "videotape"): 1,
    }
    assert expected == {k: reqs[k]["count"] for k in expected}
    for key in expected:
        assert reqs[key]["source"].startswith("mpg-trainings.txt: '"), key


def test_stages_tracks_and_version(bundled: Callable[[str], Program]) -> None:
    """MPG 1.0 runs level1 → demonstration → trainee_led, on an infant or a toddler track."""
    mpg = bundled("mpg")

    assert ("1.0", ["level1", "demonstration", "trainee_led"]) == (
        mpg.version, [s.key for s in mpg.stages]
    )
    assert ["infant", "toddler"] == [t.key for t in mpg.tracks]


def test_artifacts_must_be_presented_in_supervision(bundled: Callable[[str], Program]) -> None:
    """Process recordings and the videotape count only once presented, as the source says."""
    mpg = bundled("mpg")
    statuses = {
        (s.key, r.key): getattr(r, "status", None) for s in mpg.stages for r in s.requirements
    }

    assert ArtifactStatus.presented == statuses["demonstration", "process_recording"]
    assert ArtifactStatus.presented == statuses["trainee_led", "process_recording"]
    assert ArtifactStatus.presented == statuses["trainee_led", "videotape"]


def test_early_childhood_trainee_needs_a_mental_health_co_leader(
    bundled: Callable[[str], Program], engine_for: Callable[[Program], Engine],
    weekly: Callable[..., list[Attended]],
) -> None:
    """A non-MH professional stays in level1 alone, and advances beside an MH co-leader."""
    engine = engine_for(bundled("mpg"))
    engine.enrol("ana", "mpg", on=START, credential="early_childhood", track="infant")
    engine.enrol("ben", "mpg", on=START, credential="early_childhood", co_leader="cara",
                 track="toddler")
    engine.record(weekly("ana", "workshop_day", 2, START), weekly("ben", "workshop_day", 2, START))

    assert [("credential", 0, 1)] == [
        (p.requirement, p.have, p.need) for p in engine.status("ana").missing
    ]
    assert "demonstration" == engine.status("ben").stage


def test_demonstration_needs_a_certified_trainer(
    bundled: Callable[[str], Program], engine_for: Callable[[Program], Engine],
    weekly: Callable[..., list[Attended]],
) -> None:
    """Without a paired trainer the demonstration stage cannot complete, whatever is attended."""
    engine = engine_for(bundled("mpg"))
    engine.enrol("dana", "mpg", on=START, credential="licensed", track="infant")
    engine.record(
        weekly("dana", "workshop_day", 2, START),
        weekly("dana", "demonstration_session", 12, DEMO),
        weekly("dana", "supervision", 14, DEMO),
        ArtifactRecorded(trainee="dana", artifact="process_recording", on=DEMO,
                         status=ArtifactStatus.presented),
    )

    status = engine.status("dana")

    assert "demonstration" == status.stage
    assert ["certified_trainer"] == [p.requirement for p in status.missing]


def test_supervision_can_be_waived(
    bundled: Callable[[str], Program], engine_for: Callable[[Program], Engine],
    weekly: Callable[..., list[Attended]],
) -> None:
    """A coordinator's waiver of supervision completes the demonstration stage without it."""
    engine = engine_for(bundled("mpg"))
    engine.enrol("eli", "mpg", on=START, credential="pre_licensed", trainer="tova", track="toddler")
    engine.record(
        weekly("eli", "workshop_day", 2, START),
        weekly("eli", "demonstration_session", 12, DEMO),
        ArtifactRecorded(trainee="eli", artifact="process_recording", on=DEMO,
                         status=ArtifactStatus.presented),
        Waived(trainee="eli", on=DEMO, stage="demonstration", requirement="supervision",
               reason="supervision given in-house", approver="coordinator"),
    )

    assert "trainee_led" == engine.status("eli").stage
