"""Leaves read from the enrolment (role, pairing, certificate): the status answers what the fold
measured, other people's facts hold from their day, and revocations are listed as observers
heard them (docs/semantics.md, "holds a role" and "Completing stages and certificates")."""

from __future__ import annotations

from datetime import date, timedelta

from facilitrack import (
    Attended,
    Engine,
    Enrolled,
    PersonRecorded,
    ProgramRegistry,
    Voided,
    hookimpl,
    load_plugins,
    parse_program,
)

D0 = date(2026, 1, 5)

VOCABULARY = {
    "credentials": [{"key": "licensed", "roles": ["clinician"]}, {"key": "other"}],
    "roles": [{"key": "clinician"}],
}


def _engine(*definitions: dict[str, object]) -> Engine:
    registry = ProgramRegistry()
    for data in definitions:
        registry.add(parse_program({"version": "1.0", "organisation": "Tests", "name": "Test", **data},
                                   origin="tests"), source="tests")
    return Engine(registry, hooks=load_plugins(entry_points_group=None).hooks)


def _stage(key: str, *requirements: dict[str, object], **fields: object) -> dict[str, object]:
    return {"key": key, "title": key, "requirements": list(requirements), **fields}


def test_a_prerequisite_done_when_its_stage_opened_is_not_listed_missing_after_it_expires() -> None:
    """Valid on enrolment, the prerequisite is done: a status after it expires does not list it."""
    engine = _engine(
        {"key": "pre", "stages": [_stage(
            "course", {"kind": "attendance", "key": "course"},
            certificate={"title": "Pre", "valid_for": {"days": 10}},
        )]},
        {"key": "next", "stages": [
            _stage("s1", {"kind": "certificate", "program": "pre"}, {"kind": "attendance", "key": "work"}),
            _stage("s2", {"kind": "attendance", "key": "end"}),
        ]},
    )
    engine.record(
        Enrolled(trainee="ana", program="pre", on=D0, credential="licensed"),
        Attended(trainee="ana", activity="course", on=D0),
        Enrolled(trainee="ana", program="next", on=D0 + timedelta(days=5), credential="licensed"),
        Attended(trainee="ana", activity="work", on=D0 + timedelta(days=20)),
    )

    expired = engine.status("ana", program="next", as_of=D0 + timedelta(days=15))
    completed = engine.status("ana", program="next", as_of=D0 + timedelta(days=20))

    assert "s2" == completed.stage  # the fold: the prerequisite was done when s1 opened
    assert [("work", 0, 1)] == [(p.requirement, p.have, p.need) for p in expired.missing]


def test_a_current_stage_always_names_what_it_is_missing() -> None:
    """A role given by a later person event: a stage not completed still names what holds it back."""
    engine = _engine({"key": "roles", "vocabulary": VOCABULARY, "stages": [
        _stage("s1", {"kind": "role", "role": "clinician"}),
        _stage("s2", {"kind": "attendance", "key": "end"}),
    ]})
    engine.record(
        Enrolled(trainee="ana", program="roles", on=D0, credential="other"),
        PersonRecorded(trainee="ana", on=D0 + timedelta(days=1), roles=("clinician",)),
    )

    status = engine.status("ana", as_of=D0 + timedelta(days=2))

    assert ("s1", True) == (status.stage, bool(status.missing))


class _Revocations:
    """Notes every certificate observers are told was revoked."""

    def __init__(self) -> None:
        self.told: list[tuple[str, str, date]] = []

    @hookimpl
    def facilitrack_certificate_revoked(self, trainee: str, program: object, stage: str,
                                        certificate: object, on: date) -> None:
        self.told.append((trainee, stage, on))


def _paired() -> tuple[Engine, _Revocations]:
    registry = ProgramRegistry()
    registry.add(parse_program({
        "key": "paired", "name": "Paired", "version": "1.0", "organisation": "Tests",
        "vocabulary": {**VOCABULARY, "roles": [{"key": "clinician"}, {"key": "trainer"}]},
        "stages": [_stage("s1", {"kind": "pairing", "role": "trainer"}, certificate={"title": "Done"})],
    }, origin="tests"), source="tests")
    observer = _Revocations()
    return Engine(registry, hooks=load_plugins([observer], entry_points_group=None).hooks), observer


def test_a_trainer_who_later_gives_up_the_role_takes_no_certificate_back() -> None:
    """A `person` event holds from its day: a later one without the role leaves the past alone."""
    engine, observer = _paired()
    listing = PersonRecorded(trainee="kim", on=D0, credential="licensed", roles=("trainer",))
    engine.record(listing, Enrolled(trainee="ana", program="paired", on=D0, credential="licensed",
                                    trainer="kim"))
    engine.record(PersonRecorded(trainee="kim", on=D0 + timedelta(days=30), credential="licensed"))

    status = engine.status("ana", today=D0 + timedelta(days=31))

    assert [] == observer.told
    assert [("s1", "valid", D0)] == [(c.stage, c.status, c.on) for c in status.certificates]


def test_voiding_the_trainers_listing_revokes_and_the_status_lists_it_revoked() -> None:
    """What `facilitrack_certificate_revoked` announced, the status lists as `revoked`."""
    engine, observer = _paired()
    listing = PersonRecorded(trainee="kim", on=D0, credential="licensed", roles=("trainer",))
    engine.record(listing, Enrolled(trainee="ana", program="paired", on=D0, credential="licensed",
                                    trainer="kim"))
    void_on = D0 + timedelta(days=30)
    engine.record(Voided(trainee="kim", on=void_on, target=engine.journal.get(listing.id).id,
                         reason="listed by mistake"))

    status = engine.status("ana", today=D0 + timedelta(days=31))

    assert [("ana", "s1", D0)] == observer.told
    assert [("s1", "revoked", void_on)] == [(c.stage, c.status, c.revoked_on) for c in status.certificates]
    assert "s1" == status.stage


def test_a_trainer_listed_after_the_stage_opened_counts_from_before() -> None:
    """A person's first `person` event also covers the days before it: a late listing strands no one."""
    engine, _ = _paired()
    engine.record(Enrolled(trainee="ana", program="paired", on=D0, credential="licensed", trainer="kim"))
    assert "s1" == engine.status("ana").stage

    engine.record(PersonRecorded(trainee="kim", on=D0 + timedelta(days=9), roles=("trainer",)))

    assert "certified" == engine.status("ana").stage


def test_a_trainer_granted_the_role_mid_stage_counts_once_the_rest_is_done() -> None:
    """A role gained after the stage opened is measured again when the stage's other work is met."""
    roles = [{"key": "clinician"}, {"key": "trainer"}]
    engine = _engine({"key": "late", "vocabulary": {**VOCABULARY, "roles": roles},
                      "stages": [_stage("s1", {"kind": "pairing", "role": "trainer"},
                                        {"kind": "attendance", "key": "work", "count": 2},
                                        certificate={"title": "Done"})]})
    engine.record(
        PersonRecorded(trainee="kim", on=D0, credential="other"),
        Enrolled(trainee="ana", program="late", on=D0, credential="licensed", trainer="kim"),
        Attended(trainee="ana", activity="work", on=D0 + timedelta(days=1)),
        PersonRecorded(trainee="kim", on=D0 + timedelta(days=5), credential="other", roles=("trainer",)),
    )
    assert "s1" == engine.status("ana").stage

    engine.record(Attended(trainee="ana", activity="work", on=D0 + timedelta(days=8)))

    status = engine.status("ana")
    assert [("s1", D0 + timedelta(days=8))] == [(c.stage, c.on) for c in status.certificates]
