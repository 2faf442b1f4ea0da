"""What judging a group yields: the rules it breaks, each parent's completion, each trainee's credit."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .group_rules import GroupKind, kind_label

CompletionStatus = Literal["completed", "not_completed", "in_progress"]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class GroupProblem(_Out):
    """A rule a group breaks: the rule's name, what is wrong, and where the rule comes from."""

    rule: str = Field(min_length=1)
    message: str = Field(min_length=1)
    source: str | None = None
    note: str | None = None
    where: str | None = Field(None, description="The place in the cohort file.")


class CompletionCertificate(_Out):
    """A parent's record of completing the series; the delivering agency issues the certificate."""

    issued_by: str | None = Field(description="The delivering agency, where the group names it.")
    court_ordered: bool
    first_session: date
    last_session: date
    on: date = Field(description="The date of the series' last session.")


class ParentCompletion(_Out):
    """One parent's attendance over the series and whether they completed it."""

    id: str
    parent: str
    status: CompletionStatus
    completed: bool
    missed: int
    absences: list[date] = Field(description="The regular group sessions the parent missed.")
    attended: int
    sessions: int = Field(description="Regular group sessions held so far.")
    allowed_missed: int | None
    court_ordered: bool
    first_attended: date | None
    last_attended: date | None
    certificate: CompletionCertificate | None
    reason: str
    source: str | None = None


class TraineeCredit(_Out):
    """How many sessions of a group credit one trainee, and with which activity."""

    trainee: str
    activity: str
    sessions: int
    dates: list[date]


class GroupReport(_Out):
    """A group's composition check, its parents' completion and its trainees' credit."""

    id: str
    program: str
    kind: GroupKind
    track: str | None
    format: str | None = Field(None, description="The format the group declares, if any.")
    agency: str | None
    facilitators: list[str]
    trainees: list[str]
    sessions: int = Field(description="Regular group sessions held.")
    series_over: bool
    problems: list[GroupProblem]
    participants: list[ParentCompletion]
    credits: list[TraineeCredit]

    def text(self) -> str:
        """The report as a person reads it."""
        track = f", {self.track}" if self.track else ""
        track += f", {self.format} format" if self.format else ""
        state = "series over" if self.series_over else "in progress"
        lines = [
            f"{self.id} ({self.program}, {kind_label(self.kind)}{track}):"
            f" {self.sessions} session{'s' * (self.sessions != 1)}, {state}",
            f"  facilitators: {', '.join(self.facilitators) or '(none)'}",
        ]
        if self.trainees:
            lines.append(f"  trainees: {', '.join(self.trainees)}")
        if not self.problems:
            lines.append("  composition: no rule broken")
        for problem in self.problems:
            lines.append(f"  [problem] {problem.rule}: {problem.message}")
            if problem.where:
                lines.append(f"            at: {problem.where}")
            if problem.source:
                lines.append(f"            source: {problem.source}")
            if problem.note:
                lines.append(f"            note: {problem.note}")
        if self.participants:
            lines.append("  parents:")
        for p in self.participants:
            court = ", court-ordered" if p.court_ordered else ""
            lines.append(
                f"    {p.id:<10} {p.status.replace('_', ' '):<13} missed {p.missed}"
                f" of {p.sessions}{court}: {p.reason}"
            )
        for credit in self.credits:
            lines.append(f"  credits {credit.trainee}: {credit.sessions} x {credit.activity}")
        return "\n".join(lines)

