"""What the coordinator's report page shows, as one JSON-ready model (`CoordinatorReport`).

`coordinator_report` puts together the cohort report, each trainee's requirement progress and
certificates (through the two adapters, `progress` and `certificates`) and the groups; the HTML
renderer only draws it, and ``facilitrack report --format json`` prints it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from .._engine.status import Progress, TraineeStatus
from .._model.issuer import Contact
from .._model.program import CERTIFIED, NOT_ENROLLED, ON_HOLD, WITHDRAWN
from .certificates import CertificateRecord, certificate_records
from .groups import GroupsReport
from .models import CohortReport, CohortSummary
from .progress import requirement_progress

if TYPE_CHECKING:
    from .._engine.engine import Engine

#: States after a program's own stages, in the order the stage strip shows them.
_AFTER = ((CERTIFIED, "Certified"), (ON_HOLD, "On hold"), (WITHDRAWN, "Withdrawn"),
          (NOT_ENROLLED, "Not enrolled"))


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class StageCount(_Out):
    """One cell of the stage strip: a stage and how many trainees are in it."""

    stage: str
    title: str
    count: int


class StageStrip(_Out):
    """A program's stages in order, then certified, on hold, withdrawn: who is where."""

    program: str
    program_name: str
    version: str
    stages: list[StageCount]


class TraineeView(_Out):
    """One trainee's card: their line of the report, their progress, their certificates."""

    trainee: TraineeStatus
    requirements: list[Progress] = Field(
        description="Every requirement of the current (or held) stage; none once certified or withdrawn."
    )
    certificates: list[CertificateRecord]


class CoordinatorReport(_Out):
    """The coordinator's report: summary, stage strips, trainees, groups."""

    cohort: CohortSummary
    strips: list[StageStrip]
    trainees: list[TraineeView]
    groups: GroupsReport | None = None


def contacts_of(report: CohortReport) -> dict[str, Contact]:
    """Each trainee's name and e-mail address, as the report carries them."""
    return {
        t.id: Contact(id=t.id, name=t.name, given_name=t.given_name, family_name=t.family_name, email=t.email)
        for t in report.trainees
    }


def coordinator_report(
    report: CohortReport, engine: Engine, *, groups: GroupsReport | None = None, as_of: date | None = None
) -> CoordinatorReport:
    """The report page's model for `report`, whose trainees `engine` holds."""
    ids = [t.id for t in report.trainees]
    records = certificate_records(engine, contacts_of(report), as_of=as_of, trainees=ids)
    by_trainee: dict[str, list[CertificateRecord]] = {}
    for record in records:
        by_trainee.setdefault(record.trainee, []).append(record)
    trainees = [
        TraineeView(
            trainee=t,
            requirements=requirement_progress(engine, t.id, program=t.program, as_of=as_of)
            if t.program else [],
            certificates=[c for c in by_trainee.get(t.id, []) if c.program == t.program],
        )
        for t in report.trainees
    ]
    return CoordinatorReport(
        cohort=report.cohort, strips=_strips(report, engine), trainees=trainees, groups=groups
    )


def _strips(report: CohortReport, engine: Engine) -> list[StageStrip]:
    """One strip per program version the trainees follow, in order of first appearance."""
    refs: list[tuple[str, str]] = []
    for t in report.trainees:
        if t.program and t.version and (t.program, t.version) not in refs:
            refs.append((t.program, t.version))
    strips = []
    for key, version in refs:
        program = engine.programs.get(key, version)
        mine = [t for t in report.trainees if (t.program, t.version) == (key, version)]
        counts: dict[str, int] = {}
        for t in mine:
            counts[t.stage] = counts.get(t.stage, 0) + 1
        cells = [StageCount(stage=s.key, title=s.title, count=counts.get(s.key, 0)) for s in program.stages]
        cells += [
            StageCount(stage=state, title=title, count=counts.get(state, 0))
            for state, title in _AFTER if counts.get(state) or state == CERTIFIED
        ]
        strips.append(StageStrip(program=key, program_name=program.name, version=version, stages=cells))
    return strips
