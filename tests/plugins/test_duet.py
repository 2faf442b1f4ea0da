"""Duet: its two levels, the Level 2 requirements, Hebrew names and day-first dates — 1.0, then 2.0."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import facilitrack_plugins.duet as duet_plugin
import pytest
from facilitrack import (
    ArtifactRecorded,
    ArtifactStatus,
    Attended,
    Engine,
    InvalidEventError,
    Program,
    UserError,
    Waived,
    load_plugins,
)

from tests.plugins.conftest import cites

#: Hebrew names are Duet's normal input (its letters look like Latin ones to a linter).
NOA = "נועה כהן"
YOSSI = "יוסי לוי"  # noqa: RUF001

START = date(2018, 3, 24)
LEVEL2 = START + timedelta(weeks=2)  # after both seminar days


def test_show_json_carries_group_sessions_and_written_summary(cli: Callable[..., Any]) -> None:
    """Level 2 asks for 12 group sessions and a written summary, each citing the source."""
    data = json.loads(cli("show", "duet", "--version", "1.0", "--format", "json").out)
    [level1, level2] = data["stages"]
    reqs = {r["key"]: r for r in level2["requirements"]}

    assert ("level1", "level2") == (level1["key"], level2["key"])
    assert ("attendance", 12) == (reqs["group_session"]["kind"], reqs["group_session"]["count"])
    assert ("artifact", 1) == (reqs["written_summary"]["kind"], reqs["written_summary"]["count"])
    assert "(12 sessions)" in reqs["group_session"]["source"]
    assert "two participants" in reqs["written_summary"]["source"]
    assert ["intake_session", "feedback_session", "group_session", "group_record",
            "written_summary"] == list(reqs)


def _level2(trainee: str, summary: bool) -> list[Attended | ArtifactRecorded]:
    events: list[Attended | ArtifactRecorded] = [
        Attended(trainee=trainee, activity="intake_session", on=LEVEL2),
        Attended(trainee=trainee, activity="feedback_session", on=LEVEL2),
        Attended(trainee=trainee, activity="feedback_session", on=LEVEL2 + timedelta(days=1)),
    ]
    for week in range(12):
        on = LEVEL2 + timedelta(weeks=week)
        events.append(Attended(trainee=trainee, activity="group_session", on=on))
        events.append(ArtifactRecorded(trainee=trainee, artifact="group_record", on=on,
                                       ref=f"record-{week}", status=ArtifactStatus.presented))
    if summary:
        events.append(ArtifactRecorded(trainee=trainee, artifact="written_summary",
                                       on=LEVEL2 + timedelta(weeks=13),
                                       status=ArtifactStatus.submitted))
    return events


def test_hebrew_named_trainees_complete_or_wait_for_the_summary(
    bundled: Callable[[str], Program], engine_for: Callable[[Program], Engine],
    weekly: Callable[..., list[Attended]],
) -> None:
    """Noa hands in her summary and is certified; Yossi has not and waits for it (Hebrew ids)."""
    engine = engine_for(bundled("duet"))
    for name, summary in ((NOA, True), (YOSSI, False)):
        engine.enrol(name, "duet", on=START, credential="licensed")
        engine.record(weekly(name, "seminar_day", 2, START))
        engine.record(_level2(name, summary))

    assert engine.status(NOA).certified
    assert [("written_summary", 0, 1)] == [
        (p.requirement, p.have, p.need) for p in engine.status(YOSSI).missing
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24.3.2018", date(2018, 3, 24)),
        ("4.5.2018", date(2018, 5, 4)),
        ("11.06.2018", date(2018, 6, 11)),
        ("29.2.2020", date(2020, 2, 29)),
        ("2018-03-24", None),
        ("24/3/2018", None),
        ("24.3.18", None),
        ("24.3.2018 ", None),
        ("3.24", None),
    ],
)
def test_parse_date_reads_day_first_dates_strictly(
    bundled: Callable[[str], Program], text: str, expected: date | None
) -> None:
    """Only d.m.yyyy is read (day first, four-digit year); other formats are left to others."""
    hooks = load_plugins([duet_plugin], entry_points_group=None).hooks

    assert expected == hooks.parse_date(text, bundled("duet"))


def test_parse_date_ignores_other_programs(bundled: Callable[[str], Program]) -> None:
    """An MPG file's ``24.3.2018`` is not Duet's to read."""
    hooks = load_plugins([duet_plugin], entry_points_group=None).hooks

    assert None is hooks.parse_date("24.3.2018", bundled("mpg"))


@pytest.mark.parametrize("text", ["31.2.2018", "29.2.2019", "0.3.2018", "24.13.2018"])
def test_parse_date_refuses_days_that_do_not_exist(
    bundled: Callable[[str], Program], text: str
) -> None:
    """A day-first date naming no real day is an error saying how to write one."""
    hooks = load_plugins([duet_plugin], entry_points_group=None).hooks

    with pytest.raises(UserError, match=r"is not a date") as info:
        hooks.parse_date(text, bundled("duet"))
    assert "d.m.yyyy" in (info.value.fix or "")


# == Duet 2.0 =======================================================================================

#: Each constant quotes the sentence of duet-clinician-training.txt a 2.0 test follows.
FEEDBACK = (
    "duet-clinician-training.txt: '1. Conducting an intake session and attending individual feedback"
    " sessions.'"
)
TWO_LEVELS = "duet-clinician-training.txt: 'The training program is comprised of two levels (stages):'"
FOR_MH = (
    "duet-clinician-training.txt: 'We provide training for mental health professionals who wish to"
    " deliver intervention/ prevention reflective parenting groups, utilizing an evidence-based"
    " method grounded in theoretical models of socio-emotional development.'"
)


def _duet2(bundled: Callable[..., Program], engine_for: Callable[[Program], Engine]) -> Engine:
    return engine_for(bundled("duet", "2.0"))


def test_v2_feedback_sessions_cannot_be_waived(
    bundled: Callable[..., Program], engine_for: Callable[[Program], Engine],
    weekly: Callable[..., list[Attended]],
) -> None:
    """2.0: the source allows no waiver of feedback sessions: a waiver is refused."""
    program = bundled("duet", "2.0")
    feedback = program.stages[1].requirement("feedback_session")
    assert feedback is not None
    assert cites(feedback.source, FEEDBACK)
    assert [] == [n.node_key for s in program.stages for n in s.nodes() if n.waivable]
    engine = _duet2(bundled, engine_for)
    engine.enrol(NOA, "duet", on=START, credential="licensed")
    engine.record(weekly(NOA, "seminar_day", 2, START))

    with pytest.raises(InvalidEventError, match="duet does not allow waiving 'feedback_session'"):
        engine.record(Waived(trainee=NOA, on=LEVEL2, requirement="feedback_session",
                             reason="done in the 2017 pilot", approver="duet-training-lead"))


def test_v2_certified_is_labelled_an_assumption_and_no_certificate_is_issued(
    bundled: Callable[..., Program], engine_for: Callable[[Program], Engine],
    weekly: Callable[..., list[Attended]],
) -> None:
    """2.0: the source names two levels and no certificate; 'certified' is Level 2 complete, labelled."""
    program = bundled("duet", "2.0")
    note = " ".join((program.note or "").split())
    assert note.startswith("Assumption: the source names no certificate")
    assert TWO_LEVELS.partition(": '")[2].rstrip(":'") in note
    assert ["level1", "level2"] == [s.key for s in program.stages]
    assert (program.stages[1].note or "").startswith("Assumption: ")
    engine = _duet2(bundled, engine_for)
    engine.enrol(NOA, "duet", on=START, credential="licensed")
    engine.record(weekly(NOA, "seminar_day", 2, START), _level2(NOA, summary=True))

    status = engine.status(NOA)

    assert (True, []) == (status.certified, status.certificates)


@pytest.mark.parametrize(("credential", "admitted"), [("licensed", True), ("early_childhood", False)])
def test_v2_training_is_for_mental_health_professionals(
    bundled: Callable[..., Program], engine_for: Callable[[Program], Engine],
    weekly: Callable[..., list[Attended]], credential: str, admitted: bool,
) -> None:
    """2.0: Level 1 admits those the vocabulary gives the mental-health role, as the source says."""
    program = bundled("duet", "2.0")
    role = program.stages[0].requirement("mental_health")
    assert role is not None
    assert cites(role.source, FOR_MH)
    engine = _duet2(bundled, engine_for)
    engine.enrol(YOSSI, "duet", on=START, credential=credential)
    engine.record(weekly(YOSSI, "seminar_day", 2, START))

    assert ("level2" if admitted else "level1") == engine.status(YOSSI).stage


@pytest.mark.parametrize(("version", "flagged"), [("1.0", True), ("2.0", False)])
def test_v2_court_orders_are_recorded_not_flagged(
    cli: Callable[..., Any], cohort_file: Callable[[dict[str, Any]], Any], version: str, flagged: bool,
) -> None:
    """2.0: the source says nothing of court orders: a court-ordered parent is not a problem."""
    first = date(2018, 5, 1)
    group = {
        "id": "duet-group", "kind": "trainee_led", "agency": "Shaar HaNegev", "court_ordered": True,
        "facilitators": ["yael", "dr-harel"], "trainees": ["yael"],
        "participants": [{"id": "p1", "parent": "הורה", "child_born": date(2015, 3, 1)}],
        "sessions": [{"on": first + timedelta(weeks=i)} for i in range(12)],
    }
    data = {
        "cohort": {"name": "Duet 2018", "program": "duet", "version": version},
        "trainees": [{"id": "yael", "credential": "licensed", "enrolled": date(2018, 3, 1)}],
        "staff": [{"id": "dr-harel", "name": "Dr. Harel", "credential": "licensed"}],
        "groups": [group],
    }

    result = cli("groups", str(cohort_file(data)), "--format", "json")
    [report] = json.loads(result.out)["groups"]

    assert flagged == ("court_ordered" in [p["rule"] for p in report["problems"]])
    assert report["participants"][0]["court_ordered"]
