"""The journal protocol: an append-only, idempotent log of events.

A store for another database implements these methods; the engine needs nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple, Protocol, runtime_checkable

from ..errors import InvalidEventError
from ..events import Event


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
