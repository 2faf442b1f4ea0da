"""Journals of PCIT trainees, built from parts, so that a test changes one thing and keeps the rest.

`therapist(who)` is a trainee who meets every requirement of ``pcit_therapist`` exactly: 30 live
and 10 asynchronous hours, 24 calls, two cases, the four reviews, a coding check at 80, the
letter, the knowledge check at 80. Each part takes the number a test wants to put one short.
"""

from __future__ import annotations

from datetime import date, timedelta

import facilitrack_pcit
from facilitrack import (
    ArtifactRecorded,
    ArtifactStatus,
    Attended,
    Engine,
    Enrolled,
    Event,
    PersonRecorded,
    TraineeStatus,
    load_plugins,
)

START = date(2025, 1, 6)
#: Asynchronous modules are recorded on this day; live days end on TRAINED.
MODULES = date(2025, 1, 10)
#: The day the 40th hour of initial training is recorded: the consultation year starts.
TRAINED = date(2025, 1, 17)
#: The first day after the consultation year (12 months from TRAINED): outside it.
YEAR_ENDS = date(2026, 1, 17)
FIRST_CALL = date(2025, 1, 24)
CASES = date(2025, 5, 30)
#: The day the knowledge check passes: the therapist certificate is issued.
CERTIFIED = date(2026, 1, 28)
#: Two years later: the first day the certificate is no longer valid, unless renewed.
EXPIRES = date(2028, 1, 28)

CONSULTANT = "trainer-kim"  # a PCIT trainer, the therapists' consultant
SENIOR = "trainer-lee"  # a Regional Trainer, who trains trainers
REVIEWS = ("cdi_teach_review", "cdi_coach_review", "pdi_teach_review", "pdi_coach_review")
APPROVED = ArtifactStatus.approved


def engine() -> Engine:
    """An engine that knows the two PCIT programs and the plugin's hooks, and no other plugin."""
    host = load_plugins([facilitrack_pcit], entry_points_group=None)
    return Engine(host.programs, hooks=host.hooks)


def staff() -> list[Event]:
    """The two trainers, as a cohort file's [[staff]] would record them."""
    return [
        PersonRecorded(trainee=CONSULTANT, on=START, credential="licensed_clinician",
                       roles=("pcit_trainer",)),
        PersonRecorded(trainee=SENIOR, on=START, credential="licensed_clinician",
                       roles=("senior_trainer",)),
    ]


def enrolment(who: str, credential: str = "licensed_clinician") -> list[Event]:
    """The trainers, and `who` enrolled in pcit_therapist with the consultant named."""
    return [*staff(), Enrolled(trainee=who, program="pcit_therapist", on=START, credential=credential,
                               trainer=CONSULTANT)]


def training(who: str, live: float = 30, asynchronous: float = 10) -> list[Event]:
    """Asynchronous modules on MODULES, then five live days, the last (on TRAINED) taking the rest."""
    hours = [6.0, 6.0, 6.0, 6.0, live - 24]
    days = [TRAINED - timedelta(days=4 - n) for n in range(5)]
    return [
        Attended(trainee=who, activity="initial_training", on=MODULES, quantity=asynchronous,
                 mode="asynchronous"),
        *(Attended(trainee=who, activity="initial_training", on=day, quantity=h, mode="in_person")
          for day, h in zip(days, hours, strict=True)),
    ]


def consultation(who: str, *, calls: int = 24, last: date | None = None, cases: int = 2,
                 reviews: tuple[str, ...] = REVIEWS, coding: float = 80) -> list[Event]:
    """Fortnightly calls from FIRST_CALL (the last one on `last`, if given), cases, reviews and a
    coded observation scored `coding`."""
    days = [FIRST_CALL + timedelta(weeks=2 * n) for n in range(calls)]
    if last is not None:
        days[-1] = last
    return [
        *(Attended(trainee=who, activity="consultation_call", on=day) for day in days),
        *(ArtifactRecorded(trainee=who, artifact="completed_case", on=CASES + timedelta(weeks=20 * n),
                           status=APPROVED, ref=f"{who}-case-{n + 1}") for n in range(cases)),
        *(ArtifactRecorded(trainee=who, artifact=key, on=date(2025, 3 + n, 3), status=APPROVED)
          for n, key in enumerate(reviews)),
        ArtifactRecorded(trainee=who, artifact="dpics_coding", on=date(2025, 4, 15), status=APPROVED,
                         score=coding),
    ]


def application(who: str, knowledge: float = 80, letter: bool = True) -> list[Event]:
    """The consultant's letter on 23 January 2026, then the knowledge check on CERTIFIED."""
    return [
        *([ArtifactRecorded(trainee=who, artifact="trainer_letter", on=date(2026, 1, 23),
                            status=APPROVED)] if letter else []),
        Attended(trainee=who, activity="certification_experience", on=CERTIFIED, score=knowledge),
    ]


def therapist(who: str, credential: str = "licensed_clinician") -> list[Event]:
    """A trainee who meets every requirement of pcit_therapist exactly, certified on CERTIFIED."""
    return [*enrolment(who, credential), *training(who), *consultation(who), *application(who)]


def continuing_education(who: str, hours: int = 3, first: date = date(2026, 9, 15)) -> list[Event]:
    """One hour of PCIT continuing education every six months from `first`."""
    return [
        Attended(trainee=who, activity="continuing_education", on=first + timedelta(days=182 * n),
                 quantity=1)
        for n in range(hours)
    ]


def trainer_enrolment(who: str, on: date, credential: str = "licensed_clinician") -> list[Event]:
    """`who` enrolled in pcit_trainer on `on`, the Regional Trainer named."""
    return [Enrolled(trainee=who, program="pcit_trainer", on=on, credential=credential, trainer=SENIOR)]


def graduated_cases(who: str, start: date, n: int = 4) -> list[Event]:
    """`n` cases taken to graduation, a week apart from `start`."""
    return [
        ArtifactRecorded(trainee=who, artifact="graduated_case", on=start + timedelta(weeks=k),
                         status=APPROVED, ref=f"{who}-graduated-{k + 1}")
        for k in range(n)
    ]


def missing(status: TraineeStatus) -> list[tuple[str, float, float]]:
    """(requirement, have, need) of each requirement a status says is missing."""
    return [(p.requirement, p.have, p.need) for p in status.missing]
