"""Certificates as every renderer sees them: one `CertificateRecord` per certificate issued.

This is the one adapter between today's engine answers and the certificate renderers (the
printable page, Open Badges credentials, the bulk-issue CSV, xAPI completions): when the engine
gains a certificate lifecycle (valid, expired, renewed, revoked, with dates), only
`certificate_records` changes. Today every certificate the engine reports is ``valid``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from .._model.events import ArtifactRecorded, Attended, Enrolled, Event, Voided, Waived
from .._model.issuer import Contact

if TYPE_CHECKING:
    from .._engine.engine import Engine
    from .._model.program import Stage

CertificateStatus = Literal["valid", "expired", "renewed", "revoked"]
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
    lines = []
    for req in stage.requirements:
        label = req.label()
        label = label[:1].upper() + label[1:]
        if req.credited_by is not None:
            lines.append(f"{label}: {req.count}")
        else:
            lines.append(label)
    return lines


def certificate_records(
    engine: Engine,
    contacts: Mapping[str, Contact],
    *,
    as_of: date | None = None,
    trainees: Iterable[str] | None = None,
) -> list[CertificateRecord]:
    """Every certificate the engine reports for `trainees` (default: all), as of `as_of`.

    :param contacts: names and e-mail addresses by trainee id; a trainee without one is named
        by their id.
    """
    out: list[CertificateRecord] = []
    for trainee in trainees if trainees is not None else engine.trainees():
        st = engine.status(trainee, as_of=as_of)
        if not st.certificates or st.program is None or st.version is None:
            continue
        program = engine.programs.get(st.program, st.version)
        contact = contacts.get(trainee) or Contact(id=trainee)
        live = _credited_events(engine, trainee, as_of, {p.event for p in st.problems})
        opened = min((e.on for e in live if isinstance(e, Enrolled)), default=None)
        for cert in st.certificates:
            stage = program.stage(cert.stage)
            if stage is None:
                continue
            out.append(CertificateRecord(
                trainee=trainee, name=contact.name, given_name=contact.given_name,
                family_name=contact.family_name, email=contact.email, program=program.key,
                program_name=program.name, program_version=program.version,
                organisation=program.organisation, track=st.track, stage=stage.key,
                stage_title=stage.title, title=cert.title, issued=cert.on,
                criteria=criteria_lines(stage), evidence=_evidence(stage, live, opened, cert.on),
                event=cert.event,
            ))
            opened = cert.on
    return out


def _credited_events(engine: Engine, trainee: str, as_of: date | None, uncredited: set[str]) -> list[Event]:
    """The trainee's events that stand and were credited: not voided, not kept as problems."""
    events = [e for e in engine.journal.events(trainee) if as_of is None or e.on <= as_of]
    voided = {e.target for e in events if isinstance(e, Voided)}
    return [
        e for e in events
        if e.id not in voided and e.id not in uncredited and not isinstance(e, Voided)
    ]


def _evidence(stage: Stage, events: list[Event], start: date | None, end: date) -> list[EvidenceLine]:
    """What counted toward `stage` between its opening and its completion, requirement by requirement."""
    out: list[EvidenceLine] = []
    window = [e for e in events if (start is None or e.on >= start) and e.on <= end]
    waived = {
        e.requirement: e.on for e in window
        if isinstance(e, Waived) and (e.stage is None or e.stage == stage.key)
    }
    for req in stage.requirements:
        label = req.label()
        label = label[:1].upper() + label[1:]
        if req.key in waived:
            out.append(EvidenceLine(title=label, narrative=f"waived on {waived[req.key].isoformat()}"))
        if req.credited_by == "attended":
            days = sorted(e.on for e in window if isinstance(e, Attended) and e.activity == req.key)
            if days:
                span = days[0].isoformat() if len(days) == 1 else f"{days[0]} to {days[-1]}"
                out.append(EvidenceLine(
                    title=label, narrative=f"{len(days)} attended ({span}); {req.count} required",
                ))
        elif req.credited_by == "artifact":
            reached: dict[str, tuple[int, ArtifactRecorded]] = {}
            for e in window:
                if isinstance(e, ArtifactRecorded) and e.artifact == req.key:
                    ref = e.ref or e.id
                    if ref not in reached or e.status.rank >= reached[ref][0]:
                        reached[ref] = (e.status.rank, e)
            for _, e in sorted(reached.values(), key=lambda r: (r[1].on, r[1].id)):
                out.append(EvidenceLine(title=label, narrative=f"{e.status.value} on {e.on.isoformat()}"))
    return out
