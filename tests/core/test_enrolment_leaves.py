"""Leaves read from the enrolment (role, pairing, certificate): the status answers what the fold
measured, and what observers were told.

docs/semantics.md: such leaves "are measured when their stage opens, and again whenever the
person is issued a certificate", and a status reports "the top-level requirements of the
current stage that are not done". The fold follows that; the status measures these leaves again
on the status day, so the two can disagree. A certificate lost when another person's facts
change is announced to observers as revoked, but not listed so. Found while modelling PCIT.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from facilitrack import (
    Attended,
    Engine,
    Enrolled,
    PersonRecorded,
    ProgramRegistry,
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


@pytest.mark.xfail(strict=True, reason=(
    "engine/semantics disagreement: Answers re-measures a certificate leaf on the status day, so a"
    " prerequisite that was valid when its stage opened (done, in the fold) is listed as missing"
    " once the certificate has expired, although the stage completes without it"
))
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


@pytest.mark.xfail(strict=True, reason=(
    "engine/semantics disagreement: a `person` event giving the trainee a role after the stage"
    " opened does not re-measure the role leaf in the fold, but the status measures it on the"
    " status day: the stage stays current with nothing listed missing"
))
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


@pytest.mark.xfail(strict=True, reason=(
    "engine/semantics gap: a later `person` event removing the trainer's role un-pairs a trainee"
    " certified earlier (answers about other people are the whole journal's); observers are told"
    " the certificate was revoked, but the status drops it without listing it as revoked"
    " (semantics.md defines revocation by voids only)"
))
def test_a_certificate_observers_were_told_is_revoked_is_listed_as_revoked() -> None:
    """What `facilitrack_certificate_revoked` announced, the status lists as `revoked`."""
    registry = ProgramRegistry()
    registry.add(parse_program({
        "key": "paired", "name": "Paired", "version": "1.0", "organisation": "Tests",
        "vocabulary": {**VOCABULARY, "roles": [{"key": "clinician"}, {"key": "trainer"}]},
        "stages": [_stage("s1", {"kind": "pairing", "role": "trainer"}, certificate={"title": "Done"})],
    }, origin="tests"), source="tests")
    observer = _Revocations()
    engine = Engine(registry, hooks=load_plugins([observer], entry_points_group=None).hooks)
    engine.record(
        PersonRecorded(trainee="kim", on=D0, credential="licensed", roles=("trainer",)),
        Enrolled(trainee="ana", program="paired", on=D0, credential="licensed", trainer="kim"),
    )
    engine.record(PersonRecorded(trainee="kim", on=D0 + timedelta(days=30), credential="licensed"))

    status = engine.status("ana", today=D0 + timedelta(days=31))

    assert [("ana", "s1", D0)] == observer.told  # what the observers heard
    assert [("s1", "revoked")] == [(c.stage, c.status) for c in status.certificates]
