"""Requirement kinds: the leaf API plugins implement, and kinds written for facilitrack 0.1."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, ClassVar, Literal

import pytest
from facilitrack import Attended, Engine, ProgramRegistry, load_plugins, parse_program
from facilitrack.plugin import Context, Measure, Requirement, RequirementKinds
from facilitrack.testing import conformance
from pydantic import Field

START = date(2026, 1, 5)


class LegacyRounds(Requirement):
    """A kind written against facilitrack 0.1: it reads `state.counts` in `have(state)`."""

    kind: Literal["legacy_rounds"] = "legacy_rounds"
    per_round: int = Field(gt=0)
    credited_by: ClassVar[str | None] = "attended"

    def have(self, state: Any) -> int:
        return int(state.counts.get(self.key, 0) // self.per_round)


def _program(kinds: RequirementKinds, leaf: dict[str, Any]) -> Any:
    return parse_program(
        {"key": "legacy", "name": "Legacy", "version": "1.0", "organisation": "Tests",
         "stages": [{"key": "only", "title": "Only", "source": "test", "requirements": [leaf]}]},
        origin="tests", kinds=kinds,
    )


def test_a_kind_written_for_0_1_still_counts_and_is_warned_about() -> None:
    """A `have(state)` kind keeps working, with a DeprecationWarning naming the replacement."""
    kinds = RequirementKinds()
    replacement = r"implement tally\(acc, credit\) and measure\(acc, context\)"
    with pytest.warns(DeprecationWarning, match=replacement):
        kinds.register(LegacyRounds)
    program = _program(kinds, {"kind": "legacy_rounds", "key": "session", "count": 2, "per_round": 3,
                               "source": "test"})
    registry = ProgramRegistry(kinds)
    registry.add(program, source="tests")
    engine = Engine(registry, hooks=load_plugins(entry_points_group=None).hooks)
    engine.enrol("ana", "legacy", on=START, credential="licensed")
    engine.record(Attended(trainee="ana", on=START + timedelta(days=1), activity="session", occurrence=n)
                  if n > 1 else Attended(trainee="ana", on=START + timedelta(days=1), activity="session")
                  for n in range(1, 6))
    assert [("session", 1, 2)] == [(m.requirement, m.have, m.need) for m in engine.status("ana").missing]
    engine.record(Attended(trainee="ana", on=START + timedelta(days=2), activity="session"))
    assert engine.status("ana").certified


class Deadline(Requirement):
    """A broken kind: met only when measured after 2025, so a fold of 2024's events never sees
    it met while a status measured today does."""

    kind: Literal["deadline"] = "deadline"
    credited_by: ClassVar[str | None] = "attended"

    def measure(self, acc: Any, context: Context) -> Measure:
        return Measure(acc, self.count, acc >= self.count and context.on.year >= 2025)


def test_the_conformance_check_catches_a_kind_that_leaves_a_trainee_stuck_with_nothing_missing() -> None:
    """A trainee the engine keeps in a stage while `missing` says nothing is missing is a finding."""
    kinds = RequirementKinds()
    kinds.register(Deadline)
    program = parse_program(
        {"key": "stuck", "name": "Stuck", "version": "1.0", "organisation": "Tests",
         "stages": [
             {"key": "one", "title": "One", "source": "test",
              "requirements": [{"kind": "deadline", "key": "session", "count": 1, "source": "test"}]},
             {"key": "two", "title": "Two", "source": "test",
              "requirements": [{"kind": "attendance", "key": "end", "source": "test"}]},
         ]},
        origin="tests", kinds=kinds,
    )
    messages = [f.message for f in conformance(program)]
    assert any("nothing missing" in m for m in messages), messages


def test_the_default_synthetic_events_give_exactly_have_of_a_leaf() -> None:
    """Attendances of the key, one a unit; artifacts of the key at the leaf's status, each its own
    ref; nothing for a leaf no event credits; a kind credited another way must say how."""
    from facilitrack._model.leaves import Artifact, Attendance, CredentialRule

    sessions = Attendance(kind="attendance", key="day", count=3)
    assert [("attended", "ana", START, "day")] * 2 == [
        (e.kind, e.trainee, e.on, e.activity) for e in sessions.synthetic_events("ana", START, 2)]
    papers = Artifact(kind="artifact", key="paper", count=2, status="approved")
    made = papers.synthetic_events("ana", START, 2)
    assert [("artifact", "ana", START, "paper", "approved")] * 2 == [
        (e.kind, e.trainee, e.on, e.artifact, e.status) for e in made]
    assert 2 == len({e.ref for e in made})
    assert [] == CredentialRule(kind="credential", allowed=["licensed"]).synthetic_events("ana", START, 1)

    class Paper(Requirement):  # an artifact kind without a status: submitted is enough
        kind: Literal["paper"] = "paper"
        credited_by: ClassVar[str | None] = "artifact"

    assert ["submitted"] == [e.status for e in Paper(kind="paper", key="p").synthetic_events("ana", START, 1)]

    class Odd(Requirement):
        kind: Literal["odd"] = "odd"
        credited_by: ClassVar[str | None] = "absent"

    with pytest.raises(NotImplementedError, match="requirement kind 'odd' is credited by 'absent' events"):
        Odd(kind="odd", key="x").synthetic_events("ana", START, 1)


def test_a_0_1_kind_reads_its_counts_and_the_enrolment_from_the_state_it_is_given() -> None:
    """The 0.1 state: the leaf's own count under its key (`counts` for attendances, `artifacts` for
    artifacts) and the enrolment's credential, co-leader, trainer, track, day and trainee."""
    from facilitrack import Enrolled
    from facilitrack._model.leaves import Artifact, Attendance
    from facilitrack._model.requirements import LegacyView

    enrolled = Enrolled(trainee="ana", on=START, program="p", version="1", credential="other",
                        co_leader="noa", trainer="dr-lee", track="infant")
    view = LegacyView(Attendance(kind="attendance", key="day", count=1), 4, enrolled)
    assert ({"day": 4}, {}) == (view.counts, view.artifacts)
    assert ("other", "noa", "dr-lee", "infant", START, "ana") == (
        view.credential, view.co_leader, view.trainer, view.track, view.enrolled_on, view.trainee)
    view = LegacyView(Artifact(kind="artifact", key="paper", count=1), {"r": 2}, enrolled)
    assert ({}, {"paper": {"r": 2}}) == (view.counts, view.artifacts)


class Visits(Requirement):
    """A kind that overrides nothing: one credit a session of its key, met at `count`."""

    kind: Literal["visits"] = "visits"
    credited_by: ClassVar[str | None] = "attended"


def test_a_kind_overriding_nothing_counts_one_a_session_and_is_met_at_count() -> None:
    kinds = RequirementKinds()
    kinds.register(Visits)
    registry = ProgramRegistry(kinds)
    registry.add(_program(kinds, {"kind": "visits", "key": "visit", "count": 2}), source="t")
    engine = Engine(registry, hooks=load_plugins(entry_points_group=None).hooks)
    engine.enrol("ana", "legacy", on=START, credential="licensed")
    engine.record(Attended(trainee="ana", on=START + timedelta(days=1), activity="visit"))
    assert [("visit", 1, 2)] == [(m.requirement, m.have, m.need) for m in engine.status("ana").missing]
    engine.record(Attended(trainee="ana", on=START + timedelta(days=2), activity="visit"))
    assert engine.status("ana").certified
