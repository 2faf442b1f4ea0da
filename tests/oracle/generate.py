"""Random programs from a small grammar, and random journals for any program.

Driven by one `random.Random` (hypothesis hands it over, so runs are derandomised and
repeatable). Programs have 2-3 stages of leaves of every built-in kind, nested combinations,
windows with every anchor kind, `opens_when` on nodes and stages, waivable flags, certificates
with `valid_for` and renewal. Journals hold several people with one or two enrolments each,
work of every kind with sensible keys (roughly what each stage asks, so people move on),
waivers, holds and resumptions, withdrawals and re-enrolments, duplicate enrolments, details of
staff and trainees (roles for pairing and co-leaders), and voids of random events.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from facilitrack import (
    Absent,
    ArtifactRecorded,
    Attended,
    Enrolled,
    Held,
    PersonRecorded,
    Program,
    Resumed,
    Voided,
    Waived,
    Withdrawn,
    parse_program,
)

from .evaluator import COMBINATIONS, watches

BASE = date(2026, 1, 5)
ATTENDED_KEYS = ("s1", "s2", "s3")
ARTIFACT_KEYS = ("r1", "r2")
RENEWAL_KEYS = ("ce", "s1", "r1")
VOCABULARY = {
    "credentials": [
        {"key": "licensed", "roles": ["mental_health"]},
        {"key": "early_childhood", "roles": []},
        {"key": "other", "roles": []},
    ],
    "roles": [
        {"key": "mental_health"},
        {"key": "certified_trainer", "by_certification": True},
    ],
}
STAFF = ("tr", "co")
#: Named on enrolments but never recorded: nobody the journal knows.
GHOST = "ghost"


# -- programs ------------------------------------------------------------------------------------


@dataclass
class _Shape:
    """What a program being drawn has so far: references may only point back."""

    key: str
    others: list[dict[str, Any]]
    stages: list[dict[str, Any]] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)  # "stage.key" of nodes drawn so far
    counter: int = 0


def _length(rnd: random.Random) -> dict[str, int]:
    unit = rnd.choice(["days", "weeks", "months", "years", None])
    sizes = {"days": (10, 60), "weeks": (2, 8), "months": (1, 3), "years": (1, 1)}
    return {} if unit is None else {unit: rnd.randint(*sizes[unit])}


def _window(rnd: random.Random, shape: _Shape, stage_key: str) -> dict[str, Any]:
    kinds = ["enrolment", "stage", "stage:"]
    if shape.refs:
        kinds.append("met:")
    if any(_certifying(o) for o in shape.others):
        kinds.append("certificate:")
    kind = rnd.choice(kinds)
    if kind == "stage:":
        kind += rnd.choice([s["key"] for s in shape.stages] + [stage_key])
    elif kind == "met:":
        kind += rnd.choice(shape.refs)
    elif kind == "certificate:":
        other = rnd.choice([o for o in shape.others if _certifying(o)])
        stages = [s["key"] for s in other["stages"] if s.get("certificate")]
        kind += other["key"] + (f".{rnd.choice(stages)}" if stages and rnd.random() < 0.5 else "")
    window: dict[str, Any] = {"from": kind, **_length(rnd)}
    if not _length_in(window) and rnd.random() < 0.7:
        window["weeks"] = rnd.randint(3, 10)
    return window


def _length_in(window: dict[str, Any]) -> bool:
    return any(window.get(u) for u in ("days", "weeks", "months", "years"))


def _certifying(program: dict[str, Any]) -> bool:
    return bool(program["stages"][-1].get("certificate"))


def _leaf(rnd: random.Random, shape: _Shape) -> dict[str, Any]:
    kind = rnd.choice([
        "attendance", "attendance", "participation", "artifact", "artifact", "quantity", "score",
        "distinct", "credential", "role", "pairing", "certificate",
    ])
    if kind == "certificate" and not shape.others:
        kind = "pairing"
    leaf: dict[str, Any] = {"kind": kind}
    if kind == "attendance":
        leaf |= {"key": rnd.choice(ATTENDED_KEYS), "count": rnd.randint(1, 3),
                 "per": rnd.choice(["session", "session", "week"])}
    elif kind == "participation":
        leaf |= {"key": rnd.choice(ATTENDED_KEYS), "count": rnd.randint(1, 3),
                 "max_missed": rnd.choice([None, 0, 1])}
    elif kind == "artifact":
        leaf |= {"key": rnd.choice(ARTIFACT_KEYS), "count": rnd.randint(1, 2),
                 "status": rnd.choice(["submitted", "presented", "approved"])}
    elif kind == "quantity":
        leaf |= {"key": rnd.choice(ATTENDED_KEYS), "count": rnd.choice([1.0, 2.0, 2.5, 3.0])}
        if rnd.random() < 0.6:
            leaf["limits"] = {"online": rnd.choice([0.0, 0.5, 1.0])}
        if rnd.random() < 0.5:
            leaf["per_session"] = rnd.choice([0.5, 1.0])
    elif kind == "score":
        event = rnd.choice(["attended", "artifact"])
        leaf |= {"key": rnd.choice(ATTENDED_KEYS if event == "attended" else ARTIFACT_KEYS),
                 "event": event, "count": rnd.randint(1, 2), "min_score": rnd.choice([50, 70]),
                 "attempts": rnd.choice(["any", "latest", "each"])}
    elif kind == "distinct":
        event = rnd.choice(["attended", "artifact"])
        pool = ATTENDED_KEYS if event == "attended" else ARTIFACT_KEYS
        keys = rnd.sample(pool, rnd.randint(2, len(pool)))
        shape.counter += 1
        leaf |= {"key": f"d{shape.counter}", "event": event, "keys": keys,
                 "count": rnd.randint(1, len(keys))}
    elif kind == "credential":
        leaf |= {"allowed": ["licensed"] + (["early_childhood"] if rnd.random() < 0.5 else []),
                 "with_co_leader": rnd.choice([[], ["other"]])}
    elif kind == "role":
        leaf |= {"role": rnd.choice(["mental_health", "certified_trainer"]),
                 "co_leader": rnd.random() < 0.5}
    elif kind == "pairing":
        if rnd.random() < 0.6:
            leaf["role"] = "certified_trainer"
    else:
        other = rnd.choice(shape.others)
        leaf["program"] = other["key"]
        stages = [s["key"] for s in other["stages"] if s.get("certificate")]
        if stages and rnd.random() < 0.5:
            leaf["stage"] = rnd.choice(stages)
    return leaf


def _node(rnd: random.Random, shape: _Shape, stage_key: str, used: set[str],
          depth: int) -> dict[str, Any] | None:
    """A leaf or a combination, with its extras; None when its key is taken in the stage."""
    if depth < 2 and rnd.random() < 0.3:
        shape.counter += 1
        node: dict[str, Any] = {"kind": rnd.choice(COMBINATIONS), "key": f"c{shape.counter}"}
        used.add(node["key"])
        drawn = [_node(rnd, shape, stage_key, used, depth + 1) for _ in range(rnd.randint(2, 3))]
        children = [c for c in drawn if c is not None]
        if len(children) < 2 and node["kind"] != "all_of":
            return None
        if not children:
            return None
        node["requirements"] = children
        if node["kind"] == "n_of":
            node["n"] = rnd.randint(1, len(children))
    else:
        node = _leaf(rnd, shape)
        key = _key_of(node)
        if key in used:
            return None
        used.add(key)
    if rnd.random() < 0.3:
        node["waivable"] = True
    if rnd.random() < 0.2:
        node["window"] = _window(rnd, shape, stage_key)
    if shape.refs and rnd.random() < 0.15:
        node["opens_when"] = rnd.choice(shape.refs)
    return node


def _key_of(node: dict[str, Any]) -> str:
    if "key" in node:
        return str(node["key"])
    return {"credential": "credential", "pairing": "certified_trainer"}.get(
        node["kind"], node.get("role") or f"{node.get('program')}_certificate")


def _refs_of(node: dict[str, Any], stage_key: str) -> list[str]:
    out = [f"{stage_key}.{_key_of(node)}"]
    for child in node.get("requirements", ()):
        out += _refs_of(child, stage_key)
    return out


def random_program(rnd: random.Random, key: str, others: list[dict[str, Any]]) -> dict[str, Any]:
    """One definition (as data) from the grammar; it may refer to the `others`' certificates."""
    shape = _Shape(key, others)
    n_stages = rnd.randint(2, 3)
    for i in range(n_stages):
        stage_key = f"st{i + 1}"
        used: set[str] = set()
        nodes = [n for _ in range(rnd.randint(1, 3)) if (n := _node(rnd, shape, stage_key, used, 0))]
        if not nodes:
            nodes = [{"kind": "attendance", "key": "s1", "count": 1}]
        stage: dict[str, Any] = {"key": stage_key, "title": f"Stage {i + 1}", "requirements": nodes}
        if i and shape.refs and rnd.random() < 0.3:
            stage["opens_when"] = rnd.choice(shape.refs)
        if rnd.random() < 0.5 or (i == n_stages - 1 and rnd.random() < 0.8):
            stage["certificate"] = {"title": f"{key} {stage_key}"}
        shape.stages.append(stage)
        for node in nodes:
            shape.refs += _refs_of(node, stage_key)
    last = shape.stages[-1].get("certificate")
    if last is not None and rnd.random() < 0.6:
        last["valid_for"] = rnd.choice([{"days": 60}, {"months": 2}, {"months": 6}, {"weeks": 10}])
        if rnd.random() < 0.7:
            keys = rnd.sample(RENEWAL_KEYS, rnd.randint(1, 2))
            last["renewal"] = [
                {"kind": "artifact" if k.startswith("r") else "attendance", "key": k,
                 "count": rnd.randint(1, 2)} for k in keys
            ]
    return {"key": key, "name": key.upper(), "version": "1.0", "organisation": "Oracle tests",
            "vocabulary": VOCABULARY, "stages": shape.stages}


def random_programs(rnd: random.Random) -> list[Program]:
    """One or two programs; the second may ask for the first's certificates."""
    datas: list[dict[str, Any]] = []
    for key in ["pa", "pb"][: rnd.choice([1, 2, 2])]:
        datas.append(random_program(rnd, key, list(datas)))
    return [parse_program(d, origin="tests/oracle") for d in datas]


# -- journals ------------------------------------------------------------------------------------


@dataclass
class Scenario:
    """A journal to record: its batches in arrival order, and the days to look from."""

    batches: list[list[Any]]
    today: date
    as_of: list[date]


def _leaves(program: Program) -> list[tuple[int, dict[str, Any]]]:
    """(stage index, leaf) of every counted leaf; renewal leaves at len(stages)."""
    data = program.model_dump(mode="json", by_alias=True)
    out = []
    stages = [s["requirements"] for s in data["stages"]]
    stages.append((data["stages"][-1].get("certificate") or {}).get("renewal") or [])
    for i, tops in enumerate(stages):
        stack = list(reversed(tops))
        while stack:
            node = stack.pop()
            if node["kind"] in COMBINATIONS:
                stack.extend(reversed(node["requirements"]))
            elif watches(node):
                out.append((i, node))
    return out


def _nodes(tops: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for node in tops:
        out.append(node)
        out += _nodes(node.get("requirements", []))
    return out


class _Journal:
    """The events drawn so far, with explicit ids in a random order (so the id tie-break of fold
    order is exercised)."""

    def __init__(self, rnd: random.Random, span: int) -> None:
        self.rnd = rnd
        self.span = span
        self.events: list[Any] = []
        self.ids = rnd.sample(range(10_000), 1000)

    def id(self) -> str:
        return f"e{self.ids.pop():04d}"

    def day(self, start: date, days: int) -> date:
        """A day among the `days` from `start`."""
        return start + timedelta(days=self.rnd.randrange(max(days, 1)))

    def work(self, person: str, on: date, leaf: dict[str, Any], program: str | None) -> None:
        """An event that `leaf` counts: an attendance (with a quantity, mode or score, maybe), an
        absence, or an artifact."""
        rnd = self.rnd
        kind, key = rnd.choice(watches(leaf))
        common: dict[str, Any] = {"id": self.id(), "trainee": person, "on": on, "program": program}
        if kind == "artifact":
            self.events.append(ArtifactRecorded(
                artifact=key, status=rnd.choice(["submitted", "presented", "approved", "approved"]),
                ref=rnd.choice([None, "x1", "x2", "x3"]),
                score=rnd.choice([None, 40, 60, 80, 80]) if rnd.random() < 0.6 else None, **common))
        elif kind == "absent" and rnd.random() < 0.5:
            self.events.append(Absent(activity=key, **common))
        else:
            self.events.append(Attended(
                activity=key,
                quantity=rnd.choice([None, 0.5, 1.0, 2.0]) if rnd.random() < 0.5 else None,
                mode=rnd.choice([None, "online", "live"]) if rnd.random() < 0.5 else None,
                score=rnd.choice([None, 40, 60, 80, 80]) if rnd.random() < 0.5 else None, **common))

    def enrolment(self, person: str, program: Program, start: date, named: str | None,
                  people: dict[str, list[str]]) -> date:
        """One enrolment's events: enough work per stage to move on, and the control events;
        `people` offers credentials and who may be named as trainer or co-leader."""
        rnd, span = self.rnd, self.span
        credentials = people["credentials"]
        trainer = rnd.choice([None, "tr", "tr", "tr", GHOST, "co", *people["earlier"]])
        co_leader = rnd.choice([None, None, "co", GHOST, *people["earlier"]])
        credential = credentials[0] if rnd.random() < 0.4 else rnd.choice(credentials)
        self.events.append(Enrolled(id=self.id(), trainee=person, on=start, program=program.key,
                                    credential=credential, trainer=trainer, co_leader=co_leader))
        n = len(program.stages)
        leaves = _leaves(program)
        for s, leaf in leaves:
            stage_start = start + timedelta(days=s * span)
            need = int(leaf.get("count", 1) or 1)
            low, high = (need, need + 2) if rnd.random() < 0.85 else (max(need - 1, 0), need + 2)
            for _ in range(rnd.randint(low, high)):
                self.work(person, self.day(stage_start, span), leaf, named)
            if s == n:  # a second round of renewal work, later
                for _ in range(rnd.randint(0, need + 1)):
                    self.work(person, self.day(stage_start + timedelta(days=span * 3), span * 3), leaf, named)
        for _ in range(rnd.randint(0, 3) if leaves else 0):  # stray work anywhere in the pathway
            stray = self.day(start - timedelta(days=5), (n + 1) * span)
            self.work(person, stray, rnd.choice(leaves)[1], named)
        self.controls(person, program, start, named)
        if rnd.random() < 0.12:
            gone = self.day(start, n * span)
            self.events.append(Withdrawn(id=self.id(), trainee=person, on=gone, program=named))
            if rnd.random() < 0.6:
                again = gone + timedelta(days=rnd.randint(0, 10))
                self.events.append(Enrolled(id=self.id(), trainee=person, on=again, program=program.key,
                                            credential=rnd.choice(credentials), trainer=trainer,
                                            co_leader=co_leader))
                for s, leaf in leaves[: rnd.randint(0, len(leaves))]:
                    self.work(person, self.day(again, span * (s + 1)), leaf, named)
        if rnd.random() < 0.05:
            self.events.append(Enrolled(id=self.id(), trainee=person, on=self.day(start, n * span),
                                        program=program.key, credential=rnd.choice(credentials)))
        return start + timedelta(days=(n + 1) * span)

    def controls(self, person: str, program: Program, start: date, named: str | None) -> None:
        """Waivers (of any node, waivable or not, naming the stage or not), a hold and maybe its
        resumption."""
        rnd, span, n = self.rnd, self.span, len(program.stages)
        data = program.model_dump(mode="json", by_alias=True)
        for _ in range(rnd.choice([0, 0, 1, 1, 2])):
            s = rnd.randrange(n)
            stage = data["stages"][s]
            on = self.day(start + timedelta(days=s * span), span)
            self.events.append(Waived(
                id=self.id(), trainee=person, on=on, program=named, reason="prior learning", approver="lead",
                requirement=rnd.choice([_key_of(x) for x in _nodes(stage["requirements"])]),
                stage=stage["key"] if rnd.random() < 0.5 else None))
        if rnd.random() < 0.3:
            held = self.day(start, n * span)
            self.events.append(Held(id=self.id(), trainee=person, on=held, program=named))
            if rnd.random() < 0.75:
                resumed = held + timedelta(days=rnd.randint(0, 20))
                self.events.append(Resumed(id=self.id(), trainee=person, on=resumed, program=named))


def random_journal(rnd: random.Random, programs: list[Program], *, people: int = 3,
                   span: int = 25, voids: float = 0.08) -> Scenario:
    """A journal over `programs`, shuffled into arrival order and cut into batches."""
    journal = _Journal(rnd, span)
    events = journal.events
    known = {c.key for p in programs for c in p.words.credentials}
    credentials = [c for c in ("licensed", "pre_licensed", "early_childhood", "other") if c in known]
    # Staff: a certified trainer (who may lose the role later) and a mental-health co-leader.
    events.append(PersonRecorded(id=journal.id(), trainee="tr", on=BASE, credential="licensed",
                                 roles=("certified_trainer",)))
    events.append(PersonRecorded(id=journal.id(), trainee="co", on=BASE,
                                 credential=rnd.choice(["licensed", "other"])))
    if rnd.random() < 0.2:
        events.append(PersonRecorded(id=journal.id(), trainee="tr", on=journal.day(BASE, 120), roles=()))
    trainees = [f"p{i + 1}" for i in range(people)]
    last_day = BASE
    for i, person in enumerate(trainees):
        chosen = rnd.sample(programs, rnd.choice([1, 1, 2]) if len(programs) > 1 else 1)
        if rnd.random() < 0.15:  # the trainee's own details: before enrolling, or during a stage
            events.append(PersonRecorded(id=journal.id(), trainee=person,
                                         on=rnd.choice([BASE - timedelta(days=1), journal.day(BASE, 60)]),
                                         credential=rnd.choice(credentials),
                                         roles=rnd.choice([(), ("certified_trainer",)])))
        for program in chosen:
            named = program.key if (len(chosen) > 1 and rnd.random() < 0.7) or rnd.random() < 0.2 else None
            offer = {"credentials": credentials, "earlier": trainees[:i]}
            end = journal.enrolment(person, program, journal.day(BASE, 20), named, offer)
            last_day = max(last_day, end)
    if rnd.random() < 0.3:  # someone who never enrolled
        events.append(Attended(id=journal.id(), trainee="px", on=journal.day(BASE, 30), activity="s1"))
    # Voids of random events (enrolments included), dated anywhere.
    for target in [e for e in events if rnd.random() < voids]:
        events.append(Voided(id=journal.id(), trainee=target.trainee, target=target.id, reason="correction",
                             on=journal.day(BASE, (last_day - BASE).days)))
    arrival = _arrival(rnd, events)
    cuts = sorted(rnd.sample(range(1, len(arrival)), min(len(arrival) - 1, rnd.randint(0, 8))))
    batches = [arrival[a:b] for a, b in zip([0, *cuts], [*cuts, len(arrival)], strict=True)]
    total = (last_day - BASE).days + 30
    return Scenario(
        batches=batches,
        today=BASE + timedelta(days=rnd.randrange(total + 200)),
        as_of=[BASE + timedelta(days=rnd.randrange(total)) for _ in range(2)],
    )


def _arrival(rnd: random.Random, events: list[Any]) -> list[Any]:
    """A random arrival order in which each person's first enrolment comes before their other
    events (recording refuses work from someone not enrolled), and a void some time after its
    target (so that what the target completed may be revoked)."""
    shuffled = rnd.sample(events, len(events))
    first: dict[str, Any] = {}
    for e in events:
        if e.kind == "enrolled":
            first.setdefault(e.trainee, e)
    order = list(first.values()) + [e for e in shuffled if e not in first.values()]
    if rnd.random() < 0.1:
        order = rnd.sample(order, len(order))  # the recorder retries what comes too early
    position = {e.id: float(n) for n, e in enumerate(order)}
    for e in order:  # a void comes some time after its target
        if e.kind == "voided":
            position[e.id] = rnd.uniform(position[e.target], len(order))
    return sorted(order, key=lambda e: position[e.id])
