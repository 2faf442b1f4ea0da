"""A store on a PostgreSQL server, for several offices writing one journal (``facilitrack[postgres]``).

SQLite's write-ahead log works for processes on one host only; an organisation recording from
several offices shares one database instead. The guarantees are the SQLite store's:

- **Atomic, durable batches.** One transaction per `append` (or per `transaction` block),
  committed before `append` returns (the server's ``synchronous_commit``).
- **Serialised writers, gapless seq, a linear chain.** Every write transaction first locks the
  one ``head`` row (``SELECT ... FOR UPDATE``): the version and last hash it reads cannot move
  until it commits, so `expected_version` checks and id look-ups are race-free.
- **Append-only, enforced by the database.** Triggers refuse UPDATE, DELETE and TRUNCATE of
  events, definitions and settings for every role, the owner's included; a deployment also
  grants its writing role no UPDATE or DELETE on them (`grant_statements`).
- **Idempotent, chained, verified, cached, versioned** — as SQLite: `dedupe`, the `chain`
  module's hash formats, checked snapshots, `MIGRATIONS`.

The tables live in the connection's current schema (the first of its ``search_path``); name
one with ``?options=-csearch_path%3Dspring`` in the URL to keep several stores in a database.
psycopg is imported with this module, which only a ``postgresql://`` store loads.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.pq import TransactionStatus

from .._errors import JournalError
from .._model.events import Event
from .base import ExpectedVersion, OlderSchemaError, check_expected, dedupe
from .chain import (
    GENESIS,
    ChainProblem,
    seal,
)
from .memory import stamp
from .reading import parse_rows
from .sqlstore import SNAPSHOT_UPSERT, SqlStore, chain_rows, first_counts, pinned_ref, refuse_newer
from .urls import redact

#: The tables that only ever grow: their rows are never updated or deleted.
APPEND_ONLY = ("events", "programs", "settings")

#: Schema migrations: step ``i`` takes a store from schema version ``i`` to ``i + 1``. Append a
#: step to change the schema; never edit a released one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE events (
            seq bigint PRIMARY KEY,
            id text NOT NULL UNIQUE,
            trainee text NOT NULL,
            kind text NOT NULL,
            on_date text NOT NULL,
            recorded_at text NOT NULL,
            recorded_by text,
            body text NOT NULL,
            prev_hash text NOT NULL,
            hash text NOT NULL,
            format integer NOT NULL,
            pinned text
        )""",
        "CREATE INDEX events_by_trainee ON events (trainee, seq)",
        """CREATE TABLE trainees (
            trainee text PRIMARY KEY, first_seq bigint NOT NULL, events bigint NOT NULL
        )""",
        "CREATE INDEX trainees_by_seq ON trainees (first_seq)",
        """CREATE TABLE head (
            one integer PRIMARY KEY CHECK (one = 1),
            version bigint NOT NULL, hash text NOT NULL,
            programs integer NOT NULL, programs_hash text NOT NULL,
            settings integer NOT NULL, settings_hash text NOT NULL,
            sealed text
        )""",
        f"INSERT INTO head VALUES (1, 0, '{GENESIS}', 0, '{GENESIS}', 0, '{GENESIS}', '{seal([])}')",  # noqa: S608 -- constants
        """CREATE TABLE programs (
            ref text PRIMARY KEY, key text NOT NULL, version text NOT NULL, body text NOT NULL,
            pos integer NOT NULL UNIQUE, digest text NOT NULL, prev_hash text NOT NULL,
            hash text NOT NULL
        )""",
        """CREATE TABLE settings (
            pos integer PRIMARY KEY, name text NOT NULL, value text NOT NULL,
            digest text NOT NULL, prev_hash text NOT NULL, hash text NOT NULL
        )""",
        """CREATE TABLE snapshots (
            trainee text PRIMARY KEY, seq bigint NOT NULL, tag text NOT NULL, body text NOT NULL,
            digest text NOT NULL
        )""",
        """CREATE FUNCTION facilitrack_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'facilitrack: % of % refused: the table is append-only', TG_OP, TG_TABLE_NAME;
        END $$""",
        *(
            statement
            for table in APPEND_ONLY
            for statement in (
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}"
                " FOR EACH ROW EXECUTE FUNCTION facilitrack_append_only()",
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}"
                " FOR EACH STATEMENT EXECUTE FUNCTION facilitrack_append_only()",
            )
        ),
    ),
    (
        # Names and addresses: kept apart from the chain, so that they can be corrected and
        # erased; no answer depends on them.
        """CREATE TABLE people (
            id text PRIMARY KEY, name text, given_name text, family_name text, email text
        )""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

#: Key of the advisory lock that serialises migrations of stores in one database.
_MIGRATION_LOCK = 0x6674726B
_WRITE = (
    "WITH new_events AS (INSERT INTO events (seq, id, trainee, kind, on_date, recorded_at,"
    " recorded_by, body, prev_hash, hash, format, pinned) SELECT * FROM unnest(%b::bigint[],"
    " %b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[],"
    " %b::text[], %b::integer[], %b::text[])),"
    " counted AS (INSERT INTO trainees (trainee, first_seq, events) SELECT * FROM"
    " unnest(%b::text[], %b::bigint[], %b::bigint[]) ON CONFLICT (trainee)"
    " DO UPDATE SET events = trainees.events + excluded.events)"
    " UPDATE head SET version = %s, hash = %s WHERE one = 1"
)


class PostgresJournal(SqlStore):
    """A `Store` in a PostgreSQL database (the `Journal`, `SnapshotJournal` and store protocols).

    :param url: a libpq connection URL or string (``postgresql://user@host/db``); a password
        is best kept out of it (``PGPASSWORD``, ``~/.pgpass``).
    :param create: whether the tables may be created when the schema has none.
    :param readonly: every transaction is read-only; nothing is ever written.
    :param timeout: seconds to wait for another writer's lock before giving up.
    :param clock: gives `recorded_at` for each append (UTC, kept to the second); by default the
        server's clock, so writers on hosts whose clocks differ still stamp one timeline.
    """

    _DRIVER_ERROR = psycopg.Error

    _MARK = "%s"

    def __init__(
        self,
        url: str,
        *,
        create: bool = True,
        readonly: bool = False,
        timeout: float = 30.0,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.url = url
        self.location = redact(url)
        self.readonly = readonly
        self.timeout = timeout
        self.clock = clock
        try:
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=max(1, int(timeout)))
        except psycopg.Error as exc:
            raise JournalError(
                f"cannot connect to the store: {_first_line(exc)}", where=self.location,
                fix="check the URL, that the server is running and reachable, and the password"
                " (PGPASSWORD or ~/.pgpass)",
            ) from None
        try:
            with self._translate("open the store"):
                self._conn.execute("SELECT set_config('lock_timeout', %s, false)",
                                   (f"{int(timeout * 1000)}",))
                if readonly:
                    self._conn.execute("SET default_transaction_read_only = on")
                self._setup(create)
        except BaseException:
            self._conn.close()
            raise

    # -- opening -----------------------------------------------------------------------------

    def _setup(self, create: bool) -> None:
        current = self._identify()
        if current == SCHEMA_VERSION:
            return
        if self.readonly or (current is None and not create):
            what = "no store here" if current is None else (
                f"the store is at schema version {current} of {SCHEMA_VERSION}")
            raise (JournalError if current is None else OlderSchemaError)(
                what if current is None else f"{what}: there is nothing this command can read yet",
                where=self.location,
                fix="check the URL (and its search_path), or create the store with `facilitrack"
                " import` or `record`" if current is None else
                "record or import into it with this facilitrack first (that upgrades it)",
            )
        try:
            self._migrate(current)
        except pg_errors.InsufficientPrivilege:
            raise JournalError(
                f"the store must be {'created' if current is None else 'upgraded'} (schema version"
                f" {SCHEMA_VERSION}), which this role may not do", where=self.location,
                fix="run `facilitrack import` or `record` once as the role that owns the schema",
            ) from None

    def _migrate(self, current: int | None) -> None:
        conn = self._conn
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            current = self._identify()  # another process may have migrated meanwhile
            if current is None:
                schema = conn.execute("SELECT current_schema()").fetchone()
                if schema is None or schema[0] is None:
                    raise JournalError(
                        "no schema to create the store in (the search_path names none that exists"
                        " and that this role may use)", where=self.location,
                        fix="create the schema first (CREATE SCHEMA name), and connect as its owner",
                    )
                conn.execute("CREATE TABLE facilitrack_schema (version integer NOT NULL)")
                conn.execute("INSERT INTO facilitrack_schema VALUES (0)")
            for step in MIGRATIONS[current or 0 :]:
                for statement in step:
                    conn.execute(statement)
            conn.execute("UPDATE facilitrack_schema SET version = %s", (SCHEMA_VERSION,))

    def _identify(self) -> int | None:
        """The store's schema version; None when the schema holds no store yet."""
        conn = self._conn
        marker, events = conn.execute(
            "SELECT to_regclass('facilitrack_schema') IS NOT NULL, to_regclass('events') IS NOT NULL"
        ).fetchone() or (False, False)
        if not marker:
            if events:
                raise JournalError(
                    "not a facilitrack store (the schema holds another program's tables)",
                    where=self.location, fix="check the URL and its search_path; nothing was changed",
                )
            return None
        row = conn.execute("SELECT max(version) FROM facilitrack_schema").fetchone()
        current = int(row[0] or 0) if row else 0
        refuse_newer(current, SCHEMA_VERSION, self.location)
        return current

    def _error(self, exc: Exception, action: str) -> JournalError:
        text = _first_line(exc)
        where = self.location
        if isinstance(exc, pg_errors.ReadOnlySqlTransaction):
            return JournalError(f"cannot {action}: the store is open read-only ({text})", where=where,
                                fix="this command only reads; use one that records")
        if isinstance(exc, pg_errors.InsufficientPrivilege) or "append-only" in text:
            return JournalError(
                f"cannot {action}: not writable by this role ({text})", where=where,
                fix="connect as the store's writing role (docs/journal.md shows the grants)",
            )
        if isinstance(exc, pg_errors.LockNotAvailable | pg_errors.QueryCanceled):
            return JournalError(
                f"cannot {action}: another writer held the store for {self.timeout:g}s",
                where=where, fix="try again when the other command has finished",
            )
        if isinstance(exc, pg_errors.DiskFull):
            return JournalError(f"cannot {action}: the server's disk is full", where=where,
                                fix="free some space on the server and try again; nothing was half-written")
        if isinstance(exc, psycopg.OperationalError):
            return JournalError(f"cannot {action}: the connection to the server failed ({text})",
                                where=where, fix="check the server and try again; nothing was half-written")
        return JournalError(f"cannot {action}: {text}", where=where,
                            fix="check the server's log; nothing was half-written")

    def _in_transaction(self) -> bool:
        return bool(self._conn.info.transaction_status != TransactionStatus.IDLE)

    @contextlib.contextmanager
    def _write(self, action: str, *, lock: bool = True) -> Iterator[psycopg.Connection[Any]]:
        """One write transaction holding the head row's lock; inside `transaction`, that one.

        :param lock: take the lock now (an append takes it itself, reading the head with it).
        """
        conn = self._conn
        if self._in_transaction():
            with self._translate(action):
                yield conn
            return
        with self._translate(action), conn.transaction():
            if lock:
                conn.execute("SELECT version FROM head WHERE one = 1 FOR UPDATE")
            yield conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the write lock across several appends: all of them are stored, or none."""
        with self._write("append to the store"):
            yield

    # -- the Journal protocol ----------------------------------------------------------------

    def append(self, events: Sequence[Event], *, expected_version: ExpectedVersion = None) -> list[Event]:
        conn = self._conn
        ids = list(dict.fromkeys(e.id for e in events))
        trainees: list[str] = []
        if expected_version is not None and not isinstance(expected_version, int):
            trainees = list(expected_version)
        refs = sorted({r for r in map(pinned_ref, events) if r is not None})
        # Pipelined: BEGIN, the head's lock and the reads go in one round trip, the write and
        # COMMIT in another. The server runs them in order, so every read after the lock sees
        # what the writer before committed.
        action = "append to the store"
        with self._translate(action), conn.pipeline(), self._write(action, lock=False):
            head_read = conn.execute(
                "SELECT h.version, h.hash, e.recorded_at, clock_timestamp() FROM head h"
                " LEFT JOIN events e ON e.seq = h.version WHERE h.one = 1 FOR UPDATE OF h")
            counts_read = conn.execute(
                "SELECT trainee, events FROM trainees WHERE trainee = ANY(%b)", (trainees,)
            ) if trainees else None
            found_read = conn.execute("SELECT seq, id, body FROM events WHERE id = ANY(%b)", (ids,))
            pins_read = conn.execute(
                "SELECT ref, digest FROM programs WHERE ref = ANY(%s)", (refs,)) if refs else None
            head = head_read.fetchone()
            seq, prev = (int(head[0]), str(head[1])) if head else (0, GENESIS)
            if expected_version is not None:
                counts = {str(t): int(n) for t, n in counts_read.fetchall()} if counts_read else {}
                check_expected(expected_version, seq, lambda t: counts.get(t, 0), self.location)
            stored = {e.id: e for e in parse_rows(found_read.fetchall(), self.location)}
            fresh = dedupe(events, stored.get)
            if not fresh:
                return []
            pins: dict[str, str] = dict(pins_read.fetchall()) if pins_read else {}
            server_now: datetime = head[3] if head else datetime.now(UTC)
            now = stamp(self.clock() if self.clock else server_now, head[2] if head else None)
            rows, prev = chain_rows(fresh, seq, prev, now, pins)
            seq = rows[-1][0]
            firsts = first_counts(rows)
            columns = [list(c) for c in zip(*rows, strict=True)]
            counted = [list(c) for c in zip(*((t, f, n) for t, (f, n) in firsts.items()), strict=True)]
            # One statement: the rows, the index and the head together.
            conn.execute(_WRITE, (*columns, *counted, seq, prev))
        return fresh

    def _counts(self, trainees: list[str]) -> dict[str, int]:
        rows = self._conn.execute(
            "SELECT trainee, events FROM trainees WHERE trainee = ANY(%s)", (trainees,)).fetchall()
        return {str(t): int(n) for t, n in rows}

    def trainees(self, upto: int | None = None) -> list[str]:
        with self._translate("read the store"):
            rows = self._conn.execute(
                "SELECT trainee FROM trainees WHERE %s::bigint IS NULL OR first_seq <= %s", (upto, upto)
            ).fetchall()
        return sorted(str(r[0]) for r in rows)

    def trainee_version(self, trainee: str) -> int:
        with self._translate("read the store"):
            return self._counts([trainee]).get(trainee, 0)

    # -- the state cache ---------------------------------------------------------------------

    def save_snapshot(self, states: Sequence[tuple[str, dict[str, Any]]], *, version: int, tag: str) -> None:
        if not states:
            return
        sql = self._sql(SNAPSHOT_UPSERT)
        with self._translate("update the state cache"):
            rows = self._snapshot_rows(self._conn, states, version=version, tag=tag)
            if not rows:
                return
            if self._in_transaction():  # part of a `transaction`: committed with its events
                with self._conn.cursor() as cur:
                    cur.executemany(sql, rows)
                return
            # The cache can always be rebuilt: its own commit need not wait for the disk.
            with self._conn.transaction():
                self._conn.execute("SET LOCAL synchronous_commit = off")
                with self._conn.cursor() as cur:
                    cur.executemany(sql, rows)

    # -- checking ----------------------------------------------------------------------------

    def verify(self) -> list[ChainProblem]:
        """Check the chains, the index, the cache and the append-only triggers."""
        problems = self._check_tables()
        with self._translate("check the store"):
            triggers = {str(r[0]) for r in self._conn.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'"
                " AND tgrelid IN (SELECT to_regclass(t) FROM unnest(%s::text[]) t)", (list(APPEND_ONLY),))}
        for table in APPEND_ONLY:
            for name in (f"{table}_append_only", f"{table}_no_truncate"):
                if name not in triggers:
                    problems.append(ChainProblem(0, None, f"the trigger {name} that keeps {table}"
                                                 " append-only is gone or disabled", "index"))
        return problems


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
