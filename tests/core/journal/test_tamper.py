"""Every stored byte that can change an answer or the audit trail is chained or checked."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from facilitrack import Attended, Enrolled, parse_program
from facilitrack._journal import SQLiteJournal, sqlite
from facilitrack._journal.chain import GENESIS, chain_hash

from tests.builders import DEMO

START = date(2026, 1, 5)
PROGRAM = parse_program(DEMO, origin="tests")


def enrol(trainee: str = "ana") -> Enrolled:
    return Enrolled(trainee=trainee, on=START, program="demo", version="1.0", credential="licensed",
                    trainer="dr-lee")


def att(n: int, trainee: str = "ana") -> Attended:
    return Attended(trainee=trainee, on=START, activity="workshop_day", id=f"{trainee}{n}")


def tamper(path: Path, statement: str, *params: object) -> None:
    """Run one SQL statement on the file behind facilitrack's back."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute(statement, params)


def problems(path: Path) -> list[str]:
    with SQLiteJournal(path) as journal:
        return [str(p) for p in journal.verify()]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A store with a definition, an enrolment pinning it, and three sessions; verified clean."""
    path = tmp_path / "s.db"
    with SQLiteJournal(path) as journal:
        journal.save_programs([PROGRAM])
        journal.append([enrol(), att(1), att(2), att(3, "noa")])
        assert [] == journal.verify()
    return path


def test_an_edited_definition_is_named(path: Path) -> None:
    """Changing a stored definition's counts (which changes trainees' results) is named."""
    with closing(sqlite3.connect(path)) as conn:
        (body,) = conn.execute("SELECT body FROM programs").fetchone()
    edited = body.replace('"count": 3', '"count": 1')
    assert edited != body
    tamper(path, "UPDATE programs SET body = ?", edited)
    assert ["program definition 'demo@1.0' (#1): edited: its content does not match its digest"] == (
        problems(path))


def test_an_edited_definition_with_its_digest_and_chain_rewritten_is_named_by_the_enrolment(
    path: Path,
) -> None:
    """Recomputing the definition's digest and its chain still leaves the enrolment that pinned it."""
    from facilitrack._journal.chain import link_hash, sha256

    with closing(sqlite3.connect(path)) as conn:
        (body,) = conn.execute("SELECT body FROM programs").fetchone()
    edited = body.replace('"count": 3', '"count": 1')
    digest = sha256(edited)
    link = link_hash(GENESIS, "demo@1.0", digest)
    tamper(path, "UPDATE programs SET body = ?, digest = ?, hash = ?", edited, digest, link)
    tamper(path, "UPDATE head SET programs_hash = ?", link)
    found = problems(path)
    assert [f"seq 1 (id {enrol().id}): the definition it pinned (demo@1.0) was changed after"] == found


def test_a_deleted_definition_is_named(path: Path) -> None:
    """Removing a stored definition is named: by its chain's head and by the enrolment."""
    tamper(path, "DELETE FROM programs")
    found = problems(path)
    assert f"seq 1 (id {enrol().id}): the definition it pinned (demo@1.0) is missing" in found
    assert any(p.startswith("program definitions: the store recorded 1") for p in found)


def test_an_edited_recording_time_is_named(path: Path) -> None:
    """Rewriting when a row was recorded (the audit trail) breaks its hash."""
    tamper(path, "UPDATE events SET recorded_at = '2020-01-01T00:00:00+00:00' WHERE seq = 2")
    assert ["seq 2 (id ana1): edited: the stored hash does not match the row's content"] == problems(path)


def test_an_edited_snapshot_is_ignored_and_named(path: Path) -> None:
    """A snapshot edited outside facilitrack is never loaded (the state is replayed) and is named."""
    with SQLiteJournal(path) as journal:
        journal.save_snapshot([("ana", {"state": "level1"})], version=3, tag="t")
        assert (3, {"state": "level1"}) == journal.load_snapshot("ana", "t")
    tamper(path, "UPDATE snapshots SET body = ?", json.dumps({"state": "certified"}))
    with SQLiteJournal(path) as journal:
        assert journal.load_snapshot("ana", "t") is None
        found = [(p.part, str(p)) for p in journal.verify()]
    assert [("cache", "snapshot of ana (seq 3) does not match its digest (edited outside facilitrack);"
             " it is ignored and the state is rebuilt from the events")] == found


@pytest.mark.parametrize("body", ["not json", "[1, 2]"])
def test_a_damaged_snapshot_is_ignored_and_named(path: Path, body: str) -> None:
    """A snapshot that is not a JSON object loads as none and is named by verify, never raising."""
    with SQLiteJournal(path) as journal:
        journal.save_snapshot([("ana", {"state": "level1"})], version=3, tag="t")
    tamper(path, "UPDATE snapshots SET body = ?", body)
    with SQLiteJournal(path) as journal:
        assert journal.load_snapshot("ana", "t") is None
        found = [str(p) for p in journal.verify()]
    assert ["snapshot of ana (seq 3) is not a JSON object; it is ignored and the state is rebuilt"
            " from the events"] == found


def test_a_trainee_removed_from_the_index_is_named(path: Path) -> None:
    """The per-trainee index (which decides who `status` lists) is checked against the events."""
    tamper(path, "DELETE FROM trainees WHERE trainee = 'noa'")
    assert ["index: trainee 'noa' is listed as None (first seq, events) but the events say (4, 1)"] == (
        problems(path))


def test_an_edited_setting_is_named(tmp_path: Path) -> None:
    """Settings are chained like definitions: an edit is named."""
    path = tmp_path / "s.db"
    with SQLiteJournal(path) as journal:
        journal.save_settings({"cohort": "Spring"})
        journal.save_settings({"cohort": "Spring"})  # unchanged: nothing added
        assert {"cohort": "Spring"} == journal.settings()
    tamper(path, "UPDATE settings SET value = 'Autumn'")
    assert ["setting 'cohort' (#1): edited: its content does not match its digest"] == problems(path)


# -- a store written before hash format 2 ------------------------------------------------------


def schema_one_store(path: Path) -> None:
    """A store as the first release wrote it: schema 1, format-1 hashes, one definition."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute(f"PRAGMA application_id={sqlite.APPLICATION_ID}")
        conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO schema_version VALUES (1)")
        for statement in sqlite.MIGRATIONS[0]:
            conn.execute(str(statement))
        prev = GENESIS
        for seq, event in enumerate([enrol(), att(1)], start=1):
            body = event.model_dump_json()
            digest = chain_hash(prev, body)
            conn.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)",
                         (seq, event.id, event.trainee, event.kind, event.on.isoformat(),
                          "2026-01-05T09:00:00+00:00", body, prev, digest))
            conn.execute("INSERT OR IGNORE INTO trainees VALUES (?, ?)", (event.trainee, seq))
            prev = digest
        conn.execute("UPDATE head SET version = 2, hash = ?", (prev,))
        conn.execute("INSERT INTO programs VALUES ('demo@1.0', 'demo', '1.0', ?)",
                     (json.dumps(PROGRAM.model_dump(mode="json"), sort_keys=True),))


def test_an_older_store_upgrades_with_its_old_rows_sealed(tmp_path: Path) -> None:
    """Upgrading keeps format-1 rows verifiable, chains new rows in format 2, and seals old times."""
    path = tmp_path / "s.db"
    schema_one_store(path)
    fixed = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
    with SQLiteJournal(path, clock=lambda: fixed) as journal:
        journal.append([att(2)])
        assert [] == journal.verify()
        assert 2 == journal.trainee_version("ana") - 1
        assert [1, 1, 2] == [r[0] for r in journal._conn.execute("SELECT format FROM events ORDER BY seq")]
        assert fixed == next(iter(journal.events_after(2))).recorded_at
    tamper(path, "UPDATE events SET recorded_at = '2020-01-01T00:00:00+00:00' WHERE seq = 1")
    assert ["edited: the recording times of rows written before hash format 2 differ from those"
            " sealed when the store was upgraded"] == problems(path)


def test_reading_an_older_store_upgrades_it_when_it_can_be_written(
    tmp_path: Path, cli: Any
) -> None:
    """`status` and `verify` on a store of the first release upgrade it, then answer."""
    schema_one_store(tmp_path / "old.db")
    verify = cli("verify", "--store", "old.db")
    assert 0 == verify.code, verify.err
    assert "ok — 2 events" in verify.out
    status = cli("status", "--store", "old.db", "--format", "json")
    assert 0 == status.code, status.err
    assert ["ana"] == [t["id"] for t in json.loads(status.out)["trainees"]]
    with closing(sqlite3.connect(tmp_path / "old.db")) as conn:
        assert (sqlite.SCHEMA_VERSION,) == conn.execute("SELECT version FROM schema_version").fetchone()
