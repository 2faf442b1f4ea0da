"""What both SQL stores share (core/_journal/sqlstore.py), run on each of them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from facilitrack import Attended, SQLiteJournal
from facilitrack._journal import sqlstore
from facilitrack._journal.sqlstore import SqlStore

START = date(2026, 1, 5)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    if request.param == "sqlite":
        journal: SqlStore = SQLiteJournal(tmp_path / "s.db")
    else:
        from facilitrack._journal.postgres import PostgresJournal

        journal = PostgresJournal(request.getfixturevalue("pg_url"))
    with journal:
        yield journal


def test_reads_page_through_more_events_than_one_page(store: SqlStore) -> None:
    """More events than one page come back whole and in order, by position and per trainee."""
    events = [Attended(trainee="ana" if i % 3 else "noa", on=START + timedelta(days=i % 300),
                       activity="demo_session", id=f"a{i}") for i in range(sqlstore.PAGE * 2 + 7)]
    store.append(events)
    assert events == list(store.events())
    assert [e for e in events if e.trainee == "noa"] == list(store.events("noa"))
    after = store.events_after(len(events) - 10)
    assert [(i + 1, e) for i, e in enumerate(events)][-10:] == [(s.seq, s.event) for s in after]
    ana = [e for e in events[3:600] if e.trainee == "ana"]
    assert ana == [s.event for s in store.events_after(3, "ana", upto=600)]
    rows = list(store.rows())
    assert [r["id"] for r in rows] == [e.id for e in events]
    assert [r["id"] for r in store.rows("noa")] == [e.id for e in events if e.trainee == "noa"]
    assert store.verify() == []
