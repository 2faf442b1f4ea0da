"""The pathway machine: what may happen from each state of an enrolment."""

from __future__ import annotations

from facilitrack import Engine, Resumed

from tests.core.engine.conftest import D, enrol


def test_resume_when_not_on_hold_is_a_problem(engine: Engine) -> None:
    """An impossible transition is kept and reported, not silently applied."""
    enrol(engine)
    engine.record(Resumed(trainee="ana", on=D("2026-01-08")))
    assert ["cannot resume: ana is level1"] == [p.reason for p in engine.status("ana").problems]
