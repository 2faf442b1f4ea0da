"""pcit_therapist, construct by construct: a trainee who meets each exactly, and one short by one.

Each test records a journal from `pcit_journeys` with one number changed, and reads the answer
through `Engine.status` or `Engine.explain`, as an embedding system would.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from facilitrack import Engine, PersonRecorded
from pcit_journeys import (
    CERTIFIED,
    CONSULTANT,
    EXPIRES,
    REVIEWS,
    START,
    TRAINED,
    YEAR_ENDS,
    application,
    consultation,
    continuing_education,
    engine,
    enrolment,
    missing,
    therapist,
    training,
)


@pytest.fixture
def pcit() -> Engine:
    """An engine knowing the two PCIT programs, with the plugin's hooks."""
    return engine()


# -- hours, and the limit on asynchronous hours -----------------------------------------------


def test_forty_hours_complete_the_initial_training(pcit: Engine) -> None:
    """30 live and 10 asynchronous hours are the 40 the training asks: the consultation year opens."""
    pcit.record(enrolment("ana"), training("ana", live=30, asynchronous=10))

    status = pcit.status("ana", today=TRAINED)

    assert "consultation" == status.stage
    assert [] == status.problems


def test_thirty_nine_hours_do_not(pcit: Engine) -> None:
    """One live hour short, the trainee is still in training, 39 of 40 hours."""
    pcit.record(enrolment("ana"), training("ana", live=29, asynchronous=10))

    status = pcit.status("ana", today=TRAINED)

    assert "training" == status.stage
    assert [("initial_training", 39, 40)] == missing(status)


def test_ten_asynchronous_hours_count_in_full(pcit: Engine) -> None:
    """At the limit, every asynchronous hour counts, and no reason is given."""
    pcit.record(enrolment("ana"), training("ana", live=24, asynchronous=10))

    [hours] = pcit.status("ana", today=TRAINED).missing

    assert (34, 40, None) == (hours.have, hours.need, hours.reason)


def test_an_eleventh_asynchronous_hour_does_not_count(pcit: Engine) -> None:
    """29 live and 11 asynchronous hours count as 39: the status gives the limit as the reason."""
    pcit.record(enrolment("ana"), training("ana", live=29, asynchronous=11))

    status = pcit.status("ana", today=TRAINED)

    assert "training" == status.stage
    assert [("initial_training", 39, 40)] == missing(status)
    assert "only 10 hours of asynchronous count" == status.missing[0].reason


# -- an alternative: the eligibility routes ----------------------------------------------------


@pytest.mark.parametrize("credential", ["licensed_clinician", "supervised_clinician", "doctoral_student"])
def test_either_route_makes_a_trainee_eligible(pcit: Engine, credential: str) -> None:
    """Either branch of the eligibility `any_of` opens the training on the day of enrolment."""
    pcit.record(enrolment("ana", credential))

    status = pcit.status("ana", today=START)

    assert "training" == status.stage
    assert [] == status.problems


def test_with_neither_route_the_trainee_is_not_eligible(pcit: Engine) -> None:
    """Neither branch: stuck at eligibility, the credential named as the field to change."""
    pcit.record(enrolment("ana", "other_profession"), training("ana"))

    status = pcit.status("ana", today=TRAINED)
    explanation = pcit.explain("ana", today=TRAINED)

    assert "eligibility" == status.stage
    assert [("eligibility_route", 0, 1)] == missing(status)
    assert {"credential"} == {p.field for p in status.problems if p.field}
    [route] = explanation.requirements
    assert [("masters_clinician", False), ("advanced_doctoral_student", False)] == [
        (c.requirement, c.met) for c in route.children
    ]


# -- a time window: the consultation year ------------------------------------------------------


def test_a_call_on_the_last_day_of_the_year_counts(pcit: Engine) -> None:
    """The 24th call on the last day of the year after the training completes the consultation."""
    last = YEAR_ENDS - timedelta(days=1)
    pcit.record(enrolment("ana"), training("ana"), consultation("ana", last=last))

    status = pcit.status("ana", today=last)

    assert "application" == status.stage
    assert [] == status.problems


def test_a_call_one_day_after_the_year_does_not(pcit: Engine) -> None:
    """The 24th call one day after the year is kept, not credited: 23 of 24, the window named."""
    pcit.record(enrolment("ana"), training("ana"), consultation("ana", last=YEAR_ENDS))

    status = pcit.status("ana", today=YEAR_ENDS)
    explanation = pcit.explain("ana", today=YEAR_ENDS)

    assert "consultation" == status.stage
    assert [("consultation_call", 23, 24)] == missing(status)
    assert [
        "consultation_call on 2026-01-17 is outside the window of consultation_call"
        " (2025-01-17 to 2026-01-16); not credited"
    ] == [p.reason for p in status.problems]
    calls = next(r for r in explanation.requirements if r.requirement == "consultation_call")
    assert "within 12 months of training.initial_training being met" == calls.window


def test_calls_before_the_training_is_done_do_not_count(pcit: Engine) -> None:
    """A call before the 40th training hour is kept, not credited: the year has not started."""
    early = TRAINED - timedelta(days=1)
    pcit.record(enrolment("ana"), training("ana"), consultation("ana", calls=1, last=early))

    status = pcit.status("ana", today=TRAINED)

    assert [("consultation_call", 0, 24)] == [m for m in missing(status) if m[0] == "consultation_call"]
    assert [f"consultation_call belongs to stage consultation, which ana had not reached on {early}"
            " (still in training); kept, not credited"] == [p.reason for p in status.problems]


# -- a score threshold: DPICS coding, and the knowledge check ----------------------------------


def test_coding_at_eighty_percent_passes(pcit: Engine) -> None:
    """An agreement of exactly 80% meets the coding check: the consultation stage completes."""
    pcit.record(enrolment("ana"), training("ana"), consultation("ana", coding=80))

    assert "application" == pcit.status("ana", today=YEAR_ENDS).stage


def test_coding_one_point_below_does_not(pcit: Engine) -> None:
    """Coding at 79%: stuck at consultation, 0 of 1, the attempt dated in the explanation."""
    pcit.record(enrolment("ana"), training("ana"), consultation("ana", coding=79))

    status = pcit.status("ana", today=YEAR_ENDS)
    coding = next(r for r in pcit.explain("ana", today=YEAR_ENDS).requirements
                  if r.requirement == "dpics_coding")

    assert "consultation" == status.stage
    assert [("dpics_coding", 0, 1)] == missing(status)
    assert 1 == len(coding.dates)


def test_a_knowledge_check_at_eighty_certifies(pcit: Engine) -> None:
    """The letter, then the Certification Experience at 80%: certified on that day, for two years."""
    pcit.record(therapist("ana"))

    status = pcit.status("ana", today=CERTIFIED)

    assert status.certified
    assert [("application", CERTIFIED, EXPIRES, "valid")] == [
        (c.stage, c.on, c.expires, c.status) for c in status.certificates
    ]


def test_a_knowledge_check_at_seventy_nine_does_not(pcit: Engine) -> None:
    """One point below the pass mark: stuck at the application, the knowledge check missing."""
    pcit.record(enrolment("ana"), training("ana"), consultation("ana"), application("ana", knowledge=79))

    status = pcit.status("ana", today=CERTIFIED)

    assert "application" == status.stage
    assert [("certification_experience", 0, 1)] == missing(status)


def test_the_knowledge_check_opens_with_the_letter(pcit: Engine) -> None:
    """`opens_when`: taken before the trainer's letter is in, the knowledge check is not credited."""
    pcit.record(enrolment("ana"), training("ana"), consultation("ana"), application("ana", letter=False))

    status = pcit.status("ana", today=CERTIFIED)

    assert [("trainer_letter", 0, 1), ("certification_experience", 0, 1)] == missing(status)
    assert ["certification_experience opens when trainer_letter is met, which it was not on"
            " 2026-01-28; not credited"] == [p.reason for p in status.problems]


# -- the four session reviews, and the consultant ----------------------------------------------


def test_three_different_reviews_and_a_repeat_are_three(pcit: Engine) -> None:
    """`distinct`: a second CDI Teach review does not stand in for the missing PDI Coach one."""
    reviews = (*REVIEWS[:3], REVIEWS[0])
    pcit.record(enrolment("ana"), training("ana"), consultation("ana", reviews=reviews))

    status = pcit.status("ana", today=YEAR_ENDS)

    assert [("session_reviews", 3, 4)] == missing(status)


def test_a_consultant_who_is_not_a_pcit_trainer_holds_the_trainee_back(pcit: Engine) -> None:
    """A consultant known without the pcit_trainer role holds the consultation stage back."""
    journal = [e for e in therapist("ana") if getattr(e, "trainee", None) != CONSULTANT]
    pcit.record(PersonRecorded(trainee=CONSULTANT, on=START, credential="licensed_clinician"), journal)

    status = pcit.status("ana", today=CERTIFIED)

    assert "consultation" == status.stage
    assert [("consultant", 0, 1)] == missing(status)
    assert "trainer trainer-kim is not a pcit_trainer" == status.missing[0].reason


# -- a renewal: two years, three hours of continuing education -----------------------------------


def test_three_hours_of_continuing_education_renew_the_certificate(pcit: Engine) -> None:
    """Three hours before the certificate expires renew it from its expiry, for two more years."""
    pcit.record(therapist("ana"), continuing_education("ana", hours=3))

    status = pcit.status("ana", today=EXPIRES)

    assert [
        (CERTIFIED, EXPIRES, "renewed"),
        (EXPIRES, EXPIRES.replace(year=2030), "valid"),
    ] == [(c.on, c.expires, c.status) for c in status.certificates]


def test_two_hours_do_not_and_the_certificate_expires(pcit: Engine) -> None:
    """Two hours renew nothing: the certificate expires on its day, the explanation shows 2 of 3."""
    pcit.record(therapist("ana"), continuing_education("ana", hours=2))

    before = pcit.status("ana", today=EXPIRES - timedelta(days=1))
    after = pcit.status("ana", today=EXPIRES)
    [renewal] = pcit.explain("ana", today=EXPIRES).renewal

    assert ["valid"] == [c.status for c in before.certificates]
    assert ["expired"] == [c.status for c in after.certificates]
    assert ("continuing_education", 2, 3) == (renewal.requirement, renewal.have, renewal.need)


def test_continuing_education_before_certification_is_not_banked(pcit: Engine) -> None:
    """Hours recorded before the certificate is issued are kept, not credited toward renewing it."""
    pcit.record(therapist("ana"), continuing_education("ana", hours=1, first=CERTIFIED - timedelta(days=1)))

    status = pcit.status("ana", today=CERTIFIED)

    assert ["continuing_education counts toward renewing the certificate, once ana is certified;"
            " not credited"] == [p.reason for p in status.problems]
