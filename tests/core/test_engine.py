"""The engine: stages complete exactly when their requirements are met, and everything else."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from facilitrack import (
    ArtifactRecorded,
    Attended,
    Engine,
    Enrolled,
    Held,
    InvalidEventError,
    MemoryJournal,
    Program,
    ProgramRegistry,
    Resumed,
    UnknownKeyError,
    VersionNotInstalledError,
    Voided,
    Waived,
    Withdrawn,
    hookimpl,
    load_plugins,
)

D = date.fromisoformat


def enrol(engine: Engine, trainee: str = "ana", **kw: Any) -> None:
    kw.setdefault("credential", "licensed")
    kw.setdefault("trainer", "dr-miller")
    engine.enrol(trainee, "demo", on=kw.pop("on", D("2026-01-05")), **kw)


def attend(engine: Engine, activity: str, *days: str, trainee: str = "ana") -> None:
    engine.record(Attended(trainee=trainee, on=D(d), activity=activity) for d in days)


def artifact(engine: Engine, key: str, on: str, status: str = "presented", **kw: Any) -> None:
    engine.record(ArtifactRecorded(trainee=kw.pop("trainee", "ana"), on=D(on), artifact=key,
                                   status=status, **kw))  # type: ignore[arg-type]


def finish_level1(engine: Engine, trainee: str = "ana") -> None:
    attend(engine, "workshop_day", "2026-01-10", "2026-01-11", trainee=trainee)


def test_meeting_exactly_the_requirements_advances(engine: Engine) -> None:
    """Two workshop days complete level 1, issuing its certificate dated by the second."""
    enrol(engine)
    finish_level1(engine)
    status = engine.status("ana")
    assert "demonstration" == status.stage
    assert [("level1", D("2026-01-11"))] == [(c.stage, c.on) for c in status.certificates]


def test_one_short_does_not_advance_and_missing_says_so(engine: Engine) -> None:
    """One workshop day short: still in level 1, missing names it with have and need."""
    enrol(engine)
    attend(engine, "workshop_day", "2026-01-10")
    status = engine.status("ana")
    assert "level1" == status.stage
    assert [("workshop_day", 1, 2)] == [(m.requirement, m.have, m.need) for m in status.missing]


def test_full_pathway_certifies(engine: Engine) -> None:
    """Meeting every stage's requirements in turn ends certified with both certificates."""
    enrol(engine)
    finish_level1(engine)
    attend(engine, "demo_session", "2026-02-01", "2026-02-08", "2026-02-15")
    artifact(engine, "process_recording", "2026-02-20", ref="pr-1")
    attend(engine, "group_session", "2026-03-01", "2026-03-08")
    artifact(engine, "process_recording", "2026-03-10", ref="pr-2")
    artifact(engine, "process_recording", "2026-03-11", ref="pr-3")
    artifact(engine, "videotape", "2026-03-12", status="approved")
    status = engine.status("ana")
    assert status.certified
    assert ["level1", "trainee_led"] == [c.stage for c in status.certificates]
    assert D("2026-03-12") == status.certificates[-1].on


def test_artifact_status_must_be_reached(engine: Engine) -> None:
    """A submitted recording does not meet a 'presented' requirement; presenting it does."""
    enrol(engine)
    finish_level1(engine)
    attend(engine, "demo_session", "2026-02-01", "2026-02-08", "2026-02-15")
    artifact(engine, "process_recording", "2026-02-18", status="submitted", ref="pr-1")
    assert "demonstration" == engine.status("ana").stage
    artifact(engine, "process_recording", "2026-02-20", status="presented", ref="pr-1")
    assert "trainee_led" == engine.status("ana").stage


def test_same_ref_is_one_artifact(engine: Engine) -> None:
    """Two statuses of one referenced artifact count once toward a count of two."""
    enrol(engine)
    finish_level1(engine)
    attend(engine, "demo_session", "2026-02-01", "2026-02-08", "2026-02-15")
    artifact(engine, "process_recording", "2026-02-20", ref="pr-1")
    artifact(engine, "process_recording", "2026-03-10", ref="pr-2", status="submitted")
    artifact(engine, "process_recording", "2026-03-11", ref="pr-2")
    missing = {m.requirement: m.have for m in engine.status("ana").missing}
    assert 1 == missing["process_recording"]


def test_credential_rule_needs_co_leader(engine: Engine) -> None:
    """A non-mental-health trainee is held at level 1 until a co-leader is named."""
    enrol(engine, "eli", credential="other")
    finish_level1(engine, "eli")
    status = engine.status("eli")
    assert "level1" == status.stage
    assert ["credential"] == [m.requirement for m in status.missing]
    enrol(engine, "noa", credential="other", co_leader="ana")
    finish_level1(engine, "noa")
    assert "demonstration" == engine.status("noa").stage


def test_pairing_needs_a_trainer(engine: Engine) -> None:
    """Without a certified trainer the demonstration stage cannot complete."""
    enrol(engine, trainer=None)
    finish_level1(engine)
    attend(engine, "demo_session", "2026-02-01", "2026-02-08", "2026-02-15")
    artifact(engine, "process_recording", "2026-02-20")
    missing = engine.status("ana").missing
    assert [("certified_trainer", 0, 1)] == [(m.requirement, m.have, m.need) for m in missing]


def test_event_for_unreached_stage_is_kept_not_credited(engine: Engine) -> None:
    """A session dated before its stage opens is a problem, and never counts later."""
    enrol(engine)
    attend(engine, "demo_session", "2026-01-08")
    finish_level1(engine)
    status = engine.status("ana")
    assert 1 == len(status.problems)
    assert "not reached" in status.problems[0].reason
    assert 0 == {m.requirement: m.have for m in status.missing}["demo_session"]
    kept = [e.activity for e in engine.journal.events() if isinstance(e, Attended)]
    assert ["demo_session", "workshop_day", "workshop_day"] == kept


def test_on_hold_credits_nothing_until_resumed(engine: Engine) -> None:
    """Sessions while on hold are problems; after resuming they count again."""
    enrol(engine)
    engine.record(Held(trainee="ana", on=D("2026-01-08"), reason="leave"))
    attend(engine, "workshop_day", "2026-01-10")
    assert "on_hold" == engine.status("ana").stage
    engine.record(Resumed(trainee="ana", on=D("2026-01-20")))
    attend(engine, "workshop_day", "2026-01-21", "2026-01-22")
    status = engine.status("ana")
    assert "demonstration" == status.stage
    assert ["on hold"] == [p.reason.split(" was ")[1][:7] for p in status.problems]


def test_resume_when_not_on_hold_is_a_problem(engine: Engine) -> None:
    """An impossible transition is kept and reported, not silently applied."""
    enrol(engine)
    engine.record(Resumed(trainee="ana", on=D("2026-01-08")))
    assert ["cannot resume: ana is level1"] == [p.reason for p in engine.status("ana").problems]


def test_withdrawal_is_final_until_reenrolment(engine: Engine) -> None:
    """After withdrawing nothing counts; a new enrolment starts again at the first stage."""
    enrol(engine)
    finish_level1(engine)
    engine.record(Withdrawn(trainee="ana", on=D("2026-01-15")))
    attend(engine, "demo_session", "2026-01-20")
    assert "withdrawn" == engine.status("ana").stage
    engine.record(Enrolled(trainee="ana", on=D("2026-06-01"), program="demo", credential="licensed"))
    status = engine.status("ana")
    assert "level1" == status.stage
    assert [] == status.certificates  # the new enrolment inherits no completion...
    first, again = engine.statuses()
    # ...the earned one stays, with the withdrawn enrolment
    assert ("withdrawn", ["level1"]) == (first.stage, [c.stage for c in first.certificates])
    assert again == status


def test_waiver_completes_a_waivable_requirement(engine: Engine) -> None:
    """A waived requirement counts as met, and the waiver is shown."""
    enrol(engine)
    finish_level1(engine)
    attend(engine, "demo_session", "2026-02-01", "2026-02-08", "2026-02-15")
    engine.record(Waived(trainee="ana", on=D("2026-02-16"), requirement="process_recording",
                         reason="recording lost in flood", approver="dr-miller"))
    assert "trainee_led" == engine.status("ana").stage


def test_waiving_a_non_waivable_requirement_is_refused(engine: Engine) -> None:
    """Only requirements marked waivable can be waived; nothing is recorded otherwise."""
    enrol(engine)
    with pytest.raises(InvalidEventError, match="does not allow waiving"):
        engine.record(Waived(trainee="ana", on=D("2026-01-06"), requirement="workshop_day",
                             reason="x", approver="y"))
    assert 1 == engine.journal.version


def test_voiding_revokes_credit_and_certificate(engine: Engine) -> None:
    """Voiding a workshop day undoes level 1's completion — as of any day, since the voided day
    never happened — and the certificate it had issued is listed as revoked."""
    enrol(engine)
    finish_level1(engine)
    day = next(e for e in engine.journal.events() if isinstance(e, Attended))
    engine.record(Voided(trainee="ana", on=D("2026-02-01"), target=day.id, reason="wrong trainee"))
    assert "level1" == engine.status("ana").stage
    [revoked] = engine.status("ana").certificates
    assert ("level1", "revoked", D("2026-02-01")) == (revoked.stage, revoked.status, revoked.revoked_on)
    assert "level1" == engine.status("ana", as_of=D("2026-01-31")).stage


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


def test_as_of_answers_for_past_dates(engine: Engine) -> None:
    """Status as of a date counts only events up to that date."""
    enrol(engine)
    finish_level1(engine)
    assert "level1" == engine.status("ana", as_of=D("2026-01-10")).stage
    assert "demonstration" == engine.status("ana", as_of=D("2026-01-11")).stage
    assert "not_enrolled" == engine.status("ana", as_of=D("2026-01-01")).stage


def test_explain_lists_dates_that_counted(engine: Engine) -> None:
    """Explain shows each requirement of the current stage with the dates credited."""
    enrol(engine)
    finish_level1(engine)
    attend(engine, "demo_session", "2026-02-01", "2026-02-08")
    explanation = engine.explain("ana")
    by_key = {r.requirement: r for r in explanation.requirements}
    assert [D("2026-02-01"), D("2026-02-08")] == by_key["demo_session"].dates
    assert "trainee_led" == explanation.next_stage
    text = explanation.text()
    assert "[missing]  2/3  demo_session" in text
    assert "counted: 2026-02-01, 2026-02-08" in text


def test_recording_twice_is_a_no_op(engine: Engine) -> None:
    """Re-recording an event (same id, same content) changes nothing."""
    enrol(engine)
    event = Attended(trainee="ana", on=D("2026-01-10"), activity="workshop_day")
    assert [event] == engine.record(event)
    assert [] == engine.record(event)
    assert 2 == engine.journal.version
    assert 1 == engine.status("ana").missing[0].have


def test_reused_id_with_other_content_is_refused(engine: Engine) -> None:
    """The same id with other content names both versions and stores nothing."""
    enrol(engine)
    engine.record(Attended(id="x1", trainee="ana", on=D("2026-01-10"), activity="workshop_day"))
    with pytest.raises(InvalidEventError, match="already recorded with other content"):
        engine.record(Attended(id="x1", trainee="ana", on=D("2026-01-11"), activity="workshop_day"))


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


def test_enrolment_pins_the_version(demo_program: Program) -> None:
    """A newer definition does not change what an in-flight trainee must do."""
    registry = ProgramRegistry()
    registry.add(demo_program, source="p")
    hooks = load_plugins(entry_points_group=None).hooks
    engine = Engine(registry, hooks=hooks)
    enrol(engine)
    stages = list(demo_program.stages)
    harder = stages[0].model_copy(update={"requirements": (
        stages[0].requirements[0],
        stages[0].requirements[1].model_copy(update={"count": 3}),
    )})
    registry.add(demo_program.model_copy(update={"version": "2.0", "stages": (harder, *stages[1:])}),
                 source="p")
    enrol(engine, "noa")
    finish_level1(engine)
    finish_level1(engine, "noa")
    assert ("1.0", "demonstration") == (engine.status("ana").version, engine.status("ana").stage)
    assert ("2.0", "level1") == (engine.status("noa").version, engine.status("noa").stage)


def test_replaying_a_version_no_longer_installed_fails(demo_program: Program) -> None:
    """A journal pinning an uninstalled version fails with an error naming it."""
    journal = MemoryJournal()
    journal.append([Enrolled(trainee="ana", on=D("2026-01-05"), program="demo", version="0.9",
                             credential="licensed")])
    registry = ProgramRegistry()
    registry.add(demo_program, source="p")
    with pytest.raises(VersionNotInstalledError, match=r"demo@0\.9"):
        Engine(registry, journal, hooks=load_plugins(entry_points_group=None).hooks)


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


# -- found by trying the engine from outside ---------------------------------------------------


class _Counting:
    """A plugin that validates every event (accepting all) and counts the calls."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    @hookimpl
    def facilitrack_validate_event(self, event: Any) -> str | None:
        self.seen.append(event.id)
        return None


def _hooked(demo_program: Program, plugin: object) -> Engine:
    registry = ProgramRegistry()
    registry.add(demo_program, source="p")
    return Engine(registry, hooks=load_plugins([plugin], entry_points_group=None).hooks)


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


def test_a_waiver_recorded_while_on_hold_applies_on_resuming(engine: Engine) -> None:
    """The waived requirement stays waived while held, and resuming completes the stage (before,
    the trainee stayed stuck with nothing missing)."""
    enrol(engine)
    finish_level1(engine)
    attend(engine, "demo_session", "2026-02-01", "2026-02-08", "2026-02-15")
    engine.record(Held(trainee="ana", on=D("2026-02-16")))
    engine.record(Waived(trainee="ana", on=D("2026-02-17"), requirement="process_recording",
                         reason="recording lost", approver="dr-miller"))
    assert "on_hold" == engine.status("ana").stage
    engine.record(Resumed(trainee="ana", on=D("2026-03-01")))
    assert "trainee_led" == engine.status("ana").stage


def test_the_completing_event_of_a_same_day_tie_does_not_depend_on_arrival(demo_program: Program) -> None:
    """Two workshop days recorded for one date, in either order: the same event completes level 1."""
    first = Attended(trainee="ana", on=D("2026-01-10"), activity="workshop_day", id="a")
    second = Attended(trainee="ana", on=D("2026-01-10"), activity="workshop_day", id="b")
    completing = set()
    for order in ([first, second], [second, first]):
        registry = ProgramRegistry()
        registry.add(demo_program, source="p")
        engine = Engine(registry, hooks=load_plugins(entry_points_group=None).hooks)
        enrol(engine)
        for event in order:
            engine.record(event)
        completing.add(engine.status("ana").certificates[0].event)
    assert {"b"} == completing


def test_voiding_an_enrolment_is_allowed_and_undoes_it(engine: Engine) -> None:
    """One rule for engine and cohort files: an enrolment may be voided; the person is then as if
    never enrolled, and their sessions are kept as problems."""
    enrol(engine)
    finish_level1(engine)
    enrolment = next(e for e in engine.journal.events() if isinstance(e, Enrolled))
    engine.record(Voided(trainee="ana", on=D("2026-01-20"), target=enrolment.id, reason="wrong program"))
    status = engine.status("ana")
    assert ("not_enrolled", 2) == (status.stage, len(status.problems))


def test_as_of_counts_no_voided_event_whatever_the_voids_date(engine: Engine) -> None:
    """As of a day before a void was dated, the voided session still never happened."""
    enrol(engine)
    finish_level1(engine)
    day = next(e for e in engine.journal.events() if isinstance(e, Attended))
    engine.record(Voided(trainee="ana", on=D("2026-06-01"), target=day.id, reason="wrong trainee"))
    assert "level1" == engine.status("ana", as_of=D("2026-03-01")).stage


def _clocked(demo_program: Program) -> Engine:
    """An engine whose journal records each append one hour after the one before."""
    hours = iter(range(100))
    registry = ProgramRegistry()
    registry.add(demo_program, source="tests")
    journal = MemoryJournal(clock=lambda: datetime(2026, 3, 1, tzinfo=UTC) + timedelta(hours=next(hours)))
    return Engine(registry, journal)


def test_known_at_answers_as_the_journal_stood_at_a_time(demo_program: Program) -> None:
    """known_at keeps the events recorded by then (a naive time is UTC), voids included: the
    void recorded later is not yet known, so the voided day still counts."""
    engine = _clocked(demo_program)
    enrol(engine)  # recorded 00:00
    finish_level1(engine)  # 01:00
    day = next(e for e in engine.journal.events() if isinstance(e, Attended))
    engine.record(Voided(trainee="ana", on=D("2026-01-12"), target=day.id, reason="wrong day"))  # 02:00
    enrol(engine, "noa")  # 03:00

    before_void = datetime(2026, 3, 1, 1, 30, tzinfo=UTC)
    assert "demonstration" == engine.status("ana", known_at=before_void).stage
    assert "level1" == engine.status("ana").stage
    assert engine.status("ana", known_at=before_void) == engine.status(
        "ana", known_at=datetime(2026, 3, 1, 1, 30)).model_copy(update={"known_at": before_void})
    assert ["ana"] == [s.id for s in engine.statuses(known_at=before_void)]
    assert ["ana", "noa"] == [s.id for s in engine.statuses(known_at=datetime(2026, 3, 1, 3, tzinfo=UTC))]
    assert "not_enrolled" == engine.status("ana", known_at=datetime(2026, 2, 28, tzinfo=UTC)).stage


def test_known_at_and_as_of_are_two_axes(demo_program: Program) -> None:
    """as_of bounds the day work happened; known_at when it was recorded: a session recorded late
    counts as of its day only once it is known."""
    engine = _clocked(demo_program)
    enrol(engine)  # 00:00
    attend(engine, "workshop_day", "2026-01-10")  # 01:00
    attend(engine, "workshop_day", "2026-01-11")  # 02:00, recorded late

    assert "demonstration" == engine.status("ana", as_of=D("2026-01-11")).stage
    known = datetime(2026, 3, 1, 1, tzinfo=UTC)
    assert "level1" == engine.status("ana", as_of=D("2026-01-11"), known_at=known).stage
    explained = engine.explain("ana", as_of=D("2026-01-11"), known_at=known)
    assert ("workshop_day", 1, 2) == next(
        (r.requirement, r.have, r.need) for r in explained.requirements if r.requirement == "workshop_day")
