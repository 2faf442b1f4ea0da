"""An engine over the SQLite store: lazy per-trainee state from cached snapshots, never stale."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from facilitrack import (
    Attended,
    ConflictError,
    Engine,
    Enrolled,
    Event,
    MemoryJournal,
    Program,
    Voided,
    parse_program,
)
from facilitrack._engine.cache import snapshot_tag
from facilitrack._journal import SQLiteJournal, StoredEvent
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import builders
from tests.builders import DEMO
from tests.strategies import batches, journals

PROGRAM: Program = parse_program(DEMO, origin="tests")
START = date(2026, 1, 5)


class CountingJournal(SQLiteJournal):
    """A store that counts the events the engine reads from it."""

    read = 0

    def events_after(
        self, seq: int, trainee: str | None = None, *, upto: int | None = None
    ) -> Iterator[StoredEvent]:
        for stored in super().events_after(seq, trainee, upto=upto):
            self.read += 1
            yield stored


def engine_on(journal: Any) -> Engine:
    return builders.engine_on(PROGRAM, journal)


def replay(events: list[Event]) -> Engine:
    """An engine that folds `events` from scratch, as recorded, in memory."""
    journal = MemoryJournal()
    journal.append(events)
    return engine_on(journal)


def enrol(trainee: str) -> Enrolled:
    return Enrolled(trainee=trainee, on=START, program="demo", version="1.0", credential="licensed",
                    trainer="dr-lee")


def sessions(trainee: str, n: int, first: int = 0, activity: str = "group_session") -> list[Event]:
    """`n` sessions a day apart (group sessions in level 1 are kept, not credited)."""
    return [Attended(trainee=trainee, on=START + timedelta(days=1 + i), activity=activity,
                     id=f"{trainee}-{activity}-{i}") for i in range(first, first + n)]


def statuses(engine: Engine) -> list[dict[str, Any]]:
    return [s.model_dump() for s in engine.statuses()]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "s.db"


def test_opening_reads_no_events_and_a_record_reads_only_its_trainee(path: Path) -> None:
    """Open reads nothing; recording for one trainee reads at most their events since a snapshot."""
    with SQLiteJournal(path) as journal:
        writer = engine_on(journal)
        writer.record([enrol(f"t{i}") for i in range(30)])
        for i in range(30):
            writer.record(sessions(f"t{i}", 40))
    with CountingJournal(path) as journal:
        engine = engine_on(journal)
        assert 0 == journal.read
        engine.record(sessions("t7", 1, first=40))
        assert journal.read <= Engine.snapshot_every + 1
        assert 41 == len(engine.state("t7").enrolments[0].problems)


def test_a_snapshot_is_saved_after_enough_events_and_used_on_open(path: Path) -> None:
    """After `snapshot_every` events a trainee's state is cached; a new engine starts from it."""
    events = [enrol("ana"), *sessions("ana", 2, activity="workshop_day"),
              *sessions("ana", Engine.snapshot_every, first=2, activity="demo_session")]
    with SQLiteJournal(path) as journal:
        engine = engine_on(journal)
        engine.record(events[:1])
        assert journal.load_snapshot("ana", snapshot_tag()) is None
        engine.record(events[1:])
        saved = journal.load_snapshot("ana", snapshot_tag())
        assert saved is not None
        assert journal.version == saved[0]
    with CountingJournal(path) as journal:
        reopened = engine_on(journal)
        assert statuses(replay(events)) == statuses(reopened)
        assert 0 == journal.read
        assert [] == reopened.check_snapshots()


def test_an_engine_counts_other_writers_events_once_after_refresh(path: Path) -> None:
    """Another writer's newer snapshot is not taken before its events are; refresh takes them once."""
    with SQLiteJournal(path) as journal:
        engine_on(journal).record(enrol("ana"))
    with SQLiteJournal(path) as mine, SQLiteJournal(path) as theirs:
        engine = engine_on(mine)
        other = engine_on(theirs)
        other.record(sessions("ana", 40, activity="demo_session"))
        assert theirs.load_snapshot("ana", snapshot_tag()) is not None
        assert "level1" == engine.status("ana").stage  # as of when this engine last looked
        assert 0 == len(engine.state("ana").problems)
        engine.refresh()
        assert statuses(other) == statuses(engine)
        engine.record(sessions("ana", 1, first=40, activity="demo_session"))
        every = [enrol("ana"), *sessions("ana", 41, activity="demo_session")]
        assert statuses(replay(every)) == statuses(engine)
        assert [] == engine.check_snapshots()


def test_a_void_refolds_the_trainee_from_the_store(path: Path) -> None:
    """Voiding a stored event gives the state of the journal without it."""
    kept = [enrol("ana"), *sessions("ana", 2, activity="workshop_day")]
    extra = sessions("ana", 1, first=5, activity="demo_session")
    void = Voided(trainee="ana", on=START + timedelta(days=30), target=extra[0].id, reason="wrong day")
    with SQLiteJournal(path) as journal:
        engine = engine_on(journal)
        engine.record(kept)
        engine.record(extra)
        engine.record(void)
        assert statuses(replay(kept)) == statuses(engine)
    with SQLiteJournal(path) as journal:
        assert statuses(replay(kept)) == statuses(engine_on(journal))


def test_a_stale_expected_version_stores_nothing_and_changes_no_state(path: Path) -> None:
    """`Engine.record(expected_version=)` passes a stale version through as a ConflictError."""
    with SQLiteJournal(path) as journal:
        engine = engine_on(journal)
        engine.record(enrol("ana"))
        before = statuses(engine)
        with pytest.raises(ConflictError):
            engine.record(sessions("ana", 1, activity="workshop_day"), expected_version=0)
        assert 1 == journal.version
        assert before == statuses(engine)
        engine.record(sessions("ana", 1, activity="workshop_day"), expected_version=1)
        assert 2 == journal.version


def test_snapshots_of_another_format_are_ignored(path: Path) -> None:
    """A state cached under another tag (an older facilitrack) is rebuilt from the events."""
    events = [enrol("ana"), *sessions("ana", 3, activity="workshop_day")]
    with SQLiteJournal(path) as journal:
        engine_on(journal).record(events)
        journal.save_snapshot([("ana", {"nonsense": True})], version=journal.version, tag="0/old")
    with SQLiteJournal(path) as journal:
        engine = engine_on(journal)
        assert statuses(replay(events)) == statuses(engine)
        assert [] == engine.check_snapshots()


def test_a_cached_state_that_differs_from_a_replay_is_named(path: Path) -> None:
    """`check_snapshots` names the trainee and the fields where cache and replay disagree."""
    with SQLiteJournal(path) as journal:
        engine_on(journal).record([enrol("ana"), *sessions("ana", 40, activity="demo_session")])
        seq, body = journal.load_snapshot("ana", snapshot_tag()) or (0, {})
        # What a fold with a bug would cache: a wrong state, saved as facilitrack saves any.
        wrong = {**body, "enrolments": [{**body["enrolments"][0], "state": "trainee_led"}]}
        journal.save_snapshot([("ana", wrong)], version=seq, tag=snapshot_tag())
    with SQLiteJournal(path) as journal:
        found = engine_on(journal).check_snapshots()
    assert ["ana: the cached state differs from a replay of the journal in enrolments"] == found


# -- property: the cached, incrementally kept state is a replay --------------------------------

#: Journals of 60 days with up to 30 events, then voids of up to 3 of them.
HISTORIES = journals(START, 60, max_events=30, voids=3)


@settings(max_examples=40, deadline=None)
@given(history=HISTORIES, data=st.data())
def test_cached_incremental_state_equals_a_replay_from_scratch(
    history: list[Event], data: st.DataObject
) -> None:
    """Recorded in random batches, with snapshots every 2 events and reopenings between batches,
    the store's engine, a freshly opened one, and a replay from scratch report the same."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.db"
        journal = SQLiteJournal(path)
        engine = engine_on(journal)
        engine.snapshot_every = 2
        for batch in data.draw(batches(history)):
            engine.record(batch)
            if data.draw(st.booleans()):
                journal.close()
                journal = SQLiteJournal(path)
                engine = engine_on(journal)
                engine.snapshot_every = 2
        recorded = list(journal.events())
        with SQLiteJournal(path) as again:
            reopened = engine_on(again)
            expected = statuses(replay(recorded))
            assert expected == statuses(engine)
            assert expected == statuses(reopened)
            assert [] == reopened.check_snapshots()
        journal.close()
