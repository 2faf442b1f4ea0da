"""The SQLite store: durable, idempotent, serialised, private, versioned and tamper-evident."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from facilitrack import (
    ArtifactRecorded,
    Attended,
    ConflictError,
    Enrolled,
    Event,
    Held,
    InvalidEventError,
    JournalError,
    Waived,
    parse_program,
)
from facilitrack._journal import SQLiteJournal, sqlite
from facilitrack._journal.chain import row_hash

from tests.builders import DEMO

START = date(2026, 1, 5)


def att(n: int, trainee: str = "ana", prefix: str = "a") -> Attended:
    """The `n`-th session of a trainee, with an explicit id."""
    return Attended(trainee=trainee, on=START + timedelta(days=n % 300), activity="demo_session",
                    id=f"{prefix}{n}")


def sample() -> list[Event]:
    return [
        Enrolled(trainee="ana", on=START, program="demo", version="1.0", credential="licensed",
                 trainer="dr-lee", recorded_by="kim"),
        Attended(trainee="ana", on=START, activity="workshop_day"),
        ArtifactRecorded(trainee="ana", on=START, artifact="process_recording", status="presented",
                         ref="pr-1", sha256="ab" * 32),
        Waived(trainee="ana", on=START, requirement="process_recording", stage="demonstration",
               reason="prior training", approver="dr-lee"),
        Held(trainee="noa", on=START, reason="leave"),
    ]


def raw(path: Path) -> closing[sqlite3.Connection]:
    """A plain connection, as someone tampering with the file would use (closed after `with`)."""
    return closing(sqlite3.connect(path, isolation_level=None))


def tamper(path: Path, statement: str, *params: object) -> None:
    """Run one SQL statement on the file behind facilitrack's back."""
    with raw(path) as conn:
        conn.execute(statement, params)


@pytest.fixture
def store(tmp_path: Path) -> SQLiteJournal:
    journal = SQLiteJournal(tmp_path / "s.db")
    yield journal  # type: ignore[misc]
    journal.close()


def test_events_read_back_equal_to_what_was_appended(store: SQLiteJournal) -> None:
    """Every kind of event reads back equal, by id, in order, per trainee; version counts them."""
    events = sample()
    assert events == store.append(events)
    assert 5 == store.version
    assert events == list(store.events())
    assert [e for e in events if e.trainee == "noa"] == list(store.events("noa"))
    assert ["ana", "noa"] == store.trainees()
    assert events[2] == store.get(events[2].id)
    assert store.get("nope") is None


def test_store_files_are_owner_only(tmp_path: Path) -> None:
    """The store and its -wal and -shm files are created 0o600 whatever the umask."""
    old = os.umask(0o022)
    try:
        journal = SQLiteJournal(tmp_path / "s.db")
        journal.append([att(1)])
        files = sorted(p.name for p in tmp_path.iterdir())
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
        journal.close()
    finally:
        os.umask(old)
    assert ["s.db", "s.db-shm", "s.db-wal"] == files
    assert dict.fromkeys(files, 384) == modes
    assert 0o022 == os.umask(0o022)  # the umask was put back


def test_appending_the_same_fact_again_adds_nothing(store: SQLiteJournal) -> None:
    """An id already stored with the same content is skipped, within a batch and across batches."""
    events = sample()
    store.append(events)
    assert [] == store.append([*events, events[0]])
    assert [att(1)] == store.append([att(1), att(1)])
    assert 6 == store.version


def test_a_reused_id_with_other_content_is_refused_naming_both(store: SQLiteJournal) -> None:
    """A stored id with other content refuses the whole batch; the error shows both contents."""
    store.append([att(1)])
    other = Attended(trainee="ana", on=START, activity="group_session", id="a1")
    with pytest.raises(InvalidEventError) as caught:
        store.append([att(2), other])
    assert "demo_session" in caught.value.what
    assert "group_session" in caught.value.what
    assert 1 == store.version


def test_a_stale_expected_version_is_a_conflict(store: SQLiteJournal) -> None:
    """With expected_version, the batch is refused unless the journal is still at that version."""
    store.append([att(1)])
    with pytest.raises(ConflictError) as caught:
        store.append([att(2)], expected_version=0)
    assert (0, 1) == (caught.value.expected, caught.value.actual)
    assert [att(2)] == store.append([att(2)], expected_version=1)


def test_a_transaction_stores_all_of_its_appends_or_none(store: SQLiteJournal) -> None:
    """Appends inside `transaction` roll back together when the block fails."""

    def two_then_fail() -> None:
        with store.transaction():
            store.append([att(1)])
            store.append([att(2)])
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        two_then_fail()
    assert 0 == store.version
    with store.transaction():
        store.append([att(1)])
        store.append([att(2)])
    assert 2 == store.version


def test_a_store_of_a_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    """A newer schema version is refused naming the file and both versions; nothing changes."""
    path = tmp_path / "s.db"
    with SQLiteJournal(path) as journal:
        journal.append([att(1)])
    tamper(path, "UPDATE schema_version SET version = 99")
    before = path.read_bytes()
    for readonly in (False, True):
        with pytest.raises(JournalError) as caught:
            SQLiteJournal(path, readonly=readonly)
        assert str(path) == caught.value.where
        assert f"schema version 99, newer than this facilitrack knows (up to {sqlite.SCHEMA_VERSION})" in (
            caught.value.what
        )
    assert before == path.read_bytes()


def test_an_older_store_is_migrated_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening a store written at an older schema runs the newer steps and keeps every event."""
    path = tmp_path / "s.db"
    with SQLiteJournal(path) as journal:
        journal.append([att(1)])
    step = ("CREATE TABLE added_later (x INTEGER)",)
    monkeypatch.setattr(sqlite, "MIGRATIONS", (*sqlite.MIGRATIONS, step))
    monkeypatch.setattr(sqlite, "SCHEMA_VERSION", len(sqlite.MIGRATIONS) + 1)
    with SQLiteJournal(path) as journal:
        assert [att(1)] == list(journal.events())
    with raw(path) as conn:
        assert (sqlite.SCHEMA_VERSION,) == conn.execute("SELECT version FROM schema_version").fetchone()
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'added_later'").fetchone()


@pytest.mark.parametrize("readonly", [False, True])
def test_a_file_that_is_not_a_store_is_refused_unchanged(tmp_path: Path, readonly: bool) -> None:
    """Garbage and another program's SQLite database are refused by name and never modified."""
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all\n" * 300)
    other = tmp_path / "other.db"
    tamper(other, "CREATE TABLE accounts (x)")
    for path, says in ((garbage, "corrupt or not a facilitrack store"), (other, "not a facilitrack store")):
        before = path.read_bytes()
        with pytest.raises(JournalError) as caught:
            SQLiteJournal(path, readonly=readonly)
        assert str(path) == caught.value.where
        assert says in caught.value.what
        assert caught.value.fix
        assert before == path.read_bytes()


def test_a_missing_store_is_created_only_when_allowed(tmp_path: Path) -> None:
    """Reading a store that does not exist is an error that says how to make one."""
    with pytest.raises(JournalError) as caught:
        SQLiteJournal(tmp_path / "nope.db", create=False)
    assert "no store here" == caught.value.what
    with pytest.raises(JournalError):
        SQLiteJournal(tmp_path / "nope.db", readonly=True)
    assert not (tmp_path / "nope.db").exists()


def test_a_read_only_store_reads_but_never_writes(tmp_path: Path) -> None:
    """`readonly=True` reads everything and refuses an append with a JournalError."""
    path = tmp_path / "s.db"
    with SQLiteJournal(path) as journal:
        journal.append(sample())
    with SQLiteJournal(path, readonly=True) as reader:
        assert sample() == list(reader.events())
        with pytest.raises(JournalError) as caught:
            reader.append([att(1)])
        assert "not writable" in caught.value.what
    with SQLiteJournal(path) as journal:
        assert 5 == journal.version


# -- tamper evidence ---------------------------------------------------------------------------


@pytest.fixture
def chained(tmp_path: Path) -> Path:
    """A store of six events, closed."""
    path = tmp_path / "s.db"
    with SQLiteJournal(path) as journal:
        journal.append([att(i) for i in range(1, 7)])
        assert [] == journal.verify()
    return path


#: What the per-trainee index says when one of ana's six events is gone.
ANA_LOST_ONE = "index: trainee 'ana' is listed as (1, 6) (first seq, events) but the events say (1, 5)"


def problems(path: Path) -> list[str]:
    with SQLiteJournal(path) as journal:
        return [str(p) for p in journal.verify()]


def test_an_edited_body_is_named(chained: Path) -> None:
    """A row whose content was edited names itself: its hash no longer matches."""
    tamper(chained, "UPDATE events SET body = replace(body, 'demo_session', 'group_session') WHERE seq = 3")
    assert ["seq 3 (id a3): edited: the stored hash does not match the row's content"] == problems(chained)


def test_an_edit_with_a_recomputed_hash_is_named(chained: Path) -> None:
    """Recomputing the edited row's hash breaks the link to the next row, which names it."""
    with raw(chained) as conn:
        row = conn.execute("SELECT prev_hash, recorded_at, body FROM events WHERE seq = 3").fetchone()
        prev, at, body = row
        body = body.replace("demo_session", "group_session")
        digest = row_hash(prev, at, body)
        conn.execute("UPDATE events SET body = ?, hash = ? WHERE seq = 3", (body, digest))
    found = problems(chained)
    assert 1 == len(found)
    assert found[0].startswith("seq 3 (id a3): edited or a row deleted after it")


def test_an_edited_column_is_named(chained: Path) -> None:
    """A column that disagrees with the row's body (here, the trainee) is named."""
    tamper(chained, "UPDATE events SET trainee = 'noa' WHERE seq = 2")
    assert ["seq 2 (id a2): edited: column trainee differs from the event",
            "index: trainee 'ana' is listed as (1, 6) (first seq, events) but the events say (1, 5)",
            "index: trainee 'noa' is listed as None (first seq, events) but the events say (2, 1)",
            ] == problems(chained)


def test_an_inserted_row_is_named(chained: Path) -> None:
    """A row slipped in between two others, with a plausible hash, is named as inserted."""
    with raw(chained) as conn:
        for seq in range(6, 3, -1):
            conn.execute("UPDATE events SET seq = seq + 1 WHERE seq = ?", (seq,))
        prev = conn.execute("SELECT hash FROM events WHERE seq = 3").fetchone()[0]
        body = att(99).model_dump_json()
        at = "2026-01-01T00:00:00+00:00"
        conn.execute(
            "INSERT INTO events VALUES (4, 'a99', 'ana', 'attended', ?, ?, NULL, ?, ?, ?, 2, NULL)",
            (att(99).on.isoformat(), at, body, prev, row_hash(prev, at, body)),
        )
    found = problems(chained)
    assert found[0].startswith("seq 4 (id a99): inserted")


def test_a_deleted_row_is_named(chained: Path) -> None:
    """A deleted row is named by its position and its neighbours' ids."""
    tamper(chained, "DELETE FROM events WHERE seq = 4")
    assert ["seq 5 (id a5): seq 4 deleted (between a3 and a5)", ANA_LOST_ONE] == problems(chained)


def test_a_deleted_row_with_renumbering_is_named(chained: Path) -> None:
    """Deleting a row and closing the gap still breaks the chain right after it."""
    tamper(chained, "DELETE FROM events WHERE seq = 4")
    tamper(chained, "UPDATE events SET seq = seq - 1 WHERE seq > 4")
    found = problems(chained)
    assert found[0].startswith("seq 3 (id a3): edited or a row deleted after it: seq 4 (id a5)")


def test_a_deleted_last_row_is_named(chained: Path) -> None:
    """Removing the newest row is caught by the head the store keeps."""
    tamper(chained, "DELETE FROM events WHERE seq = 6")
    assert ["seq 6: deleted: the store recorded 6 events, 5 remain (the last rows after a5 are gone)",
            ANA_LOST_ONE] == problems(chained)


# -- concurrency and crashes -------------------------------------------------------------------


def _append_many(path: str, prefix: str, batches: int, start: Any) -> None:
    """Worker: once both are ready, append `batches` batches of two events under its own ids."""
    with SQLiteJournal(path) as journal:
        start.wait()
        for i in range(batches):
            journal.append([att(2 * i, prefix=prefix), att(2 * i + 1, prefix=prefix)])


def test_two_processes_appending_at_once_lose_nothing(tmp_path: Path) -> None:
    """Two writers appending together: every event of both is stored once, chain intact."""
    path = tmp_path / "s.db"
    SQLiteJournal(path).close()
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(2)
    workers = [ctx.Process(target=_append_many, args=(str(path), p, 100, start)) for p in ("x", "y")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [0, 0] == [w.exitcode for w in workers]
    with SQLiteJournal(path) as journal:
        ids = [e.id for e in journal.events()]
        assert [] == journal.verify()
    assert 400 == len(ids)
    assert {f"{p}{i}" for p in "xy" for i in range(200)} == set(ids)


WRITER = textwrap.dedent("""
    import sys
    from datetime import date, timedelta
    from facilitrack import Attended
    from facilitrack._journal import SQLiteJournal

    journal = SQLiteJournal(sys.argv[1])
    size = int(sys.argv[2])
    for b in range(10_000):
        journal.append([
            Attended(trainee=f"t{i % 7}", on=date(2026, 1, 1) + timedelta(days=i % 200),
                     activity="demo_session", id=f"b{b}-{i}")
            for i in range(size)
        ])
        print(b, flush=True)
""")


def test_a_writer_killed_mid_batch_leaves_every_acknowledged_batch_and_no_partial_one(
    tmp_path: Path,
) -> None:
    """SIGKILL during appends: the journal opens, holds every acknowledged batch, and no half batch."""
    path, size = tmp_path / "s.db", 400
    with subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(size)],
                          stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        acked = [int(proc.stdout.readline()) for _ in range(4)]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert [0, 1, 2, 3] == acked
    with SQLiteJournal(path) as journal:
        count = journal.version
        ids = {e.id for e in journal.events()}
        assert [] == journal.verify()
    assert count >= 4 * size
    assert 0 == count % size
    assert {f"b{b}-{i}" for b in range(4) for i in range(size)} <= ids


def test_program_definitions_are_kept_once_and_never_replaced(store: SQLiteJournal) -> None:
    """A definition is stored by key@version; the same again is a no-op, another is refused."""
    demo = parse_program(DEMO, origin="tests")
    store.save_programs([demo])
    store.save_programs([demo])
    assert {"demo@1.0": demo.model_dump(mode="json")} == store.programs()
    with pytest.raises(JournalError) as caught:
        store.save_programs([demo.model_copy(update={"name": "Renamed"})])
    assert "program demo@1.0 is stored with other content" in caught.value.what
    assert "Demo Parenting Groups" == store.programs()["demo@1.0"]["name"]


# -- a store SQLite cannot open --------------------------------------------------------------


def _deep_path(root: Path, length: int = 600) -> Path:
    """A folder whose path is longer than SQLite accepts (about 500 characters), made on disk."""
    folder = root
    while len(str(folder)) < length:
        folder /= "f" * 60
    folder.mkdir(parents=True)
    return folder


@pytest.mark.parametrize("readonly", [False, True])
def test_a_path_sqlite_cannot_open_is_a_journal_error(tmp_path: Path, readonly: bool) -> None:
    """SQLite's "unable to open database file" (here: a path too long for it) names the store."""
    source = tmp_path / "s.db"
    SQLiteJournal(source).close()
    path = _deep_path(tmp_path) / "s.db"
    path.write_bytes(source.read_bytes())
    path.chmod(0o600)

    with pytest.raises(JournalError) as caught:
        SQLiteJournal(path, create=False, readonly=readonly)
    assert str(path) == caught.value.where
    assert caught.value.what.startswith("cannot open the store: the path is too long for SQLite")
    assert "shorter path" in (caught.value.fix or "")


def test_an_unreadable_store_is_a_journal_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store the user may not read (SQLite: "unable to open database file") names the fix."""
    path = tmp_path / "s.db"
    SQLiteJournal(path).close()
    real_connect = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(sqlite3, "connect", connect)
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
    for readonly in (False, True):
        with pytest.raises(JournalError) as caught:
            SQLiteJournal(path, create=False, readonly=readonly)
        assert "cannot open the store: you may not read it" == caught.value.what
        assert "read access" in (caught.value.fix or "")
    monkeypatch.setattr(sqlite3, "connect", real_connect)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file whatever its permissions")
def test_a_store_without_read_permission_is_a_journal_error(tmp_path: Path) -> None:
    """Really without permission (chmod 000): the same error."""
    path = tmp_path / "s.db"
    SQLiteJournal(path).close()
    path.chmod(0)
    with pytest.raises(JournalError) as caught:
        SQLiteJournal(path, create=False, readonly=True)
    assert "cannot open the store: you may not read it" == caught.value.what
