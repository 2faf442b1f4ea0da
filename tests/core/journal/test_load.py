"""Eight writer processes on one store, SQLite and PostgreSQL: nothing lost, nothing doubled."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

LOADER = textwrap.dedent("""
    import sys
    from datetime import date, timedelta
    from facilitrack import Attended, ConflictError
    from facilitrack.store import open_store

    target, me, events, batch = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    store = open_store(target, write=True, create=True)
    conflicts = 0
    done = 0
    while done < events:
        chunk = [Attended(trainee=me, on=date(2026, 1, 1) + timedelta(days=(done + i) % 300),
                          activity="session", id=f"{me}-{done + i}") for i in range(batch)]
        try:
            store.append(chunk, expected_version={me: done})
            done += batch
        except ConflictError:
            conflicts += 1
    store.close()
    print(conflicts)
""")


def load(target: str, writers: int = 8, events: int = 500, batch: int = 10) -> list[int]:
    """`writers` processes, each appending `events` for its own trainee with per-trainee versions;
    the conflicts each saw."""
    procs = [subprocess.Popen([sys.executable, "-c", LOADER, target, f"w{w}", str(events), str(batch)],
                              stdout=subprocess.PIPE, text=True) for w in range(writers)]
    outs = [p.communicate(timeout=240) for p in procs]
    assert [0] * writers == [p.returncode for p in procs]
    return [int(out.strip()) for out, _ in outs]


@pytest.mark.parametrize("kind", ["postgresql", "sqlite"])
def test_eight_writers_lose_nothing_double_nothing_and_never_conflict(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """8 processes x 500 events into one store: all 4000 stored once, chain clean, no conflicts."""
    from facilitrack.store import open_store

    target = request.getfixturevalue("pg_url") if kind == "postgresql" else str(tmp_path / "s.db")
    open_store(target, write=True, create=True).close()
    conflicts = load(target)
    assert [0] * 8 == conflicts
    store = open_store(target)
    try:
        ids = [e.id for e in store.events()]
        assert [] == store.verify()
        assert [500] * 8 == [store.trainee_version(f"w{w}") for w in range(8)]
    finally:
        store.close()
    assert 4000 == len(ids)
    assert {f"w{w}-{i}" for w in range(8) for i in range(500)} == set(ids)
