"""Requirement kinds, and how progress toward each is counted.

A requirement is data (a frozen pydantic model with a ``kind``) plus one method, `have`, that
reads a trainee's progress in the current stage. Plugins add kinds by subclassing
`Requirement` and registering the class through the ``facilitrack_requirement_kinds`` hook;
definitions then refer to the new kind by name, in Python or in TOML.

Two more methods, `synthetic_events` and `synthetic_enrolment`, say how to *meet* a
requirement: the conformance check (`facilitrack.testing`) uses them to drive a real engine
with a trainee who has exactly what each stage asks, and one who is one short. The defaults
cover kinds credited by attendances and artifacts; a kind whose `have` counts differently
overrides them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from .._engine.state import TraineeState
    from .events import Event

KEY_PATTERN = r"^[a-z][a-z0-9_]*$"


class Credential(StrEnum):
    """A trainee's professional credential, as the cohort file spells it."""

    licensed = "licensed"
    pre_licensed = "pre_licensed"
    early_childhood = "early_childhood"
    other = "other"


#: Credentials that count as a mental-health professional (crc-faq.txt: "pre-licensed and
#: licensed mental health professionals").
MENTAL_HEALTH: frozenset[Credential] = frozenset({Credential.licensed, Credential.pre_licensed})


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


class Requirement(BaseModel):
    """What a stage asks for. Subclasses set ``kind`` and implement `have`.

    ``credited_by`` names the event kind whose ``key`` (activity or artifact) advances this
    requirement; the engine re-counts a requirement only when such an event is credited, which
    keeps the fold fast. A kind credited by no event (credentials, pairing) is counted once when
    its stage begins.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    key: str = Field(pattern=KEY_PATTERN, description="The activity or artifact it counts.")
    count: int = Field(1, gt=0, description="How many are needed.")
    title: str = ""
    source: str | None = Field(None, description="Where the number comes from (a citation).")
    note: str | None = Field(None, description="An assumption, labelled as one, where no source.")
    waivable: bool = False

    credited_by: ClassVar[str | None] = None

    def have(self, state: TraineeState) -> int:
        """How much of `count` the trainee has in the current stage."""
        raise NotImplementedError(f"requirement kind {self.kind!r} does not count progress")

    def label(self) -> str:
        """A short human name: the title, or the key."""
        return self.title or self.key.replace("_", " ")

    def synthetic_events(self, trainee: str, on: date, have: int) -> list[Event]:
        """Events, all dated `on`, that give `trainee` exactly `have` of this requirement.

        The conformance check calls it with ``have=count`` and ``have=count - 1`` and gives
        every event its own id, so identical events are fine. The default serves kinds
        credited by ``attended`` (one attendance of `key` per unit) and by ``artifact`` (one
        artifact of `key` per unit, at the requirement's ``status`` if it has one); kinds
        credited by no event need none. Override it when `have` counts another way.
        """
        from .events import ArtifactRecorded, Attended

        if self.credited_by is None:
            return []
        if self.credited_by == "attended":
            return [Attended(trainee=trainee, on=on, activity=self.key) for _ in range(have)]
        if self.credited_by == "artifact":
            status = getattr(self, "status", ArtifactStatus.submitted)
            return [
                ArtifactRecorded(
                    trainee=trainee, on=on, artifact=self.key, status=status,
                    ref=f"{self.key}-{n}",
                )
                for n in range(1, have + 1)
            ]
        raise NotImplementedError(
            f"requirement kind {self.kind!r} is credited by {self.credited_by!r} events;"
            " override synthetic_events to say which events meet it"
        )

    def synthetic_enrolment(self, have: int) -> dict[str, Any] | None:
        """Enrolment fields (credential, co_leader, trainer) that give `have` of this requirement.

        For kinds read from the enrolment, like credentials and pairing. An empty mapping means
        the enrolment does not matter; None means `have` cannot be reached that way (a rule
        that lets every credential in can never hold anyone back).
        """
        return {}


class Attendance(Requirement):
    """Attend an activity (workshop day, supervision session, group session) `count` times."""

    kind: Literal["attendance"] = "attendance"
    credited_by: ClassVar[str | None] = "attended"

    def have(self, state: TraineeState) -> int:
        return state.counts.get(self.key, 0)


class Artifact(Requirement):
    """Hand in `count` artifacts of one key that have reached `status` (or beyond).

    Artifacts are told apart by their ``ref``; events without one are each a new artifact.
    """

    kind: Literal["artifact"] = "artifact"
    status: ArtifactStatus = ArtifactStatus.submitted
    credited_by: ClassVar[str | None] = "artifact"

    def have(self, state: TraineeState) -> int:
        need = self.status.rank
        return sum(1 for rank in state.artifacts.get(self.key, {}).values() if rank >= need)


class CredentialRule(Requirement):
    """Who may enter the stage: `allowed` alone, `with_co_leader` only beside an MH co-leader."""

    kind: Literal["credential"] = "credential"
    key: str = Field("credential", pattern=KEY_PATTERN)
    allowed: tuple[Credential, ...] = Field(min_length=1)
    with_co_leader: tuple[Credential, ...] = ()

    def have(self, state: TraineeState) -> int:
        credential = state.credential
        if credential in self.allowed:
            return 1
        return int(credential in self.with_co_leader and state.co_leader is not None)

    def synthetic_enrolment(self, have: int) -> dict[str, Any] | None:
        """An allowed credential for 1; for 0, a co-leader credential without one, or any other."""
        if have >= 1:
            return {"credential": self.allowed[0]}
        barred = [c for c in Credential if c not in self.allowed]
        if not barred:
            return None
        return {"credential": barred[0], "co_leader": None}


class Pairing(Requirement):
    """The trainee is paired with a certified trainer (named on enrolment)."""

    kind: Literal["pairing"] = "pairing"
    key: str = Field("certified_trainer", pattern=KEY_PATTERN)

    def have(self, state: TraineeState) -> int:
        return int(state.trainer is not None)

    def synthetic_enrolment(self, have: int) -> dict[str, Any] | None:
        """A named trainer for 1, none for 0."""
        return {"trainer": "certified-trainer" if have >= 1 else None}


BUILTIN_KINDS: tuple[type[Requirement], ...] = (Attendance, Artifact, CredentialRule, Pairing)

RegisterKind = Callable[[type[Requirement]], None]


class RequirementKinds:
    """The requirement kinds a definition may use: the built-ins plus those plugins register."""

    def __init__(self) -> None:
        self._kinds: dict[str, type[Requirement]] = {}
        for cls in BUILTIN_KINDS:
            self.register(cls)

    def register(self, cls: type[Requirement]) -> None:
        """Add a kind; its ``kind`` field must default to a unique name."""
        name = cls.model_fields["kind"].default
        if not isinstance(name, str) or not name:
            raise TypeError(f"{cls.__name__}.kind needs a default naming the kind")
        known = self._kinds.get(name)
        if known is not None and known is not cls:
            raise ValueError(f"requirement kind {name!r} is registered twice")
        self._kinds[name] = cls

    def names(self) -> list[str]:
        """Known kind names, sorted."""
        return sorted(self._kinds)

    def parse(self, data: Any) -> Requirement:
        """Build a requirement from a mapping, choosing the class by its ``kind``."""
        if isinstance(data, Requirement):
            return data
        if not isinstance(data, dict):
            raise ValueError("a requirement is a table with a `kind`")
        name = data.get("kind")
        cls = self._kinds.get(name) if isinstance(name, str) else None
        if cls is None:
            raise ValueError(f"unknown requirement kind {name!r}; known kinds: {', '.join(self.names())}")
        return cls.model_validate(data)
