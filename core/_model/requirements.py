"""What a stage asks for: a small tree of requirements, and the API of a requirement kind.

A stage's requirements are the children of an implicit ``all_of``. Leaves count, sum or
threshold what events carry (attendances, hours, scores, artifacts at a status) or read the
enrolment and the people around it (credentials, roles, pairing, certificates); inner nodes
(`facilitrack._model.tree`) combine them. Any node may carry a `Window` and an ``opens_when``
(another node that must be met before this one takes credit).

A plugin adds a leaf kind by subclassing `Requirement` and registering the class through the
``facilitrack_requirement_kinds`` hook. A leaf says which events credit it (`watches`), folds
each credited event into an accumulator (`start`, `tally`), and reads its progress from the
accumulator (`measure`). Accumulators are plain JSON data (numbers, lists, dicts), so a trainee's
state can be cached and rebuilt.

Two more methods, `synthetic_events` and `synthetic_enrolment`, say how to *meet* a leaf: the
conformance check (`facilitrack.testing`) drives a real engine with a trainee who has exactly what
each stage asks, and one who is one short.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .events import ArtifactRecorded, ArtifactStatus, Attended, Enrolled, Event
from .ids import KEY_PATTERN, REF_PATTERN
from .windows import Window

if TYPE_CHECKING:
    from .vocabulary import Vocabulary

#: A reference to a node: ``key`` (in the same stage) or ``stage.key``.


class Measure(NamedTuple):
    """A node's progress: how much it has against what it needs, and whether it is met.

    :param reason: why it is not met when have/need alone does not say (a failed attempt,
        a trainer who is not certified).
    """

    have: int | float
    need: int | float
    met: bool
    reason: str | None = None


class Context(Protocol):
    """What a requirement may read about the enrolment when it is measured."""

    @property
    def enrolment(self) -> Enrolled:
        """The enrolment: credential, co-leader, trainer, track, its date."""

    @property
    def on(self) -> date:
        """The day of the measurement (the event being folded)."""

    @property
    def vocabulary(self) -> Vocabulary:
        """The program's credentials and roles."""

    def holds_role(self, person: str | None, role: str) -> bool:
        """Whether `person` (a trainee or staff id) holds `role` in this program."""

    def is_known(self, person: str | None) -> bool:
        """Whether `person` is anyone the journal knows (a trainee or staff)."""

    def certificate_date(self, program: str, stage: str | None) -> date | None:
        """When the person's certificate of `program` (`stage`, or certification) was issued,
        if they hold it valid on `on`."""


class Node(BaseModel):
    """Fields every requirement node has: leaves (`Requirement`) and combinations."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    title: str = ""
    source: str | None = Field(None, description="Where the number comes from (a citation).")
    note: str | None = Field(None, description="An assumption, labelled as one, where no source.")
    waivable: bool = False
    window: Window | None = Field(
        None, description="Only work dated inside this window counts toward the node."
    )
    opens_when: str | None = Field(
        None, pattern=REF_PATTERN,
        description="Another requirement (`key`, or `stage.key`) that must be met first.",
    )

    @property
    def node_key(self) -> str:
        """How waivers, windows and explanations name this node."""
        key: str = getattr(self, "key")  # noqa: B009 -- every concrete node declares `key`
        return key

    def children(self) -> tuple[Node, ...]:
        """The nodes this one combines (none for a leaf)."""
        return ()

    def label(self) -> str:
        """A short human name: the title, or the key."""
        return self.title or self.node_key.replace("_", " ")

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, depth first, in declared order."""
        yield self
        for child in self.children():
            yield from child.walk()


class Credit(NamedTuple):
    """An event credited to a leaf: the event, and its kind and key."""

    event: Event
    kind: str
    key: str


class Requirement(Node):
    """A leaf: counts, sums or thresholds the events that credit it, or reads the enrolment.

    Subclasses set ``kind`` (its default names the kind) and override what differs from the
    defaults: one credit per event of ``credited_by`` with this ``key``, counted up to `count`.
    """

    key: str = Field(pattern=KEY_PATTERN, description="The activity or artifact it counts.")
    count: int = Field(1, gt=0, description="How many are needed.")

    #: The event kind whose key credits this leaf (``attended``, ``artifact``), or None for a
    #: leaf read from the enrolment. `watches` derives from it; override `watches` for more.
    credited_by: ClassVar[str | None] = None

    def watches(self) -> tuple[tuple[str, str], ...]:
        """The (event kind, key) pairs whose events credit this leaf."""
        return ((self.credited_by, self.key),) if self.credited_by is not None else ()

    def refuses(self, credit: Credit) -> str | None:
        """Why this leaf will not take an event it watches (a missing score), or None."""
        return None

    def start(self) -> Any:
        """The accumulator before any credit (JSON data)."""
        return 0

    def tally(self, acc: Any, credit: Credit) -> Any:
        """The accumulator after one more credited event."""
        return acc + 1

    def measure(self, acc: Any, context: Context) -> Measure:
        """Progress from the accumulator: have against `count`."""
        return Measure(acc, self.count, acc >= self.count)

    def blocker(self, measure: Measure, context: Context) -> tuple[str, str] | None:
        """When unmet, what only the enrolment can change: (its field, why) — a credential,
        a co-leader, a trainer. None for leaves that events can still meet."""
        return None

    def synthetic_events(self, trainee: str, on: date, have: int) -> list[Event]:
        """Events, all dated `on`, that give `trainee` exactly `have` of this requirement.

        The conformance check calls it with ``have=count`` and ``have=count - 1`` and gives
        every event its own id, so identical events are fine. The default serves leaves
        credited by ``attended`` (one attendance of `key` per unit) and by ``artifact`` (one
        artifact of `key` per unit, at the leaf's ``status`` if it has one); leaves credited
        by no event need none. Override it when the leaf counts another way.
        """
        if self.credited_by is None:
            return []
        if self.credited_by == "attended":
            return [Attended(trainee=trainee, on=on, activity=self.key) for _ in range(have)]
        if self.credited_by == "artifact":
            status = getattr(self, "status", ArtifactStatus.submitted)
            return [
                ArtifactRecorded(
                    trainee=trainee, on=on, artifact=self.key, status=status, ref=f"{self.key}-{n}",
                )
                for n in range(1, have + 1)
            ]
        raise NotImplementedError(
            f"requirement kind {self.kind!r} is credited by {self.credited_by!r} events;"
            " override synthetic_events to say which events meet it"
        )

    def synthetic_enrolment(self, have: int) -> dict[str, Any] | None:
        """Enrolment fields (credential, co_leader, trainer) that give `have` of this leaf.

        For leaves read from the enrolment. An empty mapping means the enrolment does not
        matter; None means `have` cannot be reached that way (a rule that lets every
        credential in can never hold anyone back).
        """
        return {}

    # -- kinds written for facilitrack 0.1 ---------------------------------------------------

    def have(self, state: Any) -> int:
        """Deprecated (0.1): progress read from a state object; override `measure` instead."""
        raise NotImplementedError(f"requirement kind {self.kind!r} does not count progress")

    @classmethod
    def is_legacy(cls) -> bool:
        """Whether the kind counts through the 0.1 `have(state)` method."""
        return cls.have is not Requirement.have and cls.measure is Requirement.measure

    @model_validator(mode="after")
    def _check_refs(self) -> Requirement:
        if self.window is not None and self.window.start == f"met:{self.key}":
            raise ValueError(f"{self.key!r} has a window that starts when it is itself met")
        return self


class LegacyView:
    """The 0.1 state a `have(state)` kind reads: this leaf's counts, the enrolment's fields."""

    def __init__(self, leaf: Requirement, acc: Any, enrolment: Enrolled) -> None:
        self.counts: dict[str, int] = {leaf.key: acc} if leaf.credited_by == "attended" else {}
        self.artifacts: dict[str, dict[str, int]] = (
            {leaf.key: acc} if leaf.credited_by == "artifact" else {}
        )
        self.credential = enrolment.credential
        self.co_leader = enrolment.co_leader
        self.trainer = enrolment.trainer
        self.track = enrolment.track
        self.enrolled_on = enrolment.on
        self.trainee = enrolment.trainee


def warn_legacy(cls: type[Requirement]) -> None:
    """Say once, at registration, that a 0.1 kind should move to the new API."""
    warnings.warn(
        f"requirement kind {cls.__name__} counts through have(state), which is deprecated:"
        " implement tally(acc, credit) and measure(acc, context) instead"
        " (docs/adaptations.md, 'Writing a requirement kind')",
        DeprecationWarning,
        stacklevel=3,
    )


def split_ref(ref: str) -> tuple[str | None, str]:
    """``stage.key`` → (stage, key); ``key`` → (None, key)."""
    stage, _, key = ref.rpartition(".")
    return (stage or None), key

