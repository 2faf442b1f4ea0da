"""A person's derived state: their enrolments, each a compact record the fold mutates.

`PersonState` holds what the fold knows of one person (the journal's ``trainee``): their
enrolments in order, problems that belong to none of them, the latest `PersonRecorded` details,
and the answers about other people their fold relied on. `EnrolmentState` is the model each
program's `transitions` machine drives (its ``state`` attribute): per requirement node an
accumulator, whether it is met and since when, which nodes are waived, when each stage opened,
the stages completed and the renewals of the final certificate.

Both dump to JSON and load back (`dump`, `load`), so a store can cache them; a cached state is
only ever a shortcut — a fold of the journal must give the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

from .._model.events import Enrolled, EventBase, OrderKey, PersonRecorded
from .._model.program import CERTIFIED, WITHDRAWN, Program

if TYPE_CHECKING:
    from .compiled import Compiled


#: A problem: the day, the event's id, and why it was kept but not credited.
ProblemEntry = tuple[date, str, str]

_NOTHING: Mapping[tuple[str, str], bool] = MappingProxyType({})  # no answers consulted yet
_NONE_WAIVED: frozenset[int] = frozenset()  # one shared value: each `frozenset()` is a new object


class EnrolmentState:
    """One enrolment: where it stands in its program and what each requirement has."""

    __slots__ = (
        "acc", "comp", "completed", "enrolment", "met", "met_on", "opened_on", "problems",
        "program", "renewals", "state", "trace", "waived",
    )

    def __init__(self, enrolment: Enrolled, comp: Compiled) -> None:
        self.enrolment = enrolment
        self.comp = comp
        self.program: Program = comp.program
        self.state = comp.stage_keys[0]  # the machine's model attribute
        nodes = comp.nodes
        acc: list[Any] = [None] * len(nodes)  # sized once: a list grown by appends over-allocates
        for cn in nodes:
            if cn.leaf is not None:
                acc[cn.index] = cn.leaf.start()
        self.acc = acc
        self.met = bytearray(len(nodes))  # 1 where met: a byte a node, not a list slot
        self.met_on: list[date | None] = [None] * len(nodes)  # the day each was first met
        # What most enrolments never have is a shared empty value, replaced when first written.
        self.waived: frozenset[int] = _NONE_WAIVED
        self.opened_on: list[date | None] = [None] * (comp.renewal_stage + 1)
        self.completed: tuple[tuple[str, date, str], ...] = ()  # (stage, on, completing event id)
        self.renewals: tuple[tuple[date, str], ...] = ()  # (on, renewing event id)
        self.problems: tuple[ProblemEntry, ...] = ()
        self.trace: dict[int, list[date]] | None = None  # node → days credited (explain)

    @property
    def active(self) -> bool:
        """In a stage (not held, certified or withdrawn): work is credited."""
        return self.state in self.comp.index_of_state

    @property
    def open(self) -> bool:
        """Not withdrawn: the enrolment can still take events."""
        return self.state != WITHDRAWN

    @property
    def certified(self) -> bool:
        """Every stage completed."""
        return self.state == CERTIFIED

    def done(self, index: int) -> bool:
        """Whether a node no longer holds anyone back: met, or waived."""
        return bool(self.met[index]) or index in self.waived

    def dump(self) -> dict[str, Any]:
        """JSON-ready snapshot (the program by its ``key@version``)."""
        return {
            "enrolment": self.enrolment.model_dump(mode="json"),
            "program": self.program.ref,
            "state": self.state,
            "acc": self.acc,
            "met": [int(m) for m in self.met],
            "met_on": [_day(d) for d in self.met_on],
            "waived": sorted(self.waived),
            "opened_on": [_day(d) for d in self.opened_on],
            "completed": [[s, on.isoformat(), e] for s, on, e in self.completed],
            "renewals": [[on.isoformat(), e] for on, e in self.renewals],
            "problems": [[on.isoformat(), e, r] for on, e, r in self.problems],
        }

    @classmethod
    def load(cls, data: dict[str, Any], comp: Compiled) -> EnrolmentState:
        """Rebuild from `dump` output; `comp` is the compiled definition its ref names."""
        st = cls(Enrolled.model_validate(data["enrolment"]), comp)
        st.state = data["state"]
        if len(data["acc"]) != len(st.acc) or st.state not in comp.machine.machine.states:
            raise ValueError("the snapshot does not fit the definition")
        st.acc = list(data["acc"])
        st.met = bytearray(bool(m) for m in data["met"])
        st.met_on = [_undate(d) for d in data["met_on"]]
        st.waived = frozenset(data["waived"])
        st.opened_on = [_undate(d) for d in data["opened_on"]]
        st.completed = tuple((s, date.fromisoformat(on), e) for s, on, e in data["completed"])
        st.renewals = tuple((date.fromisoformat(on), e) for on, e in data["renewals"])
        st.problems = tuple((date.fromisoformat(on), e, r) for on, e, r in data["problems"])
        return st


class PersonState:
    """Everything the fold knows about one person."""

    __slots__ = (
        "consulted", "enrolments", "id", "last_event", "last_key", "problems", "profiles", "tracing", "voids",
    )

    def __init__(self, person: str) -> None:
        self.id = person
        self.enrolments: list[EnrolmentState] = []
        self.problems: tuple[ProblemEntry, ...] = ()  # events that belong to no enrolment
        #: What `person` events said of them, in fold (date) order: each holds from its day.
        self.profiles: tuple[PersonRecorded, ...] = ()
        #: Answers about other people this fold relied on: (person, question@day) → answer.
        #: When one changes (a trainer recorded later), the fold is redone.
        self.consulted: Mapping[tuple[str, str], bool] = _NOTHING
        # Where the fold stands: the last applied event (its order key is computed only when a
        # later event shares its date) and, when restored from a snapshot, its key.
        self.last_event: EventBase | None = None
        self.last_key: OrderKey | None = None
        self.tracing = False
        self.voids = 0  # voids among the person's events: revocations are worth looking for

    @property
    def profile(self) -> PersonRecorded | None:
        """The latest `person` event folded so far: what holds of them now."""
        return self.profiles[-1] if self.profiles else None

    def consult(self, person: str, question: str, answer: bool) -> None:
        """Note an answer about another person that this fold relied on."""
        if self.consulted is _NOTHING:
            self.consulted = {}
        cast("dict[tuple[str, str], bool]", self.consulted)[(person, question)] = answer

    def programs(self) -> list[Program]:
        """The programs of the person's enrolments, in enrolment order, each once."""
        seen: dict[str, Program] = {}
        for e in self.enrolments:
            seen.setdefault(e.program.ref, e.program)
        return list(seen.values())

    def dump(self) -> dict[str, Any]:
        """JSON-ready snapshot."""
        return {
            "id": self.id,
            "enrolments": [e.dump() for e in self.enrolments],
            "problems": [[on.isoformat(), e, r] for on, e, r in self.problems],
            "profiles": [p.model_dump(mode="json") for p in self.profiles],
            "consulted": [[p, q, a] for (p, q), a in sorted(self.consulted.items())],
            "last_key": _dump_key(self.last_key),
            "voids": self.voids,
        }

    @classmethod
    def load(cls, data: dict[str, Any], compiled: Any) -> PersonState:
        """Rebuild from `dump`; `compiled(ref)` gives the compiled definition of a ``key@version``."""
        ps = cls(data["id"])
        ps.enrolments = [EnrolmentState.load(e, compiled(e["program"])) for e in data["enrolments"]]
        ps.problems = tuple((date.fromisoformat(on), e, r) for on, e, r in data["problems"])
        ps.profiles = tuple(PersonRecorded.model_validate(p) for p in data["profiles"])
        ps.consulted = {(p, q): bool(a) for p, q, a in data["consulted"]} or _NOTHING
        ps.last_key = _load_key(data["last_key"])
        ps.voids = int(data["voids"])
        return ps


def _day(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _undate(text: str | None) -> date | None:
    return date.fromisoformat(text) if text is not None else None


def _dump_key(key: OrderKey | None) -> list[Any] | None:
    if key is None:
        return None
    return [key[0].isoformat(), *key[1:]]


def _load_key(data: list[Any] | None) -> OrderKey | None:
    if data is None:
        return None
    return (date.fromisoformat(data[0]), int(data[1]), int(data[2]), str(data[3]))
