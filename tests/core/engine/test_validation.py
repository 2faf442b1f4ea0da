"""Checks a batch passes before it is recorded: a refusal names the fix, and keeps none of the batch."""

from __future__ import annotations

from typing import Any

import pytest
from facilitrack import (
    Attended,
    Engine,
    Enrolled,
    InvalidEventError,
    Program,
    ProgramRegistry,
    UnknownKeyError,
    Voided,
    Waived,
    hookimpl,
    load_plugins,
)

from tests.builders import engine_on
from tests.core.engine.conftest import D, attend, enrol, finish_level1


def test_waiving_a_non_waivable_requirement_is_refused(engine: Engine) -> None:
    """Only requirements marked waivable can be waived; nothing is recorded otherwise."""
    enrol(engine)
    with pytest.raises(InvalidEventError, match="does not allow waiving"):
        engine.record(Waived(trainee="ana", on=D("2026-01-06"), requirement="workshop_day",
                             reason="x", approver="y"))
    assert 1 == engine.journal.version


def test_void_rules(engine: Engine) -> None:
    """Voids must name an existing event of the same trainee, and not another void."""
    enrol(engine)
    enrol(engine, "noa")
    finish_level1(engine)
    day = next(e for e in engine.journal.events() if isinstance(e, Attended))
    with pytest.raises(UnknownKeyError, match="no such event"):
        engine.record(Voided(trainee="ana", on=D("2026-02-01"), target="ev-nope", reason="x"))
    with pytest.raises(InvalidEventError, match="belongs to 'ana'"):
        engine.record(Voided(trainee="noa", on=D("2026-02-01"), target=day.id, reason="x"))
    void = Voided(trainee="ana", on=D("2026-02-01"), target=day.id, reason="x")
    engine.record(void)
    with pytest.raises(InvalidEventError, match="cannot be voided"):
        engine.record(Voided(trainee="ana", on=D("2026-02-02"), target=void.id, reason="x"))


def test_a_bad_event_leaves_the_batch_unrecorded(engine: Engine) -> None:
    """One unknown activity in a batch: nothing of the batch is recorded."""
    enrol(engine)
    with pytest.raises(UnknownKeyError, match="did you mean 'workshop_day'"):
        engine.record([
            Attended(trainee="ana", on=D("2026-01-10"), activity="workshop_day"),
            Attended(trainee="ana", on=D("2026-01-11"), activity="workshop_dya"),
        ])
    assert 1 == engine.journal.version


def test_unknown_trainee_is_named(engine: Engine) -> None:
    """An event for a trainee with no enrolment is refused with the nearest id."""
    enrol(engine)
    with pytest.raises(UnknownKeyError, match="did you mean 'ana'"):
        attend(engine, "workshop_day", "2026-01-10", trainee="anna")


def test_unknown_track_is_refused(engine: Engine) -> None:
    """A track the program does not have is an error with the nearest track."""
    with pytest.raises(UnknownKeyError, match="did you mean 'toddler'"):
        enrol(engine, track="todler")


class _StageGate:
    """A plugin refusing demonstration sessions unless the trainee is in that stage."""

    def __init__(self) -> None:
        self.stages: list[str] = []

    @hookimpl
    def facilitrack_validate_event(self, event: Any, stage: str) -> str | None:
        self.stages.append(stage)
        if isinstance(event, Attended) and event.activity == "demo_session" and stage != "demonstration":
            return f"demonstration sessions need the demonstration stage, not {stage}"
        return None


def test_validation_sees_the_stage_before_each_event_of_a_batch(demo_program: Program) -> None:
    """Within one batch, a validation hook sees each event's own starting stage, in date order."""
    gate = _StageGate()
    registry = ProgramRegistry()
    registry.add(demo_program, source="p")
    engine = Engine(registry, hooks=load_plugins([gate], entry_points_group=None).hooks)
    enrolment = Enrolled(trainee="ana", on=D("2026-01-05"), program="demo", credential="licensed",
                         trainer="dr")
    days = [Attended(trainee="ana", on=D(d), activity="workshop_day") for d in ("2026-01-10", "2026-01-11")]
    session = Attended(trainee="ana", on=D("2026-01-12"), activity="demo_session")
    engine.record([session, *days, enrolment])
    assert ["not_enrolled", "level1", "level1", "demonstration"] == sorted(
        gate.stages, key=["not_enrolled", "level1", "demonstration"].index)
    early = Attended(trainee="noa", on=D("2026-01-06"), activity="demo_session")
    with pytest.raises(InvalidEventError, match="not level1"):
        engine.record([enrolment.model_copy(update={"trainee": "noa", "id": ""}), early])


class _Counting:
    """A plugin that validates every event (accepting all) and counts the calls."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    @hookimpl
    def facilitrack_validate_event(self, event: Any) -> str | None:
        self.seen.append(event.id)
        return None


def _hooked(demo_program: Program, plugin: object) -> Engine:
    return engine_on(demo_program, None, plugin)


def test_an_event_and_its_void_in_one_batch_are_recorded_with_a_validating_plugin(
    demo_program: Program,
) -> None:
    """A session and the void of it, in one batch, with a plugin that validates events: both
    are recorded and the session counts for nothing (it raised KeyError before)."""
    engine = _hooked(demo_program, _Counting())
    enrol(engine)
    day = Attended(trainee="ana", on=D("2026-01-10"), activity="workshop_day", id="mistake")
    void = Voided(trainee="ana", on=D("2026-01-11"), target="mistake", reason="wrong trainee")
    assert [day, void] == engine.record([day, void])
    assert [("workshop_day", 0, 2)] == [(m.requirement, m.have, m.need) for m in engine.status("ana").missing]


def test_the_validate_hook_sees_each_new_event_once(demo_program: Program) -> None:
    """Recording the same event again does not call the validation hook again."""
    counting = _Counting()
    engine = _hooked(demo_program, counting)
    enrol(engine)
    day = Attended(trainee="ana", on=D("2026-01-10"), activity="workshop_day")
    engine.record(day)
    engine.record(day)
    engine.record([day, day])
    assert 1 == counting.seen.count(day.id)
