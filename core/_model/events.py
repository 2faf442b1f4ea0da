"""The event vocabulary: everything that can happen to a trainee, as a discriminated union.

Events are immutable facts. A correction is a new `Voided` event naming an earlier one.
An event's id is given by the client or derived from its content, so recording the same fact
twice is a no-op rather than a double count.

Order: a trainee's events fold by date. Within one date, facts apply in a fixed order of kind
(`RANK`: enrolment and resumption first, hold and withdrawal last — so a session held on the
day of a hold still counts) and then by the stage the work belongs to, then by id. Because no
step depends on arrival, any arrival order of the same journal gives the same state.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from .requirements import KEY_PATTERN, ArtifactStatus, Credential

if TYPE_CHECKING:
    from .program import Program

ID_PATTERN = r"^[A-Za-z0-9_.:@/-]{1,128}$"


class EventBase(BaseModel):
    """Fields every event has. ``id`` is derived from the content when not given."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field("", pattern=rf"{ID_PATTERN}|^$")
    on: date = Field(description="The day it happened.")
    trainee: str = Field(min_length=1, max_length=128)
    recorded_by: str | None = Field(None, description="Who recorded it, for the audit trail.")

    #: Fields left out of the content hash: bookkeeping, or filled in by the engine.
    unhashed: ClassVar[frozenset[str]] = frozenset({"id", "recorded_by"})

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
    # pydantic writes the JSON (fields in their declared order, fixed per event kind): the
    # same fact always gives the same bytes, at a fraction of a Python-side dump.
    blob = event.model_dump_json(exclude=event.unhashed, exclude_none=True)  # type: ignore[arg-type]
    return "ev-" + hashlib.sha256(blob.encode()).hexdigest()[:24]


class Enrolled(EventBase):
    """A trainee starts a program. The version is pinned when the enrolment is recorded."""

    kind: Literal["enrolled"] = "enrolled"
    program: str = Field(pattern=KEY_PATTERN)
    version: str | None = Field(None, description="Pinned on record; latest installed if absent.")
    track: str | None = None
    credential: Credential
    co_leader: str | None = Field(None, description="Mental-health co-leader, where required.")
    trainer: str | None = Field(None, description="The certified trainer paired with them.")

    unhashed: ClassVar[frozenset[str]] = frozenset({"id", "recorded_by", "version"})


class Attended(EventBase):
    """The trainee attended one occurrence of an activity (a workshop day, a session)."""

    kind: Literal["attended"] = "attended"
    activity: str = Field(pattern=KEY_PATTERN)


class ArtifactRecorded(EventBase):
    """An artifact reached a status. The work itself is referenced, never stored."""

    kind: Literal["artifact"] = "artifact"
    artifact: str = Field(pattern=KEY_PATTERN)
    status: ArtifactStatus
    ref: str | None = Field(None, description="Tells artifacts apart: the same ref is one artifact.")
    sha256: str | None = Field(None, pattern=r"^[0-9a-f]{64}$", description="Content hash.")


class Waived(EventBase):
    """An approver waives a requirement of a stage, with a reason."""

    kind: Literal["waived"] = "waived"
    requirement: str = Field(pattern=KEY_PATTERN)
    stage: str | None = Field(None, description="The stage; the trainee's current one if absent.")
    reason: str = Field(min_length=1)
    approver: str = Field(min_length=1)


class Held(EventBase):
    """Training is paused; nothing is credited until it resumes."""

    kind: Literal["held"] = "held"
    reason: str | None = None


class Resumed(EventBase):
    """Training continues at the stage where it was held."""

    kind: Literal["resumed"] = "resumed"


class Withdrawn(EventBase):
    """The trainee leaves the program. Final for this enrolment."""

    kind: Literal["withdrawn"] = "withdrawn"
    reason: str | None = None


class Voided(EventBase):
    """An earlier event is declared void: the state becomes as if it had never been recorded."""

    kind: Literal["voided"] = "voided"
    target: str = Field(pattern=ID_PATTERN, description="The id of the event to void.")
    reason: str = Field(min_length=1)


Event = Annotated[
    Enrolled | Attended | ArtifactRecorded | Waived | Held | Resumed | Withdrawn | Voided,
    Field(discriminator="kind"),
]
#: Order of kinds within one date (see the module docstring).
RANK: dict[str, int] = {
    "enrolled": 0,
    "resumed": 1,
    "waived": 2,
    "attended": 3,
    "artifact": 3,
    "held": 4,
    "withdrawn": 5,
    "voided": 6,
}

OrderKey = tuple[date, int, int, str]


def order_key(event: EventBase, program: Program | None) -> OrderKey:
    """Where an event falls in its trainee's fold: (date, kind rank, stage of its key, id)."""
    kind: str = event.kind  # type: ignore[attr-defined]
    stage = 0
    if program is not None:
        key = getattr(event, "activity", None) or getattr(event, "artifact", None)
        if key is not None:
            stage = program.first_stage_of.get((kind, key), 0)
    return (event.on, RANK[kind], stage, event.id)


EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)
EVENT_LIST_ADAPTER: TypeAdapter[list[Event]] = TypeAdapter(list[Event])


def parse_event(data: Any) -> Event:
    """Validate one event from a mapping or JSON-ready data."""
    return EVENT_ADAPTER.validate_python(data)
