"""Leaves read from the enrolment (role, certificate): the status answers what the fold measured.

docs/semantics.md: such leaves "are measured when their stage opens, and again whenever the
person is issued a certificate", and a status reports "the top-level requirements of the
current stage that are not done". The fold follows that; the status measures these leaves again
on the status day, so the two can disagree. Found while modelling PCIT's trainer prerequisite.
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
    """A trainee whose role comes from a later person event: if the stage has not completed, the
    status names what holds it back."""
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
