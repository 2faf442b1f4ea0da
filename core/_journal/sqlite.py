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
- **Tamper evidence.** Each row carries a hash over the one before it, its recording time,
  its body and the definition an enrolment pins (`chain`); definitions and settings are
  chained too, snapshots carry a digest; `verify` names whatever does not check out.
- **Private.** The file is created ``0o600`` before SQLite opens it, and the ``-wal`` and
  ``-shm`` files under a ``0o077`` umask.
- **Versioned schema.** `MIGRATIONS` lists the steps; a file written by a newer facilitrack,
  or one that is not a facilitrack store, is refused with a `JournalError` naming it.

Reads trust what was validated when it was stored: bodies are parsed with pydantic's JSON
parser (`EVENT_LIST_ADAPTER`, a page of rows per call), never re-checked by the engine.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from .._errors import JournalError
from .._model.events import Event
from .._text import display_path
from .base import ExpectedVersion, OlderSchemaError, check_expected, dedupe
from .chain import (
    GENESIS,
    ChainProblem,
    chain_hash,
    link_hash,
    seal,
    sha256,
)
from .memory import stamp, utc_now
from .reading import parse_rows
from .sqlstore import SNAPSHOT_UPSERT, SqlStore, chain_rows, first_counts, pinned_ref, refuse_newer

__all__ = ["GENESIS", "MIGRATIONS", "SCHEMA_VERSION", "ChainProblem", "SQLiteJournal", "chain_hash"]

#: ``PRAGMA application_id`` of a facilitrack store ("ftrk"): how a store is told from any
#: other SQLite file.
APPLICATION_ID = 0x6674726B



def _upgrade_to_2(conn: sqlite3.Connection) -> None:
    """Chain the definitions already kept, count each trainee's events, seal old rows' times."""
    prev = GENESIS
    rows = conn.execute("SELECT ref, body FROM programs ORDER BY ref").fetchall()
    for pos, (ref, body) in enumerate(rows, start=1):
        digest = sha256(body)
        link = link_hash(prev, ref, digest)
        conn.execute("UPDATE programs SET pos = ?, digest = ?, prev_hash = ?, hash = ? WHERE ref = ?",
                     (pos, digest, prev, link, ref))
        prev = link
    sealed = seal(conn.execute("SELECT seq, recorded_at FROM events ORDER BY seq"))
    conn.execute("UPDATE head SET programs = ?, programs_hash = ?, sealed = ?", (len(rows), prev, sealed))
    conn.execute("UPDATE trainees SET events = (SELECT count(*) FROM events e"
                 " WHERE e.trainee = trainees.trainee)")


#: A migration step: SQL, or a function run inside the same transaction.
Step = str | Callable[[sqlite3.Connection], None]

#: Schema migrations: step ``i`` takes a store from schema version ``i`` to ``i + 1``. Append
#: a step to change the schema; never edit a released one.
MIGRATIONS: tuple[tuple[Step, ...], ...] = (
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
    (
        # Hash format 2 chains recorded_at and the pinned definition; format 1 rows stay.
        "ALTER TABLE events ADD COLUMN format INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE events ADD COLUMN pinned TEXT",
        "ALTER TABLE trainees ADD COLUMN events INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE programs ADD COLUMN pos INTEGER",
        "ALTER TABLE programs ADD COLUMN digest TEXT",
        "ALTER TABLE programs ADD COLUMN prev_hash TEXT",
        "ALTER TABLE programs ADD COLUMN hash TEXT",
        """CREATE TABLE settings (
            pos INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            digest TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        )""",
        "ALTER TABLE head ADD COLUMN programs INTEGER NOT NULL DEFAULT 0",
        f"ALTER TABLE head ADD COLUMN programs_hash TEXT NOT NULL DEFAULT '{GENESIS}'",
        "ALTER TABLE head ADD COLUMN settings INTEGER NOT NULL DEFAULT 0",
        f"ALTER TABLE head ADD COLUMN settings_hash TEXT NOT NULL DEFAULT '{GENESIS}'",
        "ALTER TABLE head ADD COLUMN sealed TEXT",
        # Cached states carry a digest now: the old ones are dropped and rebuilt on demand.
        "DELETE FROM snapshots",
        "ALTER TABLE snapshots ADD COLUMN digest TEXT NOT NULL DEFAULT ''",
        _upgrade_to_2,
    ),
    (
        # Names and addresses: kept apart from the chain, so that they can be corrected and
        # erased; no answer depends on them.
        """CREATE TABLE people (
            id TEXT PRIMARY KEY,
            name TEXT,
            given_name TEXT,
            family_name TEXT,
            email TEXT
        ) WITHOUT ROWID""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

#: Errors of a read-only open when the write-ahead log's index cannot be made beside the file.
_NO_SHM = ("SQLITE_READONLY_DIRECTORY", "SQLITE_CANTOPEN", "SQLITE_READONLY")
#: SQLite's longest file name (``SQLITE_MAX_PATHNAME``, 512 bytes on Unix), less room for the
#: ``-journal`` and ``-wal`` suffixes it adds; measured: a 507-character path fails with 3.40.
_MAX_PATH = 500
_IN_CHUNK = 500  # ids per ``IN (...)`` look-up (SQLite allows at least 999 parameters)
_INSERT = (
    "INSERT INTO events (seq, id, trainee, kind, on_date, recorded_at, recorded_by, body,"
    " prev_hash, hash, format, pinned) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_COUNT = (
    "INSERT INTO trainees (trainee, first_seq, events) VALUES (?, ?, ?) ON CONFLICT (trainee)"
    " DO UPDATE SET events = trainees.events + excluded.events"
)


class SQLiteJournal(SqlStore):
    """A `Journal` (and `SnapshotJournal`) in one SQLite file.

    :param path: the store file; created (owner-only) when missing unless `create` is False.
    :param create: whether a missing file may be created.
    :param readonly: open for reading only: nothing is ever written, not even the write-ahead
        log's index, so a store in a read-only directory (a backup, a mounted share) can be
        read when it has no unfinished write-ahead log beside it.
    :param timeout: seconds to wait for another writer's lock before giving up.
    :param clock: gives `recorded_at` for each append (UTC, kept to the second).
    """

    _DRIVER_ERROR = sqlite3.Error

    def __init__(
        self,
        path: str | Path,
        *,
        create: bool = True,
        readonly: bool = False,
        timeout: float = 30.0,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.path = Path(path)
        self.location = display_path(self.path)
        self.timeout = timeout
        self.readonly = readonly
        self.clock = clock
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
                raise (JournalError if current is None else OlderSchemaError)(
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
                    if callable(statement):
                        statement(conn)
                    else:
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
        refuse_newer(current, SCHEMA_VERSION, self.location)
        return current

    def _error(self, exc: Exception, action: str) -> JournalError:
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

    # -- the Journal protocol ----------------------------------------------------------------

    def append(self, events: Sequence[Event], *, expected_version: ExpectedVersion = None) -> list[Event]:
        with self._write("append to the store") as conn:
            last = conn.execute(
                "SELECT seq, hash, recorded_at FROM events ORDER BY seq DESC LIMIT 1").fetchone()
            seq, prev = (int(last[0]), str(last[1])) if last else (0, GENESIS)
            if expected_version is not None:
                counts = self._counts(conn, expected_version) if not isinstance(expected_version, int) else {}
                check_expected(expected_version, seq, lambda t: counts.get(t, 0), self.location)
            stored = self._lookup(conn, [e.id for e in events])
            fresh = dedupe(events, stored.get)
            if not fresh:
                return []
            now = stamp(self.clock(), str(last[2]) if last else None)
            pins = self._pins(conn, fresh)
            rows, prev = chain_rows(fresh, seq, prev, now, pins)
            seq = rows[-1][0]
            conn.executemany(_INSERT, rows)
            firsts = first_counts(rows)
            conn.executemany(_COUNT, [(t, first, n) for t, (first, n) in firsts.items()])
            conn.execute("UPDATE head SET version = ?, hash = ?", (seq, prev))
        return fresh

    def _counts(self, conn: sqlite3.Connection, trainees: Iterable[str]) -> dict[str, int]:
        wanted = list(trainees)
        found: dict[str, int] = {}
        for i in range(0, len(wanted), _IN_CHUNK):
            chunk = wanted[i : i + _IN_CHUNK]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT trainee, events FROM trainees WHERE trainee IN ({marks})"  # noqa: S608 -- placeholders only
            found.update((t, int(n)) for t, n in conn.execute(sql, chunk))
        return found

    def _pins(self, conn: sqlite3.Connection, events: Iterable[Event]) -> dict[str, str]:
        """The digest of each stored definition that enrolments among `events` pin."""
        refs = {r for r in map(pinned_ref, events) if r is not None}
        out = {}
        for ref in refs:
            row = conn.execute("SELECT digest FROM programs WHERE ref = ?", (ref,)).fetchone()
            if row is not None:
                out[ref] = str(row[0])
        return out

    def _lookup(self, conn: sqlite3.Connection, ids: list[str]) -> dict[str, Event]:
        found: dict[str, Event] = {}
        unique = list(dict.fromkeys(ids))
        for i in range(0, len(unique), _IN_CHUNK):
            chunk = unique[i : i + _IN_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(f"SELECT seq, id, body FROM events WHERE id IN ({marks})", chunk).fetchall()  # noqa: S608 -- only placeholders are interpolated
            for event in parse_rows(rows, self.location):
                found[event.id] = event
        return found

    def trainees(self, upto: int | None = None) -> list[str]:
        sql = "SELECT trainee FROM trainees"
        args: tuple[int, ...] = ()
        if upto is not None:
            sql, args = "SELECT trainee FROM trainees WHERE first_seq <= ?", (upto,)
        with self._translate("read the store"):
            return sorted(r[0] for r in self._conn.execute(sql, args))

    def trainee_version(self, trainee: str) -> int:
        with self._translate("read the store"):
            row = self._conn.execute("SELECT events FROM trainees WHERE trainee = ?", (trainee,)).fetchone()
        return int(row[0]) if row else 0

    # -- the state cache ---------------------------------------------------------------------

    def save_snapshot(self, states: Sequence[tuple[str, dict[str, Any]]], *, version: int, tag: str) -> None:
        if not states:
            return
        sql = self._sql(SNAPSHOT_UPSERT)

        def write(conn: sqlite3.Connection) -> None:
            conn.executemany(sql, self._snapshot_rows(conn, states, version=version, tag=tag))

        if self._conn.in_transaction:  # part of a `transaction`: committed with its events
            with self._write("update the state cache") as conn:
                write(conn)
            return
        # The cache can always be rebuilt from the events, so its own commit need not wait for
        # the disk: the next event commit (synchronous=FULL) makes it durable too.
        with self._translate("update the state cache"):
            self._conn.execute("PRAGMA synchronous=NORMAL")
        try:
            with self._write("update the state cache") as conn:
                write(conn)
        finally:
            with self._translate("update the state cache"):
                self._conn.execute("PRAGMA synchronous=FULL")

    # -- checking ----------------------------------------------------------------------------

    def verify(self) -> list[ChainProblem]:
        """Check the file, the hash chains, the index and the cache; name what does not check out."""
        with self._translate("check the store"):
            check = [r[0] for r in self._conn.execute("PRAGMA quick_check")]
        if check != ["ok"]:
            return [ChainProblem(0, None, "SQLite reports damage: " + "; ".join(check[:5]))]
        return self._check_tables()


