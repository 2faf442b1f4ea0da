"""Run one journal through the engine and through the reference evaluator, in comparable form.

Both answers become `Standing`s keyed by (person, program, enrolment day): the stage, the
certificates, the top-level requirements missing with have/need, and the ids of events kept as
problems. Problems of events that belong to no enrolment are compared per person, since
docs/semantics.md does not say which status lists them.

Where the engine disagrees with the definition in a way test_disagreements.py pins (an xfail),
or the definition reads two ways, the comparison accepts the engine's answer too; each such
tolerance below names its test or its ambiguity, and goes when that is settled.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
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


#: Revoked certificates the oracle lists that the engine may leave out (or date by another
#: void), each for a reason named in the oracle's report; a `how` of `evaluator.CertOut`.
TOLERATED: dict[str, str] = {
    # docs/semantics.md's formula ("held just before the void, not held now") and its lead
    # clause ("a void takes back what the completion rested on") disagree when a later event,
    # not the void, took the certificate away. Either answer is accepted.
    "formula only": "doc ambiguity: revocation by a void that did not take the certificate back",
    "other person": "test_disagreements.py::test_void_of_trainers_role_revokes_certificate",
    "renewal": "test_disagreements.py::test_void_of_renewal_revokes_renewed_period",
    # A certificate taken back by a void, issued again, taken back by another: which void (and
    # which issue of it) the listing names is not defined.
    "several voids": "doc ambiguity: a certificate revoked twice",
    "mixed view": "test_disagreements.py::test_revocation_reads_other_people_as_known_before_the_void",
    # Another reading's listing (the bare formula; another of several voids); see above.
    "alternative": "doc ambiguity: which voids revoke, and which one dates it",
}


@dataclass
class Standing:
    """What is compared of one enrolment."""

    stage: str
    held_stage: str | None
    certificates: list[Cert]
    missing: dict[str, tuple[float, float]]
    problems: set[str]
    #: Revoked certificates either side may list (oracle side only).
    tolerated: list[Cert] = field(default_factory=list)
    #: Stages whose revoked certificates the engine may list in any version, because it reads
    #: other people as known now when it looks at the journal before a void (oracle side only;
    #: test_disagreements.py::test_revocation_reads_other_people_as_known_before_the_void).
    mixed: set[str] = field(default_factory=set)
    #: Requirements whose waiver waits for a resumption (oracle side only): the engine shows
    #: them done already (test_disagreements.py::test_waiver_while_held_waits_for_resumption).
    pending: set[str] = field(default_factory=set)
    #: The missing requirements as the engine reports them, certificate leaves measured on the
    #: status's day (oracle side only;
    #: test_disagreements.py::test_missing_certificate_is_as_measured).
    missing_on_day: dict[str, tuple[float, float]] = field(default_factory=dict)


@dataclass
class Compared:
    """Every enrolment's standing, and each person's problems wherever they are listed."""

    enrolments: dict[Key, Standing] = field(default_factory=dict)
    problems: dict[str, set[str]] = field(default_factory=dict)
    #: Problems compared per person only (oracle side): events that belong to no enrolment,
    #: where a status lists them being undefined, and duplicate enrolments, which the engine
    #: lists on the person's first enrolment
    #: (test_disagreements.py::test_duplicate_enrolment_is_a_problem_of_its_program).
    loose: set[str] = field(default_factory=set)
    #: Problems the engine may leave out (oracle side): an absence nobody watches in a certified
    #: enrolment, which the engine keeps silently
    #: (test_disagreements.py::test_unwatched_absence_while_certified_is_reported).
    optional: set[str] = field(default_factory=set)


def engine_for(programs: Iterable[Program]) -> Engine:
    """An in-memory engine knowing exactly these programs, no plugins."""
    registry = ProgramRegistry()
    for program in programs:
        registry.add(program, source="tests/oracle")
    return Engine(registry, MemoryJournal(), hooks=load_plugins(entry_points_group=None).hooks)


def record(engine: Engine, batches: Sequence[Sequence[Any]], *, retry_refused: bool = True,
           marks: list[int] | None = None) -> list[Any]:
    """Record `batches` in order. A refused batch is split in halves until the events at fault
    stand alone; those are retried after the rest (with `retry_refused`), until nothing more is
    taken. Returns the journal as stored (recording order); `marks` gets its length after each
    batch."""
    retry: list[Any] = []

    def put(batch: Sequence[Any]) -> None:
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


def from_engine(engine: Engine, *, today: date, as_of: date | None = None) -> Compared:
    out = Compared()
    for status in engine.statuses(today=today, as_of=as_of):
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
        out.loose.update(problems)
    for e in answer.enrolments:
        out.problems.setdefault(e.person, set()).update(e.problems)
        out.loose.update(i for i, reason in e.problems.items() if reason.startswith("already enrolled"))
        out.optional.update(i for i, reason in e.problems.items()
                            if reason == "certified: no requirement counts an absence")
        certs = [((c.stage, c.on, c.expires, c.status, c.event, c.revoked_on), c.how) for c in e.certificates]
        certs += [((c.stage, c.on, c.expires, c.status, c.event, c.revoked_on), c.how | {"alternative"})
                  for c in e.alternatives]
        out.enrolments[(e.person, e.program, e.enrolled_on)] = Standing(
            stage=e.stage,
            held_stage=e.held_stage,
            certificates=sorted(c for c, how in certs if not how & TOLERATED.keys()),
            missing=dict(e.missing),
            problems=set(e.problems),
            tolerated=sorted(c for c, how in certs if how & TOLERATED.keys()),
            pending=set(e.pending),
            missing_on_day=dict(e.missing_on_day),
            mixed={c.stage for c in [*e.certificates, *e.alternatives] if "mixed view" in c.how},
        )
    return out


def oracle_for(programs: Iterable[Program], journal: Sequence[Any], *, today: date,
               as_of: date | None = None) -> Compared:
    return from_oracle(evaluate([program_data(p) for p in programs], journal, today=today, as_of=as_of))


def differences(engine: Compared, oracle: Compared) -> list[str]:
    """Every way the two answers differ, as readable lines (empty: they agree)."""
    lines = []
    loose = oracle.loose | oracle.optional
    for key in sorted(set(engine.enrolments) | set(oracle.enrolments), key=str):
        mine, theirs = oracle.enrolments.get(key), engine.enrolments.get(key)
        if mine is None or theirs is None:
            lines.append(f"{key}: enrolment only in {'engine' if mine is None else 'oracle'}")
            continue
        required, tolerated = set(mine.certificates), {c[:5] for c in mine.tolerated}
        certificates = [c for c in theirs.certificates if c in required or c[3] != "revoked"
                        or (c[:5] not in tolerated and c[0] not in mine.mixed)]
        if mine.certificates != certificates:
            lines.append(f"{key} certificates: oracle {mine.certificates} engine {theirs.certificates}"
                         + (f" (either way: {mine.tolerated})" if mine.tolerated else ""))
        for name in ("stage", "held_stage"):
            if getattr(mine, name) != getattr(theirs, name):
                lines.append(f"{key} {name}: oracle {getattr(mine, name)} engine {getattr(theirs, name)}")
        engine_missing = {k: v for k, v in theirs.missing.items() if k not in mine.pending}
        if engine_missing not in ({k: v for k, v in mine.missing.items() if k not in mine.pending},
                                  {k: v for k, v in mine.missing_on_day.items() if k not in mine.pending}):
            lines.append(f"{key} missing: oracle {mine.missing} engine {theirs.missing}")
        if mine.problems - loose != theirs.problems - loose:
            lines.append(f"{key} problems: oracle {sorted(mine.problems - loose)}"
                         f" engine {sorted(theirs.problems - loose)}")
    for person in sorted(set(engine.problems) | set(oracle.problems)):
        mine_p = oracle.problems.get(person, set()) - oracle.optional
        theirs_p = engine.problems.get(person, set()) - oracle.optional
        if mine_p != theirs_p:
            lines.append(f"{person} problems anywhere: oracle-only {sorted(mine_p - theirs_p)}"
                         f" engine-only {sorted(theirs_p - mine_p)}")
    return lines
