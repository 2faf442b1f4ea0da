"""The conformance suite every journal must pass: the memory, SQLite and PostgreSQL ones, and yours.

Each check takes a fresh, empty journal and asserts one promise of the protocols in
``facilitrack.store`` (docs/journal.md lists them). A check that needs more than the `Journal`
protocol — snapshots (`SnapshotJournal`), definitions, settings, transactions and `verify`
(`Store`) — raises `NotApplicable` for a journal without it.

Two ways to run it:

- ``check_journal(factory)`` runs every check, each on a journal from ``factory()`` (closed
  afterwards when it has ``close``), and raises `JournalConformanceError` listing every
  failure; it needs no pytest.
- Subclass `JournalContract` in a test module and give it a ``journal`` fixture yielding a
  fresh journal: pytest then runs one test per check, skipping the ones that do not apply::

      class TestMyJournal(JournalContract):
          @pytest.fixture
          def journal(self, tmp_path):
              with MyJournal(tmp_path / "j") as journal:
                  yield journal
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from .._errors import ConflictError, InvalidEventError, JournalError
from .._journal.base import Journal, SnapshotJournal, Store, StoredEvent
from .._model.events import (
    ArtifactRecorded,
    Attended,
    Enrolled,
    Event,
    Held,
    Resumed,
    Voided,
    Waived,
    Withdrawn,
)
from .._model.issuer import Contact
from .._model.program import Program, parse_program

E = TypeVar("E", bound=Exception)

START = date(2026, 1, 5)
#: More events than any store's page of reads (the SQLite and PostgreSQL stores read 500).
MANY = 1_200

#: A one-stage program for the definition checks.
PROGRAM: dict[str, Any] = {
    "key": "kit", "name": "Conformance Kit Program", "version": "1.0", "organisation": "facilitrack",
    "stages": [{"key": "only", "title": "The only stage", "requirements": [
        {"kind": "attendance", "key": "session", "count": 2, "source": "the conformance kit"}]}],
}


class NotApplicable(Exception):  # noqa: N818 -- a reason to skip, not an error
    """The journal does not offer what a check needs."""


class JournalConformanceError(AssertionError):
    """A journal failed checks; `failures` maps each check's name to what went wrong."""

    def __init__(self, failures: dict[str, str]) -> None:
        self.failures = failures
        lines = [f"{name}: {why}" for name, why in failures.items()]
        super().__init__(f"{len(failures)} journal check(s) failed:\n  " + "\n  ".join(lines))


def _raises(kind: type[E], call: Callable[[], object], why: str) -> E:
    """The `kind` exception `call` raises; an AssertionError saying `why` when it raises none."""
    try:
        call()
    except kind as exc:
        return exc
    raise AssertionError(why)


def att(n: int, trainee: str = "ana", day: int = 0) -> Attended:
    """The `n`-th session of a trainee, with its own id."""
    return Attended(trainee=trainee, on=START + timedelta(days=day), activity="session",
                    id=f"{trainee}-s{n}")


def every_kind() -> list[Event]:
    """One event of each kind, for two trainees."""
    return [
        Enrolled(trainee="ana", on=START, program="kit", version="1.0", credential="licensed",
                 trainer="dr-lee", recorded_by="kim"),
        Attended(trainee="ana", on=START, activity="session"),
        ArtifactRecorded(trainee="ana", on=START, artifact="video", status="presented", ref="v-1",
                         sha256="ab" * 32),
        Waived(trainee="ana", on=START, requirement="session", stage="only", reason="prior",
               approver="dr-lee"),
        Held(trainee="noa", on=START, reason="leave"),
        Resumed(trainee="noa", on=START + timedelta(days=30)),
        Withdrawn(trainee="noa", on=START + timedelta(days=40), reason="moved"),
        Voided(trainee="ana", on=START, target="ana-x", reason="typo"),
    ]


def _store(journal: Journal) -> Store:
    if not isinstance(journal, Store):
        raise NotApplicable("not a Store (definitions, settings, transactions, verify)")
    return journal


def _snapshots(journal: Journal) -> SnapshotJournal:
    if not isinstance(journal, SnapshotJournal):
        raise NotApplicable("not a SnapshotJournal (no state cache)")
    return journal


# -- the checks --------------------------------------------------------------------------------


def check_appending(journal: Journal) -> None:
    """Every kind of event reads back equal, in order, by id and per trainee; version counts them."""
    events = every_kind()
    assert events == journal.append(events)
    assert len(events) == journal.version
    assert events == list(journal.events())
    assert [e for e in events if e.trainee == "noa"] == list(journal.events("noa"))
    assert events[2] == journal.get(events[2].id)
    assert journal.get("no-such-id") is None
    assert [s.seq for s in journal.events_after(0)] == [1, 2, 3, 4, 5, 6, 7, 8]


def check_idempotency(journal: Journal) -> None:
    """The same id and content is skipped, in a batch and across batches; a reused id is refused."""
    journal.append([att(1), att(2)])
    assert journal.append([att(1), att(2), att(1)]) == []
    assert [att(3)] == journal.append([att(3), att(3)])
    other = Attended(trainee="ana", on=START, activity="other", id=att(1).id)
    refused = _raises(InvalidEventError, lambda: journal.append([att(4), other]),
                      "a reused id with other content was stored")
    assert "ana-s1" in refused.what
    assert journal.version == 3
    assert journal.get(att(4).id) is None


def check_batch_atomicity(journal: Journal) -> None:
    """A refused batch stores none of its events, wherever the refusal falls in it."""
    journal.append([att(1)])
    bad = Attended(trainee="noa", on=START, activity="other", id=att(1).id)
    for batch in ([bad, att(2), att(3, "noa")], [att(2), att(3, "noa"), bad]):
        with contextlib.suppress(InvalidEventError):
            journal.append(batch)
        assert journal.version == 1
        assert journal.trainees() == ["ana"]
    if isinstance(journal, Store):
        def two_then_fail() -> None:
            with journal.transaction():
                journal.append([att(2)])
                journal.append([att(3)])
                raise KeyboardInterrupt

        with contextlib.suppress(KeyboardInterrupt):
            two_then_fail()
        assert journal.version == 1
        with journal.transaction():
            journal.append([att(2)])
            journal.append([att(3)])
        assert journal.version == 3


def check_global_conflict(journal: Journal) -> None:
    """An int `expected_version` refuses the batch unless the journal is still at it."""
    journal.append([att(1)], expected_version=0)
    conflict = _raises(ConflictError, lambda: journal.append([att(2)], expected_version=0),
                       "a stale expected_version was accepted")
    assert (conflict.expected, conflict.actual) == (0, 1)
    assert journal.version == 1
    assert [att(2)] == journal.append([att(2)], expected_version=1)


def check_per_trainee_conflict(journal: Journal) -> None:
    """A mapping trainee → version refuses only a stale trainee; others' writes never conflict."""
    assert journal.trainee_version("ana") == 0
    journal.append([att(1), att(2)], expected_version={"ana": 0})
    journal.append([att(1, "noa")], expected_version={"noa": 0})  # ana moved on: no matter
    versions = (journal.trainee_version("ana"), journal.trainee_version("noa"),
                journal.trainee_version("eli"))
    assert versions == (2, 1, 0)
    conflict = _raises(
        ConflictError,
        lambda: journal.append([att(3), att(2, "noa")], expected_version={"ana": 1, "noa": 1}),
        "a stale per-trainee version was accepted")
    assert (conflict.trainee, conflict.expected, conflict.actual) == ("ana", 1, 2)
    assert journal.version == 3
    journal.append([att(3), att(2, "noa")], expected_version={"ana": 2, "noa": 1, "eli": 0})
    assert (journal.trainee_version("ana"), journal.trainee_version("noa")) == (3, 2)


def check_events_after(journal: Journal) -> None:
    """`events_after` pages through more than a page, bounded below by seq and above by upto."""
    events = [att(i, "ana" if i % 3 else "noa", day=i % 50) for i in range(MANY)]
    journal.append(events)
    read = list(journal.events_after(0))
    assert list(range(1, MANY + 1)) == [s.seq for s in read]
    assert events == [s.event for s in read]
    assert list(journal.events_after(MANY)) == []
    assert list(journal.events_after(5, upto=5)) == []
    assert list(range(11, 21)) == [s.seq for s in journal.events_after(10, upto=20)]
    noa = list(journal.events_after(0, "noa", upto=600))
    assert [e for e in events[:600] if e.trainee == "noa"] == [s.event for s in noa]
    assert all(s.event.trainee == "noa" for s in journal.events_after(590, "noa"))
    assert len(list(journal.events_after(0, upto=MANY + 100))) == MANY


def check_trainees(journal: Journal) -> None:
    """`trainees` lists everyone with an event, sorted; with `upto`, those who had one by then."""
    assert journal.trainees() == []
    journal.append([att(1, "noa"), att(1, "ana"), att(2, "noa")])
    journal.append([att(1, "eli")])
    assert journal.trainees() == ["ana", "eli", "noa"]
    assert journal.trainees(upto=1) == ["noa"]
    assert journal.trainees(upto=3) == ["ana", "noa"]


def check_recorded_at(journal: Journal) -> None:
    """Each stored event carries when it was stored: timezone-aware UTC, at the append."""
    before = datetime.now(UTC).replace(microsecond=0)
    journal.append([att(1), att(2)])
    after = datetime.now(UTC)
    stored: list[StoredEvent] = list(journal.events_after(0))
    for s in stored:
        assert s.recorded_at.tzinfo is not None
        assert timedelta(0) == s.recorded_at.utcoffset()
        assert before <= s.recorded_at <= after, (before, s.recorded_at, after)
    assert stored[0].recorded_at == stored[1].recorded_at  # one batch, one time
    journal.append([att(3)])
    times = [s.recorded_at for s in journal.events_after(0)]
    assert sorted(times) == times  # never backwards along seq: what was known at T is a prefix


def check_snapshots(journal: Journal) -> None:
    """A saved state loads back under its tag only; a newer one is not overwritten by an older."""
    cache = _snapshots(journal)
    cache.append([att(1), att(2), att(3), att(1, "noa")])
    assert cache.load_snapshot("ana", "t1") is None
    cache.save_snapshot([("ana", {"n": 3}), ("noa", {"n": 1})], version=3, tag="t1")
    assert cache.load_snapshot("ana", "t1") == (3, {"n": 3})
    assert cache.load_snapshot("ana", "t2") is None
    cache.save_snapshot([("ana", {"n": 2})], version=2, tag="t1")  # older: kept out
    assert cache.load_snapshot("ana", "t1") == (3, {"n": 3})
    cache.save_snapshot([("ana", {"n": 4})], version=4, tag="t1")
    assert cache.load_snapshot("ana", "t1") == (4, {"n": 4})
    cache.save_snapshot([("ana", {"n": 0})], version=1, tag="t2")  # another format: replaces
    assert cache.load_snapshot("ana", "t2") == (1, {"n": 0})
    assert cache.load_snapshot("ana", "t1") is None
    if isinstance(cache, Store):
        cache.clear_snapshots()
        assert cache.load_snapshot("noa", "t1") is None


def check_definitions(journal: Journal) -> None:
    """Definitions are kept by key@version: the same again is a no-op, another is refused."""
    store = _store(journal)
    program: Program = parse_program(PROGRAM, origin="the conformance kit")
    store.save_programs([program])
    store.save_programs([program])
    assert {"kit@1.0": program.model_dump(mode="json")} == store.programs()
    refused = _raises(JournalError, lambda: store.save_programs([program.model_copy(update={"name": "X"})]),
                      "a changed definition under the same key@version was stored")
    assert "kit@1.0" in refused.what
    assert store.programs()["kit@1.0"]["name"] == "Conformance Kit Program"


def check_settings(journal: Journal) -> None:
    """Named settings read back; the latest value of each wins."""
    store = _store(journal)
    assert store.settings() == {}
    store.save_settings({"cohort": "Spring", "issuer": "CRC"})
    store.save_settings({"cohort": "Autumn"})
    assert store.settings() == {"cohort": "Autumn", "issuer": "CRC"}


def check_people(journal: Journal) -> None:
    """The people directory: a person's entry is replaced whole, erased on request, and
    verifying a store does not depend on it."""
    store = _store(journal)
    assert store.people() == {}
    store.save_people([Contact(id="ana", name="Ana", email="ana@example.org"), Contact(id="noa")])
    store.save_people([Contact(id="ana", name="Ana G.")])
    assert store.people() == {"ana": Contact(id="ana", name="Ana G."), "noa": Contact(id="noa")}
    assert store.forget_person("ana") is True
    assert store.forget_person("ana") is False
    assert list(store.people()) == ["noa"]
    assert [str(p) for p in store.verify()] == []


def check_audit_rows(journal: Journal) -> None:
    """`rows` gives every stored row's columns, the body parsed, in order, all or one trainee's."""
    store = _store(journal)
    events = every_kind()
    store.append(events)
    rows = list(store.rows())
    assert [e.id for e in events] == [r["id"] for r in rows]
    assert [e.model_dump(mode="json") for e in events] == [r["body"] for r in rows]
    assert {"seq", "id", "trainee", "kind", "on", "recorded_at", "recorded_by", "body"} <= set(rows[0])
    assert [r["trainee"] for r in store.rows("noa")] == ["noa"] * 3


def check_verify_clean(journal: Journal) -> None:
    """A store as it wrote itself — events, definitions, settings, snapshots — verifies clean."""
    store = _store(journal)
    store.save_programs([parse_program(PROGRAM, origin="the conformance kit")])
    store.append(every_kind())
    store.append([att(i, day=i) for i in range(1, 40)])
    store.save_settings({"cohort": "Spring"})
    store.save_snapshot([("ana", {"n": 1})], version=store.version, tag="t")
    assert [str(p) for p in store.verify()] == []


#: Every check, by name.
CHECKS: dict[str, Callable[[Journal], None]] = {
    fn.__name__.removeprefix("check_"): fn
    for fn in (
        check_appending, check_idempotency, check_batch_atomicity, check_global_conflict,
        check_per_trainee_conflict, check_events_after, check_trainees, check_recorded_at,
        check_snapshots, check_definitions, check_settings, check_people, check_audit_rows,
        check_verify_clean,
    )
}


def check_journal(factory: Callable[[], Journal]) -> list[str]:
    """Run every check, each on a fresh journal from `factory`; return the names that applied.

    Raises `JournalConformanceError` naming every check that failed.
    """
    ran: list[str] = []
    failures: dict[str, str] = {}
    for name, check in CHECKS.items():
        journal = factory()
        try:
            check(journal)
            ran.append(name)
        except NotApplicable:
            pass
        except AssertionError as exc:
            failures[name] = str(exc) or "an assertion failed"
        except Exception as exc:
            failures[name] = f"{type(exc).__name__}: {exc}"
        finally:
            close = getattr(journal, "close", None)
            if callable(close):
                close()
    if failures:
        raise JournalConformanceError(failures)
    return ran


def _as_test(name: str, check: Callable[[Journal], None]) -> Callable[[Any, Journal], None]:
    def test(self: Any, journal: Journal) -> None:
        try:
            check(journal)
        except NotApplicable as exc:
            import pytest

            pytest.skip(str(exc))

    test.__name__ = f"test_{name}"
    test.__doc__ = check.__doc__
    return test


class JournalContract:
    """Subclass in a test module, with a ``journal`` fixture yielding a fresh journal."""


for _name, _check in CHECKS.items():
    setattr(JournalContract, f"test_{_name}", _as_test(_name, _check))
