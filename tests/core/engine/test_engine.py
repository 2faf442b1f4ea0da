"""The engine: recording is idempotent, enrolments pin their version, answers hold as of a day or as
known at a time, and no answer depends on arrival order (checked over generated journals)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from facilitrack import (
    Attended,
    Engine,
    Enrolled,
    Event,
    InvalidEventError,
    MemoryJournal,
    Program,
    ProgramRegistry,
    VersionNotInstalledError,
    Voided,
    load_plugins,
    parse_program,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import DEMO, engine_on
from tests.core.engine.conftest import D, attend, enrol, finish_level1
from tests.strategies import batches, journals


def test_as_of_answers_for_past_dates(engine: Engine) -> None:
    """Status as of a date counts only events up to that date."""
    enrol(engine)
    finish_level1(engine)
    assert "level1" == engine.status("ana", as_of=D("2026-01-10")).stage
    assert "demonstration" == engine.status("ana", as_of=D("2026-01-11")).stage
    assert "not_enrolled" == engine.status("ana", as_of=D("2026-01-01")).stage


def test_recording_twice_is_a_no_op(engine: Engine) -> None:
    """Re-recording an event (same id, same content) changes nothing."""
    enrol(engine)
    event = Attended(trainee="ana", on=D("2026-01-10"), activity="workshop_day")
    assert [event] == engine.record(event)
    assert [] == engine.record(event)
    assert 2 == engine.journal.version
    assert 1 == engine.status("ana").missing[0].have


def test_reused_id_with_other_content_is_refused(engine: Engine) -> None:
    """The same id with other content names both versions and stores nothing."""
    enrol(engine)
    engine.record(Attended(id="x1", trainee="ana", on=D("2026-01-10"), activity="workshop_day"))
    with pytest.raises(InvalidEventError, match="already recorded with other content"):
        engine.record(Attended(id="x1", trainee="ana", on=D("2026-01-11"), activity="workshop_day"))


def test_enrolment_pins_the_version(demo_program: Program) -> None:
    """A newer definition does not change what an in-flight trainee must do."""
    registry = ProgramRegistry()
    registry.add(demo_program, source="p")
    hooks = load_plugins(entry_points_group=None).hooks
    engine = Engine(registry, hooks=hooks)
    enrol(engine)
    stages = list(demo_program.stages)
    harder = stages[0].model_copy(update={"requirements": (
        stages[0].requirements[0],
        stages[0].requirements[1].model_copy(update={"count": 3}),
    )})
    registry.add(demo_program.model_copy(update={"version": "2.0", "stages": (harder, *stages[1:])}),
                 source="p")
    enrol(engine, "noa")
    finish_level1(engine)
    finish_level1(engine, "noa")
    assert ("1.0", "demonstration") == (engine.status("ana").version, engine.status("ana").stage)
    assert ("2.0", "level1") == (engine.status("noa").version, engine.status("noa").stage)


def test_replaying_a_version_no_longer_installed_fails(demo_program: Program) -> None:
    """A journal pinning an uninstalled version fails with an error naming it."""
    journal = MemoryJournal()
    journal.append([Enrolled(trainee="ana", on=D("2026-01-05"), program="demo", version="0.9",
                             credential="licensed")])
    registry = ProgramRegistry()
    registry.add(demo_program, source="p")
    with pytest.raises(VersionNotInstalledError, match=r"demo@0\.9"):
        Engine(registry, journal, hooks=load_plugins(entry_points_group=None).hooks)


def _clocked(demo_program: Program) -> Engine:
    """An engine whose journal records each append one hour after the one before."""
    hours = iter(range(100))
    registry = ProgramRegistry()
    registry.add(demo_program, source="tests")
    journal = MemoryJournal(clock=lambda: datetime(2026, 3, 1, tzinfo=UTC) + timedelta(hours=next(hours)))
    return Engine(registry, journal)


def test_known_at_answers_as_the_journal_stood_at_a_time(demo_program: Program) -> None:
    """known_at keeps the events recorded by then (a naive time is UTC), voids included: the
    void recorded later is not yet known, so the voided day still counts."""
    engine = _clocked(demo_program)
    enrol(engine)  # recorded 00:00
    finish_level1(engine)  # 01:00
    day = next(e for e in engine.journal.events() if isinstance(e, Attended))
    engine.record(Voided(trainee="ana", on=D("2026-01-12"), target=day.id, reason="wrong day"))  # 02:00
    enrol(engine, "noa")  # 03:00

    before_void = datetime(2026, 3, 1, 1, 30, tzinfo=UTC)
    assert "demonstration" == engine.status("ana", known_at=before_void).stage
    assert "level1" == engine.status("ana").stage
    assert engine.status("ana", known_at=before_void) == engine.status(
        "ana", known_at=datetime(2026, 3, 1, 1, 30)).model_copy(update={"known_at": before_void})
    assert ["ana"] == [s.id for s in engine.statuses(known_at=before_void)]
    assert ["ana", "noa"] == [s.id for s in engine.statuses(known_at=datetime(2026, 3, 1, 3, tzinfo=UTC))]
    assert "not_enrolled" == engine.status("ana", known_at=datetime(2026, 2, 28, tzinfo=UTC)).stage


def test_known_at_and_as_of_are_two_axes(demo_program: Program) -> None:
    """as_of bounds the day work happened; known_at when it was recorded: a session recorded late
    counts as of its day only once it is known."""
    engine = _clocked(demo_program)
    enrol(engine)  # 00:00
    attend(engine, "workshop_day", "2026-01-10")  # 01:00
    attend(engine, "workshop_day", "2026-01-11")  # 02:00, recorded late

    assert "demonstration" == engine.status("ana", as_of=D("2026-01-11")).stage
    known = datetime(2026, 3, 1, 1, tzinfo=UTC)
    assert "level1" == engine.status("ana", as_of=D("2026-01-11"), known_at=known).stage
    explained = engine.explain("ana", as_of=D("2026-01-11"), known_at=known)
    assert ("workshop_day", 1, 2) == next(
        (r.requirement, r.have, r.need) for r in explained.requirements if r.requirement == "workshop_day")


# -- determinism over generated journals: arrival order, voids and replays ------------------

PROGRAM: Program = parse_program(DEMO, origin="tests")
START = date(2026, 1, 1)
#: Journals of 40 days, some trainees holding a credential that needs a co-leader.
JOURNALS = journals(START, 40, credentials=("licensed", "other"), max_events=40)


def new_engine() -> Engine:
    return engine_on(PROGRAM)


def snapshot(engine: Engine) -> list[dict[str, Any]]:
    return [s.model_dump() for s in engine.statuses()]


def held(engine: Engine) -> list[dict[str, Any]]:
    """Statuses with only the certificates held: what the fold says, without revoked history."""
    out = snapshot(engine)
    for status in out:
        status["certificates"] = [c for c in status["certificates"] if c["status"] != "revoked"]
    return out


def in_date_order(events: list[Event]) -> Engine:
    engine = new_engine()
    engine.record(sorted(events, key=lambda e: e.on))
    return engine


@settings(max_examples=60, deadline=None)
@given(journal=JOURNALS, data=st.data())
def test_any_arrival_order_gives_the_date_ordered_state(journal: list[Event], data: st.DataObject) -> None:
    """Recording a journal in any order, in any batches, equals recording it in date order."""
    enrolments, rest = journal[:3], journal[3:]
    shuffled = data.draw(st.permutations(rest))
    engine = new_engine()
    engine.record(enrolments)
    for batch in data.draw(batches(shuffled)):
        engine.record(batch)
    assert snapshot(in_date_order(journal)) == snapshot(engine)


@settings(max_examples=60, deadline=None)
@given(journal=JOURNALS, data=st.data())
def test_voiding_equals_never_recording(journal: list[Event], data: st.DataObject) -> None:
    """A journal with an event voided gives the state of the journal without it; a certificate
    the void took back is listed as revoked, and was held before."""
    rest = {e.id: e for e in journal[3:]}
    if not rest:
        return
    target = data.draw(st.sampled_from(sorted(rest)))
    engine = new_engine()
    engine.record(journal)
    before = {(s["id"], c["stage"]) for s in snapshot(engine) for c in s["certificates"]}
    engine.record(Voided(trainee=rest[target].trainee, on=START + timedelta(days=60),
                         target=target, reason="recorded in error"))
    without = [e for e in journal if e.id != target]
    assert held(in_date_order(without)) == held(engine)
    revoked = {(s["id"], c["stage"]) for s in snapshot(engine) for c in s["certificates"]
               if c["status"] == "revoked"}
    assert revoked <= before


@settings(max_examples=60, deadline=None)
@given(journal=JOURNALS, data=st.data())
def test_reapplying_events_changes_nothing(journal: list[Event], data: st.DataObject) -> None:
    """Recording events again, by the same ids, leaves journal and state as they were."""
    engine = in_date_order(journal)
    before, version = snapshot(engine), engine.journal.version
    again = data.draw(st.lists(st.sampled_from(journal), max_size=10))
    assert [] == engine.record(again)
    assert version == engine.journal.version
    assert before == snapshot(engine)


@settings(max_examples=40, deadline=None)
@given(journal=JOURNALS)
def test_live_state_equals_a_fold_from_scratch(journal: list[Event]) -> None:
    """The state kept up to date event by event equals a refold of the whole journal."""
    engine = new_engine()
    for event in journal:
        engine.record(event)
    rebuilt = Engine(engine.programs, engine.journal, hooks=engine.hooks)
    assert snapshot(rebuilt) == snapshot(engine)
