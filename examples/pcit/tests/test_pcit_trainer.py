"""pcit_trainer: the therapist certificate as a prerequisite across programs, the course that
opens early, the supervised year's window and its `monthly` count — each met exactly, and
missed by one."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from facilitrack import ArtifactRecorded, ArtifactStatus, Attended, Engine, Event
from pcit_journeys import (
    CERTIFIED,
    EXPIRES,
    continuing_education,
    engine,
    enrolment,
    graduated_cases,
    missing,
    therapist,
    trainer_enrolment,
)

ENROLS = date(2026, 2, 2)  # a few days after the therapist certificate
CASES = date(2026, 3, 2)  # four cases, weekly: the prerequisites are met on 23 March 2026
SUPERVISED = date(2026, 3, 23)  # the supervised year starts; it ends before 23 March 2027
APPROVED = ArtifactStatus.approved


@pytest.fixture
def pcit() -> Engine:
    """An engine knowing the two PCIT programs, with the plugin's hooks."""
    return engine()


def course(who: str, on: date, hours: float = 8) -> list[Event]:
    """The trainer course, recorded in one row of `hours`."""
    return [Attended(trainee=who, activity="trainer_course", on=on, quantity=hours)]


def supervised_year(who: str, last: date | None = None, skip: int | None = None) -> list[Event]:
    """Consultations on the 1st of each month from April 2026 to March 2027 (the twelfth on
    `last`, if given; none in month `skip`), a therapist trained, and the Regional Trainer's letter."""
    days = [date(2026 + (3 + n) // 12, (3 + n) % 12 + 1, 1) for n in range(12)]
    if last is not None:
        days[-1] = last
    if skip is not None:
        days = [day for day in days if day.month != skip]
    return [
        *(Attended(trainee=who, activity="trainer_consultation", on=day) for day in days),
        ArtifactRecorded(trainee=who, artifact="therapist_trained", on=date(2027, 2, 15), status=APPROVED),
        ArtifactRecorded(trainee=who, artifact="senior_trainer_letter", on=date(2027, 3, 26),
                         status=APPROVED),
    ]


# -- the prerequisite: a valid therapist certificate ------------------------------------------


def test_a_certified_therapist_meets_the_prerequisite(pcit: Engine) -> None:
    """A certified therapist meets the prerequisite from enrolment; four cases then complete the stage."""
    pcit.record(therapist("ana"), trainer_enrolment("ana", ENROLS))

    explanation = pcit.explain("ana", program="pcit_trainer", as_of=ENROLS)
    pcit.record(graduated_cases("ana", CASES))

    assert [("therapist_certificate", True), ("trainer_candidate", True), ("graduated_case", False)] == [
        (r.requirement, r.met) for r in explanation.requirements
    ]
    assert "trainer_course" == pcit.status("ana", program="pcit_trainer", as_of=SUPERVISED).stage


def test_without_the_certificate_four_cases_are_not_enough(pcit: Engine) -> None:
    """Never certified as a therapist: stuck at the prerequisites, the certificate missing, saying why."""
    pcit.record(enrolment("bo"), trainer_enrolment("bo", ENROLS), graduated_cases("bo", CASES))

    status = pcit.status("bo", program="pcit_trainer", as_of=SUPERVISED)

    assert "prerequisites" == status.stage
    assert [("therapist_certificate", 0, 1)] == missing(status)
    assert "holds no valid pcit_therapist certification certificate" == status.missing[0].reason


def test_enrolling_on_the_certificates_last_day_meets_it(pcit: Engine) -> None:
    """The day before the therapist certificate expires it is still valid when the stage opens."""
    last_day = EXPIRES - timedelta(days=1)
    pcit.record(therapist("ana"), trainer_enrolment("ana", last_day))

    status = pcit.status("ana", program="pcit_trainer", as_of=last_day)

    assert [("graduated_case", 0, 4)] == missing(status)


def test_enrolling_the_day_it_expires_does_not(pcit: Engine) -> None:
    """On the day it expires, the certificate is no longer valid: the prerequisite is missing."""
    pcit.record(therapist("ana"), trainer_enrolment("ana", EXPIRES), graduated_cases("ana", EXPIRES))

    status = pcit.status("ana", program="pcit_trainer", as_of=EXPIRES + timedelta(weeks=4))

    assert "prerequisites" == status.stage
    assert [("therapist_certificate", 0, 1)] == missing(status)


def test_renewing_the_therapist_certificate_meets_it_again(pcit: Engine) -> None:
    """Enrolled with an expired certificate, renewing it late meets the prerequisite that day."""
    renewed = EXPIRES + timedelta(weeks=10)
    pcit.record(therapist("ana"), trainer_enrolment("ana", EXPIRES), graduated_cases("ana", EXPIRES))
    pcit.record(continuing_education("ana", hours=3, first=renewed - timedelta(days=2 * 182)))

    therapist_status = pcit.status("ana", program="pcit_therapist", as_of=renewed)
    trainer_status = pcit.status("ana", program="pcit_trainer", as_of=renewed)

    assert [("renewed", CERTIFIED), ("valid", renewed)] == [
        (c.status, c.on) for c in therapist_status.certificates
    ]
    assert "trainer_course" == trainer_status.stage


def test_another_profession_is_no_trainer_candidate(pcit: Engine) -> None:
    """The trainer program's own vocabulary: another profession lacks the role trainer_candidate."""
    pcit.record(therapist("ana"), trainer_enrolment("ana", ENROLS, credential="other_profession"),
                graduated_cases("ana", CASES))

    status = pcit.status("ana", program="pcit_trainer", as_of=SUPERVISED)

    assert [("trainer_candidate", 0, 1)] == missing(status)


# -- a stage that opens early ------------------------------------------------------------------


def test_the_course_counts_once_the_therapist_certificate_is_held(pcit: Engine) -> None:
    """The course stage opens with the certificate: hours taken while cases are missing count."""
    pcit.record(therapist("ana"), trainer_enrolment("ana", ENROLS), course("ana", ENROLS + timedelta(days=7)))

    explanation = pcit.explain("ana", program="pcit_trainer", as_of=CASES)
    pcit.record(graduated_cases("ana", CASES))

    assert [("trainer_course", 8, 8, True)] == [(r.requirement, r.have, r.need, r.met)
                                                for r in explanation.upcoming]
    assert "supervised_year" == pcit.status("ana", program="pcit_trainer", as_of=SUPERVISED).stage


def test_course_hours_before_the_certificate_do_not_count(pcit: Engine) -> None:
    """Course hours taken before the therapist certificate is issued are kept, not credited."""
    before = CERTIFIED - timedelta(days=7)
    pcit.record(therapist("ana"), trainer_enrolment("ana", before - timedelta(days=1)), course("ana", before))

    explanation = pcit.explain("ana", program="pcit_trainer", as_of=CERTIFIED)

    assert [("trainer_course", 0, 8, False)] == [(r.requirement, r.have, r.need, r.met)
                                                 for r in explanation.upcoming]
    assert [
        f"trainer_course belongs to stage trainer_course, which ana had not reached on {before}"
        " (still in prerequisites); kept, not credited"
    ] == [p.reason for p in explanation.status.problems]


# -- the supervised year: a window from the stage's start --------------------------------------


def test_twelve_consultations_in_the_year_certify_a_trainer(pcit: Engine) -> None:
    """Twelve months of consultation, a therapist trained, the letter: certified, with no expiry."""
    pcit.record(therapist("ana"), trainer_enrolment("ana", ENROLS), course("ana", ENROLS),
                graduated_cases("ana", CASES), supervised_year("ana"))

    status = pcit.status("ana", program="pcit_trainer", as_of=date(2027, 3, 26))

    assert status.certified
    assert [("approval", date(2027, 3, 26), None)] == [
        (c.stage, c.on, c.expires) for c in status.certificates
    ]


def test_a_twelfth_consultation_one_day_after_the_year_does_not_count(pcit: Engine) -> None:
    """The twelfth consultation one day after the year is not credited: 11 months of 12."""
    year_ends = SUPERVISED.replace(year=2027)
    pcit.record(therapist("ana"), trainer_enrolment("ana", ENROLS), course("ana", ENROLS),
                graduated_cases("ana", CASES), supervised_year("ana", last=year_ends))

    status = pcit.status("ana", program="pcit_trainer", as_of=date(2027, 3, 26))

    assert "supervised_year" == status.stage
    assert [("trainer_consultation", 11, 12)] == missing(status)


def test_the_twelfth_on_the_years_last_day_counts(pcit: Engine) -> None:
    """The last consultation on the year's last day completes the supervised year."""
    last_day = SUPERVISED.replace(year=2027) - timedelta(days=1)
    pcit.record(therapist("ana"), trainer_enrolment("ana", ENROLS), course("ana", ENROLS),
                graduated_cases("ana", CASES), supervised_year("ana", last=last_day))

    assert "approval" == pcit.status("ana", program="pcit_trainer", as_of=last_day).stage


def test_a_month_without_consultation_starts_the_count_again(pcit: Engine) -> None:
    """`monthly`: with August missed, runs of 4 and 7 months; the longest, 7, counts."""
    pcit.record(therapist("ana"), trainer_enrolment("ana", ENROLS), course("ana", ENROLS),
                graduated_cases("ana", CASES), supervised_year("ana", skip=8))

    status = pcit.status("ana", program="pcit_trainer", as_of=date(2027, 3, 26))

    assert [("trainer_consultation", 7, 12)] == missing(status)


def test_a_second_consultation_in_a_month_adds_no_month(pcit: Engine) -> None:
    """Two consultations in April 2026 and none in August are still one month short."""
    pcit.record(therapist("ana"), trainer_enrolment("ana", ENROLS), course("ana", ENROLS),
                graduated_cases("ana", CASES), supervised_year("ana", skip=8),
                Attended(trainee="ana", activity="trainer_consultation", on=date(2026, 4, 20)))

    status = pcit.status("ana", program="pcit_trainer", as_of=date(2027, 3, 26))

    assert [("trainer_consultation", 7, 12)] == missing(status)
