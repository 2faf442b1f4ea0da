"""What both SQL stores do the same way, written once: reading events and rows by position,
the state cache's look-up, and the checks of `verify` that follow the tables' reading.

The stores differ in how they open, lock and append (SQLite's file lock, PostgreSQL's row
lock and pipelined writes) and in the driver's parameter mark, which `_sql` supplies.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Self

from .._errors import JournalError, UserError
from .._model.events import Enrolled, Event
from .base import StoredEvent
from .chain import (
    FORMAT,
    GENESIS,
    ChainProblem,
    ChainRow,
    EventChecker,
    SideRow,
    index_problems,
    row_hash,
    side_problems,
    snapshot_data,
    snapshot_digest,
    snapshot_problem,
)
from .reading import parse_rows, unreadable
from .side import SideTables

#: Rows per read query and per parse call (measured fastest: ~1.6x per-row parsing).
PAGE = 500

_AFTER = "SELECT seq, id, recorded_at, body FROM events WHERE seq > ? AND seq <= ?"
_ROWS = "SELECT seq, id, trainee, kind, on_date, recorded_at, recorded_by, body FROM events WHERE seq > ?"
_CHAIN = (
    "SELECT seq, id, trainee, kind, on_date, recorded_at, recorded_by, body, prev_hash, hash,"
    " format, pinned FROM events WHERE seq > ? ORDER BY seq LIMIT ?"
)
#: Cache a trainee's state; a newer one (or one of another definition) replaces the old.
SNAPSHOT_UPSERT = (
    "INSERT INTO snapshots (trainee, seq, tag, body, digest) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (trainee) DO UPDATE SET seq = excluded.seq, tag = excluded.tag,"
    " body = excluded.body, digest = excluded.digest"
    " WHERE excluded.seq >= snapshots.seq OR excluded.tag <> snapshots.tag"
)
_HEAD = "SELECT version, hash, programs, programs_hash, settings, settings_hash, sealed FROM head"


class SqlStore(SideTables):
    """A store on a DB-API connection: the reads and checks both SQL stores share."""

    #: The driver's error class: `_translate` turns it into a `JournalError` (`_error`).
    _DRIVER_ERROR: type[Exception] = Exception

    @contextlib.contextmanager
    def _translate(self, action: str) -> Iterator[None]:
        """Turn the driver's errors into `JournalError`s that name the store and a fix."""
        try:
            yield
        except UserError:
            raise
        except self._DRIVER_ERROR as exc:
            raise self._error(exc, action) from None

    def _error(self, exc: Exception, action: str) -> JournalError:
        raise NotImplementedError

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.location!r})"

    # -- reading -------------------------------------------------------------------------------

    @property
    def version(self) -> int:
        with self._translate("read the store"):
            row = self._conn.execute("SELECT max(seq) FROM events").fetchone()
        return int(row[0] or 0) if row else 0

    def get(self, event_id: str) -> Event | None:
        with self._translate("read the store"):
            row = self._conn.execute(self._sql("SELECT seq, id, body FROM events WHERE id = ?"),
                                     (event_id,)).fetchone()
        return parse_rows([row], self.location)[0] if row else None

    def events(self, trainee: str | None = None) -> Iterator[Event]:
        return (stored.event for stored in self.events_after(0, trainee))

    def events_after(
        self, seq: int, trainee: str | None = None, *, upto: int | None = None
    ) -> Iterator[StoredEvent]:
        """Stored events after position `seq` up to `upto` (default: the version now), in order.

        Read a page at a time, so a million events never sit in memory at once; the upper
        bound is fixed when iteration starts, so the result is a consistent prefix.
        """
        limit = self.version if upto is None else upto
        sql = self._sql(_AFTER + (" AND trainee = ?" if trainee else "") + " ORDER BY seq LIMIT ?")
        after = seq
        while after < limit:
            args = (after, limit, PAGE) if trainee is None else (after, limit, trainee, PAGE)
            with self._translate("read the store"):
                rows = self._conn.execute(sql, args).fetchall()
            if not rows:
                return
            events = parse_rows([(r[0], r[1], r[3]) for r in rows], self.location)
            for (position, _, at, _), event in zip(rows, events, strict=True):
                yield StoredEvent(int(position), event, datetime.fromisoformat(at))
            after = int(rows[-1][0])

    def rows(self, trainee: str | None = None) -> Iterator[dict[str, Any]]:
        """The audit trail: every stored row's columns (body parsed), in order."""
        sql = self._sql(_ROWS + (" AND trainee = ?" if trainee else "") + " ORDER BY seq LIMIT ?")
        after = 0
        while True:
            args = (after, PAGE) if trainee is None else (after, trainee, PAGE)
            with self._translate("read the store"):
                rows = self._conn.execute(sql, args).fetchall()
            if not rows:
                return
            for seq, id_, who, kind, on, at, by, body in rows:
                try:
                    data = json.loads(body)
                except ValueError:
                    raise unreadable(seq, id_, self.location) from None
                yield {"seq": int(seq), "id": id_, "trainee": who, "kind": kind, "on": on,
                       "recorded_at": at, "recorded_by": by, "body": data}
            after = int(rows[-1][0])

    # -- the state cache -----------------------------------------------------------------------

    def load_snapshot(self, trainee: str, tag: str) -> tuple[int, dict[str, Any]] | None:
        """The cached state, or None when there is none or it does not check out (replay)."""
        with self._translate("read the store"):
            row = self._conn.execute(self._sql(
                "SELECT s.seq, s.body, s.digest, e.hash FROM snapshots s LEFT JOIN events e"
                " ON e.seq = s.seq WHERE s.trainee = ? AND s.tag = ?"), (trainee, tag)).fetchone()
        if row is None:
            return None
        seq, body, digest = int(row[0]), str(row[1]), str(row[2])
        event_hash = GENESIS if seq == 0 else row[3]
        if event_hash is None or snapshot_digest(event_hash, tag, body) != digest:
            return None
        data = snapshot_data(body)
        return None if data is None else (seq, data)

    def _snapshot_rows(self, conn: Any, states: Sequence[tuple[str, dict[str, Any]]], *,
                       version: int, tag: str) -> list[tuple[str, int, str, str, str]]:
        """The cache rows for `states` at `version`; none when the store does not hold it."""
        found = conn.execute(self._sql("SELECT hash FROM events WHERE seq = ?"), (version,)).fetchone()
        event_hash = GENESIS if version == 0 else (str(found[0]) if found else None)
        if event_hash is None:
            return []  # a version this store does not hold: nothing to cache against
        bodies = [(t, json.dumps(d, separators=(",", ":"))) for t, d in states]
        return [(t, version, tag, b, snapshot_digest(event_hash, tag, b)) for t, b in bodies]

    # -- checking ------------------------------------------------------------------------------

    def _check_tables(self) -> list[ChainProblem]:
        """Check the event chain, the side chains, the index and the cache, as stored."""
        conn = self._conn
        with self._translate("check the store"):
            head = conn.execute(_HEAD).fetchone()
            definitions = conn.execute(
                "SELECT pos, ref, body, digest, prev_hash, hash, key, version FROM programs ORDER BY pos"
            ).fetchall()
            settings = conn.execute(
                "SELECT pos, name, value, digest, prev_hash, hash FROM settings ORDER BY pos").fetchall()
        if head is None:
            return [ChainProblem(0, None, "the store's head row is gone (deleted outside facilitrack)",
                                 "index")]
        checker = EventChecker({str(r[1]): str(r[3]) for r in definitions})
        checker.feed(self._chain_rows())
        problems = checker.finish((int(head[0]), str(head[1])), head[6])
        problems += side_problems([SideRow(int(r[0]), *r[1:6]) for r in definitions],
                                  (int(head[2]), str(head[3])), "program definition", "definitions")
        problems += [
            ChainProblem(int(pos), None, f"program definition {ref!r} (#{pos}): edited: its key or version"
                         " column differs from its name", "definitions")
            for pos, ref, *_, key, version in definitions if f"{key}@{version}" != ref
        ]
        problems += side_problems([SideRow(int(r[0]), *r[1:]) for r in settings],
                                  (int(head[4]), str(head[5])), "setting", "settings")
        with self._translate("check the store"):
            index = {str(t): (int(f), int(n)) for t, f, n in conn.execute(
                "SELECT trainee, first_seq, events FROM trainees")}
            snaps = conn.execute(
                "SELECT s.trainee, s.seq, s.tag, s.body, s.digest, e.hash FROM snapshots s"
                " LEFT JOIN events e ON e.seq = s.seq ORDER BY s.trainee").fetchall()
        problems += index_problems(checker.derived, index)
        for trainee, seq, tag, body, digest, event_hash in snaps:
            found = snapshot_problem(trainee, int(seq), tag=tag, body=body, digest=digest,
                                     event_hash=GENESIS if seq == 0 else event_hash)
            if found is not None:
                problems.append(found)
        return problems

    def _chain_rows(self) -> Iterator[ChainRow]:
        sql = self._sql(_CHAIN)
        after = -(1 << 62)
        while True:
            with self._translate("check the store"):
                rows = self._conn.execute(sql, (after, PAGE)).fetchall()
            if not rows:
                return
            yield from (ChainRow._make((int(r[0]), *r[1:10], int(r[10]), r[11])) for r in rows)
            after = int(rows[-1][0])


#: An events row as both stores insert it: seq, id, trainee, kind, on, recorded_at,
#: recorded_by, body, prev_hash, hash, format, pinned.
EventRow = tuple[int, str, str, str, str, str, str | None, str, str, str, int, str | None]


def chain_rows(
    fresh: Sequence[Event], seq: int, prev: str, now: str, pins: Mapping[str, str]
) -> tuple[list[EventRow], str]:
    """The rows that append `fresh` after position `seq` and hash `prev`, and the new head hash.

    Each row's hash covers the one before it, its recording time, its body and the digest of
    the definition an enrolment pins, so none of them can change unnoticed.
    """
    rows: list[EventRow] = []
    for event in fresh:
        seq += 1
        body = event.model_dump_json()
        ref = pinned_ref(event)
        pinned = pins.get(ref) if ref else None
        digest = row_hash(prev, now, body, pinned)
        rows.append((seq, event.id, event.trainee, event.kind, event.on.isoformat(), now,
                     event.recorded_by, body, prev, digest, FORMAT, pinned))
        prev = digest
    return rows, prev


def first_counts(rows: Sequence[EventRow]) -> dict[str, list[int]]:
    """For the per-trainee index: each trainee's first position among `rows` and their count."""
    firsts: dict[str, list[int]] = {}
    for row in rows:
        firsts.setdefault(row[2], [row[0], 0])[1] += 1
    return firsts


def refuse_newer(current: int, known: int, location: str) -> None:
    """Refuse a store whose schema is newer than this release knows, before anything changes."""
    if current > known:
        raise JournalError(
            f"the store has schema version {current}, newer than this facilitrack knows"
            f" (up to {known})",
            where=location,
            fix="upgrade facilitrack to the release that wrote this store; it was not changed",
        )


def pinned_ref(event: Event) -> str | None:
    """The ``key@version`` an enrolment pins (None for other events, or an unpinned one)."""
    if isinstance(event, Enrolled) and event.version is not None:
        return f"{event.program}@{event.version}"
    return None
