"""The embedded default store: one SQLite file, append-only, hash-chained, owner-only.

Guarantees, each pinned by a test in tests/core/journal/:

- **Atomic batches.** One ``BEGIN IMMEDIATE`` transaction per `append`, committed with
  ``synchronous=FULL`` in WAL mode: after `append` returns the batch survives a crash or a
  power cut; a writer killed mid-batch leaves no part of it.
- **Serialised writers.** ``BEGIN IMMEDIATE`` takes the write lock before the journal's
  version is read, so the `expected_version` check and the id look-ups are race-free and
  concurrent writers never lose or double an event.
- **Idempotent.** The core's `dedupe` rules: a stored id with the same content is skipped,
  with other content the batch is refused naming both.
- **Tamper evidence.** Each row carries the hash of the row before it
  (``hash = sha256(prev_hash + body)``); `verify` names an edited, inserted or deleted row.
- **Private.** The file is created ``0o600`` before SQLite opens it, and the ``-wal`` and
  ``-shm`` files under a ``0o077`` umask.
- **Versioned schema.** `MIGRATIONS` lists the steps; a file written by a newer facilitrack,
  or one that is not a facilitrack store, is refused with a `JournalError` naming it.

Reads trust what was validated when it was stored: bodies are parsed with pydantic's JSON
parser (`EVENT_LIST_ADAPTER`, a page of rows per call), never re-checked by the engine.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .._errors import ConflictError, JournalError, UserError
from .._model.events import EVENT_ADAPTER, EVENT_LIST_ADAPTER, Event
from .._model.program import Program
from .._text import counted
from .base import StoredEvent, dedupe

#: ``PRAGMA application_id`` of a facilitrack store ("ftrk"): how a store is told from any
#: other SQLite file.
APPLICATION_ID = 0x6674726B

#: The hash the first row chains from.
GENESIS = "0" * 64

#: Schema migrations: step ``i`` takes a store from schema version ``i`` to ``i + 1``. Append
#: a step to change the schema; never edit a released one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE events (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            trainee TEXT NOT NULL,
            kind TEXT NOT NULL,
            on_date TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            recorded_by TEXT,
            body TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        )""",
        "CREATE INDEX events_by_trainee ON events (trainee, seq)",
        "CREATE TABLE trainees (trainee TEXT PRIMARY KEY, first_seq INTEGER NOT NULL) WITHOUT ROWID",
        "CREATE INDEX trainees_by_seq ON trainees (first_seq)",
        "CREATE TABLE head (one INTEGER PRIMARY KEY CHECK (one = 1), version INTEGER NOT NULL,"
        " hash TEXT NOT NULL)",
        "INSERT INTO head (one, version, hash) VALUES (1, 0, hex(zeroblob(32)))",  # GENESIS
        """CREATE TABLE programs (
            ref TEXT PRIMARY KEY,
            key TEXT NOT NULL,
            version TEXT NOT NULL,
            body TEXT NOT NULL
        ) WITHOUT ROWID""",
        """CREATE TABLE snapshots (
            trainee TEXT PRIMARY KEY,
            seq INTEGER NOT NULL,
            tag TEXT NOT NULL,
            body TEXT NOT NULL
        ) WITHOUT ROWID""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

#: Errors of a read-only open when the write-ahead log's index cannot be made beside the file.
_NO_SHM = ("SQLITE_READONLY_DIRECTORY", "SQLITE_CANTOPEN", "SQLITE_READONLY")
#: SQLite's longest file name (``SQLITE_MAX_PATHNAME``, 512 bytes on Unix), less room for the
#: ``-journal`` and ``-wal`` suffixes it adds; measured: a 507-character path fails with 3.40.
_MAX_PATH = 500
_PAGE = 500  # rows per read query and per parse call (measured fastest: ~1.6x per-row parsing)
_IN_CHUNK = 500  # ids per ``IN (...)`` look-up (SQLite allows at least 999 parameters)
_AFTER = "SELECT seq, body FROM events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?"
_AFTER_OF = (
    "SELECT seq, body FROM events WHERE seq > ? AND seq <= ? AND trainee = ? ORDER BY seq LIMIT ?"
)
_ROWS = (
    "SELECT seq, id, trainee, kind, on_date, recorded_at, recorded_by, body FROM events"
    " WHERE seq > ? ORDER BY seq LIMIT ?"
)
_ROWS_OF = (
    "SELECT seq, id, trainee, kind, on_date, recorded_at, recorded_by, body FROM events"
    " WHERE seq > ? AND trainee = ? ORDER BY seq LIMIT ?"
)
_INSERT = (
    "INSERT INTO events (seq, id, trainee, kind, on_date, recorded_at, recorded_by, body,"
    " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


@dataclass(frozen=True)
class ChainProblem:
    """A row whose place in the hash chain or whose content does not check out."""

    seq: int
    id: str | None
    reason: str

    def __str__(self) -> str:
        who = f"seq {self.seq} (id {self.id})" if self.id else f"seq {self.seq}"
        return f"{who}: {self.reason}"


def chain_hash(prev_hash: str, body: str) -> str:
    """The hash a row carries: ``sha256(prev_hash + body)``, hex."""
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


class SQLiteJournal:
    """A `Journal` (and `SnapshotJournal`) in one SQLite file.

    :param path: the store file; created (owner-only) when missing unless `create` is False.
    :param create: whether a missing file may be created.
    :param readonly: open for reading only: nothing is ever written, not even the write-ahead
        log's index, so a store in a read-only directory (a backup, a mounted share) can be
        read when it has no unfinished write-ahead log beside it.
    :param timeout: seconds to wait for another writer's lock before giving up.
    """

    def __init__(
        self, path: str | Path, *, create: bool = True, readonly: bool = False, timeout: float = 30.0
    ) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.readonly = readonly
        self._conn = self._open_readonly() if readonly else self._open(create)

    # -- opening -----------------------------------------------------------------------------

    def _open(self, create: bool) -> sqlite3.Connection:
        self._must_exist(create)
        old_umask = os.umask(0o077)  # -wal and -shm files too are owner-only
        try:
            if create:
                self._create_file()
            conn = self._connect(str(self.path))
            try:
                with self._translate("open the store"):
                    self._setup(conn)
            except BaseException:
                conn.close()
                raise
        finally:
            os.umask(old_umask)
        return conn

    def _open_readonly(self) -> sqlite3.Connection:
        self._must_exist(create=False)
        uri = self.path.resolve().as_uri() + "?mode=ro"
        wal = Path(f"{self.path}-wal")
        for attempt in (uri, uri + "&immutable=1"):
            conn = self._connect(attempt)
            try:
                old_umask = os.umask(0o077)  # SQLite may still make the -wal and -shm files
                try:
                    current = self._identify(conn)
                finally:
                    os.umask(old_umask)
            except sqlite3.Error as exc:
                conn.close()
                name = getattr(exc, "sqlite_errorname", "")
                unfinished = wal.exists() and wal.stat().st_size > 0
                if attempt == uri and name in _NO_SHM and not unfinished:
                    # The directory is read-only, so no one can be writing: the file is whole.
                    continue
                raise self._error(exc, "open the store") from None
            except BaseException:
                conn.close()
                raise
            if current is None or current < SCHEMA_VERSION:
                conn.close()
                what = "empty" if current is None else f"at schema version {current} of {SCHEMA_VERSION}"
                raise JournalError(
                    f"the store is {what}: there is nothing this command can read yet",
                    where=self.path,
                    fix="record or import into it with this facilitrack first (that upgrades it)",
                )
            return conn
        raise AssertionError("unreachable")  # pragma: no cover

    def _connect(self, target: str) -> sqlite3.Connection:
        try:
            return sqlite3.connect(
                target, timeout=self.timeout, isolation_level=None, check_same_thread=False,
                uri=target.startswith("file:"),
            )
        except sqlite3.Error as exc:
            raise self._cannot_open(exc) from None

    def _cannot_open(self, exc: sqlite3.Error) -> JournalError:
        """SQLite's "unable to open database file", with the likely reason and its fix."""
        full = str(self.path.absolute())
        if len(full) >= _MAX_PATH:
            what = f"the path is too long for SQLite ({len(full)} characters; it takes about {_MAX_PATH})"
            fix = "move the store, or work on a copy, at a shorter path"
        elif not os.access(self.path, os.R_OK):
            what = "you may not read it"
            fix = "ask the store's owner for read access, or work on a copy they give you"
        elif not self.readonly and not os.access(self.path.parent, os.W_OK | os.X_OK):
            what = "its folder is not writable (SQLite keeps a write-ahead log beside the store)"
            fix = "make the folder writable by you, or work on a copy in a folder you can write to"
        else:
            what = str(exc)
            fix = "check the path and the permissions of the store and its folder"
        return JournalError(f"cannot open the store: {what}", where=self.path, fix=fix)

    def _must_exist(self, create: bool) -> None:
        """Refuse, before SQLite sees it, a path that is no store: missing (unless `create`),
        through a file, a directory, or a pipe or device (SQLite would wait on a FIFO forever)."""
        try:
            mode: int | None = self.path.stat().st_mode
        except FileNotFoundError:
            mode = None
        except NotADirectoryError:
            raise JournalError("a part of the path is a file, not a folder", where=self.path,
                               fix="check the path") from None
        except OSError as exc:
            raise JournalError(f"cannot open the store: {exc.strerror}", where=self.path,
                               fix="check the path and its permissions") from None
        if mode is None:
            if not create:
                raise JournalError(
                    "no store here", where=self.path,
                    fix="check the path, or create the store with `facilitrack import` or `record`",
                )
            return
        if stat.S_ISDIR(mode):
            raise JournalError("this is a directory, not a store", where=self.path,
                               fix="name a file, e.g. cohort.db")
        if not stat.S_ISREG(mode):
            what = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode)
                    else "a socket" if stat.S_ISSOCK(mode) else "a device")
            raise JournalError(f"{what}, not a store file", where=self.path,
                               fix="name the store's file, e.g. cohort.db")

    def _create_file(self) -> None:
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            return
        except OSError as exc:
            raise JournalError(
                f"cannot create the store: {exc.strerror}", where=self.path,
                fix="choose a directory that exists and that you can write to",
            ) from None
        os.close(fd)

    def _setup(self, conn: sqlite3.Connection) -> None:
        self._identify(conn)  # refuse another program's file before changing anything in it
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise JournalError(
                f"the store cannot use write-ahead logging (journal mode {mode})",
                where=self.path, fix="keep the store on a local file system",
            )
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            known = self._identify(conn)
            if known is None:
                conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
                conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
                conn.execute("INSERT INTO schema_version (version) VALUES (0)")
            current = known or 0
            for step in MIGRATIONS[current:]:
                for statement in step:
                    conn.execute(statement)
            if current < SCHEMA_VERSION:
                conn.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _identify(self, conn: sqlite3.Connection) -> int | None:
        """The store's schema version; None for an empty file (a store about to be made)."""
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if app_id == 0 and not tables:
            return None
        if app_id != APPLICATION_ID or "schema_version" not in tables:
            raise JournalError(
                "not a facilitrack store (an SQLite database of something else)",
                where=self.path, fix="check the path; facilitrack has not written to it",
            )
        row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
        current = int(row[0] or 0)
        if current > SCHEMA_VERSION:
            raise JournalError(
                f"the store has schema version {current}, newer than this facilitrack knows"
                f" (up to {SCHEMA_VERSION})",
                where=self.path,
                fix="upgrade facilitrack to the release that wrote this store; it was not changed",
            )
        return current

    @contextlib.contextmanager
    def _translate(self, action: str) -> Iterator[None]:
        """Turn SQLite's errors into `JournalError`s that name the file and a fix."""
        try:
            yield
        except UserError:
            raise
        except sqlite3.Error as exc:
            raise self._error(exc, action) from None

    def _error(self, exc: sqlite3.Error, action: str) -> JournalError:
        name = getattr(exc, "sqlite_errorname", "") or ""
        text = str(exc)
        if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")) or "not a database" in text:
            return JournalError(
                f"cannot {action}: the file is corrupt or not a facilitrack store ({text})",
                where=self.path,
                fix="check the path; restore the store from a backup or an export",
            )
        if name.startswith(("SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_PERM")):
            return JournalError(
                f"cannot {action}: the file or its directory is not writable ({text})",
                where=self.path,
                fix="make the store and its directory writable by you (SQLite keeps a"
                " write-ahead log beside the file), or work on a copy",
            )
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return JournalError(
                f"cannot {action}: another writer held the store for {self.timeout:g}s",
                where=self.path, fix="try again when the other command has finished",
            )
        if name.startswith("SQLITE_FULL"):
            return JournalError(f"cannot {action}: the disk is full", where=self.path,
                                fix="free some space and try again; nothing was half-written")
        return JournalError(f"cannot {action}: {text}", where=self.path,
                            fix="check the file; nothing was half-written")

    @contextlib.contextmanager
    def _write(self, action: str) -> Iterator[sqlite3.Connection]:
        """One write transaction, holding the write lock from its first statement.

        Inside `transaction` it joins the open transaction instead.
        """
        conn = self._conn
        if conn.in_transaction:
            with self._translate(action):
                yield conn
            return
        with self._translate(action):
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the write lock across several appends: all of them are stored, or none.

        Validation done inside sees the journal as no other writer can change it. When the
        block raises, everything it appended is rolled back — an engine that recorded inside
        it has taken those events in and must be discarded.
        """
        with self._write("append to the store"):
            yield

    def close(self) -> None:
        """Close the connection (also done when the journal is garbage-collected)."""
        self._conn.close()

    def __enter__(self) -> SQLiteJournal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SQLiteJournal({str(self.path)!r})"

    # -- the Journal protocol ----------------------------------------------------------------

    @property
    def version(self) -> int:
        with self._translate("read the store"):
            row = self._conn.execute("SELECT max(seq) FROM events").fetchone()
        return int(row[0] or 0)

    def append(self, events: Sequence[Event], *, expected_version: int | None = None) -> list[Event]:
        with self._write("append to the store") as conn:
            last = conn.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
            seq, prev = (int(last[0]), str(last[1])) if last else (0, GENESIS)
            if expected_version is not None and expected_version != seq:
                raise ConflictError(expected_version, seq, where=str(self.path))
            stored = self._lookup(conn, [e.id for e in events])
            fresh = dedupe(events, stored.get)
            if not fresh:
                return []
            now = datetime.now(UTC).isoformat(timespec="seconds")
            rows = []
            for event in fresh:
                seq += 1
                body = event.model_dump_json()
                digest = chain_hash(prev, body)
                rows.append((seq, event.id, event.trainee, event.kind, event.on.isoformat(), now,
                             event.recorded_by, body, prev, digest))
                prev = digest
            conn.executemany(_INSERT, rows)
            conn.executemany(
                "INSERT OR IGNORE INTO trainees (trainee, first_seq) VALUES (?, ?)",
                [(r[2], r[0]) for r in rows],
            )
            conn.execute("UPDATE head SET version = ?, hash = ?", (seq, prev))
        return fresh

    def _lookup(self, conn: sqlite3.Connection, ids: list[str]) -> dict[str, Event]:
        found: dict[str, Event] = {}
        unique = list(dict.fromkeys(ids))
        for i in range(0, len(unique), _IN_CHUNK):
            chunk = unique[i : i + _IN_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(f"SELECT body FROM events WHERE id IN ({marks})", chunk)  # noqa: S608 -- only placeholders are interpolated
            for event in _parse([r[0] for r in rows]):
                found[event.id] = event
        return found

    def get(self, event_id: str) -> Event | None:
        with self._translate("read the store"):
            row = self._conn.execute("SELECT body FROM events WHERE id = ?", (event_id,)).fetchone()
        return EVENT_ADAPTER.validate_json(row[0]) if row else None

    def events(self, trainee: str | None = None) -> Iterator[Event]:
        return (stored.event for stored in self.events_after(0, trainee))

    def trainees(self, upto: int | None = None) -> list[str]:
        sql = "SELECT trainee FROM trainees"
        args: tuple[int, ...] = ()
        if upto is not None:
            sql, args = "SELECT trainee FROM trainees WHERE first_seq <= ?", (upto,)
        with self._translate("read the store"):
            return sorted(r[0] for r in self._conn.execute(sql, args))

    # -- reading by position -----------------------------------------------------------------

    def events_after(
        self, seq: int, trainee: str | None = None, *, upto: int | None = None
    ) -> Iterator[StoredEvent]:
        """Stored events after position `seq` up to `upto` (default: the version now), in order.

        Read a page at a time, so a million events never sit in memory at once; the upper
        bound is fixed when iteration starts, so the result is a consistent prefix.
        """
        limit = self.version if upto is None else upto
        sql = _AFTER if trainee is None else _AFTER_OF
        after = seq
        while after < limit:
            args: tuple[Any, ...] = (
                (after, limit, _PAGE) if trainee is None else (after, limit, trainee, _PAGE)
            )
            with self._translate("read the store"):
                rows = self._conn.execute(sql, args).fetchall()
            if not rows:
                return
            for (position, _), event in zip(rows, _parse([r[1] for r in rows]), strict=True):
                yield StoredEvent(position, event)
            after = rows[-1][0]

    def rows(self, trainee: str | None = None) -> Iterator[dict[str, Any]]:
        """The audit trail: every stored row's columns (body parsed), in order."""
        sql = _ROWS if trainee is None else _ROWS_OF
        after = 0
        while True:
            args: tuple[Any, ...] = (after, _PAGE) if trainee is None else (after, trainee, _PAGE)
            with self._translate("read the store"):
                rows = self._conn.execute(sql, args).fetchall()
            if not rows:
                return
            for seq, id_, who, kind, on, at, by, body in rows:
                yield {"seq": seq, "id": id_, "trainee": who, "kind": kind, "on": on,
                       "recorded_at": at, "recorded_by": by, "body": json.loads(body)}
            after = rows[-1][0]

    # -- snapshots (the SnapshotJournal protocol) --------------------------------------------

    def load_snapshot(self, trainee: str, tag: str) -> tuple[int, dict[str, Any]] | None:
        with self._translate("read the store"):
            row = self._conn.execute(
                "SELECT seq, body FROM snapshots WHERE trainee = ? AND tag = ?", (trainee, tag)
            ).fetchone()
        return (int(row[0]), json.loads(row[1])) if row else None

    def save_snapshot(self, states: Sequence[tuple[str, dict[str, Any]]], *, version: int, tag: str) -> None:
        rows = [(t, version, tag, json.dumps(d, separators=(",", ":"))) for t, d in states]
        if not rows:
            return
        sql = (
            "INSERT INTO snapshots (trainee, seq, tag, body) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (trainee) DO UPDATE SET seq = excluded.seq, tag = excluded.tag,"
            " body = excluded.body WHERE excluded.seq >= snapshots.seq OR excluded.tag != snapshots.tag"
        )
        if self._conn.in_transaction:  # part of a `transaction`: committed with its events
            with self._write("update the state cache") as conn:
                conn.executemany(sql, rows)
            return
        # The cache can always be rebuilt from the events, so its own commit need not wait for
        # the disk: the next event commit (synchronous=FULL) makes it durable too.
        with self._translate("update the state cache"):
            self._conn.execute("PRAGMA synchronous=NORMAL")
        try:
            with self._write("update the state cache") as conn:
                conn.executemany(sql, rows)
        finally:
            with self._translate("update the state cache"):
                self._conn.execute("PRAGMA synchronous=FULL")

    def clear_snapshots(self) -> None:
        """Drop the state cache (it is rebuilt as trainees are next read)."""
        with self._write("clear the state cache") as conn:
            conn.execute("DELETE FROM snapshots")

    # -- program definitions ----------------------------------------------------------------

    def save_programs(self, programs: Iterable[Program]) -> None:
        """Keep the definitions enrolments pin, so the store is self-contained.

        A definition already stored under the same ``key@version`` must be identical.
        """
        wanted = {p.ref: p for p in programs}
        if not wanted:
            return
        with self._write("store program definitions") as conn:
            stored = self.programs()
            for ref, program in sorted(wanted.items()):
                data = program.model_dump(mode="json")
                old = stored.get(ref)
                if old is None:
                    conn.execute(
                        "INSERT OR IGNORE INTO programs (ref, key, version, body) VALUES (?, ?, ?, ?)",
                        (ref, program.key, program.version, json.dumps(data, sort_keys=True)),
                    )
                elif old != data:
                    raise JournalError(
                        f"program {ref} is stored with other content than the definition given",
                        where=self.path,
                        fix="give the changed definition a new `version`; enrolments keep the"
                        " version they pinned",
                    )

    def programs(self) -> dict[str, dict[str, Any]]:
        """Stored definitions by ``key@version``, as JSON data."""
        with self._translate("read the store"):
            rows = self._conn.execute("SELECT ref, body FROM programs ORDER BY ref").fetchall()
        return {ref: json.loads(body) for ref, body in rows}

    # -- checking ----------------------------------------------------------------------------

    def verify(self) -> list[ChainProblem]:
        """Check the file and the hash chain; name every edited, inserted or deleted row."""
        problems: list[ChainProblem] = []
        with self._translate("check the store"):
            check = [r[0] for r in self._conn.execute("PRAGMA quick_check")]
            if check != ["ok"]:
                return [ChainProblem(0, None, "SQLite reports damage: " + "; ".join(check[:5]))]
            head = self._conn.execute("SELECT version, hash FROM head").fetchone()
        hashes: dict[str, int] = {}
        last_seq, last_hash, last_id = 0, GENESIS, None
        prev_row: tuple[int, str, str, str] | None = None  # seq, id, prev_hash, hash
        for row in self._chain_rows():
            seq, id_, *_, prev_hash, digest = row
            problems.extend(_row_problems(row))
            if seq != last_seq + 1:
                gap = f"seq {last_seq + 1}" if seq == last_seq + 2 else f"seq {last_seq + 1}..{seq - 1}"
                problems.append(ChainProblem(
                    seq, id_, f"{gap} deleted (between {last_id or 'the start'} and {id_})"))
            elif prev_hash != last_hash:
                problems.append(_link_problem(row, prev_row, hashes))
            hashes[digest] = seq
            last_seq, last_hash, last_id = seq, digest, id_
            prev_row = (seq, id_, prev_hash, digest)
        if head is not None and (int(head[0]), str(head[1])) != (last_seq, last_hash):
            if int(head[0]) > last_seq:
                problems.append(ChainProblem(
                    last_seq + 1, None,
                    f"deleted: the store recorded {counted(int(head[0]), 'event')}, {last_seq} remain"
                    f" (the last rows after {last_id or 'the start'} are gone)"))
            else:
                problems.append(ChainProblem(
                    last_seq, last_id,
                    f"the last rows do not match the store's head (version {head[0]}): added"
                    " or edited outside facilitrack"))
        return problems

    def _chain_rows(self) -> Iterator[tuple[Any, ...]]:
        sql = (
            "SELECT seq, id, trainee, kind, on_date, recorded_by, body, prev_hash, hash FROM events"
            " WHERE seq > ? ORDER BY seq LIMIT ?"
        )
        after = -1 << 62
        while True:
            with self._translate("check the store"):
                rows = self._conn.execute(sql, (after, _PAGE)).fetchall()
            if not rows:
                return
            yield from rows
            after = rows[-1][0]


def _parse(bodies: list[str]) -> list[Event]:
    """Parse stored bodies in one call into pydantic's JSON parser (no engine re-validation)."""
    if not bodies:
        return []
    return EVENT_LIST_ADAPTER.validate_json("[" + ",".join(bodies) + "]")


def _row_problems(row: tuple[Any, ...]) -> list[ChainProblem]:
    """A row's own checks: its hash against its content, its columns against its body."""
    seq, id_, who, kind, on, by, body, prev_hash, digest = row
    if chain_hash(prev_hash, body) != digest:
        return [ChainProblem(seq, id_, "edited: the stored hash does not match the row's content")]
    try:
        data = json.loads(body)
    except ValueError:
        return [ChainProblem(seq, id_, "edited: the body is not JSON")]
    columns = {"id": id_, "trainee": who, "kind": kind, "on": on, "recorded_by": by}
    wrong = [k for k, v in columns.items() if data.get(k) != v]
    if wrong:
        return [ChainProblem(seq, id_, f"edited: column {', '.join(wrong)} differs from the event")]
    return []


def _link_problem(
    row: tuple[Any, ...], prev_row: tuple[int, str, str, str] | None, hashes: dict[str, int]
) -> ChainProblem:
    """Why a row does not chain from the one before it: an insertion, a deletion, an edit."""
    seq, id_, *_, prev_hash, _digest = row
    if prev_row is not None and prev_hash == prev_row[2]:
        # The row before claims the same predecessor as this one: it was slipped in between.
        return ChainProblem(prev_row[0], prev_row[1],
                            f"inserted: seq {seq} (id {id_}) chains from the row before it")
    if prev_hash in hashes:
        return ChainProblem(prev_row[0] if prev_row else seq, prev_row[1] if prev_row else id_,
                            f"inserted: seq {seq} (id {id_}) chains from seq {hashes[prev_hash]}")
    if prev_row is not None:
        return ChainProblem(
            prev_row[0], prev_row[1],
            f"edited or a row deleted after it: seq {seq} (id {id_}) does not chain from it")
    return ChainProblem(seq, id_, "edited or a row deleted before it: the chain does not start here")
