"""An in-memory journal: the default for runs of a cohort file and for tests."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .._errors import ConflictError
from .._model.events import Event
from .base import dedupe


class MemoryJournal:
    """Events in a list, indexed by id and by trainee."""

    def __init__(self) -> None:
        self._events: list[Event] = []
        self._by_id: dict[str, Event] = {}
        self._by_trainee: dict[str, list[Event]] = {}

    @property
    def version(self) -> int:
        return len(self._events)

    def append(self, events: Sequence[Event], *, expected_version: int | None = None) -> list[Event]:
        if expected_version is not None and expected_version != self.version:
            raise ConflictError(expected_version, self.version)
        fresh = dedupe(events, self._by_id.get)
        for event in fresh:
            self._events.append(event)
            self._by_id[event.id] = event
            self._by_trainee.setdefault(event.trainee, []).append(event)
        return fresh

    def get(self, event_id: str) -> Event | None:
        return self._by_id.get(event_id)

    def events(self, trainee: str | None = None) -> Iterator[Event]:
        if trainee is None:
            return iter(self._events)
        return iter(self._by_trainee.get(trainee, ()))

    def trainees(self) -> list[str]:
        return sorted(self._by_trainee)
