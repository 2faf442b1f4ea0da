"""The journal protocol: an append-only, idempotent log of events.

A store for another database implements `Journal`; the engine needs nothing else. A store
that can also cache derived state implements `SnapshotJournal` too, and the engine then opens
without replaying the journal (docs/journal.md says what each method must guarantee).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple, Protocol, runtime_checkable

from .._errors import InvalidEventError
from .._model.events import Event


class StoredEvent(NamedTuple):
    """An event with its position in the journal (1-based arrival order)."""

    seq: int
    event: Event


@runtime_checkable
class Journal(Protocol):
    """Append-only event storage with idempotent appends and optimistic concurrency."""

    @property
    def version(self) -> int:
        """How many events the journal holds; it grows by one per new event."""

    def append(self, events: Sequence[Event], *, expected_version: int | None = None) -> list[Event]:
        """Store `events` atomically and return the ones that were new.

        An event whose id is already stored with the same content is skipped; with other
        content the whole batch is refused (`InvalidEventError`). With `expected_version`, the
        batch is refused (`ConflictError`) unless the journal is still at that version.
        """

    def get(self, event_id: str) -> Event | None:
        """The stored event with this id."""

    def events(self, trainee: str | None = None) -> Iterator[Event]:
        """Stored events in arrival order, all or one trainee's."""

    def trainees(self) -> list[str]:
        """Every trainee with an event, sorted."""


@runtime_checkable
class SnapshotJournal(Journal, Protocol):
    """A journal that reads events by position and keeps a per-trainee cache of state.

    With one, the engine reads nothing on open: it loads a trainee's cached state when first
    asked and folds in only that trainee's events stored after it. The cache is advisory —
    rebuilding from the events must always give the same state, and `facilitrack verify`
    checks that it does.
    """

    def events_after(
        self, seq: int, trainee: str | None = None, *, upto: int | None = None
    ) -> Iterator[StoredEvent]:
        """Stored events with ``seq < position <= upto`` (all, or one trainee's), in order."""

    def trainees(self, upto: int | None = None) -> list[str]:
        """Every trainee with an event at a position up to `upto` (all when None), sorted."""

    def load_snapshot(self, trainee: str, tag: str) -> tuple[int, dict[str, Any]] | None:
        """The cached state of `trainee` saved under `tag`, with the version it reflects."""

    def save_snapshot(self, states: Sequence[tuple[str, dict[str, Any]]], *, version: int, tag: str) -> None:
        """Cache states (trainee, `TraineeState.dump()`) that reflect every event up to `version`.

        A cached state newer than `version` under the same tag is kept, not overwritten.
        """


def same_fact(new: Event, old: Event) -> bool:
    """Whether `new` restates `old`: equal content, where the engine-filled fields may differ."""
    return new.content() == old.content()


def dedupe(batch: Iterable[Event], stored: Callable[[str], Event | None]) -> list[Event]:
    """Drop events already stored (or repeated in the batch); refuse a reused id.

    :param stored: looks an id up in the journal.
    """
    fresh: dict[str, Event] = {}
    for event in batch:
        old = fresh.get(event.id) or stored(event.id)
        if old is None:
            fresh[event.id] = event
        elif not same_fact(event, old):
            raise InvalidEventError(
                f"event id {event.id!r} is already recorded with other content:"
                f" stored {old.content()}, new {event.content()}",
                event=event,
                fix="give the new event its own id, or void the old one and record again",
            )
    return list(fresh.values())
