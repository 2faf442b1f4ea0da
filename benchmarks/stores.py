"""Append throughput of the durable stores with 1, 2, 4 and 8 writer processes.

Each figure is facilitrack's events per second against the database driver's own inserts of
the same rows, in the same run, with the same writers: ``sqlite3`` into a plain table of the
same file settings (WAL, ``synchronous=FULL``, ``BEGIN IMMEDIATE``), and psycopg into a plain
table on the same server. Each writer appends its share of the events for its own trainee,
in batches, one transaction per batch; facilitrack's appends pass per-trainee versions, as
two supervisors' would. What the ratio prices: the id look-up (idempotency), the hash chain,
the per-trainee index and the head row, and the JSON of each event.

Writers are forked before timing and wait on a barrier; the clock runs from the barrier to
the last writer's exit. Baseline and subject alternate, best of `store_repeat` each. The
PostgreSQL measures start a throwaway server (``facilitrack.testing.postgres_server``) and
are left out, with a note on stderr, when none can be started.

Assumption: the target, at least 0.5 of the driver's own throughput, is ours — the work a
store adds per batch (a few indexed look-ups and one more row) should cost no more than the
insert it guards.
"""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from facilitrack import Attended
from facilitrack.testing import PostgresUnavailable

Row = dict[str, Any]

QUICK = {"store_events": 800, "store_batch": 20, "store_writers": (1, 2, 4, 8), "store_repeat": 2}
FULL = {"store_events": 8000, "store_batch": 20, "store_writers": (1, 2, 4, 8), "store_repeat": 3}
TARGET = 0.5

_RAW_SQLITE = (
    "CREATE TABLE IF NOT EXISTS raw (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " trainee TEXT NOT NULL, kind TEXT NOT NULL, on_date TEXT NOT NULL, recorded_at TEXT NOT NULL,"
    " body TEXT NOT NULL)"
)
_RAW_PG = (
    "CREATE TABLE IF NOT EXISTS raw (seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE,"
    " trainee text NOT NULL, kind text NOT NULL, on_date text NOT NULL, recorded_at text NOT NULL,"
    " body text NOT NULL)"
)


def _events(writer: int, count: int, tag: str) -> list[Attended]:
    return [Attended(trainee=f"w{writer}", on=date(2026, 1, 1) + timedelta(days=i % 300),
                     activity="session", id=f"{tag}-w{writer}-{i}") for i in range(count)]


def _batches(events: list[Attended], size: int) -> Iterator[list[Attended]]:
    for i in range(0, len(events), size):
        yield events[i : i + size]


# -- what one writer does -----------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One writer's share: where, which writer, how many events, how many per append."""

    target: str
    writer: int
    count: int
    batch: int
    tag: str


def _facilitrack_writer(job: Job, start: Any) -> None:
    from facilitrack.store import open_store

    target, writer, count, batch, tag = job.target, job.writer, job.count, job.batch, job.tag
    events = _events(writer, count, tag)
    store = open_store(target, write=True)
    start.wait()
    done = 0
    for chunk in _batches(events, batch):
        store.append(chunk, expected_version={f"w{writer}": done})
        done += len(chunk)
    store.close()


def _raw_sqlite_writer(job: Job, start: Any) -> None:
    target, writer, count, batch, tag = job.target, job.writer, job.count, job.batch, job.tag
    rows = [(e.id, e.trainee, e.kind, e.on.isoformat(), "2026-01-01T00:00:00+00:00", e.model_dump_json())
            for e in _events(writer, count, tag)]
    conn = sqlite3.connect(target, timeout=60, isolation_level=None)
    conn.execute("PRAGMA synchronous=FULL")
    start.wait()
    for i in range(0, len(rows), batch):
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO raw (id, trainee, kind, on_date, recorded_at, body)"
                         " VALUES (?, ?, ?, ?, ?, ?)", rows[i : i + batch])
        conn.execute("COMMIT")
    conn.close()


def _raw_pg_writer(job: Job, start: Any) -> None:
    import psycopg

    target, writer, count, batch, tag = job.target, job.writer, job.count, job.batch, job.tag
    rows = [(e.id, e.trainee, e.kind, e.on.isoformat(), "2026-01-01T00:00:00+00:00", e.model_dump_json())
            for e in _events(writer, count, tag)]
    with psycopg.connect(target, autocommit=True) as conn:
        start.wait()
        for i in range(0, len(rows), batch):
            with conn.transaction(), conn.cursor() as cur:
                cur.executemany("INSERT INTO raw (id, trainee, kind, on_date, recorded_at, body)"
                                " VALUES (%s, %s, %s, %s, %s, %s)", rows[i : i + batch])


Writer = Callable[[Job, Any], None]


def _run(writer: Writer, target: str, writers: int, sizes: tuple[int, int], tag: str) -> float:
    """Seconds from the barrier to the last writer's exit, `writers` forked processes."""
    ctx = multiprocessing.get_context("fork")
    start = ctx.Barrier(writers + 1)
    total, batch = sizes
    jobs = [Job(target, w, total // writers, batch, tag) for w in range(writers)]
    procs = [ctx.Process(target=writer, args=(job, start)) for job in jobs]
    for p in procs:
        p.start()
    start.wait(timeout=120)
    began = time.perf_counter()
    for p in procs:
        p.join(300)
    took = time.perf_counter() - began
    if any(p.exitcode != 0 for p in procs):
        raise RuntimeError(f"a writer failed ({writer.__name__}, {writers} writers)")
    return took


# -- the stores ---------------------------------------------------------------------------------


@contextmanager
def _sqlite_targets() -> Iterator[Callable[[str], tuple[str, str]]]:
    folder = Path(tempfile.mkdtemp(prefix="facilitrack-bench-"))
    counter = iter(range(10**6))

    def fresh(_: str) -> tuple[str, str]:
        from facilitrack.store import SQLiteJournal

        n = next(counter)
        store, raw = folder / f"s{n}.db", folder / f"r{n}.db"
        SQLiteJournal(store).close()
        conn = sqlite3.connect(raw, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(_RAW_SQLITE)
        conn.close()
        return str(store), str(raw)

    try:
        yield fresh
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _postgres_targets() -> Iterator[Callable[[str], tuple[str, str]]]:
    import psycopg
    from facilitrack.store import PostgresJournal
    from facilitrack.testing import fresh_schema, postgres_server

    with postgres_server() as url:

        def fresh(_: str) -> tuple[str, str]:
            store = fresh_schema(url, "bench")
            PostgresJournal(store).close()
            raw = fresh_schema(url, "raw")
            with psycopg.connect(raw, autocommit=True) as conn:
                conn.execute(_RAW_PG)
            return store, raw

        yield fresh


def append_stores(sizes: dict[str, Any], timer: Any) -> list[Row]:
    """Append throughput per store and writer count, against the driver's inserts (see above)."""
    del timer  # writers are timed from a barrier, not by the in-process timer
    rows: list[Row] = []
    kinds: list[tuple[str, Callable[[], Any], Writer]] = [
        ("sqlite", _sqlite_targets, _raw_sqlite_writer), ("postgres", _postgres_targets, _raw_pg_writer)]
    for name, targets, raw_writer in kinds:
        with ExitStack() as stack:
            try:
                fresh = stack.enter_context(targets())
            except (ImportError, PostgresUnavailable) as exc:  # no server here: leave them out, say why
                print(f"benchmarks: {name} stores skipped: {exc}", file=sys.stderr)
                continue
            for writers in sizes["store_writers"]:
                total, batch = sizes["store_events"], sizes["store_batch"]
                best_s = best_b = float("inf")
                for r in range(sizes["store_repeat"]):
                    store, raw = fresh(name)
                    best_b = min(best_b, _run(raw_writer, raw, writers, (total, batch), f"r{r}"))
                    best_s = min(best_s, _run(_facilitrack_writer, store, writers, (total, batch), f"r{r}"))
                rows.append({
                    "name": f"append_{name}_{writers}_writers", "value": total / best_s,
                    "baseline": total / best_b, "ratio": best_b / best_s, "target": TARGET,
                    "goal": "at least", "unit": "events/s",
                    "detail": f"{total} events in batches of {batch}, {writers} writer processes;"
                              f" baseline: the driver's own inserts of the same rows",
                })
    return rows


ALL = [append_stores]
