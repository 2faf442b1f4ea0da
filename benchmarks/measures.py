"""The measures. Each takes the sizes and the alternating timer and returns result rows."""

from __future__ import annotations

import collections
import functools
import gc
import itertools
import json
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import peers
import workload
from facilitrack import Attended, Engine, Enrolled, MemoryJournal, SQLiteJournal, load_plugins

Timer = Callable[[Callable[[], object], Callable[[], object], int], tuple[float, float]]
Row = dict[str, Any]

QUICK = {"trainees": 1_000, "repeat": 3, "machines": 300, "enrolments": 10_000, "held": 1_000,
         "records": 100, "sqlite_trainees": 300, "journal_events": 100_000, "appends": 15,
         "es_trainees": 100, "pcit_trainees": 300}
FULL = {"trainees": 10_000, "repeat": 5, "machines": 2_000, "enrolments": 100_000, "held": 10_000,
        "records": 1_000, "sqlite_trainees": 3_000, "journal_events": 1_000_000, "appends": 40,
        "es_trainees": 300, "pcit_trainees": 3_000}
ROOT = Path(__file__).resolve().parent.parent


def _host() -> tuple[Any, Any]:
    host = load_plugins()
    return host.programs, host.hooks


@functools.cache
def _journal(trainees: int) -> list[Any]:
    """The workload's journal (built once per size: building events is slow)."""
    return workload.journal(trainees)


def _whole(trainees: int, first: int) -> list[Any]:
    """The whole histories of the workload's first `first` trainees, in recording order."""
    return [e for e in _journal(trainees) if int(e.trainee[1:]) < first]


def _folded(programs: Any, journal: MemoryJournal, hooks: Any) -> Engine:
    """An engine that has replayed `journal` and folded every trainee."""
    engine = Engine(programs, journal, hooks=hooks)
    for trainee in engine.trainees():
        engine.state(trainee)
    return engine


def _check(engine: Engine, expected: dict[str, str], who: str) -> None:
    """The engine and a baseline agree on every trainee's stage (or the figure means nothing)."""
    got = {t: engine.state(t).enrolments[-1].state for t in expected}
    wrong = [t for t in expected if got[t] != expected[t]]
    assert not wrong, f"{who} disagrees with the engine on {len(wrong)} trainees, e.g. {wrong[0]}: " \
                      f"{expected[wrong[0]]} against {got[wrong[0]]}"


def replay_memory(sizes: dict[str, int], timer: Timer) -> list[Row]:
    """Folding a whole in-memory journal, against the floor and per-trainee machines."""
    programs, hooks = _host()
    rules = workload.floor_rules(programs)
    events = _journal(sizes["trainees"])
    journal = MemoryJournal()
    journal.append(events)
    engine = _folded(programs, journal, hooks)
    stages = {t: workload.stage_name(s) for t, s in workload.floor(events, rules).items()}
    _check(engine, stages, "the floor")
    certified = sum(1 for v in stages.values() if v == "certified")
    assert certified > 0.9 * len(stages), "the workload must certify most trainees"
    s, b = timer(lambda: _folded(programs, journal, hooks), lambda: workload.floor(events, rules),
                 sizes["repeat"])
    n = len(events)
    rows: list[Row] = [{
        "name": "replay_memory", "value": n / s, "baseline": n / b, "ratio": b / s,
        "target": 0.75, "goal": "at least", "unit": "events/s",
        "detail": f"{sizes['trainees']} trainees, {n} events, every trainee folded; baseline: the"
                  " floor, a dict-and-loop fold computing the same stages (checked equal)",
    }]
    # Per-trainee machines are slow to build; compare on a slice of the same journal.
    few = {f"t{i:06d}" for i in range(sizes["machines"])}
    part = [e for e in events if e.trainee in few]
    part_journal = MemoryJournal()
    part_journal.append(part)
    machines = (("transitions", peers.transitions_fold), ("python_statemachine", peers.psm_fold))
    for label, per_trainee in machines:
        _check(engine, per_trainee(part, rules), label)
        s2, b2 = timer(lambda: _folded(programs, part_journal, hooks),
                       lambda f=per_trainee: f(part, rules), sizes["repeat"])  # type: ignore[misc]
        rows.append({
            "name": f"replay_vs_{label}_per_trainee", "value": len(part) / s2,
            "baseline": len(part) / b2, "ratio": b2 / s2, "target": 1.0, "goal": "at least",
            "unit": "events/s",
            "detail": f"{len(few)} trainees; baseline: one {label} machine per trainee, counting as"
                      " the floor does and triggered where a stage may change (checked equal)",
        })
    return rows


def replay_pcit(sizes: dict[str, int], timer: Timer) -> list[Row]:
    """Folding a PCIT cohort (the outside pathway), against folding the MPG/RPP workload.

    Assumption: the target, half the events per second of the MPG/RPP workload, is ours — a
    pathway of hours, scores, windows and a trainer read from another person's events asks more
    of each event than counted sessions, but not many times more.
    """
    programs, hooks = _host()
    try:
        programs.get("pcit_therapist", "1.0")
    except Exception as exc:  # the example package is not installed: say so
        print(f"benchmarks: replay_pcit skipped: {exc}", file=sys.stderr)
        return []
    pcit = workload.pcit_journal(sizes["pcit_trainees"])
    mpg = _whole(sizes["trainees"], len(pcit) // workload.EVENTS_PER_TRAINEE)
    pj, mj = MemoryJournal(), MemoryJournal()
    pj.append(pcit)
    mj.append(mpg)
    engine = _folded(programs, pj, hooks)
    people = [t for t in engine.trainees()[:50] if t != "trainer-kim"]
    assert all(engine.state(t).enrolments[-1].certified for t in people), "PCIT trainees must certify"
    s, b = timer(lambda: _folded(programs, pj, hooks), lambda: _folded(programs, mj, hooks), sizes["repeat"])
    return [{
        "name": "replay_pcit", "value": len(pcit) / s, "baseline": len(mpg) / b,
        "ratio": (len(pcit) / s) / (len(mpg) / b), "target": 0.5, "goal": "at least", "unit": "events/s",
        "detail": f"{sizes['pcit_trainees']} PCIT therapists, {len(pcit)} events; baseline: the engine on"
                  f" as many MPG/RPP events; target an assumption (see replay_pcit)",
    }]


#: What a trainee in each stage records next (both programs count these keys there).
NEXT = {"level1": "workshop_day", "demonstration": "supervision", "trainee_led": "consultation"}


def record_one(sizes: dict[str, int], timer: Timer) -> list[Row]:
    """Recording events one per call against the same events in one batch, in an engine that
    holds many trainees mid-pathway; and the cost of one call against ten times fewer trainees held."""
    programs, hooks = _host()
    cutoff = workload.START + timedelta(days=200)  # most trainees are mid-pathway by then
    past = [e for e in _journal(sizes["held"]) if e.on <= cutoff]
    rows: list[Row] = []
    per_event: dict[int, float] = {}
    day = itertools.count(1)
    for held in (sizes["held"] // 10, sizes["held"]):
        journal = MemoryJournal()
        journal.append([e for e in past if int(e.trainee[1:]) < held])
        engine = _folded(programs, journal, hooks)
        active = [(t, NEXT[st]) for t in engine.trainees()
                  if (st := engine.state(t).enrolments[-1].state) in NEXT]
        k = min(sizes["records"], len(active))
        # Rounds of a few milliseconds: twice the usual turns, so a busy moment is outvoted.
        s, b = _record_timings(engine, active[:k], cutoff, day, 2 * sizes["repeat"], timer)
        per_event[held] = s / k
        if held == sizes["held"]:
            rows.append({
                "name": "record_one_vs_batch", "value": k / s, "baseline": k / b, "ratio": b / s,
                "target": 0.5, "goal": "at least", "unit": "events/s",
                "detail": f"{k} sessions of trainees mid-pathway, one record() each vs one record()"
                          f" of all; memory journal, engine holding {held} trainees",
            })
    small, large = sizes["held"] // 10, sizes["held"]
    rows.append({
        "name": "record_one_trainees_held", "value": per_event[large] * 1e6,
        "baseline": per_event[small] * 1e6, "ratio": per_event[large] / per_event[small],
        "target": 1.5, "goal": "at most", "unit": "µs",
        "detail": f"one record() per event, engine holding {large} trainees vs {small}",
    })
    return rows


def _record_timings(engine: Engine, active: list[tuple[str, str]], after: date, day: Any,  # noqa: PLR0917 -- a helper of one measure
                    repeat: int, timer: Timer) -> tuple[float, float]:
    """Seconds to record a session for each of `active` one per call, and all in one call.

    Every round's sessions are dated after the last round's, as a journal grows (a session
    dated before a trainee's last event would fold them again: another measure)."""

    def events() -> list[Attended]:
        on = after + timedelta(days=next(day))
        return [Attended(trainee=t, on=on, activity=key) for t, key in active]

    rounds = collections.deque(events() for _ in range(2 * repeat))  # taken in the order run

    def one_by_one() -> None:
        for event in rounds.popleft():
            engine.record(event)

    def one_batch() -> None:
        engine.record(rounds.popleft())

    return timer(one_by_one, one_batch, repeat)


def memory_per_trainee(sizes: dict[str, int], timer: Timer) -> list[Row]:
    """Bytes the engine keeps per trainee with a full history (its indexes and states; the
    journal's events are not counted), against the floor's state of the same trainees."""
    del timer
    programs, hooks = _host()
    events = _journal(sizes["trainees"])
    rules = workload.floor_rules(programs)
    journal = MemoryJournal()
    journal.append(events)
    n = len({e.trainee for e in events})
    engine_bytes = _traced(lambda: _folded(programs, journal, hooks)) / n
    floor_bytes = _traced(lambda: workload.floor(events, rules)) / n
    return [{
        "name": "memory_per_trainee", "value": engine_bytes, "baseline": floor_bytes,
        "ratio": engine_bytes / floor_bytes, "target": 3.0, "goal": "at most", "unit": "bytes",
        "detail": f"{n} trainees, {len(events)} events, every one folded (tracemalloc); baseline:"
                  " the floor's state of the same trainees",
    }]


def _traced(fn: Callable[[], object]) -> int:
    """Bytes still allocated by `fn` while its result is kept."""
    gc.collect()
    tracemalloc.start()
    keep = fn()
    gc.collect()
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del keep
    return size


def memory_per_enrolment(sizes: dict[str, int], timer: Timer) -> list[Row]:
    """Bytes of engine state per enrolment (tracemalloc), against a 1 KiB budget."""
    del timer
    programs, hooks = _host()
    n = sizes["enrolments"]
    enrolments = [Enrolled(trainee=f"t{i:06d}", on=workload.START, program="mpg", version="1.0",
                           credential="licensed", trainer="dr-miller", track="toddler") for i in range(n)]
    journal = MemoryJournal()
    journal.append(enrolments)
    engine_bytes = _traced(lambda: _folded(programs, journal, hooks)) / n
    floor_bytes = _traced(lambda: workload.floor(enrolments, workload.floor_rules(programs))) / n
    return [{
        "name": "memory_per_enrolment", "value": engine_bytes, "baseline": floor_bytes,
        "ratio": engine_bytes / 1024, "target": 1.0, "goal": "at most", "unit": "bytes",
        "detail": f"{n} enrolments; ratio is against the 1 KiB budget; baseline: the floor's state",
    }]


def replay_sqlite(sizes: dict[str, int], timer: Timer) -> list[Row]:
    """Rebuilding every trainee from the SQLite journal, against raw sqlite3 plus the floor."""
    programs, hooks = _host()
    rules = workload.floor_rules(programs)
    events = _whole(sizes["trainees"], sizes["sqlite_trainees"])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        with SQLiteJournal(path) as journal:
            journal.append(events)

        def subject() -> None:
            with SQLiteJournal(path) as journal:
                journal.clear_snapshots()  # a replay from scratch, not from the state cache
                _folded(programs, journal, hooks)  # type: ignore[arg-type]

        def baseline() -> None:
            conn = sqlite3.connect(path)
            rows = [SimpleNamespace(**json.loads(body))
                    for (body,) in conn.execute("SELECT body FROM events ORDER BY seq")]
            conn.close()
            for row in rows:
                row.on = date.fromisoformat(row.on)
            workload.floor(rows, rules)  # type: ignore[arg-type]

        s, b = timer(subject, baseline, sizes["repeat"])
    n = len(events)
    return [{
        "name": "replay_sqlite", "value": n / s, "baseline": n / b, "ratio": b / s,
        "target": 0.5, "goal": "at least", "unit": "events/s",
        "detail": f"{sizes['sqlite_trainees']} trainees, {n} events; baseline: raw sqlite3 read,"
                  " json.loads into plain objects and the floor",
    }]


def append_large(sizes: dict[str, int], timer: Timer) -> list[Row]:
    """Recording one session into a large journal, against the same into an almost empty one."""
    programs, hooks = _host()
    with tempfile.TemporaryDirectory() as tmp:
        large, small = Path(tmp) / "large.db", Path(tmp) / "small.db"
        with SQLiteJournal(large) as journal:
            start = 0
            while journal.version < sizes["journal_events"]:
                journal.append(workload.journal(1_000, first=start))
                start += 1_000
            total = journal.version
        with SQLiteJournal(small) as journal:
            journal.append([workload.trainee_events(0)[0][1]])
        day = iter(range(10**6))

        def one(path: Path) -> float:
            on = workload.START + timedelta(days=400 + next(day))
            begin = time.perf_counter()
            with SQLiteJournal(path) as journal:
                Engine(programs, journal, hooks=hooks).record(
                    Attended(trainee="t000000", on=on, activity="workshop_day"))
            return time.perf_counter() - begin

        one(large), one(small)  # warm the page cache of both files alike
        big_times, small_times = [], []
        for _ in range(sizes["appends"]):
            big_times.append(one(large))
            small_times.append(one(small))
    big, little = statistics.median(big_times), statistics.median(small_times)
    return [{
        "name": "append_large_journal", "value": big * 1e3, "baseline": little * 1e3,
        "ratio": big / little, "target": 1.5, "goal": "at most", "unit": "ms",
        "detail": f"open, record one session, close; {total} events vs 1; median of {sizes['appends']}",
    }]


def eventsourcing_peer(sizes: dict[str, int], timer: Timer) -> list[Row]:
    """Appending a cohort and replaying it, against the `eventsourcing` library's SQLite recorder.

    Both write one transaction per trainee (facilitrack: `Engine.record` of the trainee's events
    into a `SQLiteJournal`; eventsourcing: `Application.save` of the trainee's aggregate) and
    both read every trainee back (facilitrack: a replay folding each one, the state cache
    cleared; eventsourcing: `repository.get` of each aggregate). See `peers` for what the
    aggregate does. Assumption: the targets are ours — an engine that validates and folds
    should append at least half as fast as a store that does neither, and replay as fast.
    """
    programs, hooks = _host()
    events = _whole(sizes["trainees"], sizes["es_trainees"])
    per, _ = workload.split(events)
    voids: dict[str, list[Any]] = {}
    for e in events:
        if e.kind == "voided":
            voids.setdefault(e.trainee, []).append(e)
    batches = [mine + voids.get(t, []) for t, mine in per.items()]
    n = sum(len(b) for b in batches)
    with tempfile.TemporaryDirectory() as tmp:
        counter = itertools.count()
        kept: dict[str, Any] = {}

        def ours() -> None:
            path = Path(tmp) / f"f{next(counter)}.db"
            with SQLiteJournal(path) as journal:
                engine = Engine(programs, journal, hooks=hooks)
                for batch in batches:
                    engine.record(batch)
            kept["ours"] = path

        def theirs() -> None:
            path = Path(tmp) / f"e{next(counter)}.db"
            app = peers.eventsourcing_app(str(path))
            kept["ids"] = peers.eventsourcing_save(app, voids_as_events(per, voids))
            app.close()
            kept["theirs"] = path

        s, b = timer(ours, theirs, max(2, sizes["repeat"] // 2))
        rows: list[Row] = [{
            "name": "append_vs_eventsourcing", "value": n / s, "baseline": n / b, "ratio": b / s,
            "target": 0.5, "goal": "at least", "unit": "events/s",
            "detail": f"{len(batches)} trainees, {n} events, one transaction per trainee; baseline:"
                      " eventsourcing's SQLite recorder, one aggregate per trainee",
        }]

        def replay_ours() -> None:
            with SQLiteJournal(kept["ours"]) as journal:
                journal.clear_snapshots()
                _folded(programs, journal, hooks)  # type: ignore[arg-type]

        def replay_theirs() -> None:
            app = peers.eventsourcing_app(str(kept["theirs"]))
            for aggregate_id in kept["ids"]:
                app.repository.get(aggregate_id)
            app.close()

        s, b = timer(replay_ours, replay_theirs, sizes["repeat"])
        rows.append({
            "name": "replay_vs_eventsourcing", "value": n / s, "baseline": n / b, "ratio": b / s,
            "target": 1.0, "goal": "at least", "unit": "events/s",
            "detail": f"{len(batches)} trainees, {n} events, every trainee rebuilt from SQLite;"
                      " baseline: eventsourcing's repository.get of every aggregate",
        })
    return rows


def voids_as_events(per: dict[str, list[Any]], voids: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Each trainee's events with their voids after them, as the aggregate records them."""
    return {t: mine + voids.get(t, []) for t, mine in per.items()}


ALL: list[Callable[[dict[str, int], Timer], list[Row]]] = [
    replay_memory, replay_pcit, record_one, memory_per_trainee, memory_per_enrolment, replay_sqlite,
    eventsourcing_peer, append_large,
]
