"""Determinism, checked over generated journals: arrival order, voids and replays."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from facilitrack import (
    ArtifactRecorded,
    Attended,
    Engine,
    Enrolled,
    Event,
    Held,
    Program,
    ProgramRegistry,
    Resumed,
    Voided,
    Waived,
    Withdrawn,
    load_plugins,
    parse_program,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import DEMO

PROGRAM: Program = parse_program(DEMO, origin="tests")
START = date(2026, 1, 1)
TRAINEES = ("ana", "noa", "eli")

days = st.integers(min_value=0, max_value=40).map(lambda n: START + timedelta(days=n))
trainees = st.sampled_from(TRAINEES)


@st.composite
def activity(draw: st.DrawFn) -> Event:
    who, on = draw(trainees), draw(days)
    choice = draw(st.integers(0, 9))
    if choice <= 4:
        key = draw(st.sampled_from(["workshop_day", "demo_session", "group_session"]))
        return Attended(trainee=who, on=on, activity=key, id=f"a{draw(st.integers(0, 10**6))}")
    if choice <= 6:
        return ArtifactRecorded(
            trainee=who, on=on,
            artifact=draw(st.sampled_from(["process_recording", "videotape"])),
            status=draw(st.sampled_from(["submitted", "presented", "approved"])),
            ref=draw(st.sampled_from(["r1", "r2", "r3", None])),
        )
    if choice == 7:
        return Waived(trainee=who, on=on, requirement="process_recording",
                      stage="demonstration", reason="r", approver="dr")
    if choice == 8:
        return draw(st.sampled_from([Held(trainee=who, on=on), Resumed(trainee=who, on=on)]))
    return Withdrawn(trainee=who, on=on)


@st.composite
def journals(draw: st.DrawFn) -> list[Event]:
    enrolments: list[Event] = [
        Enrolled(trainee=t, on=START, program="demo", version="1.0", trainer="dr",
                 credential=draw(st.sampled_from(["licensed", "other"])))
        for t in TRAINEES
    ]
    return enrolments + draw(st.lists(activity(), max_size=40, unique_by=lambda e: e.id))


def new_engine() -> Engine:
    registry = ProgramRegistry()
    registry.add(PROGRAM, source="tests")
    return Engine(registry, hooks=load_plugins(entry_points_group=None).hooks)


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
@given(journal=journals(), data=st.data())
def test_any_arrival_order_gives_the_date_ordered_state(journal: list[Event], data: st.DataObject) -> None:
    """Recording a journal in any order, in any batches, equals recording it in date order."""
    enrolments, rest = journal[:3], journal[3:]
    shuffled = data.draw(st.permutations(rest))
    engine = new_engine()
    engine.record(enrolments)
    while shuffled:
        size = data.draw(st.integers(1, len(shuffled)))
        engine.record(shuffled[:size])
        shuffled = shuffled[size:]
    assert snapshot(in_date_order(journal)) == snapshot(engine)


@settings(max_examples=60, deadline=None)
@given(journal=journals(), data=st.data())
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
@given(journal=journals(), data=st.data())
def test_reapplying_events_changes_nothing(journal: list[Event], data: st.DataObject) -> None:
    """Recording events again, by the same ids, leaves journal and state as they were."""
    engine = in_date_order(journal)
    before, version = snapshot(engine), engine.journal.version
    again = data.draw(st.lists(st.sampled_from(journal), max_size=10))
    assert [] == engine.record(again)
    assert version == engine.journal.version
    assert before == snapshot(engine)


@settings(max_examples=40, deadline=None)
@given(journal=journals())
def test_live_state_equals_a_fold_from_scratch(journal: list[Event]) -> None:
    """The state kept up to date event by event equals a refold of the whole journal."""
    engine = new_engine()
    for event in journal:
        engine.record(event)
    rebuilt = Engine(engine.programs, engine.journal, hooks=engine.hooks)
    assert snapshot(rebuilt) == snapshot(engine)
