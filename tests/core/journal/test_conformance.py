"""Every journal facilitrack ships passes the conformance suite it offers store authors."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from facilitrack import MemoryJournal
from facilitrack.store import Journal, SQLiteJournal
from facilitrack.testing import CHECKS, JournalConformanceError, JournalContract, check_journal


class TestMemoryJournal(JournalContract):
    @pytest.fixture
    def journal(self) -> Journal:
        return MemoryJournal()


class TestSQLiteJournal(JournalContract):
    @pytest.fixture
    def journal(self, tmp_path: Path) -> Iterator[Journal]:
        with SQLiteJournal(tmp_path / "s.db") as journal:
            yield journal


class TestPostgresJournal(JournalContract):
    @pytest.fixture
    def journal(self, pg_url: str) -> Iterator[Journal]:
        from facilitrack.store import PostgresJournal

        with PostgresJournal(pg_url) as journal:
            yield journal


def test_check_journal_runs_every_check_that_applies_without_pytest() -> None:
    """`check_journal(factory)` runs the journal checks (store-only ones do not apply to memory)."""
    ran = check_journal(MemoryJournal)
    assert ["appending", "idempotency", "batch_atomicity", "global_conflict", "per_trainee_conflict",
            "events_after", "trainees", "recorded_at"] == ran
    assert set(ran) < set(CHECKS)


def test_check_journal_names_each_failing_check() -> None:
    """A journal that breaks a promise is named with the check and what went wrong."""

    class Forgetful(MemoryJournal):
        def trainees(self, upto: int | None = None) -> list[str]:
            return []

    with pytest.raises(JournalConformanceError) as caught:
        check_journal(Forgetful)
    assert {"trainees", "batch_atomicity"} <= set(caught.value.failures)


def test_memory_journal_records_the_time_its_clock_gives() -> None:
    """MemoryJournal's clock is injectable: recorded_at is what it gives, in UTC."""
    fixed = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
    journal = MemoryJournal(clock=lambda: fixed)
    from facilitrack.testing.journals import att

    journal.append([att(1)])
    assert [fixed] == [s.recorded_at for s in journal.events_after(0)]


@pytest.mark.parametrize("kind", ["memory", "sqlite", "postgresql"])
def test_recording_times_never_go_backwards_along_seq(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A clock stepped back (or another host's) stamps no event before the one stored before it."""
    from facilitrack.testing.journals import att

    times = iter([datetime(2026, 5, 1, 10, tzinfo=UTC), datetime(2026, 5, 1, 9, tzinfo=UTC),
                  datetime(2026, 5, 1, 11, tzinfo=UTC)])

    def clock() -> datetime:
        return next(times)

    if kind == "memory":
        journal: Any = MemoryJournal(clock=clock)
    elif kind == "sqlite":
        journal = SQLiteJournal(tmp_path / "s.db", clock=clock)
    else:
        from facilitrack.store import PostgresJournal

        journal = PostgresJournal(request.getfixturevalue("pg_url"), clock=clock)
    for n in range(3):
        journal.append([att(n)])
    hours = [s.recorded_at.hour for s in journal.events_after(0)]
    assert [10, 10, 11] == hours
    if kind != "memory":
        assert [] == journal.verify()
        journal.close()


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_one_batch_reusing_an_id_with_other_content_is_refused_whole(store: str, tmp_path: Path) -> None:
    """Two events of one batch with the same id and different content: the batch is refused and
    nothing of it is stored (the same fact twice in a batch is stored once)."""
    from datetime import date

    from facilitrack import Attended, InvalidEventError

    journal: Journal = MemoryJournal() if store == "memory" else SQLiteJournal(tmp_path / "s.db")
    day = date(2026, 1, 10)
    first = Attended(id="s-1", trainee="ana", on=day, activity="workshop_day")
    other = Attended(id="s-1", trainee="ana", on=day, activity="demo_session")
    try:
        with pytest.raises(InvalidEventError, match="'s-1' is already recorded with other content"):
            journal.append([first, other])
        assert [] == list(journal.events())
        journal.append([first, first])
        assert [first] == list(journal.events())
    finally:
        if isinstance(journal, SQLiteJournal):
            journal.close()


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_one_trainees_events_after_a_seq_start_after_it_and_stop_at_upto(store: str, tmp_path: Path) -> None:
    """`events_after(seq, trainee, upto=...)`: that trainee's events with seq in (seq, upto]; a
    trainee the journal does not know has none."""
    from datetime import date

    from facilitrack import Attended

    journal: Journal = MemoryJournal() if store == "memory" else SQLiteJournal(tmp_path / "s.db")
    day = date(2026, 1, 10)
    try:
        journal.append([Attended(id=f"e{n}", trainee="ana" if n % 2 else "noa", on=day, activity="x")
                        for n in range(1, 8)])
        assert [3, 5, 7] == [s.seq for s in journal.events_after(1, "ana")]
        assert [3, 5] == [s.seq for s in journal.events_after(1, "ana", upto=5)]
        assert [2, 4, 6] == [s.seq for s in journal.events_after(0, "noa")]
        assert [] == list(journal.events_after(0, "eli"))
        assert ([], [1, 2]) == ([s.seq for s in journal.events_after(0, upto=0)],
                                [s.seq for s in journal.events_after(0, upto=2)])
    finally:
        if isinstance(journal, SQLiteJournal):
            journal.close()
