"""What the engine answers: a trainee's status and its explanation, as JSON-ready models."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class IssuedCertificate(_Out):
    """A certificate a trainee holds: the stage that issued it and when."""

    stage: str
    title: str
    on: date
    event: str = Field(description="The id of the event that completed the stage.")


class Progress(_Out):
    """One requirement of a stage: how much the trainee has against what is needed."""

    stage: str
    requirement: str
    kind: str
    title: str
    have: int
    need: int
    waived: bool = False
    source: str | None = None
    note: str | None = None
    dates: list[date] = Field(default_factory=list, description="Dates that counted (explain).")

    @property
    def met(self) -> bool:
        """Whether the requirement no longer holds the trainee back."""
        return self.waived or self.have >= self.need


class Problem(_Out):
    """An event that was kept but not credited, and why."""

    event: str
    on: date
    reason: str


class TraineeStatus(_Out):
    """Where a trainee stands: stage, certificates, what is missing, problems."""

    id: str
    program: str | None
    version: str | None
    track: str | None
    stage: str = Field(description="A stage key, or certified, on_hold, withdrawn, not_enrolled.")
    stage_title: str
    certified: bool
    certificates: list[IssuedCertificate]
    missing: list[Progress]
    problems: list[Problem]
    as_of: date | None = None


class Explanation(_Out):
    """A status with every requirement of the current stage and what comes next."""

    status: TraineeStatus
    requirements: list[Progress]
    next_stage: str | None
    next_title: str | None
    next_certificate: str | None

    def text(self) -> str:
        """The explanation as a person reads it."""
        st = self.status
        when = f" as of {st.as_of.isoformat()}" if st.as_of else ""
        lines = [f"{st.id}: {st.stage_title}{when} ({st.program}@{st.version})"]
        for cert in st.certificates:
            lines.append(f"  holds {cert.title} (since {cert.on.isoformat()})")
        if self.requirements:
            lines.append(f"  requirements of {st.stage}:")
        for req in self.requirements:
            mark = "waived" if req.waived else ("done" if req.met else "missing")
            lines.append(f"    [{mark:7}] {req.title}: {req.have}/{req.need}")
            if req.dates:
                lines.append("              counted: " + ", ".join(d.isoformat() for d in req.dates))
            if req.source:
                lines.append(f"              source: {req.source}")
            if req.note:
                lines.append(f"              note: {req.note}")
        if self.next_title:
            issuing = f", issuing {self.next_certificate}" if self.next_certificate else ""
            lines.append(f"  next: {self.next_title}{issuing}")
        for problem in st.problems:
            lines.append(f"  problem {problem.on.isoformat()} {problem.event}: {problem.reason}")
        return "\n".join(lines)
