"""The PostgreSQL store against a real server: roles, append-only, tamper evidence, crashes, load."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from facilitrack import Attended, JournalError
from facilitrack.testing import with_schema

START = date(2026, 1, 5)

psycopg = pytest.importorskip("psycopg")
from facilitrack._journal import postgres  # noqa: E402 -- needs psycopg
from facilitrack._journal.grants import grant_statements  # noqa: E402
from facilitrack._journal.postgres import PostgresJournal  # noqa: E402


def att(n: int, trainee: str = "ana", prefix: str = "a") -> Attended:
    return Attended(trainee=trainee, on=START + timedelta(days=n % 300), activity="demo_session",
                    id=f"{prefix}{n}")


def sql(url: str, *statements: str) -> None:
    """Run statements on the server as the test superuser (behind facilitrack's back)."""
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def schema_of(url: str) -> str:
    return url.rsplit("search_path%3D", 1)[1]


@pytest.fixture
def store(pg_url: str) -> Iterator[PostgresJournal]:
    with PostgresJournal(pg_url) as journal:
        yield journal


# -- roles and append-only -----------------------------------------------------------------------


@pytest.fixture
def roles(postgres_url: str) -> Iterator[dict[str, str]]:
    """An owner, a writer and a reader role, a schema the owner owns, and a URL for each role."""
    tag = uuid.uuid4().hex[:8]
    names = {r: f"ft_{r}_{tag}" for r in ("owner", "writer", "reader")}
    schema = f"roles_{tag}"
    sql(postgres_url, *(f"CREATE ROLE {n} LOGIN" for n in names.values()),
        f"CREATE SCHEMA {schema} AUTHORIZATION {names['owner']}")
    base = with_schema(postgres_url, schema)
    urls = {f"{r}_url": base.replace("facilitrack@", f"{n}@") for r, n in names.items()}
    yield {"schema": schema, **names, **urls}
    sql(postgres_url, f"DROP SCHEMA {schema} CASCADE",
        *(f"DROP OWNED BY {n}" for n in names.values()), *(f"DROP ROLE {n}" for n in names.values()))


def test_the_roles_the_docs_show_write_read_and_never_rewrite(roles: dict[str, str]) -> None:
    """The owner creates the store; the writer appends but cannot UPDATE or DELETE; the reader reads."""
    with PostgresJournal(roles["owner_url"]) as owner:
        owner.append([att(1)])
        for statement in grant_statements(roles["schema"], writer=roles["writer"], reader=roles["reader"]):
            owner._conn.execute(statement)  # type: ignore[arg-type]
    with PostgresJournal(roles["writer_url"], create=False) as writer:
        writer.append([att(2)])
        writer.save_snapshot([("ana", {"n": 2})], version=2, tag="t")
        writer.save_settings({"cohort": "Spring"})
        for statement in ("UPDATE events SET body = body", "DELETE FROM events", "TRUNCATE events",
                          "UPDATE programs SET body = body", "DELETE FROM settings"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                writer._conn.execute(statement)  # type: ignore[arg-type]
        assert [] == writer.verify()
    with PostgresJournal(roles["reader_url"], readonly=True) as reader:
        assert [att(1), att(2)] == list(reader.events())
        with pytest.raises(JournalError) as caught:
            reader.append([att(3)])
        assert "read-only" in caught.value.what


def test_a_writer_role_cannot_create_or_upgrade_the_store(roles: dict[str, str]) -> None:
    """Only the schema's owner may create (or migrate) the tables; a writer is told so."""
    sql(roles["owner_url"], f"GRANT USAGE ON SCHEMA {roles['schema']} TO {roles['writer']}")
    with pytest.raises(JournalError) as caught:
        PostgresJournal(roles["writer_url"])
    what = f"the store must be created (schema version {postgres.SCHEMA_VERSION}), which this role may not do"
    assert what == caught.value.what
    assert "as the role that owns the schema" in (caught.value.fix or "")


def test_even_the_owner_cannot_update_or_delete_events(store: PostgresJournal) -> None:
    """Triggers refuse UPDATE, DELETE and TRUNCATE of events for every role, the owner's too."""
    store.append([att(1)])
    for statement in ("UPDATE events SET recorded_at = 'x'", "DELETE FROM events", "TRUNCATE events"):
        with pytest.raises(psycopg.errors.RaiseException) as caught:
            store._conn.execute(statement)  # type: ignore[arg-type]
        assert "append-only" in str(caught.value)
    assert [att(1)] == list(store.events())


# -- tamper evidence ---------------------------------------------------------------------------


def test_an_edit_behind_disabled_triggers_is_named(pg_url: str, store: PostgresJournal) -> None:
    """A superuser who disables the triggers and edits rows is caught by verify, row by row."""
    store.append([att(i) for i in range(1, 6)])
    sql(pg_url, "ALTER TABLE events DISABLE TRIGGER events_append_only",
        "UPDATE events SET recorded_at = '2020-01-01T00:00:00+00:00' WHERE seq = 2",
        "DELETE FROM events WHERE seq = 4")
    found = [str(p) for p in store.verify()]
    assert "seq 2 (id a2): edited: the stored hash does not match the row's content" in found
    assert "seq 5 (id a5): seq 4 deleted (between a3 and a5)" in found
    assert "the trigger events_append_only that keeps events append-only is gone or disabled" in found


def test_an_edited_snapshot_is_ignored(pg_url: str, store: PostgresJournal) -> None:
    """A snapshot edited on the server loads as none and is named as cache damage."""
    store.append([att(1), att(2)])
    store.save_snapshot([("ana", {"n": 2})], version=2, tag="t")
    sql(pg_url, "UPDATE snapshots SET body = '{\"n\": 99}'")
    assert store.load_snapshot("ana", "t") is None
    assert ["cache"] == [p.part for p in store.verify()]


# -- opening -----------------------------------------------------------------------------------


def test_another_programs_tables_are_refused_unchanged(pg_url: str) -> None:
    """A schema holding someone else's `events` table is not taken for a store, nor changed."""
    sql(pg_url, f"CREATE TABLE {schema_of(pg_url)}.events (x integer)")
    with pytest.raises(JournalError) as caught:
        PostgresJournal(pg_url)
    assert "not a facilitrack store" in caught.value.what


def test_a_newer_schema_is_refused(pg_url: str) -> None:
    """A store written by a newer facilitrack is refused naming both versions."""
    PostgresJournal(pg_url).close()
    sql(pg_url, f"UPDATE {schema_of(pg_url)}.facilitrack_schema SET version = 9")
    with pytest.raises(JournalError) as caught:
        PostgresJournal(pg_url)
    assert f"schema version 9, newer than this facilitrack knows (up to {postgres.SCHEMA_VERSION})" in (
        caught.value.what)


def test_an_older_schema_is_migrated_in_place(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening a store at an older schema runs the newer steps and keeps every event."""
    with PostgresJournal(pg_url) as journal:
        journal.append([att(1)])
    monkeypatch.setattr(postgres, "MIGRATIONS", (*postgres.MIGRATIONS, ("CREATE TABLE added_later (x int)",)))
    monkeypatch.setattr(postgres, "SCHEMA_VERSION", len(postgres.MIGRATIONS) + 1)
    with PostgresJournal(pg_url) as journal:
        assert [att(1)] == list(journal.events())
        assert journal._conn.execute("SELECT to_regclass('added_later')").fetchone() != (None,)


def test_a_missing_store_is_created_only_when_allowed(pg_url: str) -> None:
    """Reading an empty schema says there is no store, and creates nothing."""
    with pytest.raises(JournalError) as caught:
        PostgresJournal(pg_url, create=False)
    assert "no store here" == caught.value.what
    with pytest.raises(JournalError):
        PostgresJournal(pg_url, readonly=True)
    with psycopg.connect(pg_url) as conn:
        assert (None,) == conn.execute("SELECT to_regclass('facilitrack_schema')").fetchone()


def test_an_unreachable_server_is_a_clear_error_without_the_password(postgres_url: str) -> None:
    """A server that does not answer is named (password hidden) with what to check."""
    url = "postgresql://kim:secret@127.0.0.1:1/nowhere"
    with pytest.raises(JournalError) as caught:
        PostgresJournal(url, timeout=2)
    assert "postgresql://kim:***@127.0.0.1:1/nowhere" == caught.value.where
    assert "secret" not in str(caught.value)
    assert "cannot connect to the store" in caught.value.what


# -- crashes and load --------------------------------------------------------------------------

WRITER = textwrap.dedent("""
    import sys
    from datetime import date, timedelta
    from facilitrack import Attended
    from facilitrack.store import PostgresJournal

    journal = PostgresJournal(sys.argv[1])
    size = int(sys.argv[2])
    for b in range(10_000):
        journal.append([
            Attended(trainee=f"t{i % 7}", on=date(2026, 1, 1) + timedelta(days=i % 200),
                     activity="demo_session", id=f"b{b}-{i}")
            for i in range(size)
        ])
        print(b, flush=True)
""")


def test_a_writer_killed_mid_batch_leaves_no_partial_batch(pg_url: str) -> None:
    """SIGKILL during appends: every acknowledged batch is there, no half batch, the lock is freed."""
    size = 400
    PostgresJournal(pg_url).close()
    with subprocess.Popen([sys.executable, "-c", WRITER, pg_url, str(size)],
                          stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        acked = [int(proc.stdout.readline()) for _ in range(4)]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert [0, 1, 2, 3] == acked
    with PostgresJournal(pg_url, timeout=10) as journal:
        journal.append([att(1)])  # the dead writer's lock is gone
        count = journal.version - 1
        ids = {e.id for e in journal.events()}
        assert [] == journal.verify()
    assert count >= 4 * size
    assert 0 == count % size
    assert {f"b{b}-{i}" for b in range(4) for i in range(size)} <= ids
