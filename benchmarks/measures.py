"""The measures. Each takes the sizes and the alternating timer and returns result rows."""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import workload
from facilitrack import Attended, Engine, MemoryJournal, SQLiteJournal, load_plugins
from statemachine import State, StateMachine
from transitions import Machine

Timer = Callable[[Callable[[], object], Callable[[], object], int], tuple[float, float]]
Row = dict[str, Any]

QUICK = {"trainees": 1_000, "repeat": 3, "machines": 300, "enrolments": 10_000,
         "sqlite_trainees": 300, "journal_events": 100_000, "appends": 15, "cli_runs": 3,
         "cohort_trainees": 50}
FULL = {"trainees": 10_000, "repeat": 5, "machines": 2_000, "enrolments": 100_000,
        "sqlite_trainees": 3_000, "journal_events": 1_000_000, "appends": 40, "cli_runs": 7,
        "cohort_trainees": 300}
ROOT = Path(__file__).resolve().parent.parent


def _mpg() -> tuple[Any, Any]:
    host = load_plugins()
    return host.programs, host.hooks


def replay_memory(sizes: dict[str, int], timer: Timer) -> list[Row]:
    """Folding a whole in-memory journal, against the bare fold and per-trainee machines."""
    programs, hooks = _mpg()
    rules = workload.needs(programs.get("mpg", "1.0"))
    events = workload.journal(sizes["trainees"])
    journal = MemoryJournal()
    journal.append(events)

    def subject() -> None:
        Engine(programs, journal, hooks=hooks)

    check = Engine(programs, journal, hooks=hooks)
    assert all(check.status(t).certified for t in check.trainees()[:50]), "workload must certify"
    s, b = timer(subject, lambda: workload.bare_fold(events, rules), sizes["repeat"])
    n = len(events)
    rows: list[Row] = [{
        "name": "replay_memory", "value": n / s, "baseline": n / b, "ratio": b / s,
        "target": 0.5, "goal": "at least", "unit": "events/s",
        "detail": f"{sizes['trainees']} trainees, {n} events; baseline: bare dict-and-loop fold",
    }]
    # Per-trainee machines are slow to build; compare on a slice of the same journal.
    few = {f"t{i:06d}" for i in range(sizes["machines"])}
    part = [e for e in events if e.trainee in few]
    part_journal = MemoryJournal()
    part_journal.append(part)
    for label, per_trainee in (("transitions", _transitions_each), ("python_statemachine", _psm_each)):
        s2, b2 = timer(lambda: Engine(programs, part_journal, hooks=hooks),
                       lambda f=per_trainee: f(part, rules), sizes["repeat"])  # type: ignore[misc]
        rows.append({
            "name": f"replay_vs_{label}_per_trainee", "value": len(part) / s2,
            "baseline": len(part) / b2, "ratio": b2 / s2, "target": 3.0, "goal": "at least",
            "unit": "events/s",
            "detail": f"{len(few)} trainees; baseline: one {label} machine per trainee,"
                      " each event a trigger",
        })
    return rows


STAGES = ["level1", "demonstration", "trainee_led", "certified"]


class _Model:
    """A trainee for the per-trainee machines: counts for the current stage."""

    def __init__(self, rules: list[dict[tuple[str, str], int]]) -> None:
        self.rules = rules
        self.counts: dict[tuple[str, str], int] = {}

    def count(self, key: tuple[str, str]) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1

    def met(self) -> bool:
        need = self.rules[STAGES.index(self.state)]  # type: ignore[attr-defined]
        return all(self.counts.get(k, 0) >= n for k, n in need.items())

    def reset(self) -> None:
        self.counts = {}


def _key(e: Any) -> tuple[str, str]:
    return (e.kind, e.activity if e.kind == "attended" else e.artifact)


def _transitions_each(events: list[Any], rules: list[dict[tuple[str, str], int]]) -> None:
    """One transitions Machine per trainee; every event is a trigger, as that design does it.

    ``credit`` is an internal transition that counts the event; ``advance`` is tried after
    each one, guarded by the stage's requirements.
    """
    table = [{"trigger": "credit", "source": s, "dest": None, "after": "count"} for s in STAGES[:-1]]
    table += [{"trigger": "advance", "source": a, "dest": b, "conditions": "met", "after": "reset"}
              for a, b in itertools.pairwise(STAGES)]
    models: dict[str, _Model] = {}
    for e in events:
        if e.kind == "enrolled":
            m = models[e.trainee] = _Model(rules)
            Machine(model=m, states=STAGES, initial="level1", auto_transitions=False,
                    transitions=table, ignore_invalid_triggers=True)
            continue
        m = models[e.trainee]
        m.credit(_key(e))  # type: ignore[attr-defined]
        m.advance()  # type: ignore[attr-defined]


class _Pathway(StateMachine):
    allow_event_without_transition = True  # an unmet `advance` is a no-op, as in transitions
    level1 = State(initial=True)
    demonstration = State()
    trainee_led = State()
    certified = State(final=True)
    credit = level1.to.itself(internal=True, on="count") | demonstration.to.itself(
        internal=True, on="count") | trainee_led.to.itself(internal=True, on="count")
    advance = (level1.to(demonstration, cond="met") | demonstration.to(trainee_led, cond="met")
               | trainee_led.to(certified, cond="met"))

    def __init__(self, rules: list[dict[tuple[str, str], int]]) -> None:
        self.rules = rules
        self.counts: dict[tuple[str, str], int] = {}
        super().__init__()

    def count(self, key: tuple[str, str]) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1

    def met(self) -> bool:
        need = self.rules[STAGES.index(self.current_state_value)]
        return all(self.counts.get(k, 0) >= n for k, n in need.items())

    def on_advance(self) -> None:
        self.counts = {}


def _psm_each(events: list[Any], rules: list[dict[tuple[str, str], int]]) -> None:
    """One python-statemachine instance per trainee, every event sent to it."""
    machines: dict[str, _Pathway] = {}
    for e in events:
        if e.kind == "enrolled":
            machines[e.trainee] = _Pathway(rules)
            continue
        sm = machines[e.trainee]
        if sm.current_state_value == "certified":
            continue
        sm.send("credit", _key(e))
        sm.send("advance")


def memory_per_enrolment(sizes: dict[str, int], timer: Timer) -> list[Row]:
    """Bytes of engine state per enrolment (tracemalloc), beside the bare fold's."""
    programs, hooks = _mpg()
    n = sizes["enrolments"]
    enrolments = [next(workload.trainee_events(i)) for i in range(n)]
    journal = MemoryJournal()
    journal.append(enrolments)
    rules = workload.needs(programs.get("mpg", "1.0"))

    def traced(fn: Callable[[], object]) -> int:
        tracemalloc.start()
        keep = fn()
        size = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        del keep
        return size

    engine_bytes = traced(lambda: Engine(programs, journal, hooks=hooks)) / n
    floor_bytes = traced(lambda: workload.bare_fold(enrolments, rules)) / n
    return [{
        "name": "memory_per_enrolment", "value": engine_bytes, "baseline": floor_bytes,
        "ratio": engine_bytes / 1024, "target": 1.0, "goal": "at most", "unit": "bytes",
        "detail": f"{n} enrolments; ratio is against the 1 KiB budget; baseline: bare fold state",
    }]


def replay_sqlite(sizes: dict[str, int], timer: Timer) -> list[Row]:
    """Rebuilding every trainee from the SQLite journal, against raw sqlite3 plus the bare fold."""
    programs, hooks = _mpg()
    rules = workload.needs(programs.get("mpg", "1.0"))
    events = workload.journal(sizes["sqlite_trainees"])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        with SQLiteJournal(path) as journal:
            journal.append(events)

        def subject() -> None:
            with SQLiteJournal(path) as journal:
                journal.clear_snapshots()  # a replay from scratch, not from the state cache
                engine = Engine(programs, journal, hooks=hooks)
                for trainee in engine.trainees():
                    engine.state(trainee)

        def baseline() -> None:
            conn = sqlite3.connect(path)
            rows = [json.loads(body) for (body,) in conn.execute("SELECT body FROM events ORDER BY seq")]
            conn.close()
            _bare_fold_rows(rows, rules)

        s, b = timer(subject, baseline, sizes["repeat"])
    n = len(events)
    return [{
        "name": "replay_sqlite", "value": n / s, "baseline": n / b, "ratio": b / s,
        "target": 0.5, "goal": "at least", "unit": "events/s",
        "detail": f"{sizes['sqlite_trainees']} trainees, {n} events; baseline: raw sqlite3 read,"
                  " json.loads and the bare fold",
    }]


def _bare_fold_rows(rows: list[dict[str, Any]], rules: list[dict[tuple[str, str], int]]) -> None:
    """The bare fold over plain dicts, as read straight from SQLite."""
    state: dict[str, list[Any]] = {}
    last = len(rules)
    for e in rows:
        kind = e["kind"]
        if kind == "enrolled":
            state[e["trainee"]] = [0, {}]
            continue
        s = state[e["trainee"]]
        if s[0] == last:
            continue
        key = (kind, e["activity"] if kind == "attended" else e["artifact"])
        counts = s[1]
        c = counts[key] = counts.get(key, 0) + 1
        need = rules[s[0]]
        if c == need.get(key) and all(counts.get(k, 0) >= n for k, n in need.items()):
            s[0] += 1
            s[1] = {}


def append_large(sizes: dict[str, int], timer: Timer) -> list[Row]:
    """Recording one session into a large journal, against the same into an almost empty one."""
    programs, hooks = _mpg()
    trainees = sizes["journal_events"] // workload.EVENTS_PER_TRAINEE
    with tempfile.TemporaryDirectory() as tmp:
        large, small = Path(tmp) / "large.db", Path(tmp) / "small.db"
        with SQLiteJournal(large) as journal:
            for start in range(0, trainees, 1_000):
                journal.append([e for i in range(start, min(start + 1_000, trainees))
                                for e in workload.trainee_events(i)])
            total = journal.version
        with SQLiteJournal(small) as journal:
            journal.append([next(workload.trainee_events(0))])
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


def cold_cli(sizes: dict[str, int], timer: Timer) -> list[Row]:
    """`facilitrack run` on the largest example, against importing its dependencies alone."""
    examples = sorted((ROOT / "examples").glob("*/cohort.toml"), key=lambda p: p.stat().st_size)
    largest = examples[-1]
    run = [sys.executable, "-m", "facilitrack", "run", str(largest)]
    imports = [sys.executable, "-c", "import pydantic, transitions, pluggy, tomllib"]

    # As installed for a user, modules run from cached bytecode: allow writing it (some shells
    # set PYTHONDONTWRITEBYTECODE), and warm both commands once.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def timed(cmd: list[str]) -> float:
        begin = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        return time.perf_counter() - begin

    timed(run), timed(imports)
    runs = [(timed(run), timed(imports)) for _ in range(sizes["cli_runs"])]
    s, b = min(r for r, _ in runs), min(i for _, i in runs)
    return [{
        "name": "cold_cli_run", "value": s * 1e3, "baseline": b * 1e3, "ratio": s / b,
        "target": 2.5, "goal": "at most", "unit": "ms",
        "detail": f"facilitrack run {largest.relative_to(ROOT)}; baseline: python -c 'import pydantic,"
                  " transitions, pluggy, tomllib'; best of {sizes['cli_runs']}",
    }]


def cohort_ingest(sizes: dict[str, int], timer: Timer) -> list[Row]:
    """Turning a cohort TOML file into engine events, against `tomllib.loads` of the same file."""
    import tomllib

    from facilitrack._cohort import parse_cohort

    text = workload.cohort_toml(sizes["cohort_trainees"])
    host = load_plugins()
    parsed = parse_cohort(text, ROOT / "bench.toml", host=host)
    rows = len(tomllib.loads(text)["events"])
    s, b = timer(lambda: parse_cohort(text, ROOT / "bench.toml", host=host),
                 lambda: tomllib.loads(text), sizes["repeat"])
    return [{
        "name": "cohort_ingest", "value": rows / s, "baseline": rows / b, "ratio": b / s,
        "target": 0.7, "goal": "at least", "unit": "rows/s",
        "detail": f"{sizes['cohort_trainees']} trainees, {rows} event rows, {len(parsed.events)}"
                  " events; baseline: tomllib.loads of the same text",
    }]


ALL: list[Callable[[dict[str, int], Timer], list[Row]]] = [
    replay_memory, replay_sqlite, append_large, memory_per_enrolment, cohort_ingest, cold_cli,
]
