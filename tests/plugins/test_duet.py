"""Duet: its two levels, the Level 2 requirements, Hebrew names and day-first dates."""

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
    Program,
    UserError,
    load_plugins,
)

#: Hebrew names are Duet's normal input (its letters look like Latin ones to a linter).
NOA = "נועה כהן"
YOSSI = "יוסי לוי"  # noqa: RUF001

START = date(2018, 3, 24)
LEVEL2 = START + timedelta(weeks=2)  # after both seminar days


def test_show_json_carries_group_sessions_and_written_summary(cli: Callable[..., Any]) -> None:
    """Level 2 asks for 12 group sessions and a written summary, each citing the source."""
    data = json.loads(cli("show", "duet", "--format", "json").out)
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
