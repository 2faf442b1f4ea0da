"""What the engine answers, as JSON-ready models: one enrolment's status, and its explanation.

These are the only output models: the cohort runner, the store commands and every renderer
(`facilitrack.report`) take them as they are. A `TraineeStatus` is one enrolment of one person —
a person in two programs has two.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .._model.program import CERTIFIED
from .._text import clean, display_width, terminal_safe, wrap

CertificateStatus = Literal["valid", "expired", "renewed", "revoked"]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Progress(_Out):
    """One requirement node: what the trainee has against what it needs, and why not yet.

    Combinations (`any_of`...) carry their children; `dates` (explain only) are the days of the
    work that counted.
    """

    stage: str
    requirement: str = Field(description="The node's key (what a waiver names).")
    kind: str
    title: str
    have: int | float
    need: int | float
    met: bool
    waived: bool = False
    reason: str | None = Field(None, description="Why it is not met, where have/need does not say.")
    window: str | None = Field(None, description="Where work counts, when it declares a window.")
    opens: str | None = Field(None, description="What must be met before it takes credit.")
    source: str | None = None
    note: str | None = None
    dates: list[date] = Field(default_factory=list, description="Days of the work that counted.")
    children: list[Progress] = Field(default_factory=list)


class Certificate(_Out):
    """A certificate period: issued on completing a stage (or renewed), and its standing."""

    stage: str
    title: str
    on: date = Field(description="The day it was issued (or the renewed period began).")
    event: str = Field(description="The id of the event that completed the stage (or renewed it).")
    expires: date | None = Field(None, description="The first day it is no longer valid.")
    status: CertificateStatus = "valid"
    revoked_on: date | None = Field(None, description="The day of the void that revoked it.")


class Problem(_Out):
    """An event that was kept but not credited — or a row to look at — and why."""

    event: str | None = None
    on: date
    reason: str
    where: str | None = Field(None, description="The place in the cohort file (`events[3]`).")
    field: str | None = Field(None, description="The enrolment field that can fix it (`co_leader`).")


class TraineeStatus(_Out):
    """Where one enrolment of one person stands: stage, certificates, what is missing, problems."""

    id: str
    name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    email: str | None = None
    credential: str | None = None
    trainer: str | None = None
    co_leader: str | None = None
    program: str | None
    version: str | None
    track: str | None
    enrolled_on: date | None = None
    stage: str = Field(description="A stage key, or certified, on_hold, withdrawn, not_enrolled.")
    stage_title: str
    held_stage: str | None = Field(None, description="On hold: the stage that resumes.")
    certified: bool
    certificates: list[Certificate]
    missing: list[Progress]
    problems: list[Problem]
    as_of: date | None = None
    known_at: datetime | None = None


class Explanation(_Out):
    """A status with every requirement of the current stage (and of stages already open), as
    trees, and what comes next."""

    status: TraineeStatus
    cohort: str | None = None
    stage: str | None = Field(None, description="The stage the requirements belong to.")
    requirements: list[Progress]
    upcoming: list[Progress] = Field(
        default_factory=list, description="Requirements of later stages that already take credit."
    )
    renewal: list[Progress] = Field(default_factory=list, description="Toward renewing the certificate.")
    next_stage: str | None = None
    next_title: str | None = None
    next_certificate: str | None = None

    def text(self, width: int = 80) -> str:
        """The explanation as a person reads it (`render_explanation`)."""
        return render_explanation(self, width)


# -- as a person reads it ----------------------------------------------------------------------


def _mark(req: Progress) -> str:
    if req.waived:
        return "waived"
    return "done" if req.met else "missing"


def _count(req: Progress) -> str:
    return f"{req.have:g}/{req.need:g}" if isinstance(req.have, float) or isinstance(req.need, float) \
        else f"{req.have}/{req.need}"


def _tree_lines(reqs: list[Progress], width: int, depth: int = 0) -> list[str]:
    """Each requirement: mark, have/need, title (key); what counted, why not, where it comes from."""
    out: list[str] = []
    counts = [_count(r) for r in reqs]
    count_width = max((len(c) for c in counts), default=0)
    indent = "  " + "    " * depth
    hang = " " * (len(indent) + 9 + 2 + count_width + 2)
    for req, count in zip(reqs, counts, strict=True):
        head = f"{indent}[{_mark(req):7}]  {count:<{count_width}}  "
        plain = req.title in (req.requirement, req.requirement.replace("_", " "))
        combined = {"all_of": "all of", "any_of": "any of", "n_of": f"{req.need} of"}.get(req.kind)
        title = req.requirement if plain else f"{req.title} ({req.requirement})"
        title = clean(f"{combined}: {title}" if combined else title)
        lines = wrap(title, max(width - len(head), 10))
        out.append(head + lines[0])
        out.extend(hang + more for more in lines[1:])
        for label, value in (
            ("counted", ", ".join(d.isoformat() for d in req.dates)),
            ("why", req.reason or ""), ("window", req.window or ""), ("", req.opens or ""),
            ("source", req.source or ""), ("note", req.note or ""),
        ):
            if value:
                out.extend(wrap(f"{label}: {value}" if label else value, width, indent=hang))
        out += _tree_lines(req.children, width, depth + 1)
    return out


def _joined(parts: list[str], width: int) -> list[str]:
    """`parts` joined by `` · `` in lines of at most `width` columns, broken between parts
    (a part longer than a line wraps on its own); lines after the first are indented."""
    lines: list[str] = []
    for part in (clean(p) for p in parts):
        if lines and display_width(f"{lines[-1]} · {part}") <= width:
            lines[-1] += f" · {part}"
        else:
            lines += wrap(part, width, indent="  " if lines else "")
    return lines


def render_explanation(expl: Explanation, width: int = 80) -> str:
    """What a trainee has, what they need and what comes next, as text."""
    t = expl.status
    who = f"{t.name} ({t.id})" if t.name else t.id
    when = f"as of {t.as_of.isoformat()}" if t.as_of else "all events"
    if t.known_at is not None:
        when += f", as known at {t.known_at.isoformat(timespec='seconds')}"
    track = f", {t.track} track" if t.track else ""
    parts = [who, *([expl.cohort] if expl.cohort else []),
             f"{t.program} {t.version}{track}" if t.program else "not enrolled", when]
    out = [*_joined(parts, width), f"stage: {t.stage_title}"]
    for cert in t.certificates:
        standing = {"valid": "holds", "expired": "held (expired)", "renewed": "held (renewed)",
                    "revoked": "revoked"}[cert.status]
        until = f", until {cert.expires.isoformat()}" if cert.expires and cert.status == "valid" else ""
        out.extend(wrap(f"{standing}: {cert.title} (since {cert.on.isoformat()}{until})", width))
    if expl.requirements:
        out += ["", f"requirements of {expl.stage}:", *_tree_lines(expl.requirements, width)]
    if expl.upcoming:
        out += ["", "already taking credit, for later stages:", *_tree_lines(expl.upcoming, width)]
    if expl.renewal:
        out += ["", "toward renewing the certificate:", *_tree_lines(expl.renewal, width)]
    if expl.next_title:
        issuing = f"; completing {expl.stage} issues {expl.next_certificate}" if expl.next_certificate else ""
        out += ["", *wrap(f"next: {expl.next_title}{issuing}", width)]
    elif t.stage == CERTIFIED:
        out += ["", "next: nothing; every stage is complete"]
    if t.problems:
        out += ["", "problems:"]
        for p in t.problems:
            where = f"{p.where} " if p.where else ""
            out.extend(wrap(f"{where}{p.on.isoformat()}: {p.reason}", width, indent="  "))
    return terminal_safe("\n".join(out) + "\n", multiline=True)
