"""The engine against the reference evaluator (tests/oracle/evaluator.py) on random journals.

Random programs from a small grammar, and the four bundled programs; random journals recorded
in a random arrival order and random batches; compared now, as of two past days, and as known
part-way through the recording. A failure prints both answers' differences and the journal;
`tests/oracle/shrink.py` cuts such a journal down to the events that matter.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from facilitrack import Program, load_plugins
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .evaluator import evaluate
from .generate import Scenario, random_journal, random_programs
from .harness import differences, engine_for, from_engine, from_oracle, oracle_for, program_data, record

BUNDLED = ("mpg", "rpp", "duet", "strong_roots")
#: A journal is drawn from one seed: its generator makes hundreds of choices, too many for
#: hypothesis to draw one by one; a failing seed is cut down with `shrink.py` instead.
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
SETTINGS: dict[str, Any] = {
    "derandomize": True,
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow],
    "database": None,
}


def report(programs: list[Program], journal: list[Any], when: str, lines: list[str]) -> str:
    """What a failure shows: the differences, then the programs and journal to reproduce them."""
    dump = [json.dumps(p.model_dump(mode="json", by_alias=True, exclude_none=True)) for p in programs]
    dump += [json.dumps(e.model_dump(mode="json", exclude_none=True)) for e in journal]
    return f"engine and oracle disagree {when}:\n  " + "\n  ".join(lines) + "\n" + "\n".join(dump)


def compare(programs: list[Program], scenario: Scenario, rnd: random.Random) -> None:
    """Engine and oracle agree now, as of each of the scenario's days, and as known part-way."""
    start = datetime(2026, 6, 1, tzinfo=UTC)
    clock = Clock(start)
    engine = engine_for(programs, clock)
    marks: list[int] = []
    journal = record(engine, scenario.batches, marks=marks, tick=clock.tick)
    for as_of in [None, *scenario.as_of]:
        lines = differences(from_engine(engine, today=scenario.today, as_of=as_of),
                            oracle_for(programs, journal, today=scenario.today, as_of=as_of))
        assert [] == lines, report(programs, journal, f"as of {as_of or 'now'}", lines)
    # As known at a time part-way through: each batch (and each retry) is recorded a minute
    # after the one before; both answer as known half a minute after one of them.
    stamps = [s.recorded_at for s in engine.journal.events_after(0)]
    if len(set(stamps)) > 1:
        moment = rnd.choice(sorted(set(stamps))[:-1]) + timedelta(seconds=30)
        oracle = evaluate([program_data(p) for p in programs], journal, today=scenario.today,
                          known_at=moment, recorded_at=stamps)
        lines = differences(from_engine(engine, today=scenario.today, known_at=moment), from_oracle(oracle))
        assert [] == lines, report(programs, journal, f"as known at {moment}", lines)


class Clock:
    """Recording times: the same until `tick` moves them on a minute."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def tick(self) -> None:
        self.now += timedelta(minutes=1)


@settings(max_examples=150, **SETTINGS)
@given(seed=SEEDS)
def test_random_programs_agree_with_the_oracle(seed: int) -> None:
    """On random programs and journals the engine computes what docs/semantics.md defines."""
    rnd = random.Random(seed)
    programs = random_programs(rnd)
    compare(programs, random_journal(rnd, programs), rnd)


@settings(max_examples=40, **SETTINGS)
@given(seed=SEEDS, keys=st.lists(st.sampled_from(BUNDLED), min_size=1, max_size=2, unique=True))
def test_bundled_programs_agree_with_the_oracle(seed: int, keys: list[str]) -> None:
    """On the bundled programs (one or two per person) the engine computes what the oracle does."""
    rnd = random.Random(seed)
    registry = load_plugins().programs
    programs = [registry.get(key, "1.0") for key in sorted(keys)]
    compare(programs, random_journal(rnd, programs, people=2, span=40, voids=0.03), rnd)


def test_scenarios_reach_every_outcome() -> None:
    """The generator's journals take people everywhere the properties should look: every stage,
    certified, on hold, withdrawn; certificates valid, expired, renewed and revoked; problems."""
    seen: set[str] = set()
    for seed in range(40):
        rnd = random.Random(seed)
        programs = random_programs(rnd)
        scenario = random_journal(rnd, programs)
        journal = [e for batch in scenario.batches for e in batch]
        answer = evaluate([program_data(p) for p in programs], journal, today=scenario.today)
        for e in answer.enrolments:
            seen.add(e.stage if e.stage in ("certified", "on_hold", "withdrawn") else "in a stage")
            seen.update(f"certificate {c.status}" for c in e.certificates)
            seen.update("problem" for _ in e.problems)
        seen.update("not enrolled" for _ in answer.unenrolled)
    assert {
        "in a stage", "certified", "on_hold", "withdrawn", "certificate valid", "certificate expired",
        "certificate renewed", "certificate revoked", "problem", "not enrolled",
    } == seen


def test_record_keeps_what_the_engine_stored() -> None:
    """The harness hands the oracle exactly the events the engine stored, in its order, each once,
    every one of them from the scenario (refused events are retried, never invented)."""
    programs = random_programs(random.Random(7))
    scenario = random_journal(random.Random(7), programs)
    engine = engine_for(programs)
    stored = record(engine, scenario.batches)
    drawn = {e.id for batch in scenario.batches for e in batch}
    assert [e.id for e in engine.journal.events()] == [e.id for e in stored]
    assert len(stored) == len({e.id for e in stored})
    assert set() == {e.id for e in stored} - drawn
