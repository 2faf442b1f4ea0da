"""A trainee's derived state: compact, slot-based, rebuilt from the journal at will.

This is the model the program's `transitions` machine drives (its ``state`` attribute), and
what requirement kinds read in `Requirement.have`. It holds only what the current stage needs
plus the history a status report shows, so a hundred thousand enrolments fit in memory.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from .._model.events import EventBase, order_key
from .._model.requirements import Credential

if TYPE_CHECKING:
    from .._model.program import Program

NOT_ENROLLED = "not_enrolled"


class TraineeState:
    """Everything the fold knows about one trainee; mutated only by the engine's fold."""

    __slots__ = (
        "artifacts",
        "co_leader",
        "completed",
        "counts",
        "credential",
        "enrolled_on",
        "fast",
        "last_event",
        "last_key",
        "last_on",
        "problems",
        "program",
        "stage_index",
        "state",
        "trace",
        "track",
        "trainee",
        "trainer",
        "unmet",
        "waived",
    )

    def __init__(self, trainee: str) -> None:
        self.trainee = trainee
        self.state = NOT_ENROLLED  # the machine's model attribute
        self.program: Program | None = None
        self.stage_index = 0  # current stage, or the one to resume on hold
        self.counts: dict[str, int] = {}  # activity → sessions credited in this stage
        self.artifacts: dict[str, dict[str, int]] = {}  # artifact → ref → status rank
        self.unmet = 0  # bit i set: requirement i of the current stage is not met
        self.waived: set[tuple[str, str]] = set()  # (stage, requirement)
        self.completed: list[tuple[str, date, str]] = []  # (stage, on, completing event id)
        self.problems: list[tuple[date, str, str]] = []  # (on, event id, reason)
        self.credential: Credential | None = None
        self.co_leader: str | None = None
        self.trainer: str | None = None
        self.track: str | None = None
        self.enrolled_on: date | None = None
        # Where the fold stands: the last applied event (its order key is computed only when a
        # later event shares its date) and its date; `last_key` holds the key when restored
        # from a snapshot, where the event itself is not at hand.
        self.last_event: EventBase | None = None
        self.last_on: date | None = None
        self.last_key: tuple[Any, ...] | None = None
        # The current stage's attendance table (activity → (bit, need)) while the trainee is in
        # a stage: the engine's fast path. Set only once `last_on` is.
        self.fast: dict[str, tuple[int, int]] | None = None
        self.trace: dict[tuple[str, str], list[date]] | None = None

    def dump(self) -> dict[str, Any]:
        """JSON-ready snapshot (the program by its ``key@version``)."""
        return {
            "trainee": self.trainee,
            "state": self.state,
            "program": self.program.ref if self.program else None,
            "stage_index": self.stage_index,
            "counts": self.counts,
            "artifacts": self.artifacts,
            "unmet": self.unmet,
            "waived": sorted(self.waived),
            "completed": [[s, on.isoformat(), e] for s, on, e in self.completed],
            "problems": [[on.isoformat(), e, r] for on, e, r in self.problems],
            "credential": self.credential.value if self.credential else None,
            "co_leader": self.co_leader,
            "trainer": self.trainer,
            "track": self.track,
            "enrolled_on": self.enrolled_on.isoformat() if self.enrolled_on else None,
            "last_key": _dump_key(self.settled_key()),
        }

    @classmethod
    def load(cls, data: dict[str, Any], program: Program | None) -> TraineeState:
        """Rebuild from `dump` output; `program` is the definition its ref names."""
        st = cls(data["trainee"])
        st.state = data["state"]
        st.program = program
        st.stage_index = data["stage_index"]
        st.counts = dict(data["counts"])
        st.artifacts = {k: dict(v) for k, v in data["artifacts"].items()}
        st.unmet = data["unmet"]
        st.waived = {(s, r) for s, r in data["waived"]}
        st.completed = [(s, date.fromisoformat(on), e) for s, on, e in data["completed"]]
        st.problems = [(date.fromisoformat(on), e, r) for on, e, r in data["problems"]]
        st.credential = Credential(data["credential"]) if data["credential"] else None
        st.co_leader = data["co_leader"]
        st.trainer = data["trainer"]
        st.track = data["track"]
        st.enrolled_on = date.fromisoformat(data["enrolled_on"]) if data["enrolled_on"] else None
        st.last_key = _load_key(data["last_key"])
        st.last_on = st.last_key[0] if st.last_key else None
        return st

    def settled_key(self) -> tuple[Any, ...] | None:
        """The order key of the last applied event."""
        if self.last_event is not None:
            return order_key(self.last_event, self.program)
        return self.last_key


def _dump_key(key: tuple[Any, ...] | None) -> list[Any] | None:
    if key is None:
        return None
    return [key[0].isoformat(), *key[1:]]


def _load_key(data: list[Any] | None) -> tuple[Any, ...] | None:
    if data is None:
        return None
    return (date.fromisoformat(data[0]), *data[1:])
