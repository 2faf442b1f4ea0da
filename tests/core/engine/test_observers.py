"""Telling plugins what a recording changed: each completion heard once."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from facilitrack import Attended, Engine, InvalidEventError, Program, ProgramRegistry, hookimpl, load_plugins

from tests.core.engine.conftest import D, attend, enrol


class _Observer:
    """A plugin that records what it observes and refuses sessions on Sundays."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, date]] = []

    @hookimpl
    def facilitrack_stage_completed(self, trainee: str, program: Program, stage: str, on: date) -> None:
        self.seen.append(("stage", stage, on))

    @hookimpl
    def facilitrack_certificate_issued(self, trainee: str, stage: str, on: date) -> None:
        self.seen.append(("certificate", stage, on))

    @hookimpl
    def facilitrack_validate_event(self, event: Any) -> str | None:
        if isinstance(event, Attended) and event.on.weekday() == 6:
            return "the program does not meet on Sundays"
        return None


def test_plugins_observe_and_validate(demo_program: Program) -> None:
    """Observers hear each completion once; a validation hook's reason refuses the event."""
    observer = _Observer()
    host = load_plugins([observer], entry_points_group=None)
    registry = ProgramRegistry()
    registry.add(demo_program, source="p")
    engine = Engine(registry, hooks=host.hooks)
    enrol(engine)
    with pytest.raises(InvalidEventError, match="does not meet on Sundays"):
        attend(engine, "workshop_day", "2026-01-11")
    attend(engine, "workshop_day", "2026-01-09", "2026-01-10")
    attend(engine, "workshop_day", "2026-01-08")  # out of order: refold, no second notice
    expected = [("stage", "level1", D("2026-01-10")), ("certificate", "level1", D("2026-01-10"))]
    assert expected == observer.seen
    assert D("2026-01-09") == engine.status("ana").certificates[0].on


def _observed(demo_program: Program) -> tuple[Engine, _Observer]:
    observer = _Observer()
    registry = ProgramRegistry()
    registry.add(demo_program, source="p")
    return Engine(registry, hooks=load_plugins([observer], entry_points_group=None).hooks), observer


def test_observers_after_holds_the_calls_until_its_block_ends(demo_program: Program) -> None:
    """Inside `observers_after` observers hear nothing; when the block ends, all of it, in order."""
    engine, observer = _observed(demo_program)
    with engine.observers_after():
        enrol(engine)
        attend(engine, "workshop_day", "2026-01-09", "2026-01-10")
        assert [] == observer.seen
    assert [("stage", "level1", D("2026-01-10")), ("certificate", "level1", D("2026-01-10"))] == observer.seen


def test_observers_after_drops_the_calls_when_its_block_fails(demo_program: Program) -> None:
    """A block that raises (a transaction rolled back) tells observers nothing."""
    engine, observer = _observed(demo_program)

    def recorded_then_rolled_back() -> None:
        with engine.observers_after():
            enrol(engine)
            attend(engine, "workshop_day", "2026-01-09", "2026-01-10")
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError, match="rolled back"):
        recorded_then_rolled_back()
    assert [] == observer.seen
