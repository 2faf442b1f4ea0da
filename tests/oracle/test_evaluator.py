"""The reference evaluator itself, pinned on tiny journals: each rule of docs/semantics.md once.

These are what makes the oracle trustworthy as a check on the engine: every answer here is
worked out by hand from the definition. (The engine is not consulted.)
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from facilitrack import (
    Absent,
    ArtifactRecorded,
    Attended,
    Enrolled,
    Held,
    PersonRecorded,
    Resumed,
    Voided,
    Waived,
    Withdrawn,
    parse_program,
)

from .evaluator import Answer, EnrolmentOut, add_length, evaluate
from .harness import program_data

VOCABULARY = {
    "credentials": [{"key": "licensed", "roles": ["mental_health"]}, {"key": "other"}],
    "roles": [{"key": "mental_health"}, {"key": "certified_trainer", "by_certification": True}],
}
TODAY = date(2026, 12, 1)


def day(n: int, month: int = 1) -> date:
    return date(2026, month, n)


def prog(*stages: dict[str, Any], key: str = "pa") -> dict[str, Any]:
    """A validated definition, as the data the oracle reads."""
    return program_data(parse_program(
        {"key": key, "name": key.upper(), "version": "1.0", "organisation": "Oracle tests",
         "vocabulary": VOCABULARY, "stages": list(stages)}, origin="tests/oracle"))


def stage(key: str, *requirements: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"key": key, "title": key, "requirements": list(requirements), **extra}


def att(key: str, count: int = 1, **extra: Any) -> dict[str, Any]:
    return {"kind": "attendance", "key": key, "count": count, **extra}


def enrol(on: date = date(2026, 1, 1), who: str = "ana", program: str = "pa", **extra: Any) -> Enrolled:
    return Enrolled(id=f"en-{who}-{program}-{on}", trainee=who, on=on, program=program,
                    credential=extra.pop("credential", "licensed"), **extra)


def went(key: str, on: date, id: str, who: str = "ana", **extra: Any) -> Attended:
    return Attended(id=id, trainee=who, on=on, activity=key, **extra)


def run(programs: list[dict[str, Any]], journal: list[Any], **view: Any) -> Answer:
    return evaluate(programs, journal, today=view.pop("today", TODAY), **view)


def only(answer: Answer, program: str = "pa", who: str = "ana") -> EnrolmentOut:
    """The one enrolment of `who` in `program`."""
    (enrolment,) = [e for e in answer.of(who) if e.program == program]
    return enrolment


TWO = prog(stage("st1", att("s1", 2), certificate={"title": "One"}), stage("st2", att("s2")))


# -- order, voids, views -------------------------------------------------------------------------


def test_session_on_the_day_of_a_hold_counts() -> None:
    """Within a date, work folds before holds: a session on the hold's day still counts."""
    journal = [enrol(), went("s1", day(2), "a"), Held(id="h", trainee="ana", on=day(3)),
               went("s1", day(3), "b")]
    ana = only(run([TWO], journal))
    assert ("on_hold", "st2", {}) == (ana.stage, ana.held_stage, ana.problems)


def test_arrival_order_does_not_matter() -> None:
    """Every recording order of one journal gives one standing (revocation aside: it is about
    what was held when a void was recorded)."""
    journal = [enrol(), went("s1", day(3), "a"), went("s1", day(2), "b"), went("s2", day(4), "c"),
               Voided(id="v", trainee="ana", on=day(9), target="b", reason="wrong day")]
    answers = {
        repr([(e.stage, e.missing, e.problems) for e in run([TWO], list(order)).enrolments])
        for order in itertools.permutations(journal)
    }
    assert 1 == len(answers)


def test_void_removes_its_target_whatever_its_date() -> None:
    """A void dated before its target still removes it; the answer is as if never recorded."""
    journal = [enrol(), went("s1", day(2), "a"), went("s1", day(3), "b"),
               Voided(id="v", trainee="ana", on=day(1), target="b", reason="wrong")]
    assert {"s1": (1, 2)} == only(run([TWO], journal)).missing


def test_as_of_applies_work_up_to_the_day_and_every_void() -> None:
    """As of a day: work dated later is left out; voids apply whatever their date."""
    journal = [enrol(), went("s1", day(2), "a"), went("s1", day(3), "b"), went("s1", day(4), "c"),
               Voided(id="v", trainee="ana", on=day(20), target="a", reason="wrong")]
    assert {"s1": (1, 2)} == only(run([TWO], journal, as_of=day(3))).missing
    assert "st2" == only(run([TWO], journal, as_of=day(4))).stage


def test_known_at_applies_what_was_recorded_by_then() -> None:
    """As known at a time: only events recorded by then, voids included."""
    journal = [enrol(), went("s1", day(2), "a"), went("s1", day(3), "b"),
               Voided(id="v", trainee="ana", on=day(4), target="a", reason="wrong")]
    stamps = [datetime(2026, 2, 1, tzinfo=UTC) + timedelta(hours=n) for n in range(4)]
    view = {"recorded_at": stamps}
    assert "st2" == only(run([TWO], journal, known_at=stamps[2], **view)).stage
    assert "st1" == only(run([TWO], journal, known_at=stamps[3], **view)).stage
    assert [] == run([TWO], journal, known_at=stamps[0] - timedelta(hours=1), **view).enrolments


# -- enrolments ----------------------------------------------------------------------------------


def test_event_without_enrolment_is_a_problem_of_the_person() -> None:
    """Work dated before the enrolment belongs to no enrolment and is reported."""
    answer = run([TWO], [enrol(day(5)), went("s1", day(2), "early")])
    assert {"ana": {"early": "was not enrolled on 2026-01-02"}} == answer.unenrolled


def test_duplicate_enrolment_is_reported_on_its_program() -> None:
    """Enrolling again in a program not withdrawn from opens nothing; it is a problem of the latest
    enrolment in that program."""
    pb = {**TWO, "key": "pb"}
    answer = run([TWO, pb], [enrol(day(1)), enrol(day(2), program="pb"), enrol(day(3), program="pb")])
    assert ({}, {"en-ana-pb-2026-01-03"}) == (only(answer).problems, set(only(answer, "pb").problems))


def test_re_enrolment_after_withdrawal_starts_afresh() -> None:
    """After a withdrawal a new enrolment opens the first stage again; work goes to it."""
    journal = [enrol(day(1)), went("s1", day(2), "a"), Withdrawn(id="w", trainee="ana", on=day(3)),
               enrol(day(4)), went("s1", day(5), "b")]
    first, again = run([TWO], journal).of("ana")
    assert ("withdrawn", "st1", {"s1": (1, 2)}) == (first.stage, again.stage, again.missing)


def test_unnamed_work_goes_to_the_latest_enrolment_counting_it() -> None:
    """With several enrolments, work naming no program belongs to the latest one whose program
    counts its key."""
    pb = prog(stage("st1", att("t1")), key="pb")
    journal = [enrol(day(1)), enrol(day(2), program="pb"), went("s1", day(3), "a"), went("t1", day(3), "b")]
    answer = run([TWO, pb], journal)
    assert ({"s1": (1, 2)}, "certified") == (only(answer).missing, only(answer, "pb").stage)


# -- leaves --------------------------------------------------------------------------------------


DISTINCT = {"kind": "distinct", "key": "d", "keys": ["s", "t", "u"], "count": 2}
CREDENTIAL = {"kind": "credential", "allowed": ["licensed"], "with_co_leader": ["other"]}
CO_LEADER_ROLE = {"kind": "role", "role": "mental_health", "co_leader": True}


@pytest.mark.parametrize(("leaf", "events", "expected"), [
    (att("s", 2, per="week"), [("s", 5, {}), ("s", 6, {})], (1, 2)),  # Mon 5th, Tue 6th: one week
    (att("s", 2, per="week"), [("s", 5, {}), ("s", 12, {})], None),
    ({"kind": "participation", "key": "s", "count": 3, "max_missed": 1},
     [("s", 2, {}), ("absent", 3, {}), ("s", 4, {})], None),
    ({"kind": "participation", "key": "s", "count": 3, "max_missed": 0},
     [("s", 2, {}), ("absent", 3, {}), ("s", 4, {})], (3, 3)),
    ({"kind": "quantity", "key": "s", "count": 3.0, "limits": {"online": 1.0}},
     [("s", 2, {"quantity": 2.0, "mode": "online"}), ("s", 3, {"quantity": 1.5})], (2.5, 3.0)),
    ({"kind": "quantity", "key": "s", "count": 2.0, "per_session": 1.0}, [("s", 2, {}), ("s", 3, {})], None),
    ({"kind": "score", "key": "s", "event": "attended", "min_score": 50, "count": 2},
     [("s", 2, {"score": 60}), ("s", 3, {"score": 40})], (1, 2)),
    ({"kind": "score", "key": "s", "event": "attended", "min_score": 50, "count": 2, "attempts": "latest"},
     [("s", 2, {"score": 60}), ("s", 3, {"score": 40})], (0, 2)),
    ({"kind": "score", "key": "s", "event": "attended", "min_score": 50, "count": 1, "attempts": "latest"},
     [("s", 2, {"score": 40}), ("s", 3, {"score": 60})], None),
    ({"kind": "score", "key": "s", "event": "attended", "min_score": 50, "count": 1, "attempts": "each"},
     [("s", 2, {"score": 40}), ("s", 3, {"score": 60})], (2, 1)),
    (DISTINCT, [("s", 2, {}), ("s", 3, {})], (1, 2)),
    (DISTINCT, [("s", 2, {}), ("u", 3, {})], None),
])
def test_counted_leaves(leaf: dict[str, Any], events: list[tuple[str, int, dict[str, Any]]],
                        expected: tuple[float, float] | None) -> None:
    """Each counted leaf's have/need from its events (None: met, the stage complete)."""
    program = prog(stage("st1", leaf), stage("st2", att("z")))
    journal: list[Any] = [enrol()]
    for n, (key, on, extra) in enumerate(events):
        if key == "absent":
            journal.append(Absent(id=f"x{n}", trainee="ana", on=day(on), activity=leaf["key"]))
        else:
            journal.append(went(key, day(on), f"x{n}", **extra))
    missing = only(run([program], journal)).missing
    assert ({leaf["key"]: expected} if expected else {"z": (0, 1)}) == missing


def test_artifact_counts_distinct_refs_at_their_best_status() -> None:
    """Artifacts are told apart by ref (none: each its own); each counts at its best status."""
    program = prog(stage("st1", {"kind": "artifact", "key": "r", "count": 2, "status": "presented"}))
    journal = [enrol(),
               ArtifactRecorded(id="a", trainee="ana", on=day(2), artifact="r", status="approved", ref="x"),
               ArtifactRecorded(id="b", trainee="ana", on=day(3), artifact="r", status="submitted", ref="x"),
               ArtifactRecorded(id="c", trainee="ana", on=day(4), artifact="r", status="submitted")]
    assert {"r": (1, 2)} == only(run([program], journal)).missing


def test_refused_events_are_reported() -> None:
    """A score leaf refuses an event without a score; a quantity leaf one without a quantity."""
    program = prog(stage("st1", {"kind": "score", "key": "s", "event": "attended", "min_score": 1},
                         {"kind": "quantity", "key": "q", "count": 1.0}))
    answer = only(run([program], [enrol(), went("s", day(2), "a"), went("q", day(2), "b")]))
    assert {"a", "b"} == set(answer.problems)


@pytest.mark.parametrize(("leaf", "enrolment", "people", "met"), [
    (CREDENTIAL, {"credential": "other"}, [], False),
    (CREDENTIAL, {"credential": "other", "co_leader": "nobody"}, [], True),
    ({"kind": "role", "role": "mental_health"}, {"credential": "licensed"}, [], True),
    (CO_LEADER_ROLE, {"credential": "other", "co_leader": "co"}, [], False),
    (CO_LEADER_ROLE, {"credential": "other", "co_leader": "co"}, [("co", {"credential": "licensed"})], True),
    ({"kind": "pairing"}, {"trainer": "nobody"}, [], True),
    ({"kind": "pairing", "role": "certified_trainer"}, {"trainer": "tr"}, [("tr", {})], False),
    ({"kind": "pairing", "role": "certified_trainer"}, {"trainer": "tr"},
     [("tr", {"roles": ("certified_trainer",)})], True),
])
def test_leaves_read_from_the_enrolment(leaf: dict[str, Any], enrolment: dict[str, Any],
                                        people: list[tuple[str, dict[str, Any]]], met: bool) -> None:
    """Credential, role and pairing: from the enrolment, and the people the journal knows."""
    program = prog(stage("st1", leaf), stage("st2", att("z")))
    journal: list[Any] = [PersonRecorded(id=f"p-{who}", trainee=who, on=day(1), **facts)
                          for who, facts in people]
    journal.append(enrol(**enrolment))
    assert ("st2" if met else "st1") == only(run([program], journal)).stage


def test_trainer_certified_in_the_program_holds_a_role_by_certification() -> None:
    """A role declared `by_certification` is held by whoever is certified in the program."""
    program = prog(stage("st1", att("s1")), stage("st2", {"kind": "pairing", "role": "certified_trainer"}))
    journal = [enrol(who="bo"), went("s1", day(2), "b1", who="bo"),
               enrol(trainer="bo"), went("s1", day(3), "a1")]
    assert ["st2", "st2"] == [e.stage for e in run([program], journal).enrolments]
    journal.append(PersonRecorded(id="tr", trainee="tr", on=day(1), roles=("certified_trainer",)))
    journal[0] = enrol(who="bo", trainer="tr")
    assert ["certified", "certified"] == [e.stage for e in run([program], journal).enrolments]


def test_certificate_leaf_is_measured_at_opening_and_on_each_issue() -> None:
    """A certificate requirement counts a valid certificate on the day it is measured: when its
    stage opens, and again when the person is issued a certificate anywhere."""
    pa = prog(stage("st1", att("s1"), certificate={"title": "PA", "valid_for": {"days": 30}}))
    pb = prog(stage("st1", {"kind": "certificate", "program": "pa"}), stage("st2", att("z")), key="pb")
    waiting = [enrol(day(1), program="pb"), enrol(day(1)), went("s1", day(5), "a")]
    assert "st2" == only(run([pa, pb], waiting), "pb").stage
    expired = [enrol(day(1)), went("s1", day(5), "a"), enrol(day(1, 3), program="pb")]
    assert "st1" == only(run([pa, pb], expired), "pb").stage


# -- combinations, windows, gates ----------------------------------------------------------------


def test_combinations_count_done_children() -> None:
    """all_of, any_of and n_of combine their children; a waived child counts as done."""
    program = prog(stage("st1", {"kind": "n_of", "key": "c", "n": 2, "requirements": [
        att("a"), att("b", waivable=True), att("d")]}), stage("st2", att("z")))
    assert {"c": (1, 2)} == only(run([program], [enrol(), went("a", day(2), "x")])).missing
    waived = [enrol(), went("a", day(2), "x"),
              Waived(id="w", trainee="ana", on=day(3), requirement="b", reason="r", approver="lead")]
    assert "st2" == only(run([program], waived)).stage


def test_month_windows_clamp_to_the_shorter_month() -> None:
    """A month after the 31st of January is the 28th of February."""
    assert date(2026, 2, 28) == add_length(date(2026, 1, 31), {"months": 1})
    assert date(2027, 1, 31) == add_length(date(2026, 1, 31), {"years": 1})


@pytest.mark.parametrize(("start", "length", "on", "counts"), [
    ("enrolment", {"days": 40}, day(9, 2), True),
    ("enrolment", {"days": 40}, day(10, 2), False),  # ends before the day one length later
    ("enrolment", {}, day(10, 2), True),  # no length: open-ended
    ("stage", {"weeks": 1}, day(7, 2), True),  # st2 opened on 1 February
    ("stage", {"weeks": 1}, day(8, 2), False),
    ("stage:st1", {"weeks": 1}, day(8, 2), False),
    ("met:st1.s1", {}, day(1, 2), True),
    ("certificate:pa.st1", {"months": 1}, day(28, 2), True),
    ("certificate:pa.st1", {"months": 1}, day(1, 3), False),
])
def test_window_anchors(start: str, length: dict[str, int], on: date, counts: bool) -> None:
    """Work counts inside its window: from the anchor's day, up to (not including) one length on."""
    program = prog(stage("st1", att("s1"), certificate={"title": "One"}),
                   stage("st2", att("s2", window={"from": start, **length})))
    journal = [enrol(), went("s1", day(1, 2), "a"), went("s2", on, "b")]
    assert ("certified" if counts else "st2") == only(run([program], journal)).stage


def test_window_before_its_anchor_exists_admits_nothing() -> None:
    """Until the anchor's day exists (the node is not yet met), nothing is inside the window."""
    program = prog(stage("st1", att("s1"), att("s2", window={"from": "met:s1"})))
    journal = [enrol(), went("s2", day(2), "b"), went("s1", day(3), "a")]
    assert {"b"} == set(only(run([program], journal)).problems)


def test_opens_when_gates_a_node_and_opens_a_stage_early() -> None:
    """A node gated by `opens_when` takes nothing until that node is met; a stage with
    `opens_when` takes work as soon as the named requirement of an earlier stage is met."""
    program = prog(stage("st1", att("s1"), att("s3", opens_when="s1"), att("s4")),
                   stage("st2", att("s2"), opens_when="st1.s1"))
    journal = [enrol(), went("s3", day(2), "early"), went("s1", day(3), "a"), went("s2", day(4), "b"),
               went("s3", day(5), "c"), went("s4", day(6), "d")]
    ana = only(run([program], journal))
    assert ("certified", {"early"}) == (ana.stage, set(ana.problems))


def test_extra_work_counts_where_it_first_could() -> None:
    """Work goes to the first open candidate not yet met; when all are met, to the first."""
    program = prog(stage("st1", att("s1"), att("s9")), stage("st2", att("s1", 2)))
    journal = [enrol(), went("s1", day(2), "a"), went("s1", day(3), "b"), went("s9", day(4), "c"),
               went("s1", day(5), "d")]
    assert {"s1": (1, 2)} == only(run([program], journal)).missing


# -- waivers, holds, withdrawals -----------------------------------------------------------------


def test_waivers() -> None:
    """A waiver marks a waivable node done; one of a non-waivable or completed stage's node is
    reported; one recorded on hold takes effect on resumption."""
    program = prog(stage("st1", att("s1", waivable=True), att("s2")), stage("st2", att("s3", waivable=True)))

    def waive(id: str, key: str, on: date, stage: str | None = None) -> Waived:
        return Waived(id=id, trainee="ana", on=on, requirement=key, stage=stage, reason="r", approver="lead")

    refused = [enrol(), waive("w1", "s2", day(2)), went("s2", day(3), "a"), waive("w2", "s1", day(4), "st1"),
               waive("w3", "s1", day(5), "st1")]
    ana = only(run([program], refused))
    assert ("st2", {"w1", "w3"}) == (ana.stage, set(ana.problems))
    held = [enrol(), went("s2", day(2), "a"), Held(id="h", trainee="ana", on=day(3)),
            waive("w", "s1", day(4))]
    waiting = only(run([program], held))
    assert ("on_hold", {}) == (waiting.stage, waiting.missing)
    held.append(Resumed(id="r", trainee="ana", on=day(9)))
    assert "st2" == only(run([program], held)).stage


def test_holds_resumptions_and_withdrawals() -> None:
    """Nothing is credited on hold; a resumption returns to the stage; a withdrawal ends it, and a
    certified enrolment cannot be withdrawn."""
    journal = [enrol(), Held(id="h", trainee="ana", on=day(2)), went("s1", day(3), "a"),
               Resumed(id="r", trainee="ana", on=day(4)), went("s1", day(5), "b"), went("s1", day(6), "c"),
               went("s2", day(7), "d"), Withdrawn(id="w", trainee="ana", on=day(8)),
               Resumed(id="r2", trainee="ana", on=day(9))]
    ana = only(run([TWO], journal))
    assert ("certified", {"a", "w", "r2"}) == (ana.stage, set(ana.problems))


# -- certificates --------------------------------------------------------------------------------

RENEWABLE = prog(stage("st1", att("s1"), certificate={
    "title": "Facilitator", "valid_for": {"months": 6}, "renewal": [att("ce", 2)]}))


def test_certificate_expiry_and_renewal() -> None:
    """A renewal before expiry starts the new period where the old one ends; after expiry, on the
    renewal day; renewal counting starts again from nothing."""
    journal = [enrol(), went("s1", day(5), "a"), went("ce", day(1, 3), "b"), went("ce", day(2, 3), "c"),
               went("ce", date(2027, 4, 5), "d"), went("ce", date(2027, 4, 6), "e")]
    certs = [(c.on, c.expires, c.status) for c in only(run([RENEWABLE], journal)).certificates]
    assert [
        (day(5), day(5, 7), "renewed"),
        (day(5, 7), date(2027, 1, 5), "renewed"),
        (date(2027, 4, 6), date(2027, 10, 6), "valid"),
    ] == certs
    assert "expired" == only(run([RENEWABLE], journal[:2], today=day(5, 7))).certificates[0].status


def test_revocation_and_re_dating() -> None:
    """A void that takes back a stage's completion revokes its certificate, dated by the void; a
    late event that completes the stage on another day only re-dates it."""
    journal = [enrol(), went("s1", day(3), "a"), went("s1", day(5), "b")]
    def certificates() -> list[tuple[date, str, str]]:
        return [(c.on, c.status, c.event) for c in only(run([TWO], journal)).certificates]

    assert [(day(5), "valid", "b")] == certificates()
    journal.append(went("s1", day(4), "late"))
    assert [(day(4), "valid", "late")] == certificates()
    journal += [Voided(id="v1", trainee="ana", on=day(20), target="late", reason="x"),
                Voided(id="v2", trainee="ana", on=day(21), target="a", reason="x")]
    (revoked,) = only(run([TWO], journal)).certificates
    assert (day(5), "revoked", "b") == (revoked.on, revoked.status, revoked.event)
    assert day(21) == revoked.revoked_on


# -- the disagreements: what the definition says, on the same journals ---------------------------


def test_oracle_on_the_disagreement_journals() -> None:
    """On the journals of test_disagreements.py the oracle answers what those tests expect."""
    pa = prog(stage("st1", att("a", waivable=True)), stage("st2", att("b", waivable=True), att("c")))
    waivers = [enrol(),
               Waived(id="w2", trainee="ana", on=day(5), requirement="a", reason="r", approver="lead"),
               Waived(id="w1", trainee="ana", on=day(5), requirement="b", reason="r", approver="lead")]
    ana = only(run([pa], waivers))
    assert ("st2", {"c": (0, 1)}, {}) == (ana.stage, ana.missing, ana.problems)
    own = prog(stage("st1", {"kind": "role", "role": "certified_trainer"}), stage("st2", att("s2")))
    late = [enrol(credential="other"),
            PersonRecorded(id="details", trainee="ana", on=day(1, 2), roles=("certified_trainer",))]
    # The trainee's own details count from their day; nothing newly met since: still missing.
    stuck = only(run([own], late))
    assert ("st1", ["certified_trainer"]) == (stuck.stage, list(stuck.missing))
    pairing = prog(stage("st1", {"kind": "pairing", "role": "certified_trainer"}, att("s1"),
                         certificate={"title": "Level 1"}), stage("st2", att("s2")))
    role = [PersonRecorded(id="tr-role", trainee="tr", on=day(1), roles=("certified_trainer",)),
            enrol(trainer="tr"), went("s1", day(5), "a1"),
            Voided(id="v", trainee="tr", on=day(1, 2), target="tr-role", reason="not a trainer")]
    assert [(day(5), "revoked", day(1, 2))] == [
        (c.on, c.status, c.revoked_on) for c in only(run([pairing], role)).certificates]
    renewal = [enrol(), went("s1", day(5), "a1"), went("ce", day(1, 3), "ce1"), went("ce", day(1, 3), "ce2"),
               Voided(id="v", trainee="ana", on=day(2, 3), target="ce1", reason="wrong course")]
    assert [("expired", None), ("revoked", day(2, 3))] == [
        (c.status, c.revoked_on) for c in only(run([RENEWABLE], renewal)).certificates]
