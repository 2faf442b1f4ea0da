"""The journal protocol: an append-only, idempotent log of events.

A store for another database implements `Journal`; the engine needs nothing else. A store
that can also cache derived state implements `SnapshotJournal` too, and the engine then opens
without replaying the journal (docs/journal.md says what each method must guarantee).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple, Protocol, runtime_checkable

from .._errors import ConflictError, InvalidEventError, JournalError
from .._model.events import Event
from .._model.issuer import Contact
from .._model.program import Program
from .chain import ChainProblem

#: What `append` checks before it stores anything: the journal's version (how many events it
#: holds), or each named trainee's version (how many events they have), or nothing.
ExpectedVersion = int | Mapping[str, int] | None


class OlderSchemaError(JournalError):
    """A store opened read-only was written at an older schema: it must be upgraded first."""


class StoredEvent(NamedTuple):
    """An event with its position in the journal (1-based arrival order) and when it was stored.

    `recorded_at` is timezone-aware UTC, as the store recorded it.
    """

    seq: int
    event: Event
    recorded_at: datetime


@runtime_checkable
class Journal(Protocol):
    """Append-only event storage with idempotent appends and optimistic concurrency."""

    @property
    def version(self) -> int:
        """How many events the journal holds; it grows by one per new event."""

    def append(self, events: Sequence[Event], *, expected_version: ExpectedVersion = None) -> list[Event]:
        """Store `events` atomically and return the ones that were new.

        An event whose id is already stored with the same content is skipped; with other
        content the whole batch is refused (`InvalidEventError`). With an int
        `expected_version`, the batch is refused (`ConflictError`) unless the journal is still
        at that version; with a mapping trainee → version, unless each named trainee still has
        that many events (so writers recording for different trainees never conflict).
        """

    def get(self, event_id: str) -> Event | None:
        """The stored event with this id."""

    def events(self, trainee: str | None = None) -> Iterator[Event]:
        """Stored events in arrival order, all or one trainee's."""

    def events_after(
        self, seq: int, trainee: str | None = None, *, upto: int | None = None
    ) -> Iterator[StoredEvent]:
        """Stored events with ``seq < position <= upto`` (all, or one trainee's), in order.

        `upto` defaults to the version when iteration starts: the result is a consistent prefix.
        """

    def trainees(self, upto: int | None = None) -> list[str]:
        """Every trainee with an event at a position up to `upto` (all when None), sorted."""

    def trainee_version(self, trainee: str) -> int:
        """How many events `trainee` has (0 for one never seen): their per-trainee version."""


@runtime_checkable
class SnapshotJournal(Journal, Protocol):
    """A journal that keeps a per-trainee cache of state.

    With one, the engine reads nothing on open: it loads a trainee's cached state when first
    asked and folds in only that trainee's events stored after it. The cache is advisory —
    rebuilding from the events must always give the same state, and `facilitrack verify`
    checks that it does.
    """

    def load_snapshot(self, trainee: str, tag: str) -> tuple[int, dict[str, Any]] | None:
        """The cached state of `trainee` saved under `tag`, with the version it reflects."""

    def save_snapshot(self, states: Sequence[tuple[str, dict[str, Any]]], *, version: int, tag: str) -> None:
        """Cache states (trainee, `TraineeState.dump()`) that reflect every event up to `version`.

        A cached state newer than `version` under the same tag is kept, not overwritten.
        """


@runtime_checkable
class Store(SnapshotJournal, Protocol):
    """A durable journal the ``facilitrack`` store commands work on (SQLite, PostgreSQL).

    Beyond the journal and its cache: program definitions kept with the events (a store is
    self-contained), a few named settings, the audit trail, a check of everything stored,
    and a transaction spanning several appends. docs/journal.md gives each guarantee.
    """

    #: How the store is named in messages (a path, or a URL without its password).
    location: str

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """Hold the write lock across several appends: all of them are stored, or none."""

    def close(self) -> None:
        """Release the connection."""

    def save_programs(self, programs: Iterable[Program]) -> None:
        """Keep definitions by ``key@version``; one already kept must be identical."""

    def programs(self) -> dict[str, dict[str, Any]]:
        """Kept definitions by ``key@version``, as JSON data."""

    def settings(self) -> dict[str, str]:
        """The named settings (the latest value of each)."""

    def save_settings(self, values: Mapping[str, str]) -> None:
        """Set named settings (chained like everything else; the latest value wins)."""

    def rows(self, trainee: str | None = None) -> Iterator[dict[str, Any]]:
        """The audit trail: each stored row's columns (body parsed), in order."""

    def verify(self) -> list[ChainProblem]:
        """Everything stored that does not check out (`ChainProblem`s); empty when sound."""

    def clear_snapshots(self) -> None:
        """Drop the state cache."""

    def people(self) -> dict[str, Contact]:
        """The people directory: how reports and certificates name each person, by id."""

    def save_people(self, people: Iterable[Contact]) -> None:
        """Add or replace people's names and addresses (outside the chain: they can change)."""

    def forget_person(self, person: str) -> bool:
        """Erase a person's name and address (their events stay); whether there was one."""


def check_expected(
    expected: ExpectedVersion, version: int, trainee_version: Callable[[str], int], where: str
) -> None:
    """Raise `ConflictError` unless the journal (or each named trainee) is at `expected`."""
    if expected is None:
        return
    if isinstance(expected, int):
        if expected != version:
            raise ConflictError(expected, version, where=where)
        return
    for trainee, want in sorted(expected.items()):
        have = trainee_version(trainee)
        if have != want:
            raise ConflictError(want, have, where=where, trainee=trainee)


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
