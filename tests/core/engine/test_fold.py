"""The fold: stages complete exactly when their requirements are met; holds, withdrawals, waivers
and voids applied in order."""

from __future__ import annotations

import pytest
from facilitrack import (
    Attended,
    Engine,
    Enrolled,
    Held,
    Program,
    ProgramRegistry,
    Resumed,
    Voided,
    Waived,
    Withdrawn,
    load_plugins,
    parse_program,
)

from tests.core.engine.conftest import D, artifact, attend, enrol, finish_level1


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


@pytest.mark.parametrize("second_program", [False, True])
def test_the_completing_event_of_a_same_day_tie_does_not_depend_on_arrival(
    demo_program: Program, second_program: bool
) -> None:
    """Two workshop days recorded for one date, in either order: the same event completes level 1
    (also when the person is in a second program, so the fold orders across programs)."""
    first = Attended(trainee="ana", on=D("2026-01-10"), activity="workshop_day", id="a")
    second = Attended(trainee="ana", on=D("2026-01-10"), activity="workshop_day", id="b")
    completing = set()
    for order in ([first, second], [second, first]):
        engine = _same_day_engine(demo_program, second_program)
        for event in order:
            engine.record(event)
        completing.add(engine.status("ana", program="demo").certificates[0].event)
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


OTHER = parse_program({"key": "other", "name": "Other", "version": "1.0", "organisation": "Tests", "stages": [
    {"key": "only", "title": "Only", "requirements": [{"kind": "attendance", "key": "day", "count": 1}]}]},
    origin="tests")


def _same_day_engine(demo_program: Program, second_program: bool) -> Engine:
    """An engine on the demo program; with `second_program`, the trainee is also enrolled in a
    one-stage program (the fold then orders by every program the person is in)."""
    registry = ProgramRegistry()
    registry.add(demo_program, source="tests")
    registry.add(OTHER, source="tests")
    engine = Engine(registry, hooks=load_plugins(entry_points_group=None).hooks)
    enrol(engine)
    if second_program:
        engine.enrol("ana", "other", on=D("2026-01-06"), credential="licensed")
    return engine


SAME_DAY = D("2026-01-11")


@pytest.mark.parametrize("second_program", [False, True])
@pytest.mark.parametrize("later", [Held, Withdrawn])
def test_a_session_on_the_day_of_a_hold_or_withdrawal_still_counts(
    demo_program: Program, second_program: bool, later: type[Held | Withdrawn]
) -> None:
    """Holds and withdrawals sort after the day's work, whichever arrives first: the second
    workshop day completes level 1 on that day, then the enrolment is held or withdrawn."""
    for stop_first in (True, False):
        engine = _same_day_engine(demo_program, second_program)
        attend(engine, "workshop_day", "2026-01-10")
        # ids that would put the hold or withdrawal first, were the day ordered by id alone
        stop = later(id="a-stop", trainee="ana", on=SAME_DAY, program="demo")
        session = Attended(id="z-session", trainee="ana", on=SAME_DAY, activity="workshop_day")
        for event in ([stop, session] if stop_first else [session, stop]):
            engine.record(event)
        status = engine.status("ana", program="demo")
        expected = "on_hold" if later is Held else "withdrawn"
        assert (expected, [("level1", SAME_DAY)], []) == (
            status.stage, [(c.stage, c.on) for c in status.certificates], status.problems)


@pytest.mark.parametrize("second_program", [False, True])
def test_a_resumption_applies_before_the_same_days_work(demo_program: Program, second_program: bool) -> None:
    """A session on the day of a resumption counts, even recorded before the resumption."""
    engine = _same_day_engine(demo_program, second_program)
    engine.record(Held(trainee="ana", on=D("2026-01-08"), program="demo"))
    engine.record(Attended(trainee="ana", on=D("2026-01-10"), activity="workshop_day"))
    attend(engine, "workshop_day", "2026-01-20", "2026-01-21")
    engine.record(Resumed(id="z-resumed", trainee="ana", on=D("2026-01-20"), program="demo"))
    status = engine.status("ana", program="demo")
    assert ("demonstration", [("level1", D("2026-01-21"))]) == (
        status.stage, [(c.stage, c.on) for c in status.certificates])
    assert ["2026-01-10"] == [str(p.on) for p in status.problems]  # the one session while on hold


@pytest.mark.parametrize("second_program", [False, True])
def test_a_waiver_applies_before_the_same_days_work(demo_program: Program, second_program: bool) -> None:
    """A waiver sorts before the day's work: naming no stage, it is for the stage current before
    that work — so a waiver of a demonstration requirement on the day level 1 completes is refused."""
    engine = _same_day_engine(demo_program, second_program)
    attend(engine, "workshop_day", "2026-01-10", "2026-01-11")
    engine.record(Waived(id="z-waived", trainee="ana", on=SAME_DAY, requirement="process_recording",
                         reason="r", approver="dr-miller"))
    status = engine.status("ana", program="demo")
    assert "demonstration" == status.stage
    assert "process_recording" in [m.requirement for m in status.missing]
    assert [SAME_DAY] == [p.on for p in status.problems]


ALSO_DEMO = parse_program({"key": "also", "name": "Also", "version": "1.0", "organisation": "Tests",
                           "stages": [{"key": "only", "title": "Only",
     "requirements": [{"kind": "attendance", "key": "demo_session", "count": 9}]}]}, origin="tests")


def test_work_goes_to_its_own_enrolments_program_not_the_latest(demo_program: Program) -> None:
    """Enrolled in the demo program, then in another: a workshop day (only the demo program counts
    it) and a session naming the demo program go to the demo enrolment; a day of the other program
    to the other. The latest enrolment takes nothing it does not count."""
    engine = _same_day_engine(demo_program, second_program=True)
    finish_level1(engine)
    engine.record(Attended(trainee="ana", on=D("2026-01-12"), activity="day"))
    engine.record(Attended(trainee="ana", on=D("2026-01-13"), activity="demo_session", program="demo"))
    demo, other = (engine.status("ana", program=p) for p in ("demo", "other"))
    assert ("demonstration", 1, []) == (
        demo.stage, {m.requirement: m.have for m in demo.missing}["demo_session"], demo.problems)
    assert (True, []) == (other.certified, other.problems)


def test_a_day_orders_work_naming_a_program_by_that_programs_stage(demo_program: Program) -> None:
    """Another program counts demonstration sessions in its first stage; a session naming the demo
    program sorts by the demo program's stage (after the day's workshop day, which completes level 1
    and opens the demonstration stage), not by the other's, whatever the ids."""
    registry = ProgramRegistry()
    registry.add(demo_program, source="tests")
    registry.add(ALSO_DEMO, source="tests")
    engine = Engine(registry, hooks=load_plugins(entry_points_group=None).hooks)
    enrol(engine)
    engine.enrol("ana", "also", on=D("2026-01-06"), credential="licensed")
    attend(engine, "workshop_day", "2026-01-10")
    engine.record(Attended(id="a-session", trainee="ana", on=SAME_DAY, activity="demo_session",
                           program="demo"))
    engine.record(Attended(id="z-workshop", trainee="ana", on=SAME_DAY, activity="workshop_day"))
    demo = engine.status("ana", program="demo")
    assert ("demonstration", 1, []) == (
        demo.stage, {m.requirement: m.have for m in demo.missing}["demo_session"], demo.problems)


def test_a_waiver_of_a_requirement_not_waivable_is_kept_and_waives_nothing(demo_program: Program) -> None:
    """Recording refuses it; one already in the journal (written by another tool, or under an older
    definition) is reported by the fold and the requirement stays missing."""
    from facilitrack import MemoryJournal

    from tests.builders import engine_on

    journal = MemoryJournal()
    journal.append([
        Enrolled(trainee="ana", on=D("2026-01-05"), program="demo", version="1.0", credential="licensed"),
        Attended(trainee="ana", on=D("2026-01-10"), activity="workshop_day"),
        Waived(trainee="ana", on=D("2026-01-11"), requirement="workshop_day", reason="r", approver="dr"),
    ])
    status = engine_on(demo_program, journal).status("ana")
    assert ("level1", [("workshop_day", 1, 2)]) == (
        status.stage, [(m.requirement, m.have, m.need) for m in status.missing])
    assert ["stage level1 does not allow waiving 'workshop_day'; not applied"] == [
        p.reason for p in status.problems]


def test_with_two_enrolments_unnamed_events_go_to_the_latest_or_are_kept_unenrolled(
    demo_program: Program,
) -> None:
    """Enrolled in the demo program and then another: a hold naming no program holds the latest;
    work and a waiver that neither program counts (in a journal written elsewhere) belong to no
    enrolment and are kept, reported as not enrolled."""
    from facilitrack import MemoryJournal

    registry = ProgramRegistry()
    registry.add(demo_program, source="tests")
    registry.add(OTHER, source="tests")
    journal = MemoryJournal()
    journal.append([
        Enrolled(trainee="ana", on=D("2026-01-05"), program="demo", version="1.0", credential="licensed"),
        Enrolled(trainee="ana", on=D("2026-01-06"), program="other", version="1.0", credential="licensed"),
        Attended(trainee="ana", on=D("2026-01-07"), activity="unknown_session"),
        Waived(trainee="ana", on=D("2026-01-08"), requirement="unknown", reason="r", approver="dr"),
        Held(trainee="ana", on=D("2026-01-09")),
    ])
    engine = Engine(registry, journal, hooks=load_plugins(entry_points_group=None).hooks)
    demo, other = (engine.status("ana", program=p) for p in ("demo", "other"))
    assert ("level1", "on_hold") == (demo.stage, other.stage)
    assert [D("2026-01-07"), D("2026-01-08")] == [p.on for p in demo.problems]
    assert all("was not enrolled on" in p.reason for p in demo.problems)
