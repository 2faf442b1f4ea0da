"""The event vocabulary: everything that can happen to a person, as a discriminated union.

Events are immutable facts. A correction is a new `Voided` event naming an earlier one.
An event's id is given by the client or derived from its content, so recording the same fact
twice is a no-op rather than a double count; two identical facts (two sessions on one day) are
told apart by `occurrence` (2, 3, ...), which gives the second its own id.

Every event names a person in ``trainee`` (for a staff member's `PersonRecorded`, the staff
member). A person may hold several enrolments; an event names the enrolment it belongs to by
``program`` when the person has more than one (see `facilitrack._engine.resolve`).

Order: a person's events fold by date. Within one date, facts apply in a fixed order of kind
(`RANK`: enrolment and resumption first, hold and withdrawal last — so a session held on the
day of a hold still counts) and then by the stage the work belongs to, then by id. Because no
step depends on arrival, any arrival order of the same journal gives the same state.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from .ids import ID_PATTERN, KEY_PATTERN


class ArtifactStatus(StrEnum):
    """How far an artifact has come; each status includes the ones before it."""

    submitted = "submitted"
    presented = "presented"
    approved = "approved"

    @property
    def rank(self) -> int:
        """Position in the order submitted < presented < approved."""
        return _STATUS_RANK[self]


_STATUS_RANK = {ArtifactStatus.submitted: 1, ArtifactStatus.presented: 2, ArtifactStatus.approved: 3}

ProgramKey = Annotated[
    str | None,
    Field(pattern=KEY_PATTERN, description="The program of the enrolment it belongs to."),
]


class EventBase(BaseModel):
    """Fields every event has. ``id`` is derived from the content when not given."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field("", pattern=rf"{ID_PATTERN}|^$")
    on: date = Field(description="The day it happened.")
    trainee: str = Field(min_length=1, max_length=128, description="The person's id.")
    recorded_by: str | None = Field(None, description="Who recorded it, for the audit trail.")
    occurrence: int | None = Field(
        None, ge=2, description="The 2nd, 3rd... identical fact: gives it its own id."
    )

    #: Fields left out of the content hash: bookkeeping, or filled in by the engine.
    unhashed: ClassVar[frozenset[str]] = frozenset({"id", "recorded_by", "occurrence"})

    @model_validator(mode="after")
    def _derive_id(self) -> EventBase:
        if not self.id:
            self.__dict__["id"] = content_id(self)
        return self

    def content(self) -> dict[str, Any]:
        """The fact itself, as JSON-ready data: what idempotency compares."""
        return self.model_dump(mode="json", exclude=set(self.unhashed), exclude_none=True)


def content_id(event: EventBase) -> str:
    """A stable id from an event's content: same fact, same id."""
    if event.occurrence is not None:
        return occurrence_id(event, event.occurrence)
    # pydantic writes the JSON (fields in their declared order, fixed per event kind): the
    # same fact always gives the same bytes, at a fraction of a Python-side dump.
    blob = event.model_dump_json(exclude=event.unhashed, exclude_none=True)  # type: ignore[arg-type]
    return "ev-" + hashlib.sha256(blob.encode()).hexdigest()[:24]


def occurrence_id(event: EventBase, occurrence: int) -> str:
    """The id of the `occurrence`-th identical copy of a fact (2, 3, ...)."""
    content = event.model_dump(mode="json", exclude=set(event.unhashed), exclude_none=True)
    content["occurrence"] = occurrence
    blob = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "ev-" + hashlib.sha256(blob.encode()).hexdigest()[:24]


class Enrolled(EventBase):
    """A person starts a program. The version is pinned when the enrolment is recorded."""

    kind: Literal["enrolled"] = "enrolled"
    program: str = Field(pattern=KEY_PATTERN)
    version: str | None = Field(None, description="Pinned on record; latest installed if absent.")
    track: str | None = None
    credential: str = Field(pattern=KEY_PATTERN, description="A credential the program declares.")
    co_leader: str | None = Field(None, description="Mental-health co-leader, where required.")
    trainer: str | None = Field(None, description="The certified trainer paired with them.")

    unhashed: ClassVar[frozenset[str]] = frozenset({"id", "recorded_by", "occurrence", "version"})


class Attended(EventBase):
    """The person attended one occurrence of an activity (a workshop day, a session)."""

    kind: Literal["attended"] = "attended"
    activity: str = Field(pattern=KEY_PATTERN)
    program: ProgramKey = None
    quantity: float | None = Field(None, ge=0, le=10_000, description="Hours (or another unit).")
    mode: str | None = Field(None, pattern=KEY_PATTERN, description="How it was held: live, online...")
    score: float | None = Field(None, ge=-1_000_000, le=1_000_000, description="A result, if scored.")


class Absent(EventBase):
    """The person, a member of a group, missed one of its sessions."""

    kind: Literal["absent"] = "absent"
    activity: str = Field(pattern=KEY_PATTERN)
    program: ProgramKey = None
    reason: str | None = None


class ArtifactRecorded(EventBase):
    """An artifact reached a status. The work itself is referenced, never stored."""

    kind: Literal["artifact"] = "artifact"
    artifact: str = Field(pattern=KEY_PATTERN)
    status: ArtifactStatus
    ref: str | None = Field(None, description="Tells artifacts apart: the same ref is one artifact.")
    sha256: str | None = Field(None, pattern=r"^[0-9a-f]{64}$", description="Content hash.")
    program: ProgramKey = None
    score: float | None = Field(None, ge=-1_000_000, le=1_000_000, description="A result, if scored.")


class Waived(EventBase):
    """An approver waives a requirement of a stage, with a reason."""

    kind: Literal["waived"] = "waived"
    requirement: str = Field(pattern=KEY_PATTERN)
    stage: str | None = Field(None, description="The stage; the trainee's current one if absent.")
    reason: str = Field(min_length=1)
    approver: str = Field(min_length=1)
    program: ProgramKey = None


class Held(EventBase):
    """Training is paused; nothing is credited until it resumes."""

    kind: Literal["held"] = "held"
    reason: str | None = None
    program: ProgramKey = None


class Resumed(EventBase):
    """Training continues at the stage where it was held."""

    kind: Literal["resumed"] = "resumed"
    program: ProgramKey = None


class Withdrawn(EventBase):
    """The person leaves the program. Final for this enrolment; they may enrol again."""

    kind: Literal["withdrawn"] = "withdrawn"
    reason: str | None = None
    program: ProgramKey = None


class Voided(EventBase):
    """An earlier event is declared void: the state becomes as if it had never been recorded."""

    kind: Literal["voided"] = "voided"
    target: str = Field(pattern=ID_PATTERN, description="The id of the event to void.")
    reason: str = Field(min_length=1)


class PersonRecorded(EventBase):
    """What a program's rules may ask of a person from this day: credential and roles.

    Staff who are not enrolled (a certified trainer, a co-leader) are known through these. Each
    holds from its day until the next (a person's first one also covers the days before it); a
    wrong one is corrected by voiding it (docs/semantics.md). Names and contact details are not
    facts of the journal, which keeps them forever: they live in the store's people directory,
    which can be corrected and erased (`facilitrack.report.Contact`).
    """

    kind: Literal["person"] = "person"
    credential: str | None = Field(None, pattern=KEY_PATTERN)
    roles: tuple[str, ...] = Field((), description="Roles the person holds (certified_trainer...).")


Event = Annotated[
    Enrolled | Attended | Absent | ArtifactRecorded | Waived | Held | Resumed | Withdrawn | Voided
    | PersonRecorded,
    Field(discriminator="kind"),
]

#: Every kind of event, by its ``kind``.
EVENT_KINDS: dict[str, type[EventBase]] = {
    cls.model_fields["kind"].default: cls
    for cls in (Enrolled, Attended, Absent, ArtifactRecorded, Waived, Held, Resumed, Withdrawn,
                Voided, PersonRecorded)
}

#: Kinds whose ``activity`` or ``artifact`` key is credited to a requirement.
CREDITED_KINDS = frozenset({"attended", "absent", "artifact"})

#: Order of kinds within one date (see the module docstring).
RANK: dict[str, int] = {
    "person": 0,
    "enrolled": 0,
    "resumed": 1,
    "waived": 2,
    "attended": 3,
    "absent": 3,
    "artifact": 3,
    "held": 4,
    "withdrawn": 5,
    "voided": 6,
}

OrderKey = tuple[date, int, int, str]


def work_key(event: EventBase) -> str | None:
    """The activity or artifact an event credits, if any."""
    return getattr(event, "activity", None) or getattr(event, "artifact", None)


EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)
EVENT_LIST_ADAPTER: TypeAdapter[list[Event]] = TypeAdapter(list[Event])


def parse_event(data: Any) -> Event:
    """Validate one event from a mapping or JSON-ready data."""
    return EVENT_ADAPTER.validate_python(data)
