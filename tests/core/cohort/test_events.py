"""A cohort file's rows as engine events: ids, repeated rows, extra sources, group sessions."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from facilitrack import Attended, PluginHost, Program
from facilitrack._cohort import (
    EVENT_SOURCES,
    CohortFile,
    Located,
    cohort_events,
    group_session_events,
    load_cohort,
)

from tests.core.cohort.conftest import LEVEL1, D, cohort_with, grouped

# -- event ids -------------------------------------------------------------------------------


def test_identical_rows_count_twice(tmp_path: Path, host: PluginHost) -> None:
    """Two identical rows are two sessions: both count, under different ids."""
    same = [LEVEL1[0], LEVEL1[0]]
    cohort = load_cohort(cohort_with(tmp_path, same), host=host)
    ids = [e.id for e in cohort.events if isinstance(e, Attended)]
    assert 2 == len(set(ids))
    assert "demonstration" == cohort.report().trainees[0].stage


def test_first_of_identical_rows_keeps_the_core_content_id(tmp_path: Path, host: PluginHost) -> None:
    """The first copy's id is the one the core derives from content; only later copies differ."""
    cohort = load_cohort(cohort_with(tmp_path, [LEVEL1[0], LEVEL1[0]]), host=host)
    first = next(e for e in cohort.events if isinstance(e, Attended))
    assert Attended(trainee="ana", on=D("2026-01-10"), activity="workshop_day").id == first.id


def test_reading_the_same_file_twice_gives_the_same_ids(tmp_path: Path, host: PluginHost) -> None:
    """Re-importing a file is idempotent: a journal given the events again records nothing."""
    path = cohort_with(tmp_path, [*LEVEL1, LEVEL1[0]])
    first, second = load_cohort(path, host=host), load_cohort(path, host=host)
    assert [e.id for e in first.events] == [e.id for e in second.events]
    assert [] == first.engine.record(second.events)


def test_explicit_id_is_kept(tmp_path: Path, host: PluginHost) -> None:
    """A row's `id` is the event's id."""
    cohort = load_cohort(cohort_with(tmp_path, [{**LEVEL1[0], "id": "ws-1"}]), host=host)
    assert "ws-1" in [e.id for e in cohort.events]
    assert "events[0]" == cohort.where("ws-1")


def test_dates_and_weekly_expand_into_sessions(tmp_path: Path, host: PluginHost) -> None:
    """`dates = [...]` is one session per date; `weekly = N` is N sessions a week apart."""
    events = [
        {"trainee": "ana", "attended": "workshop_day", "dates": [D("2026-01-10"), D("2026-01-11")]},
        {"trainee": "ana", "attended": "demo_session", "on": D("2026-02-01"), "weekly": 3},
    ]
    cohort = load_cohort(cohort_with(tmp_path, events), host=host)
    demo = [e.on for e in cohort.events if isinstance(e, Attended) and e.activity == "demo_session"]
    assert [D("2026-02-01"), D("2026-02-08"), D("2026-02-15")] == demo
    assert ["process_recording"] == [m.requirement for m in cohort.report().trainees[0].missing]


def test_artifact_dates_are_one_artifact_each(tmp_path: Path, host: PluginHost) -> None:
    """An artifact row with `dates` records one artifact per date (Duet: a record per session)."""
    events = [*LEVEL1, {"trainee": "ana", "artifact": "process_recording", "status": "presented",
                        "dates": [D("2026-02-01"), D("2026-02-08")]}]
    cohort = load_cohort(cohort_with(tmp_path, events), host=host)
    assert ["events[2].dates[0]", "events[2].dates[1]"] == [x.where for x in cohort.located[3:]]
    assert ["demo_session"] == [m.requirement for m in cohort.report().trainees[0].missing]


def test_event_sources_can_be_extended(tmp_path: Path, host: PluginHost) -> None:
    """A new table's events join through `cohort_events` sources and are numbered the same way."""
    cohort = load_cohort(cohort_with(tmp_path, [LEVEL1[0]]), host=host)

    def extra(doc: CohortFile, program: Program) -> Iterable[Located]:
        yield Located(Attended(trainee="ana", on=D("2026-01-10"), activity="workshop_day"), "groups[0]")

    located = cohort_events(cohort.doc, cohort.program, (*EVENT_SOURCES, extra))
    assert ["trainees[0]", "events[0]", "groups[0]"] == [x.where for x in located]
    assert 3 == len({x.event.id for x in located})


def test_group_sessions_are_events_of_the_cohort(tmp_path: Path, host: PluginHost) -> None:
    """Each session credits each present trainee, placed on its session, with a GROUP:DATE:TRAINEE id."""
    cohort = load_cohort(grouped(tmp_path), host=host)
    credits = [x for x in cohort.located if x.where.startswith("groups[")]

    assert group_session_events in EVENT_SOURCES
    assert [
        ("groups[0].sessions[0]", "demo-spring:2026-02-02:ana"),
        ("groups[0].sessions[0]", "demo-spring:2026-02-02:noa"),
        ("groups[0].sessions[1]", "demo-spring:2026-02-09:ana"),
        ("groups[0].sessions[1]", "demo-spring:2026-02-09:noa:absent"),
    ] == [(x.where, x.event.id) for x in credits]
    assert all(x.explicit_id for x in credits)
    assert 2 == {r.requirement: r.have for r in cohort.engine.explain("ana").requirements}["demo_session"]
