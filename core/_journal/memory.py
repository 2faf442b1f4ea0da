"""An in-memory journal: the default for runs of a cohort file and for tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime

from .._model.events import Event
from .base import ExpectedVersion, StoredEvent, check_expected, dedupe


def utc_now() -> datetime:
    """The time now, UTC, to the second (what stores record as `recorded_at`)."""
    return datetime.now(UTC).replace(microsecond=0)


def stamp(now: datetime, last: str | None) -> str:
    """The `recorded_at` text of an append: `now` (UTC, to the second), never before `last`.

    Recording times never go backwards along seq — a clock stepped back, or another host's
    clock, cannot reorder the audit trail — so the events known at a time are a prefix.
    """
    text = now.astimezone(UTC).replace(microsecond=0).isoformat()
    return last if last is not None and last > text else text


class MemoryJournal:
    """Events in a list, indexed by id and by trainee.

    :param clock: gives `recorded_at` for each append (UTC); tests inject a fixed one.
    """

    def __init__(self, *, clock: Callable[[], datetime] = utc_now) -> None:
        self.clock = clock
        self._stored: list[StoredEvent] = []
        self._by_id: dict[str, Event] = {}
        self._by_trainee: dict[str, list[StoredEvent]] = {}
        self._pinned: set[tuple[str, str | None]] = set()

    @property
    def version(self) -> int:
        return len(self._stored)

    def append(self, events: Sequence[Event], *, expected_version: ExpectedVersion = None) -> list[Event]:
        check_expected(expected_version, self.version, self.trainee_version, "memory journal")
        fresh = dedupe(events, self._by_id.get)
        now = self.clock()
        if now.microsecond or now.tzinfo is not UTC:
            now = now.astimezone(UTC).replace(microsecond=0)
        if self._stored and self._stored[-1].recorded_at > now:
            now = self._stored[-1].recorded_at  # as `stamp`: never before the last append
        for event in fresh:
            stored = StoredEvent(len(self._stored) + 1, event, now)
            self._stored.append(stored)
            self._by_id[event.id] = event
            self._by_trainee.setdefault(event.trainee, []).append(stored)
            if event.kind == "enrolled":
                self._pinned.add((event.program, event.version))
        return fresh

    def pinned(self) -> set[tuple[str, str | None]]:
        """Every (program, version) an enrolment in the journal names."""
        return set(self._pinned)

    def get(self, event_id: str) -> Event | None:
        return self._by_id.get(event_id)

    def events(self, trainee: str | None = None) -> Iterator[Event]:
        rows = self._stored if trainee is None else self._by_trainee.get(trainee, [])
        return iter([s.event for s in rows])

    def events_after(
        self, seq: int, trainee: str | None = None, *, upto: int | None = None
    ) -> Iterator[StoredEvent]:
        limit = self.version if upto is None else upto
        if trainee is None:
            return iter(self._stored[max(seq, 0) : max(limit, 0)])
        return (s for s in list(self._by_trainee.get(trainee, [])) if seq < s.seq <= limit)

    def trainees(self, upto: int | None = None) -> list[str]:
        if upto is None:
            return sorted(self._by_trainee)
        return sorted(t for t, rows in self._by_trainee.items() if rows[0].seq <= upto)

    def trainee_version(self, trainee: str) -> int:
        return len(self._by_trainee.get(trainee, ()))
