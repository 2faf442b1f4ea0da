"""States cached in a store (`SnapshotJournal`): loaded when first needed, saved now and then.

The engine keeps `seen`, the journal version its states reflect, and reads events only by
position: a person's state is their snapshot (if any, and if it still checks out) plus their
events in (snapshot, seen]; `news` moves `seen` forward over what any writer appended. Because
every read is bounded by `seen`, no event is ever taken in twice, even while other processes
write.

A snapshot is only a shortcut. One written by another facilitrack release, one that does not
fit the definition, or one whose answers about other people no longer hold is ignored and the
person is folded from their events.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from .._journal import SnapshotJournal
from .._model.events import Event
from .fold import Folder
from .state import PersonState

#: Bump when the fold or `PersonState.dump` changes meaning: states cached under another
#: format are ignored and rebuilt from the events.
SNAPSHOT_FORMAT = 4

#: What reading a damaged or foreign snapshot can raise (pydantic's errors are ValueErrors).
_UNREADABLE = (KeyError, TypeError, ValueError, AttributeError, IndexError)


class StateCache:
    """A store's cached states, and the position the engine has read up to."""

    def __init__(self, store: SnapshotJournal, folder: Folder) -> None:
        self.store = store
        self.folder = folder
        self.seen = store.version
        self.unsaved: dict[str, int] = {}
        self.tag = snapshot_tag()

    def news(self) -> list[Event]:
        """Events appended since the engine last read (in order); `taken` once applied."""
        return [stored.event for stored in self.store.events_after(self.seen)]

    def taken(self, events: Sequence[Event]) -> None:
        """`news` were applied: move `seen` past them; save the states enough events changed."""
        self.seen += len(events)
        for event in events:
            self.unsaved[event.trainee] = self.unsaved.get(event.trainee, 0) + 1

    def events_of(self, person: str) -> list[Event]:
        """A person's stored events, in arrival order, up to `seen`."""
        return [s.event for s in self.store.events_after(0, person, upto=self.seen)]

    def trainees(self) -> list[str]:
        """Everyone with an event up to `seen`."""
        return self.store.trainees(upto=self.seen)

    def load(self, person: str, stale: Callable[[PersonState], bool]) -> PersonState | None:
        """A person's state: their snapshot plus their later events; None when they have none."""
        since = 0
        ps: PersonState | None = None
        snap = self.store.load_snapshot(person, self.tag)
        if snap is not None and snap[0] <= self.seen:
            try:
                ps = PersonState.load(snap[1], self.folder.compiled_ref)
            except _UNREADABLE:  # damaged or of another shape: fold instead
                ps = None
            if ps is not None and stale(ps):
                ps = None
            if ps is not None:
                since = snap[0]
        if ps is None:
            events = self.events_of(person)
            self.unsaved[person] = len(events)
            return self.folder.fold(person, events) if events else None
        later = [s.event for s in self.store.events_after(since, person, upto=self.seen)]
        self.unsaved[person] = len(later)
        for event in later:
            if event.kind == "voided" or (event.kind == "enrolled" and ps.enrolments) \
                    or not self.folder.sorts_after(ps, event):
                return self.folder.fold(person, self.events_of(person))
            self.folder.apply(ps, event)
        return ps

    def save_due(self, states: dict[str, PersonState], every: int) -> None:
        """Cache the states that at least `every` new events have changed."""
        due = sorted(p for p, n in self.unsaved.items() if n >= every and p in states)
        if due:
            for person in due:
                ps = states[person]
                if ps.last_event is not None:
                    ps.last_key = self.folder.order_key(ps.last_event, ps.programs())
            self.store.save_snapshot([(p, states[p].dump()) for p in due], version=self.seen, tag=self.tag)
            for person in due:
                self.unsaved[person] = 0

    def check(self, trainees: Sequence[str], fold: Callable[[str], PersonState]) -> list[str]:
        """Trainees whose cached state differs from a fold of their events, naming the fields."""
        out = []
        for person in trainees:
            snap = self.store.load_snapshot(person, self.tag)
            if snap is None:
                continue
            try:
                PersonState.load(snap[1], self.folder.compiled_ref)
            except _UNREADABLE as exc:
                out.append(f"{person}: the cached state cannot be read ({exc})")
                continue
            loaded = self.load(person, lambda ps: False)
            assert loaded is not None
            cached = _comparable(loaded.dump())
            rebuilt = _comparable(fold(person).dump())
            if cached != rebuilt:
                fields = ", ".join(sorted(k for k in cached if cached[k] != rebuilt.get(k)))
                out.append(f"{person}: the cached state differs from a replay of the journal in {fields}")
        return out


@cache
def snapshot_tag() -> str:
    """What cached states are valid for: the snapshot format and the facilitrack release."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("facilitrack")
    except PackageNotFoundError:  # running from a source tree
        release = "source"
    return f"{SNAPSHOT_FORMAT}/{release}"


def _comparable(dump: dict[str, Any]) -> dict[str, Any]:
    """A state dump as JSON would carry it (tuples as lists), for comparing two."""
    data: dict[str, Any] = json.loads(json.dumps(dump))
    data.pop("last_key", None)
    return data
