"""A person's derived state: each enrolment's stage, the stages it completed and when each opened,
and the events it kept without crediting them (docs/semantics.md)."""

from __future__ import annotations

import json

from facilitrack import Attended, Engine

from tests.core.engine.conftest import D, attend, enrol, finish_level1


def test_completing_a_stage_dates_it_and_opens_the_next_the_same_day(engine: Engine) -> None:
    """Level 1 opens on enrolment (5 Jan.) and completes on the second workshop day, which opens the next."""
    enrol(engine)
    finish_level1(engine)

    [enrolment] = engine.state("ana").enrolments

    assert ("demonstration", [("level1", D("2026-01-11"))], [D("2026-01-05"), D("2026-01-11"), None]) == (
        enrolment.state, [(stage, on) for stage, on, _ in enrolment.completed], enrolment.opened_on[:3]
    )


def test_work_for_a_stage_not_reached_is_kept_with_its_day_and_id(engine: Engine) -> None:
    """A session before its stage opens is kept with its day, id and reason, in the state and its dump."""
    enrol(engine)
    attend(engine, "demo_session", "2026-01-08")
    early = next(e for e in engine.journal.events() if isinstance(e, Attended))

    [enrolment] = engine.state("ana").enrolments
    [(on, event, reason)] = enrolment.problems
    [dumped] = json.loads(json.dumps(engine.state("ana").dump()))["enrolments"]

    assert (D("2026-01-08"), early.id, True) == (on, event, "not reached" in reason)
    assert [["2026-01-08", early.id, reason]] == dumped["problems"]
