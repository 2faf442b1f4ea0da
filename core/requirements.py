"""Requirement kinds, and how progress toward each is counted.

A requirement is data (a frozen pydantic model with a ``kind``) plus one method, `have`, that
reads a trainee's progress in the current stage. Plugins add kinds by subclassing
`Requirement` and registering the class through the ``facilitrack_requirement_kinds`` hook;
definitions then refer to the new kind by name, in Python or in TOML.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from .state import TraineeState

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


class Pairing(Requirement):
    """The trainee is paired with a certified trainer (named on enrolment)."""

    kind: Literal["pairing"] = "pairing"
    key: str = Field("certified_trainer", pattern=KEY_PATTERN)

    def have(self, state: TraineeState) -> int:
        return int(state.trainer is not None)


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
