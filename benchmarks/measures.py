"""The measures. Each takes the sizes and the alternating timer and returns result rows."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from typing import Any

from statemachine import State, StateMachine
from transitions import Machine

import workload
from facilitrack import Engine, MemoryJournal, load_plugins

Timer = Callable[[Callable[[], object], Callable[[], object], int], tuple[float, float]]
Row = dict[str, Any]

QUICK = {"trainees": 1_000, "repeat": 3, "machines": 300, "enrolments": 10_000}
FULL = {"trainees": 10_000, "repeat": 5, "machines": 2_000, "enrolments": 100_000}


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
              for a, b in zip(STAGES, STAGES[1:], strict=False)]
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


ALL: list[Callable[[dict[str, int], Timer], list[Row]]] = [replay_memory, memory_per_enrolment]
