"""The pathway machine: what may happen from each state of an enrolment (docs/semantics.md,
"Completing stages and certificates")."""

from __future__ import annotations

from types import SimpleNamespace

from facilitrack import Engine, Program, Resumed
from facilitrack._engine.machine import PathwayMachine, held

from tests.core.engine.conftest import D, enrol


def test_resume_when_not_on_hold_is_a_problem(engine: Engine) -> None:
    """An impossible transition is kept and reported, not silently applied."""
    enrol(engine)
    engine.record(Resumed(trainee="ana", on=D("2026-01-08")))
    assert ["cannot resume: ana is level1"] == [p.reason for p in engine.status("ana").problems]


def _machine(program: Program, met: bool) -> PathwayMachine:
    """The demo pathway's machine, its current stage met (or not), its callbacks doing nothing."""
    return PathwayMachine(program, lambda _: met, lambda _: None, lambda _: False, lambda _: None)


def test_a_met_stage_advances_to_the_next_and_the_last_one_to_certified(demo_program: Program) -> None:
    """A stage is left only when it is met, for the next one; after the last stage, certified."""
    enrolment = SimpleNamespace(state="level1")
    unmet = _machine(demo_program, met=False)
    assert (False, "level1") == (unmet.fire("advance", enrolment), enrolment.state)

    visited = [enrolment.state]
    while _machine(demo_program, met=True).fire("advance", enrolment):
        visited.append(enrolment.state)

    assert ["level1", "demonstration", "trainee_led", "certified"] == visited


def test_a_hold_resumes_to_its_stage_and_only_a_certified_enrolment_cannot_be_withdrawn(
    demo_program: Program,
) -> None:
    """Resuming returns to the held stage; withdrawal ends any stage, held or not, but not certification."""
    machine = _machine(demo_program, met=False)
    stages = ["level1", "demonstration", "trainee_led"]
    enrolment = SimpleNamespace(state=held("demonstration"))

    assert (True, "demonstration") == (machine.fire("resume", enrolment), enrolment.state)
    assert [True] * 6 == [machine.can("withdraw", s) for s in (*stages, *map(held, stages))]
    assert [False] * 3 == [machine.can("resume", s) for s in stages]
    assert (False, False) == (machine.can("withdraw", "certified"), machine.can("hold", "certified"))
