"""The event vocabulary: an id derived from the fact, and the order a person's events fold in
(docs/semantics.md, "Order, voids, as-of and known-at")."""

from __future__ import annotations

from datetime import date

from facilitrack import (
    Attended,
    Engine,
    Enrolled,
    Held,
    ProgramRegistry,
    Resumed,
    Waived,
    Withdrawn,
    parse_program,
)
from facilitrack._model.events import EventBase, OrderKey

from tests.builders import DEMO

PROGRAM = parse_program(DEMO, origin="tests")
DAY = date(2026, 2, 2)


def order_key(event: EventBase, program: object) -> OrderKey:
    """Where the engine's fold puts an event of a person enrolled in the demo program."""
    registry = ProgramRegistry()
    registry.add(PROGRAM, source="tests")
    return Engine(registry)._folder.order_key(event, [PROGRAM])


def test_a_day_folds_before_the_next_and_within_it_by_kind() -> None:
    """By date first; within one date: enrolment, resumption, waiver, the work, hold, withdrawal."""
    day_before = Withdrawn(trainee="ana", on=date(2026, 2, 1))
    same_day = [
        Withdrawn(trainee="ana", on=DAY), Held(trainee="ana", on=DAY),
        Attended(trainee="ana", on=DAY, activity="demo_session"),
        Waived(trainee="ana", on=DAY, requirement="process_recording", reason="r", approver="dr"),
        Resumed(trainee="ana", on=DAY),
        Enrolled(trainee="ana", on=DAY, program="demo", credential="licensed"),
    ]

    folded = sorted([*same_day, day_before], key=lambda e: order_key(e, PROGRAM))

    assert [("withdrawn", 1), ("enrolled", 2), ("resumed", 2), ("waived", 2), ("attended", 2), ("held", 2),
            ("withdrawn", 2)] == [(e.kind, e.on.day) for e in folded]


def test_work_of_one_day_folds_by_the_first_stage_counting_it_then_by_id() -> None:
    """A demonstration session (stage 2) after a workshop day (stage 1) whatever their ids; then id order."""
    late_stage = Attended(id="a", trainee="ana", on=DAY, activity="demo_session")
    early_stage = [Attended(id=i, trainee="ana", on=DAY, activity="workshop_day") for i in ("z", "m")]

    folded = sorted([late_stage, *early_stage], key=lambda e: order_key(e, PROGRAM))

    assert ["m", "z", "a"] == [e.id for e in folded]


def test_the_same_fact_has_one_id_and_a_second_identical_one_its_own() -> None:
    """The id is the fact's, not who recorded it; `occurrence` marks a second copy; a given id is kept."""
    fact = Attended(trainee="ana", on=DAY, activity="workshop_day")

    assert fact.id == Attended(trainee="ana", on=DAY, activity="workshop_day", recorded_by="kim").id
    assert fact.id != Attended(trainee="ana", on=DAY, activity="workshop_day", occurrence=2).id
    assert fact.id != Attended(trainee="ana", on=DAY, activity="demo_session").id
    assert "ws-1" == Attended(id="ws-1", trainee="ana", on=DAY, activity="workshop_day").id
