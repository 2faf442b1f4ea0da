"""Trainees' credit: each session credits the trainees present, under a stable id."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from facilitrack import Engine, Program, ProgramRegistry, load_plugins
from facilitrack._groups import group_events
from hypothesis import given, settings

from tests.core.groups.conftest import START, _group, _program
from tests.strategies import orders


def test_demonstration_sessions_credit_present_trainees(program: Program) -> None:
    """Each session credits every trainee present with the demonstration activity; a trainee
    absent from one is recorded as absent from it (a series counts the sessions missed)."""
    events = group_events(_group(sessions=3, absent={1: ["noa"]}), program)
    assert [("ana", "attended"), ("noa", "attended"), ("ana", "attended"), ("noa", "absent"),
            ("ana", "attended"), ("noa", "attended")] == [(e.trainee, e.kind) for e in events]
    assert {"demo_session"} == {e.activity for e in events}
    assert ("g1:2026-02-02:ana", "g1:2026-02-09:noa:absent") == (events[0].id, events[3].id)


def test_trainee_led_sessions_credit_the_leading_trainees(program: Program) -> None:
    """A trainee-led group's sessions credit its trainees with the trainee-led activity."""
    group = _group(kind="trainee_led", trainees=["ana"], facilitators=["ana", "lee"], sessions=2)
    assert ["group_session", "group_session"] == [e.activity for e in group_events(group, program)]
    community = group.model_copy(update={"kind": "community"})
    assert [] == group_events(community, program)


@settings(max_examples=50, deadline=None)
@given(order=orders(12))
def test_event_ids_do_not_depend_on_session_order(order: list[int]) -> None:
    """Listing sessions in any order yields the same events with the same ids."""
    program = _program()
    group = _group(absent={2: ["ana"], 7: ["noa"]})
    shuffled = group.model_copy(update={"sessions": tuple(group.sessions[i] for i in order)})
    assert group_events(group, program) == group_events(shuffled, program)


def test_reimporting_group_sessions_records_nothing_new(program: Program) -> None:
    """Recording a group's events twice credits each session once."""
    registry = ProgramRegistry()
    registry.add(program, source="tests")
    engine = Engine(registry, hooks=load_plugins(entry_points_group=None).hooks)
    for trainee in ("ana", "noa"):
        engine.enrol(trainee, "demo", on=START - timedelta(days=30), credential="licensed", trainer="miller")
        engine.record(*[_attended(trainee, "workshop_day", START - timedelta(days=d)) for d in (20, 19)])
    group = _group(sessions=3)
    assert 6 == len(engine.record(group_events(group, program)))
    assert [] == engine.record(group_events(group, program))
    assert 3 == {r.requirement: r.have for r in engine.explain("ana").requirements}["demo_session"]


def _attended(trainee: str, activity: str, on: date) -> Any:
    from facilitrack import Attended

    return Attended(trainee=trainee, activity=activity, on=on)
