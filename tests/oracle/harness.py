"""Run one journal through the engine and through the reference evaluator, in comparable form.

Both answers become `Standing`s keyed by (person, program, enrolment day): the stage, the
certificates, the top-level requirements missing with have/need, and the ids of events kept as
problems. Problems of events that belong to no enrolment are compared per person as well as
where they are listed. Nothing is tolerated: any difference is a failure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from facilitrack import Engine, MemoryJournal, Program, ProgramRegistry, UserError, load_plugins

from .evaluator import Answer, evaluate

Key = tuple[str, str | None, date | None]
Cert = tuple[str, date, date | None, str, str, date | None]


def program_data(program: Program) -> dict[str, Any]:
    """A definition as the plain data the oracle reads (the vocabulary in force filled in)."""
    data = program.model_dump(mode="json", by_alias=True)
    if data.get("vocabulary") is None:
        data["vocabulary"] = program.words.model_dump(mode="json")
    return data


@dataclass
class Standing:
    """What is compared of one enrolment."""

    stage: str
    held_stage: str | None
    certificates: list[Cert]
    missing: dict[str, tuple[float, float]]
    problems: set[str]


@dataclass
class Compared:
    """Every enrolment's standing, and each person's problems wherever they are listed."""

    enrolments: dict[Key, Standing] = field(default_factory=dict)
    problems: dict[str, set[str]] = field(default_factory=dict)


def engine_for(programs: Iterable[Program], clock: Callable[[], datetime] | None = None) -> Engine:
    """An in-memory engine knowing exactly these programs, no plugins (its journal stamping
    recording times from `clock`, when given)."""
    registry = ProgramRegistry()
    for program in programs:
        registry.add(program, source="tests/oracle")
    journal = MemoryJournal(clock=clock) if clock is not None else MemoryJournal()
    return Engine(registry, journal, hooks=load_plugins(entry_points_group=None).hooks)


def record(engine: Engine, batches: Sequence[Sequence[Any]], *, retry_refused: bool = True,
           marks: list[int] | None = None, tick: Callable[[], None] | None = None) -> list[Any]:
    """Record `batches` in order. A refused batch is split in halves until the events at fault
    stand alone; those are retried after the rest (with `retry_refused`), until nothing more is
    taken. Returns the journal as stored (recording order); `marks` gets its length after each
    batch."""
    retry: list[Any] = []

    def put(batch: Sequence[Any]) -> None:
        if tick is not None:
            tick()
        try:
            engine.record(list(batch))
        except UserError:
            if len(batch) == 1:
                retry.extend(batch)
            else:
                put(batch[: len(batch) // 2])
                put(batch[len(batch) // 2:])

    for batch in batches:
        put(batch)
        if marks is not None:
            marks.append(engine.journal.version)
    while retry and retry_refused:
        left, retry = retry, []
        for event in left:
            put([event])
        if len(retry) == len(left):
            break
    return list(engine.journal.events())


def from_engine(engine: Engine, *, today: date, as_of: date | None = None,
                known_at: datetime | None = None) -> Compared:
    out = Compared()
    for status in engine.statuses(today=today, as_of=as_of, known_at=known_at):
        problems = {p.event for p in status.problems if p.event and p.field is None}
        out.problems.setdefault(status.id, set()).update(problems)
        if status.program is None or status.stage == "not_enrolled":
            continue
        out.enrolments[(status.id, status.program, status.enrolled_on)] = Standing(
            stage=status.stage,
            held_stage=status.held_stage,
            certificates=sorted(
                (c.stage, c.on, c.expires, c.status, c.event, c.revoked_on) for c in status.certificates
            ),
            missing={m.requirement: (m.have, m.need) for m in status.missing},
            problems=problems,
        )
    return out


def from_oracle(answer: Answer) -> Compared:
    out = Compared()
    for person, problems in answer.unenrolled.items():
        out.problems.setdefault(person, set()).update(problems)
    first: set[str] = set()
    for e in answer.enrolments:
        out.problems.setdefault(e.person, set()).update(e.problems)
        problems = set(e.problems)
        if e.person not in first:  # events of no enrolment: listed on the first one's status
            first.add(e.person)
            problems |= set(answer.unenrolled.get(e.person, {}))
        out.enrolments[(e.person, e.program, e.enrolled_on)] = Standing(
            stage=e.stage,
            held_stage=e.held_stage,
            certificates=sorted((c.stage, c.on, c.expires, c.status, c.event, c.revoked_on)
                                for c in e.certificates),
            missing=dict(e.missing),
            problems=problems,
        )
    return out


def oracle_for(programs: Iterable[Program], journal: Sequence[Any], *, today: date,
               as_of: date | None = None) -> Compared:
    return from_oracle(evaluate([program_data(p) for p in programs], journal, today=today, as_of=as_of))


def differences(engine: Compared, oracle: Compared) -> list[str]:
    """Every way the two answers differ, as readable lines (empty: they agree)."""
    lines = []
    for key in sorted(set(engine.enrolments) | set(oracle.enrolments), key=str):
        mine, theirs = oracle.enrolments.get(key), engine.enrolments.get(key)
        if mine is None or theirs is None:
            lines.append(f"{key}: enrolment only in {'engine' if mine is None else 'oracle'}")
            continue
        for name in ("stage", "held_stage", "certificates", "missing"):
            if getattr(mine, name) != getattr(theirs, name):
                lines.append(f"{key} {name}: oracle {getattr(mine, name)} engine {getattr(theirs, name)}")
        if mine.problems != theirs.problems:
            lines.append(f"{key} problems: oracle {sorted(mine.problems)} engine {sorted(theirs.problems)}")
    for person in sorted(set(engine.problems) | set(oracle.problems)):
        mine_p, theirs_p = oracle.problems.get(person, set()), engine.problems.get(person, set())
        if mine_p != theirs_p:
            lines.append(f"{person} problems anywhere: oracle-only {sorted(mine_p - theirs_p)}"
                         f" engine-only {sorted(theirs_p - mine_p)}")
    return lines
