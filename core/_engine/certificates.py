"""Certificates as the fold leaves them: issued on completing a stage, valid for a time, renewed.

Nothing here is stored: a certificate's issue date is its stage's completion date, its expiry
follows from the definition's ``valid_for``, and each renewal of the final certificate starts a
new period — counted from the day the old one would have expired, or, when the renewal comes
after that day, from the renewal itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import NamedTuple

from .state import EnrolmentState, PersonState


class Period(NamedTuple):
    """One period of a certificate: issued, the first day it is no longer valid, the event."""

    stage: str
    title: str
    issued: date
    expires: date | None
    event: str
    renewal: bool


def periods(enrolment: EnrolmentState) -> Iterator[Period]:
    """Every certificate period the enrolment holds, in order (renewals after their original)."""
    program = enrolment.program
    last = len(program.stages) - 1
    for stage_key, on, event_id in enrolment.completed:
        stage = program.stage(stage_key)
        if stage is None or stage.certificate is None:
            continue
        spec = stage.certificate
        length = spec.valid_for
        expires = length.after(on) if length is not None else None
        yield Period(stage_key, spec.title, on, expires, event_id, False)
        if program.stage_index(stage_key) != last or length is None:
            continue
        for renewed_on, renewing in enrolment.renewals:
            start = expires if expires is not None and renewed_on < expires else renewed_on
            expires = length.after(start)
            yield Period(stage_key, spec.title, start, expires, renewing, True)


def certification_day(enrolment: EnrolmentState) -> date | None:
    """The day the enrolment was certified (its last stage completed), if it was."""
    if not enrolment.certified or not enrolment.completed:
        return None
    return enrolment.completed[-1][1]


def first_issued(person: PersonState, program: str, stage: str | None) -> date | None:
    """When `person` was first issued a certificate of `program` (`stage`, or certification)."""
    for enrolment in person.enrolments:
        if enrolment.program.key != program:
            continue
        target = stage if stage is not None else enrolment.program.stages[-1].key
        issued = [p.issued for p in periods(enrolment) if p.stage == target]
        if issued:
            return min(issued)
        if stage is None:
            day = certification_day(enrolment)
            if day is not None:
                return day
    return None


def certificate_on(person: PersonState, program: str, stage: str | None, on: date) -> date | None:
    """When `person` was first issued a certificate of `program` (`stage`, or certification)
    that is valid on `on`; None when they hold none valid that day."""
    for enrolment in person.enrolments:
        if enrolment.program.key != program:
            continue
        target = stage if stage is not None else enrolment.program.stages[-1].key
        first: date | None = None
        valid = False
        for period in periods(enrolment):
            if period.stage != target:
                continue
            first = first or period.issued
            valid = valid or (period.issued <= on and (period.expires is None or on < period.expires))
        if stage is None and first is None:  # a last stage without a certificate: certification
            day = certification_day(enrolment)
            if day is not None and day <= on:
                return day
        if valid:
            return first
    return None
