"""Where the engine once disagreed with docs/semantics.md: each a small journal, the expected
value taken from the definition (fixed since; kept so that the disagreement cannot return)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from facilitrack import (
    Absent,
    Attended,
    Engine,
    Enrolled,
    Held,
    PersonRecorded,
    Program,
    ProgramRegistry,
    Resumed,
    SQLiteJournal,
    TraineeStatus,
    Voided,
    Waived,
    Withdrawn,
    load_plugins,
    parse_program,
)

from .harness import engine_for

D = date(2026, 1, 1)
VOCABULARY = {
    "credentials": [{"key": "licensed", "roles": ["mental_health"]}, {"key": "other"}],
    "roles": [{"key": "mental_health"}, {"key": "certified_trainer", "by_certification": True}],
}


def program(*stages: dict[str, Any]) -> Program:
    """A program `pa` of these stages, with the test vocabulary."""
    return parse_program({"key": "pa", "name": "PA", "version": "1.0", "organisation": "Oracle tests",
                          "vocabulary": VOCABULARY, "stages": list(stages)}, origin="tests/oracle")


def stage(key: str, *requirements: dict[str, Any],
          certificate: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"key": key, "title": key, "requirements": list(requirements)}
    if certificate is not None:
        out["certificate"] = certificate
    return out


def attendance(key: str, count: int = 1, **extra: Any) -> dict[str, Any]:
    return {"kind": "attendance", "key": key, "count": count, **extra}


def status(engine: Engine, person: str, enrolled_on: date = D) -> TraineeStatus:
    """The status of `person`'s enrolment begun on `enrolled_on`."""
    return next(s for s in engine.statuses(today=D) if s.id == person and s.enrolled_on == enrolled_on)


def day(n: int) -> date:
    return date(2026, 1, n)


def test_duplicate_enrolment_is_a_problem_of_its_program() -> None:
    """A second enrolment in pb is reported on the pb enrolment (rule 1: an event naming a program
    belongs to the latest enrolment in it), not on an earlier enrolment in pa."""
    pa = program(stage("st1", attendance("s1")))
    pb = pa.model_copy(update={"key": "pb"})
    engine = engine_for([pa, pb])
    engine.record([
        Enrolled(id="en-pa", trainee="ana", on=day(1), program="pa", credential="licensed"),
        Enrolled(id="en-pb", trainee="ana", on=day(2), program="pb", credential="licensed"),
        Enrolled(id="en-pb-again", trainee="ana", on=day(3), program="pb", credential="licensed"),
    ])
    problems = {s.program: [p.event for p in s.problems] for s in engine.statuses(today=D)}
    assert {"pa": [], "pb": ["en-pb-again"]} == problems


def test_void_of_trainers_role_revokes_certificate() -> None:
    """Voiding the details that made the paired trainer a certified trainer takes back the stage's
    completion: its certificate is listed as revoked, dated by the void."""
    pa = program(
        stage("st1", {"kind": "pairing", "role": "certified_trainer"}, attendance("s1"),
              certificate={"title": "Level 1"}),
        stage("st2", attendance("s2")),
    )
    engine = engine_for([pa])
    engine.record([
        PersonRecorded(id="tr-role", trainee="tr", on=day(1), roles=("certified_trainer",)),
        Enrolled(id="en", trainee="ana", on=day(1), program="pa", credential="licensed", trainer="tr"),
        Attended(id="a1", trainee="ana", on=day(5), activity="s1"),
    ])
    assert "st2" == status(engine, "ana").stage
    engine.record(Voided(id="v", trainee="tr", on=date(2026, 2, 1), target="tr-role", reason="not a trainer"))
    certificates = [(c.stage, c.on, c.status, c.revoked_on) for c in status(engine, "ana").certificates]
    assert [("st1", day(5), "revoked", date(2026, 2, 1))] == certificates


def test_void_of_renewal_revokes_renewed_period() -> None:
    """A renewed certificate period whose renewal is voided was held just before the void and is
    not held now: it is listed as revoked, and the first period is no longer `renewed`."""
    pa = program(stage("st1", attendance("s1"), certificate={
        "title": "Facilitator", "valid_for": {"months": 6}, "renewal": [attendance("ce")]}))
    engine = engine_for([pa])
    engine.record([
        Enrolled(id="en", trainee="ana", on=day(1), program="pa", credential="licensed"),
        Attended(id="a1", trainee="ana", on=day(5), activity="s1"),
        Attended(id="ce1", trainee="ana", on=date(2026, 3, 1), activity="ce"),
    ])
    renewed = [(c.on, c.status) for c in status(engine, "ana").certificates]
    assert [(day(5), "renewed"), (date(2026, 7, 5), "valid")] == renewed
    engine.record(Voided(id="v", trainee="ana", on=date(2026, 3, 2), target="ce1", reason="wrong course"))
    certificates = [(c.on, c.expires, c.status, c.revoked_on) for c in status(engine, "ana").certificates]
    assert [
        (day(5), date(2026, 7, 5), "valid", None),
        (date(2026, 7, 5), date(2027, 1, 5), "revoked", date(2026, 3, 2)),
    ] == certificates


def test_own_role_recorded_after_stage_opened() -> None:
    """A status never shows a stage whose requirements are all done: either the role counts and the
    stage completed, or it does not and the role is listed as missing."""
    pa = program(stage("st1", {"kind": "role", "role": "certified_trainer"}), stage("st2", attendance("s2")))
    engine = engine_for([pa])
    engine.record([
        Enrolled(id="en", trainee="ana", on=day(1), program="pa", credential="other"),
        PersonRecorded(id="details", trainee="ana", on=date(2026, 2, 1), roles=("certified_trainer",)),
    ])
    ana = status(engine, "ana")
    assert ana.stage == "st2" or ["certified_trainer"] == [m.requirement for m in ana.missing]


def test_waiver_while_held_is_applied_and_completes_on_resumption() -> None:
    """A waiver recorded while on hold is applied at once (shown waived); the stage completes
    only when the enrolment resumes."""
    pa = program(stage("st1", attendance("s1", 2, waivable=True), attendance("s2")))
    engine = engine_for([pa])
    engine.record([
        Enrolled(id="en", trainee="ana", on=day(1), program="pa", credential="licensed"),
        Held(id="h", trainee="ana", on=day(5)),
        Waived(id="w", trainee="ana", on=day(8), requirement="s1", reason="prior course", approver="lead"),
    ])
    held = status(engine, "ana")
    assert ("on_hold", ["s2"]) == (held.stage, [m.requirement for m in held.missing])
    engine.record(Attended(id="s2", trainee="ana", on=day(9), activity="s2"))  # held: not credited
    engine.record(Resumed(id="r", trainee="ana", on=day(10)),
                  Attended(id="s2b", trainee="ana", on=day(11), activity="s2"))
    assert "certified" == status(engine, "ana").stage


def test_same_day_waivers_fold_in_stage_order() -> None:
    """Two waivers on one day fold by the first stage that has their requirement: stage 1's waiver
    completes stage 1, then stage 2's applies to stage 2 — whatever their ids."""
    pa = program(stage("st1", attendance("a", waivable=True)),
                 stage("st2", attendance("b", waivable=True), attendance("c")))
    engine = engine_for([pa])
    engine.record([
        Enrolled(id="en", trainee="ana", on=day(1), program="pa", credential="licensed"),
        Waived(id="w2", trainee="ana", on=day(5), requirement="a", reason="prior course", approver="lead"),
        Waived(id="w1", trainee="ana", on=day(5), requirement="b", reason="prior course", approver="lead"),
    ])
    ana = status(engine, "ana")
    assert ("st2", ["c"], []) == (ana.stage, [m.requirement for m in ana.missing], ana.problems)


def test_known_at_applies_only_events_recorded_by_then(tmp_path: Path, demo_program: Program) -> None:
    """As known at a time before anything was recorded, nobody is enrolled."""
    registry = ProgramRegistry()
    registry.add(demo_program, source="tests")
    with SQLiteJournal(tmp_path / "store.db") as journal:
        engine = Engine(registry, journal, hooks=load_plugins(entry_points_group=None).hooks)
        engine.record([
            Enrolled(trainee="ana", on=day(5), program="demo", credential="licensed"),
            Attended(trainee="ana", on=day(10), activity="workshop_day"),
            Attended(trainee="ana", on=day(11), activity="workshop_day"),
        ])
        before = datetime(2000, 1, 1, tzinfo=UTC)
        assert "demonstration" == engine.status("ana").stage
        assert "not_enrolled" == engine.status("ana", known_at=before).stage


def test_revocation_reads_other_people_as_known_before_the_void() -> None:
    """A certificate that was not held in the journal as known at any time is never listed as
    revoked: before the void, the trainer was not yet certified, so stage 2 was not complete."""
    pa = program(
        stage("st1", attendance("s1"), certificate={"title": "Level 1"}),
        stage("st2", {"kind": "pairing", "role": "certified_trainer"}, certificate={"title": "Level 2"}),
    )
    engine = engine_for([pa])
    engine.record([
        PersonRecorded(id="tr", trainee="tr", on=day(1), roles=("certified_trainer",)),
        Enrolled(id="en-bo", trainee="bo", on=day(1), program="pa", credential="licensed", trainer="tr"),
        Enrolled(id="en-ana", trainee="ana", on=day(1), program="pa", credential="licensed", trainer="bo"),
        Attended(id="ana-s1", trainee="ana", on=day(10), activity="s1"),
        Attended(id="ana-extra", trainee="ana", on=day(12), activity="s1"),
    ])
    assert "st2" == status(engine, "ana").stage  # bo is not certified: no certified trainer yet
    engine.record(Voided(id="v", trainee="ana", on=day(20), target="ana-extra", reason="duplicate"))
    engine.record(Withdrawn(id="gone", trainee="ana", on=day(9)))  # late: before anything counted
    engine.record(Attended(id="bo-s1", trainee="bo", on=day(5), activity="s1"))  # bo certified
    assert "certified" == status(engine, "bo").stage
    assert [] == [c for c in status(engine, "ana").certificates if c.stage == "st2"]


def test_missing_certificate_is_as_measured() -> None:
    """A certificate requirement is measured when its stage opens (and when a certificate is
    issued), not on the status's day: met at the stage's opening, it is not reported missing once
    the certificate expires — and indeed the stage completes without it."""
    pa = program(stage("st1", attendance("a"), certificate={"title": "PA", "valid_for": {"months": 1}}))
    pb = parse_program({"key": "pb", "name": "PB", "version": "1.0", "organisation": "Oracle tests",
                        "vocabulary": VOCABULARY, "stages": [
                            stage("st1", {"kind": "certificate", "program": "pa"}, attendance("s1")),
                            stage("st2", attendance("s2"))]}, origin="tests/oracle")
    engine = engine_for([pa, pb])
    engine.record([
        Enrolled(id="en-pa", trainee="ana", on=day(1), program="pa", credential="licensed"),
        Attended(id="a", trainee="ana", on=day(2), activity="a"),
        Enrolled(id="en-pb", trainee="ana", on=day(10), program="pb", credential="licensed"),
    ])
    later = date(2026, 3, 1)  # the pa certificate expired on 2026-02-02
    pb_status = next(s for s in engine.statuses(today=later) if s.program == "pb")
    engine.record(Attended(id="s1", trainee="ana", on=later, activity="s1"))
    assert "st2" == next(s for s in engine.statuses(today=later) if s.program == "pb").stage
    assert [("s1", 0)] == [(m.requirement, m.have) for m in pb_status.missing]


def test_an_absence_while_certified_is_kept_silently() -> None:
    """Crediting rule 4 comes first: an absence while the enrolment is in no stage (certified
    here, with a renewable certificate) is kept silently, as it is while on hold."""
    pa = program(stage("st1", attendance("s1")), stage("st2", attendance("s2"), certificate={
        "title": "Facilitator", "valid_for": {"months": 6}, "renewal": [attendance("ce")]}))
    engine = engine_for([pa])
    engine.record([
        Enrolled(id="en", trainee="ana", on=day(1), program="pa", credential="licensed"),
        Attended(id="s1", trainee="ana", on=day(2), activity="s1"),
        Attended(id="s2", trainee="ana", on=day(2), activity="s2"),
        Absent(id="absent", trainee="ana", on=day(3), activity="s1"),
    ])
    ana = status(engine, "ana")
    assert ("certified", []) == (ana.stage, [p.event for p in ana.problems])


def test_work_naming_a_program_before_its_enrolment_is_kept_and_reported() -> None:
    """Recording refuses only an unnamed event two open enrolments would count; work dated before
    the enrolment it names belongs to no enrolment and is kept and reported, as it is unnamed."""
    pa = program(stage("st1", attendance("s1")), stage("st2", attendance("s2")))
    engine = engine_for([pa])
    engine.record(Enrolled(id="en", trainee="ana", on=day(5), program="pa", credential="licensed"))
    engine.record(Attended(id="early", trainee="ana", on=day(2), activity="s1", program="pa"))
    assert ["early"] == [p.event for p in status(engine, "ana", day(5)).problems]


def test_a_stage_opened_early_measures_again_when_it_becomes_current() -> None:
    """A role the trainee gained after their stage opened early counts once that stage becomes
    current (what is read from the enrolment and not met yet is measured again then)."""
    st2 = stage("st2", {"kind": "role", "role": "certified_trainer"})
    pa = program(stage("st1", attendance("a"), attendance("b")), {**st2, "opens_when": "st1.a"})
    engine = engine_for([pa])
    engine.record([
        Enrolled(id="en", trainee="ana", on=day(1), program="pa", credential="other"),
        Attended(id="a", trainee="ana", on=day(2), activity="a"),
        PersonRecorded(id="details", trainee="ana", on=day(3), roles=("certified_trainer",)),
        Attended(id="b", trainee="ana", on=day(4), activity="b"),
    ])
    assert "certified" == status(engine, "ana", day(1)).stage


def test_a_stage_completed_without_a_certificate_measures_no_other_enrolment() -> None:
    """Only a certificate issued (or certification) measures the person's other enrolments
    again: completing a stage that issues none does not."""
    pa = program(stage("st1", attendance("a")), stage("st2", attendance("z")))
    pb = parse_program({"key": "pb", "name": "PB", "version": "1.0", "organisation": "Oracle tests",
                        "vocabulary": VOCABULARY,
                        "stages": [stage("st1", {"kind": "role", "role": "certified_trainer"})]},
                       origin="tests/oracle")
    engine = engine_for([pa, pb])
    engine.record([
        Enrolled(id="enb", trainee="ana", on=day(1), program="pb", credential="other"),
        Enrolled(id="ena", trainee="ana", on=day(1), program="pa", credential="other"),
        PersonRecorded(id="details", trainee="ana", on=day(2), roles=("certified_trainer",)),
        Attended(id="a", trainee="ana", on=day(3), activity="a", program="pa"),
    ])
    stuck = next(s for s in engine.statuses(today=D) if s.program == "pb")
    assert ("st1", ["certified_trainer"]) == (stuck.stage, [m.requirement for m in stuck.missing])
