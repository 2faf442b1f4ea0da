"""Certificates as every renderer sees them: one `CertificateRecord` per certificate period.

Built from the engine's answers — each enrolment's certificates with their standing (valid,
expired, renewed, revoked) and the requirements each rests on, with the days that counted —
for the printable page, Open Badges credentials, the bulk-issue CSV and xAPI completions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from .._engine.status import CertificateStatus, Progress
from .._model.issuer import Contact
from .._model.requirements import Node, Requirement
from .._model.tree import Combination

if TYPE_CHECKING:
    from .._engine.engine import Engine
    from .._model.program import Stage

#: The statuses under which a certificate may be handed over (printed, signed, bulk-issued).
ISSUABLE: frozenset[str] = frozenset({"valid", "renewed"})


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class EvidenceLine(_Out):
    """What counted toward a certificate, in words: no artifact's content, only its dates."""

    title: str
    narrative: str


class CertificateRecord(_Out):
    """One certificate of completion: who, which program and level, when, and its standing."""

    trainee: str
    name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    email: str | None = None
    program: str
    program_name: str
    program_version: str
    organisation: str
    track: str | None = None
    stage: str
    stage_title: str
    title: str = Field(description="The certificate's title, as the program names it.")
    issued: date
    expires: date | None = None
    status: CertificateStatus = "valid"
    revoked_on: date | None = None
    criteria: list[str] = Field(description="The stage's requirements, one line each.")
    evidence: list[EvidenceLine] = Field(default_factory=list)
    event: str = Field(description="The id of the event that completed the stage.")

    @property
    def display_name(self) -> str:
        """The name a certificate prints: `name`, else given and family names, else the id."""
        return Contact(
            id=self.trainee, name=self.name, given_name=self.given_name, family_name=self.family_name
        ).display_name

    @property
    def key(self) -> str:
        """Identifies the certificate for derived ids: trainee, program version, stage, date."""
        return f"{self.trainee}:{self.program}@{self.program_version}:{self.stage}:{self.issued.isoformat()}"


def criteria_lines(stage: Stage) -> list[str]:
    """Each requirement of `stage` as a line a certificate can print (``Supervision sessions: 14``)."""
    return [line for node in stage.requirements for line in _criteria(node, "")]


def _criteria(node: Node, indent: str) -> Iterator[str]:
    label = node.label()
    label = label[:1].upper() + label[1:]
    if isinstance(node, Combination):
        how = {"all_of": "all of", "any_of": "one of"}.get(node.kind, f"{getattr(node, 'n', '')} of")
        yield f"{indent}{label} ({how}):"
        for child in node.requirements:
            yield from _criteria(child, indent + "  ")
    elif isinstance(node, Requirement) and node.watches():
        yield f"{indent}{label}: {node.count:g}"
    else:
        yield f"{indent}{label}"


def certificate_records(
    engine: Engine,
    contacts: Mapping[str, Contact],
    *,
    as_of: date | None = None,
    trainees: Iterable[str] | None = None,
) -> list[CertificateRecord]:
    """Every certificate period the engine reports for `trainees` (default: all), as of `as_of`,
    revoked ones included (with their status: renderers that hand certificates over skip them).

    :param contacts: names and e-mail addresses by trainee id; a trainee without one is named
        by their id.
    """
    wanted = set(trainees) if trainees is not None else None
    out: list[CertificateRecord] = []
    for st in engine.statuses(as_of=as_of):
        if not st.certificates or st.program is None or st.version is None:
            continue
        if wanted is not None and st.id not in wanted:
            continue
        program = engine.programs.get(st.program, st.version)
        contact = contacts.get(st.id) or Contact(id=st.id)
        stages = engine.progress(st.id, program=st.program, as_of=as_of)
        for cert in st.certificates:
            stage = program.stage(cert.stage)
            if stage is None:
                continue
            out.append(CertificateRecord(
                trainee=st.id, name=contact.name, given_name=contact.given_name,
                family_name=contact.family_name, email=contact.email, program=program.key,
                program_name=program.name, program_version=program.version,
                organisation=program.organisation, track=st.track, stage=stage.key,
                stage_title=stage.title, title=cert.title, issued=cert.on, expires=cert.expires,
                status=cert.status, revoked_on=cert.revoked_on, criteria=criteria_lines(stage),
                evidence=evidence_lines(stages.get(stage.key, [])), event=cert.event,
            ))
    return out


def evidence_lines(requirements: list[Progress]) -> list[EvidenceLine]:
    """What counted toward a stage, requirement by requirement: how many, on which days."""
    out: list[EvidenceLine] = []
    for req in requirements:
        label = req.title[:1].upper() + req.title[1:]
        if req.waived:
            out.append(EvidenceLine(title=label, narrative="waived"))
        elif req.dates:
            days = sorted(req.dates)
            span = days[0].isoformat() if len(days) == 1 else f"{days[0]} to {days[-1]}"
            out.append(EvidenceLine(
                title=label, narrative=f"{len(days)} counted ({span}); {req.need:g} required",
            ))
        out += evidence_lines(req.children)
    return out
