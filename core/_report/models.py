"""The report models: a cohort's summary and its trainees' statuses (the engine's own model)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from pydantic import BaseModel, ConfigDict, Field

from .._engine.status import Problem, TraineeStatus
from .._model.issuer import Issuer
from .._model.program import Program

#: What the summary says of a program, name or version when no trainee is enrolled in any.
_NONE = "-"


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class CohortSummary(_Out):
    """The cohort the report is about."""

    name: str
    file: str
    program: str
    program_name: str
    version: str
    track: str | None = None
    as_of: date | None = None
    known_at: datetime | None = Field(None, description="As the journal stood at this time.")
    trainees: int
    certified: int
    with_problems: int
    issuer: Issuer | None = Field(None, description="Who issues the certificates (`[issuer]`).")


class CohortReport(_Out):
    """Every trainee of a cohort: stage, certificates, what is missing, problems."""

    cohort: CohortSummary
    trainees: list[TraineeStatus]

    @property
    def problems(self) -> list[tuple[TraineeStatus, Problem]]:
        """Every problem of the cohort with its trainee, in trainee order."""
        return [(t, p) for t in self.trainees for p in t.problems]


def program_line(cohort: CohortSummary) -> str:
    """``mpg 2.0``: the program and version a report is about; empty when it knows of none yet
    (as known before any enrolment was recorded)."""
    return " ".join(part for part in (cohort.program, cohort.version) if part and part != _NONE)


def utc_minute(moment: datetime) -> str:
    """``2026-02-02T17:30Z``: a recording time as headers show it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def summarise(
    name: str, file: str, programs: Sequence[Program], trainees: Sequence[TraineeStatus],
    *, as_of: date | None = None, track: str | None = None, issuer: Issuer | None = None,
    known_at: datetime | None = None,
) -> CohortSummary:
    """The summary line of a report: what it is about, and how many are certified or stuck."""
    ordered = sorted(programs, key=lambda p: p.ref)
    return CohortSummary(
        name=name, file=file,
        program=", ".join(dict.fromkeys(p.key for p in ordered)) or _NONE,
        program_name=", ".join(dict.fromkeys(p.name for p in ordered)) or _NONE,
        version=", ".join(dict.fromkeys(p.version for p in ordered)) or _NONE,
        track=track, as_of=as_of, known_at=known_at, trainees=len(trainees),
        certified=sum(1 for t in trainees if t.certified),
        with_problems=sum(1 for t in trainees if t.problems), issuer=issuer,
    )
