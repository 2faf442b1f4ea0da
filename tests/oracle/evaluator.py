"""A reference evaluator written from docs/semantics.md alone: the engine's independent check.

Deliberately simple and slow. It reads program definitions as plain data (the dicts a
definition serialises to) and events as plain data, and imports nothing from facilitrack: no
code is shared with the engine, so the two agreeing means something. Each person's events are
sorted into fold order and applied one by one; after every event everything that can follow
from it (stages opening early, stages completing, certificates re-measuring other enrolments)
is recomputed from the credited events themselves, never from running totals. Revocation
evaluates the journal again as known just before each void.

Usage: ``evaluate(programs, journal, today=...)`` with `programs` a list of definition dicts
(``Program.model_dump(mode="json", by_alias=True)``, vocabulary filled in) and `journal` the
events in recording order (models or dicts). The answer lists every enrolment's standing.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

#: Order of kinds within one date (docs/semantics.md, "Order, voids, as-of and known-at").
RANK = {
    "enrolled": 0, "person": 0, "resumed": 1, "waived": 2,
    "attended": 3, "absent": 3, "artifact": 3, "held": 4, "withdrawn": 5,
}
WORK = ("attended", "absent", "artifact")
STATUS_RANK = {"submitted": 1, "presented": 2, "approved": 3}
#: Leaves read from the enrolment and the people around it, not counted from events.
READ = ("credential", "role", "pairing", "certificate")
COMBINATIONS = ("all_of", "any_of", "n_of")

Node = dict[str, Any]
Event = dict[str, Any]
Slot = tuple[int, str]  # (stage index, node key); the renewal requirements are stage len(stages)


# -- dates ---------------------------------------------------------------------------------------


def add_length(day: date, length: Mapping[str, Any]) -> date | None:
    """`day` plus a length in one unit (calendar months; the 31st clamps); None without one."""
    if length.get("days"):
        return day + timedelta(days=length["days"])
    if length.get("weeks"):
        return day + timedelta(weeks=length["weeks"])
    months = (length.get("months") or 0) + 12 * (length.get("years") or 0)
    if not months:
        return None
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


# -- definitions as data -------------------------------------------------------------------------


def _walk(node: Node, ancestors: tuple[Node, ...] = ()) -> Iterator[tuple[Node, tuple[Node, ...]]]:
    """Depth first, in declared order: each node with its ancestors (outermost first)."""
    yield node, ancestors
    for child in node.get("requirements") or ():
        yield from _walk(child, (*ancestors, node))


def watches(leaf: Node) -> list[tuple[str, str]]:
    """The (event kind, key) pairs a leaf counts (the table of docs/semantics.md)."""
    kind = leaf["kind"]
    if kind in ("attendance", "quantity"):
        return [("attended", leaf["key"])]
    if kind == "participation":
        return [("attended", leaf["key"]), ("absent", leaf["key"])]
    if kind == "artifact":
        return [("artifact", leaf["key"])]
    if kind == "score":
        return [(leaf.get("event", "artifact"), leaf["key"])]
    if kind == "distinct":
        return [(leaf.get("event", "attended"), k) for k in leaf["keys"]]
    return []


def node_key(node: Node) -> str:
    """A node's key, with the defaults of the read leaves."""
    if node.get("key"):
        return str(node["key"])
    if node["kind"] == "role":
        return str(node["role"])
    if node["kind"] == "certificate":
        return f"{node['program']}_certificate"
    if node["kind"] == "pairing":
        return "certified_trainer"
    return "credential"


class Prog:
    """One program definition, read as data, with the look-ups the rules need."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.key: str = data["key"]
        self.version: str = data["version"]
        self.stages: list[dict[str, Any]] = list(data["stages"])
        self.n = len(self.stages)
        last_cert = self.stages[-1].get("certificate") or {}
        self.renewal: list[Node] = list(last_cert.get("renewal") or ())
        vocabulary = data.get("vocabulary") or {}
        self.grants = {c["key"]: set(c.get("roles") or ()) for c in vocabulary.get("credentials") or ()}
        self.by_certification = {
            r["key"] for r in vocabulary.get("roles") or () if r.get("by_certification")
        }

    def top(self, s: int) -> list[Node]:
        """The top-level nodes of stage `s` (`n`: the renewal requirements)."""
        return self.renewal if s == self.n else list(self.stages[s]["requirements"])

    def walk(self, s: int) -> list[tuple[Node, tuple[Node, ...]]]:
        return [pair for top in self.top(s) for pair in _walk(top)]

    def node(self, s: int, key: str) -> Node | None:
        return next((n for n, _ in self.walk(s) if node_key(n) == key), None)

    def stage_index(self, key: str) -> int | None:
        return next((i for i, st in enumerate(self.stages) if st["key"] == key), None)

    def ref(self, ref: str, own: int) -> Slot:
        """A reference ``key`` (in stage `own`) or ``stage.key``."""
        if "." in ref:
            stage_key, key = ref.split(".", 1)
            index = self.stage_index(stage_key)
            return (-1 if index is None else index, key)
        return (own, ref)

    def leaves_watching(self, kind: str, key: str,
                        stages: Iterable[int]) -> list[tuple[int, Node, tuple[Node, ...]]]:
        return [
            (s, n, anc) for s in stages for n, anc in self.walk(s)
            if n["kind"] not in COMBINATIONS and (kind, key) in watches(n)
        ]

    def counts(self, kind: str, key: str) -> bool:
        """A requirement (of any stage, or the renewal) watches this kind and key."""
        return bool(self.leaves_watching(kind, key, range(self.n + 1)))

    def has_key(self, key: str) -> bool:
        return any(self.node(s, key) is not None for s in range(self.n + 1))

    def first_stage(self, event: Event) -> int | None:
        """The first stage whose requirements count the event's key (the renewal after the last)."""
        kind = event["kind"]
        for s in range(self.n + 1):
            if kind in WORK and self.leaves_watching(kind, work_key(event), [s]):
                return s
            if kind == "waived" and self.node(s, event["requirement"]) is not None:
                return s
        return None

    def grants_role(self, credential: str | None, role: str) -> bool:
        return credential is not None and role in self.grants.get(credential, set())


def work_key(event: Event) -> str:
    return str(event.get("activity") or event.get("artifact") or "")


# -- the answer ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CertOut:
    """One certificate period and its standing."""

    stage: str
    on: date
    expires: date | None
    status: str
    event: str
    revoked_on: date | None = None


@dataclass
class EnrolmentOut:
    """Where one enrolment stands."""

    person: str
    program: str
    enrolment: str
    enrolled_on: date
    stage: str
    held_stage: str | None
    certificates: list[CertOut]
    missing: dict[str, tuple[float, float]]
    problems: dict[str, str]


@dataclass
class Answer:
    """Every enrolment's standing, and the problems that belong to no enrolment."""

    enrolments: list[EnrolmentOut]
    unenrolled: dict[str, dict[str, str]]
    #: Revoked certificates of enrolments that no longer exist (their enrolment was voided).
    orphans: list[tuple[str, CertOut]]

    def of(self, person: str) -> list[EnrolmentOut]:
        return [e for e in self.enrolments if e.person == person]


# -- one enrolment -------------------------------------------------------------------------------


@dataclass
class Period:
    stage: str
    on: date
    expires: date | None
    event: str
    renewed: bool = False


@dataclass
class Enr:
    """One enrolment while its person's events are applied."""

    id: str
    prog: Prog
    on: date
    credential: str
    co_leader: str | None
    trainer: str | None
    state: str = "active"  # active, held, withdrawn, certified
    current: int = 0
    opened: dict[int, date] = field(default_factory=dict)
    credits: dict[Slot, list[Event]] = field(default_factory=dict)
    read: dict[Slot, bool] = field(default_factory=dict)
    waived: set[Slot] = field(default_factory=set)
    first_met: dict[Slot, date] = field(default_factory=dict)
    periods: list[Period] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)
    certified_on: date | None = None
    #: Ids of the resumptions applied to this enrolment (a resumption re-measures too).
    resumed_by: set[str] = field(default_factory=set)
    #: The nodes met or waived when the enrolment last settled: one newly so re-measures.
    done_seen: set[Slot] = field(default_factory=set)

    def stage_range(self) -> range:
        """Stages whose nodes can have been measured: every stage, and the renewal if certified."""
        return range(self.prog.n + (1 if self.state == "certified" else 0))


def leaf_measure(enr: Enr, s: int, leaf: Node) -> tuple[float, float, bool]:  # noqa: PLR0911 - one per kind
    """(have, need, met) of a leaf, recomputed from the events credited to it."""
    kind = leaf["kind"]
    key = node_key(leaf)
    if kind in READ:
        ok = enr.read.get((s, key), False)
        return (int(ok), 1, ok)
    events = enr.credits.get((s, key), [])
    count = leaf.get("count", 1)
    if kind == "attendance":
        if leaf.get("per", "session") == "week":
            have: float = len({e["on"].isocalendar()[:2] for e in events})
        else:
            have = len(events)
        return (have, count, have >= count)
    if kind == "participation":
        missed = sum(1 for e in events if e["kind"] == "absent")
        held = len(events)
        limit = leaf.get("max_missed")
        return (held, count, held >= count and (limit is None or missed <= limit))
    if kind == "artifact":
        best: dict[str, int] = {}
        for e in events:
            ref = e.get("ref") or e["id"]
            best[ref] = max(best.get(ref, 0), STATUS_RANK[e["status"]])
        have = sum(1 for rank in best.values() if rank >= STATUS_RANK[leaf.get("status", "submitted")])
        return (have, count, have >= count)
    if kind == "quantity":
        by_mode: dict[str | None, float] = {}
        for e in events:
            amount = e.get("quantity")
            amount = leaf.get("per_session") if amount is None else amount
            by_mode[e.get("mode")] = by_mode.get(e.get("mode"), 0.0) + amount
        limits = leaf.get("limits") or {}
        total = sum(min(v, limits[m]) if m in limits else v for m, v in by_mode.items())
        return (total, count, total >= count - 1e-9)
    if kind == "score":
        passing = [e["score"] >= leaf["min_score"] for e in events]
        attempts = leaf.get("attempts", "any")
        if attempts == "any":
            have = sum(passing)
            return (have, count, have >= count)
        if attempts == "latest":
            run = 0
            for ok in reversed(passing):
                if not ok or run == count:
                    break
                run += 1
            return (run, count, run >= count)
        return (len(events), count, all(passing) and len(events) >= count)
    if kind == "distinct":
        have = len({work_key(e) for e in events})
        return (have, count, have >= count)
    raise ValueError(f"the oracle does not know the requirement kind {kind!r}")


def node_met(enr: Enr, s: int, node: Node) -> bool:
    """A node is met: a leaf by its measure, a combination by its children being done (a waived
    child counts: docs/semantics.md says "met", read as "done" — see the oracle's report)."""
    kind = node["kind"]
    if kind not in COMBINATIONS:
        return leaf_measure(enr, s, node)[2]
    met = sum(node_done(enr, s, child) for child in node["requirements"])
    if kind == "all_of":
        return met == len(node["requirements"])
    if kind == "any_of":
        return met >= 1
    return bool(met >= node["n"])


def node_done(enr: Enr, s: int, node: Node) -> bool:
    """Done: met, or waived."""
    return node_met(enr, s, node) or (s, node_key(node)) in enr.waived


def have_need(enr: Enr, s: int, node: Node) -> tuple[float, float]:
    kind = node["kind"]
    if kind not in COMBINATIONS:
        have, need, _ = leaf_measure(enr, s, node)
        return (have, need)
    met = sum(node_done(enr, s, child) for child in node["requirements"])
    if kind == "all_of":
        return (met, len(node["requirements"]))
    if kind == "any_of":
        return (int(met >= 1), 1)
    return (met, node["n"])


# -- one evaluation of a view of the journal -----------------------------------------------------


def as_data(event: Any) -> Event:
    """An event as a dict with real dates."""
    data = dict(event) if isinstance(event, Mapping) else event.model_dump(mode="json")
    if isinstance(data["on"], str):
        data["on"] = date.fromisoformat(data["on"])
    return data


class Programs:
    """The installed definitions, by key and version."""

    def __init__(self, programs: Iterable[Mapping[str, Any]]) -> None:
        self.all = [Prog(p) for p in programs]

    def pinned(self, key: str, version: str | None) -> Prog | None:
        """The version named, or the latest of that key."""
        same = [p for p in self.all if p.key == key]
        if version is not None:
            return next((p for p in same if p.version == version), None)
        return max(same, key=lambda p: tuple(int(x) for x in p.version.split(".")), default=None)


class Evaluation:
    """The answer for one view: `events` in recording order, voids included."""

    def __init__(self, programs: Programs, events: Sequence[Event],
                 folds: dict[Any, PersonFold] | None = None) -> None:
        self.programs = programs
        #: Folds shared between views of one journal (see `fold`).
        self.shared = folds if folds is not None else {}
        voids = {e["id"]: e["target"] for e in events if e["kind"] == "voided"}
        removed: set[str] = set()
        # A void removes its target unless it is itself removed; walk from the last recorded.
        for e in reversed(events):
            if e["kind"] == "voided" and e["id"] not in removed:
                removed.add(voids[e["id"]])
        self.applied = [e for e in events if e["kind"] != "voided" and e["id"] not in removed]
        self.people = sorted({e["trainee"] for e in self.applied})
        self._folds: dict[str, PersonFold] = {}
        self._folding: set[str] = set()

    def fold(self, person: str) -> PersonFold:
        """The person's whole fold in this view (computed once).

        A fold reads only the events of the person and of the people their enrolments name
        (trainers, co-leaders: whose roles it asks), transitively; views of one journal that
        apply the same such events share the fold. That is all the sharing there is.
        """
        if person not in self._folds:
            key = self.reads(person)
            if key not in self.shared:
                if person in self._folding:
                    raise RecursionError(f"{person}'s standing depends on itself (a pairing cycle)")
                self._folding.add(person)
                fold = PersonFold(self, person)
                fold.run()
                self._folding.discard(person)
                self.shared[key] = fold
            self._folds[person] = self.shared[key]
        return self._folds[person]

    def reads(self, person: str) -> tuple[Any, ...]:
        """Everything `person`'s fold reads: the events of everyone it may ask about."""
        people, grown = {person}, True
        while grown:
            named = {e.get(f) for e in self.applied if e["trainee"] in people and e["kind"] == "enrolled"
                     for f in ("trainer", "co_leader")} - {None}
            grown = not named <= people
            people |= named
        ids = tuple(sorted(e["id"] for e in self.applied if e["trainee"] in people))
        return (person, ids)

    def details(self, person: str, day: date) -> Event | None:
        """Another person's `person` event holding on `day`: the latest dated up to it, else
        their first (it also covers the days before it)."""
        mine = sorted((e for e in self.applied if e["trainee"] == person and e["kind"] == "person"),
                      key=lambda e: (e["on"], e["id"]))
        upto = [e for e in mine if e["on"] <= day]
        return upto[-1] if upto else (mine[0] if mine else None)

    def known(self, person: str) -> bool:
        """Someone the journal knows: any event of this view names them."""
        return any(e["trainee"] == person for e in self.applied)

    def holds_role(self, person: str, role: str, prog: Prog, day: date) -> bool:
        """Another person's role on `day`, as the whole view answers it."""
        if not self.known(person):
            return False
        fold = self.fold(person)
        details = self.details(person, day)
        credential = details.get("credential") if details is not None else None
        if credential is None and fold.enrolments:
            credential = fold.enrolments[-1].credential
        if prog.grants_role(credential, role):
            return True
        if details is not None and role in (details.get("roles") or ()):
            return True
        return role in prog.by_certification and any(
            e.prog.key == prog.key and e.certified_on is not None and e.certified_on <= day
            for e in fold.enrolments
        )


class PersonFold:
    """One person's events applied in fold order, with all their enrolments."""

    def __init__(self, evaluation: Evaluation, person: str) -> None:
        self.ev = evaluation
        self.person = person
        self.enrolments: list[Enr] = []
        self.unenrolled: dict[str, str] = {}
        #: The person's own latest `person` event applied so far (fold order).
        self.own: Event | None = None

    # order ----------------------------------------------------------------------------------

    def programs_of_person(self, events: list[Event]) -> list[Prog]:
        progs = []
        for e in events:
            if e["kind"] == "enrolled":
                prog = self.ev.programs.pinned(e["program"], e.get("version"))
                if prog is not None:
                    progs.append(prog)
        return progs

    def order_key(self, event: Event, progs: list[Prog]) -> tuple[date, int, int, str]:
        stage = 0
        if event["kind"] in (*WORK, "waived"):
            named = event.get("program")
            candidates = [p for p in progs if p.key == named] if named else progs
            stages = [s for p in candidates if (s := p.first_stage(event)) is not None]
            stage = min(stages, default=0)
        return (event["on"], RANK[event["kind"]], stage, event["id"])

    def run(self) -> None:
        mine = [e for e in self.ev.applied if e["trainee"] == self.person]
        progs = self.programs_of_person(mine)
        for event in sorted(mine, key=lambda e: self.order_key(e, progs)):
            self.apply(event)

    # roles and certificates ---------------------------------------------------------------------

    def holds_role(self, role: str, prog: Prog, credential: str) -> bool:
        """The trainee holds `role` in `prog`: by their enrolment's credential, or the roles of
        their own latest `person` event applied so far."""
        if prog.grants_role(credential, role):
            return True
        return self.own is not None and role in (self.own.get("roles") or ())

    def holds_certificate(self, program: str, stage: str | None, day: date) -> bool:
        """A valid certificate of `program` (`stage`'s, or certification) on `day`."""
        for enr in self.enrolments:
            if enr.prog.key != program:
                continue
            target = stage if stage is not None else enr.prog.stages[-1]["key"]
            if stage is None and enr.prog.stages[-1].get("certificate") is None:
                if enr.state == "certified":
                    return True
                continue
            for p in enr.periods:
                if p.stage == target and p.on <= day and (p.expires is None or day < p.expires):
                    return True
        return False

    def first_issued(self, program: str, stage: str | None) -> date | None:
        days = [
            p.on for enr in self.enrolments if enr.prog.key == program
            for p in enr.periods
            if p.stage == (stage if stage is not None else enr.prog.stages[-1]["key"])
        ]
        return min(days, default=None)

    # measuring leaves read from the enrolment --------------------------------------------------

    def measure_read(self, enr: Enr, s: int, day: date) -> None:
        for leaf, _ in enr.prog.walk(s):
            if leaf["kind"] in READ:
                enr.read[(s, node_key(leaf))] = self.read_leaf(enr, leaf, day)

    def read_leaf(self, enr: Enr, leaf: Node, day: date) -> bool:  # noqa: PLR0911 - one per kind
        kind = leaf["kind"]
        prog = enr.prog
        if kind == "credential":
            return enr.credential in leaf["allowed"] or (
                enr.credential in (leaf.get("with_co_leader") or ()) and enr.co_leader is not None
            )
        if kind == "role":
            if self.holds_role(leaf["role"], prog, enr.credential):
                return True
            co = enr.co_leader
            if not leaf.get("co_leader") or co is None:
                return False
            return self.ev.holds_role(co, leaf["role"], prog, day)
        if kind == "pairing":
            if enr.trainer is None:
                return False
            return leaf.get("role") is None or self.ev.holds_role(enr.trainer, leaf["role"], prog, day)
        return self.holds_certificate(leaf["program"], leaf.get("stage"), day)

    def remeasure(self, day: date) -> None:
        """A certificate was issued: every open stage's read leaves are measured again."""
        for enr in self.enrolments:
            if enr.state == "withdrawn":
                continue
            for s in sorted(enr.opened):
                if s == enr.prog.n or s >= enr.current:
                    self.measure_read(enr, s, day)

    # windows and gates --------------------------------------------------------------------------

    def anchor(self, enr: Enr, s: int, start: str) -> date | None:
        if start == "enrolment":
            return enr.on
        if start == "stage":
            return enr.opened.get(s)
        kind, _, ref = start.partition(":")
        if kind == "stage":
            index = enr.prog.stage_index(ref)
            return None if index is None else enr.opened.get(index)
        if kind == "met":
            return enr.first_met.get(enr.prog.ref(ref, s))
        program, _, stage = ref.partition(".")
        return self.first_issued(program, stage or None)

    def closed(  # noqa: PLR0911 - one return per reason, in the order the rules give them
        self, enr: Enr, s: int, leaf: Node, ancestors: tuple[Node, ...], event: Event
    ) -> tuple[str, str] | None:
        """Why a candidate leaf cannot take the event: ("reach" | "gate", reason), or None."""
        if enr.state != "certified":
            if s < enr.current:
                return ("reach", f"stage {enr.prog.stages[s]['key']} is already completed")
            if s > enr.current and s not in enr.opened:
                return ("reach", f"stage {enr.prog.stages[s]['key']} not reached")
        for node in (*ancestors, leaf):
            gate = node.get("opens_when")
            if gate and enr.prog.ref(gate, s) not in enr.first_met:
                return ("gate", f"{node_key(node)} opens when {gate} is met")
        for node in (*ancestors, leaf):
            window = node.get("window")
            if window:
                start = self.anchor(enr, s, window.get("from") or window.get("start") or "enrolment")
                end = None if start is None else add_length(start, window)
                if start is None or event["on"] < start or (end is not None and event["on"] >= end):
                    return ("gate", f"{event['on']} is outside the window of {node_key(node)}")
        if leaf["kind"] == "score" and event.get("score") is None:
            return ("gate", "has no score")
        if leaf["kind"] == "quantity" and event.get("quantity") is None and leaf.get("per_session") is None:
            return ("gate", "records no quantity")
        return None

    # settling -----------------------------------------------------------------------------------

    def update_met(self, enr: Enr, day: date) -> None:
        for s in enr.stage_range():
            for node, _ in enr.prog.walk(s):
                slot = (s, node_key(node))
                if slot not in enr.first_met and node_met(enr, s, node):
                    enr.first_met[slot] = day

    def open_early(self, enr: Enr, day: date) -> bool:
        if enr.state not in ("active", "held"):
            return False
        for j in range(enr.current + 1, enr.prog.n):
            gate = enr.prog.stages[j].get("opens_when")
            if gate and j not in enr.opened and enr.prog.ref(gate, j) in enr.first_met:
                enr.opened[j] = day
                self.measure_read(enr, j, day)
                return True
        return False

    def settle(self, enr: Enr, event: Event) -> bool:
        """Complete every stage that is done; True when a certificate was issued (or the
        enrolment was certified)."""
        day, issued = event["on"], False
        prog = enr.prog
        self.update_met(enr, day)
        newly = bool(self.done_now(enr) - enr.done_seen) or event["id"] in enr.resumed_by
        if newly and enr.state == "active" and not all(node_done(enr, enr.current, n)
                                                        for n in prog.top(enr.current)):
            for leaf, _ in prog.walk(enr.current):
                slot = (enr.current, node_key(leaf))
                if leaf["kind"] in READ and not enr.read.get(slot):
                    enr.read[slot] = self.read_leaf(enr, leaf, day)
        while enr.state != "withdrawn":
            self.update_met(enr, day)
            if self.open_early(enr, day):
                continue
            if enr.state == "active" and all(node_done(enr, enr.current, n) for n in prog.top(enr.current)):
                spec = prog.stages[enr.current].get("certificate")
                if spec is not None:
                    expires = add_length(day, spec["valid_for"]) if spec.get("valid_for") else None
                    enr.periods.append(Period(prog.stages[enr.current]["key"], day, expires, event["id"]))
                    issued = True
                enr.current += 1
                if enr.current == prog.n:
                    enr.state = "certified"
                    enr.certified_on = day
                    enr.opened[prog.n] = day
                    self.measure_read(enr, prog.n, day)
                    issued = True  # certification is itself held ("stage's, or certification")
                elif enr.current not in enr.opened:
                    enr.opened[enr.current] = day
                    self.measure_read(enr, enr.current, day)
                else:  # opened early, current now: what is read and not met yet, again
                    for leaf, _ in prog.walk(enr.current):
                        slot = (enr.current, node_key(leaf))
                        if leaf["kind"] in READ and not enr.read.get(slot):
                            enr.read[slot] = self.read_leaf(enr, leaf, day)
                continue
            if (enr.state == "certified" and prog.renewal
                    and all(node_met(enr, prog.n, n) for n in prog.renewal)):
                spec = prog.stages[-1]["certificate"]
                last = enr.periods[-1]
                assert last.expires is not None
                start = max(last.expires, day)
                last.renewed = True
                expires = add_length(start, spec["valid_for"])
                enr.periods.append(Period(last.stage, start, expires, event["id"]))
                for slot in [k for k in (*enr.credits, *enr.read, *enr.first_met) if k[0] == prog.n]:
                    enr.credits.pop(slot, None)
                    enr.read.pop(slot, None)
                    enr.first_met.pop(slot, None)
                self.measure_read(enr, prog.n, day)
                issued = True
                continue
            break
        enr.done_seen = self.done_now(enr)
        return issued

    @staticmethod
    def done_now(enr: Enr) -> set[Slot]:
        """The nodes met or waived right now (a node met again after being unmet is new)."""
        return {(s, node_key(node)) for s in enr.stage_range() for node, _ in enr.prog.walk(s)
                if node_met(enr, s, node)} | enr.waived

    def after_change(self, event: Event) -> None:
        """Settle every enrolment; each certificate issued re-measures them all, until quiet."""
        while True:
            issued = [self.settle(enr, event) for enr in self.enrolments]
            if not any(issued):
                return
            self.remeasure(event["on"])

    # applying events ----------------------------------------------------------------------------

    def resolve(self, event: Event) -> Enr | None:
        """The enrolment an event belongs to (docs/semantics.md, "People, enrolments and events")."""
        enrs = self.enrolments
        if event.get("program"):
            same = [e for e in enrs if e.prog.key == event["program"]]
            return same[-1] if same else None
        if not enrs:
            return None
        if event["kind"] in ("held", "resumed", "withdrawn") or len(enrs) == 1:
            return enrs[-1]
        if event["kind"] == "waived":
            counting = [e for e in enrs if e.prog.has_key(event["requirement"])]
        else:
            counting = [e for e in enrs if e.prog.counts(event["kind"], work_key(event))]
        return counting[-1] if counting else None

    def problem(self, enr: Enr | None, event: Event, reason: str) -> None:
        (enr.problems if enr is not None else self.unenrolled)[event["id"]] = reason

    def apply(self, event: Event) -> None:
        kind = event["kind"]
        if kind == "person":
            self.own = event  # others read it from the whole view (`Evaluation.details`)
            return
        if kind == "enrolled":
            self.enrol(event)
            return
        enr = self.resolve(event)
        if enr is None:
            self.problem(None, event, f"was not enrolled on {event['on']}")
            return
        if kind in WORK:
            self.credit(enr, event)
        elif kind == "waived":
            self.waive(enr, event)
        elif kind == "held":
            if enr.state != "active":
                self.problem(enr, event, f"cannot hold: {enr.state}")
                return
            enr.state = "held"
        elif kind == "resumed":
            if enr.state != "held":
                self.problem(enr, event, f"cannot resume: {enr.state}")
                return
            enr.state = "active"
            enr.resumed_by.add(event["id"])
            self.after_change(event)
        elif kind == "withdrawn":
            if enr.state not in ("active", "held"):
                self.problem(enr, event, f"cannot withdraw: {enr.state}")
                return
            enr.state = "withdrawn"

    def enrol(self, event: Event) -> None:
        prog = self.ev.programs.pinned(event["program"], event.get("version"))
        same = [e for e in self.enrolments if prog is not None and e.prog.key == prog.key]
        if prog is None or (same and same[-1].state != "withdrawn"):
            self.problem(same[-1] if same else None, event, f"already enrolled in {event['program']}")
            return
        enr = Enr(event["id"], prog, event["on"], event["credential"], event.get("co_leader"),
                  event.get("trainer"))
        self.enrolments.append(enr)
        enr.opened[0] = event["on"]
        self.measure_read(enr, 0, event["on"])
        self.after_change(event)

    def credit(self, enr: Enr, event: Event) -> None:
        kind, key = event["kind"], work_key(event)
        prog = enr.prog
        # Rule 4 before rule 1: an absence nobody watches, or while in no stage, is silent.
        if kind == "absent" and (enr.state != "active" or not prog.counts(kind, key)):
            return
        if enr.state in ("withdrawn", "held"):
            self.problem(enr, event, f"enrolment is {enr.state}")
            return
        stages = [prog.n] if enr.state == "certified" else list(range(prog.n))
        candidates = prog.leaves_watching(kind, key, stages)
        open_, reasons = [], []
        for s, leaf, ancestors in candidates:
            why = self.closed(enr, s, leaf, ancestors, event)
            if why is None:
                open_.append((s, leaf))
            else:
                reasons.append(why)
        if not open_:
            gate = [r for k, r in reasons if k == "gate"]
            reach = [r for k, r in reasons if k == "reach"]
            self.problem(enr, event, (gate or reach or [f"{enr.state}: nothing counts {key}"])[0])
            return
        s, leaf = next(((s, leaf) for s, leaf in open_ if not leaf_measure(enr, s, leaf)[2]), open_[0])
        enr.credits.setdefault((s, node_key(leaf)), []).append(event)
        self.after_change(event)

    def waive(self, enr: Enr, event: Event) -> None:
        prog = enr.prog
        if enr.state in ("withdrawn", "certified"):
            self.problem(enr, event, f"cannot waive: {enr.state}")
            return
        s = enr.current if event.get("stage") is None else prog.stage_index(event["stage"])
        if s is None:
            self.problem(enr, event, f"no stage {event['stage']}")
            return
        if s < enr.current:
            self.problem(enr, event, "the stage is already completed")
            return
        node = prog.node(s, event["requirement"])
        if node is None or not node.get("waivable"):
            self.problem(enr, event, f"{event['requirement']} is unknown or not waivable")
            return
        enr.waived.add((s, node_key(node)))  # while held too: the stage completes on resumption
        self.after_change(event)

    # output -------------------------------------------------------------------------------------

    def outputs(self, day: date) -> list[EnrolmentOut]:
        out = []
        for enr in self.enrolments:
            prog = enr.prog
            held = enr.state == "held"
            if enr.state in ("active", "held"):
                stage = prog.stages[enr.current]["key"]
                missing = self.missing(enr)
            else:
                stage, missing = enr.state, {}
            certs = []
            for p in enr.periods:
                status = "renewed" if p.renewed else (
                    "expired" if p.expires is not None and p.expires <= day else "valid")
                certs.append(CertOut(p.stage, p.on, p.expires, status, p.event))
            out.append(EnrolmentOut(
                self.person, prog.key, enr.id, enr.on, "on_hold" if held else stage,
                stage if held else None, certs, missing, dict(enr.problems),
            ))
        return out

    def missing(self, enr: Enr) -> dict[str, tuple[float, float]]:
        """The current stage's top-level requirements not done, with have/need."""
        return {
            node_key(n): have_need(enr, enr.current, n)
            for n in enr.prog.top(enr.current) if not node_done(enr, enr.current, n)
        }


# -- the entry point -----------------------------------------------------------------------------


def view(
    journal: Sequence[Any], *, as_of: date | None = None, known_at: datetime | None = None,
    recorded_at: Sequence[datetime] | None = None,
) -> list[Event]:
    """The events a view applies, in recording order: as known at `known_at` (by `recorded_at`,
    voids included), and as of `as_of` (work dated up to it; voids whatever their date)."""
    events = [as_data(e) for e in journal]
    if known_at is not None:
        if recorded_at is None:
            raise ValueError("known_at needs each event's recording time (recorded_at)")
        events = [e for e, t in zip(events, recorded_at, strict=True) if t <= known_at]
    if as_of is not None:
        events = [e for e in events if e["kind"] == "voided" or e["on"] <= as_of]
    return events


def _certificates(evaluation: Evaluation) -> dict[tuple[str, str, int], tuple[str, Period]]:
    """Every certificate period of a view, by (enrolment, stage, n-th period of that stage)."""
    held: dict[tuple[str, str, int], tuple[str, Period]] = {}
    for person in evaluation.people:
        for enr in evaluation.fold(person).enrolments:
            seen: dict[str, int] = {}
            for p in enr.periods:
                n = seen[p.stage] = seen.get(p.stage, -1) + 1
                held[(enr.id, p.stage, n)] = (person, p)
    return held


def evaluate(
    programs: Iterable[Mapping[str, Any]], journal: Sequence[Any], *, today: date,
    as_of: date | None = None, known_at: datetime | None = None,
    recorded_at: Sequence[datetime] | None = None,
) -> Answer:
    """Every enrolment's standing in a view of `journal` (events in recording order)."""
    progs = Programs(programs)
    events = view(journal, as_of=as_of, known_at=known_at, recorded_at=recorded_at)
    folds: dict[Any, PersonFold] = {}
    evaluation = Evaluation(progs, events, folds=folds)
    day = as_of or today
    enrolments: list[EnrolmentOut] = []
    unenrolled: dict[str, dict[str, str]] = {}
    for person in evaluation.people:
        fold = evaluation.fold(person)
        enrolments.extend(fold.outputs(day))
        if fold.unenrolled:
            unenrolled[person] = dict(fold.unenrolled)
    # Revocation: a period held as the journal stood just before a void was recorded, not held
    # just after it, and not held now — dated by the latest such void.
    now = _certificates(evaluation)
    revoked: dict[tuple[str, str, int], tuple[str, CertOut]] = {}
    for i, event in enumerate(events):
        if event["kind"] != "voided" or (as_of is not None and event["on"] > as_of):
            continue  # a void dated after the as-of day revokes nothing yet
        before = _certificates(Evaluation(progs, events[:i], folds=folds))
        after = _certificates(Evaluation(progs, events[: i + 1], folds=folds))
        for ident, (person, p) in before.items():
            if ident not in now and ident not in after:
                revoked[ident] = (person, CertOut(p.stage, p.on, p.expires, "revoked", p.event, event["on"]))
    by_id = {e.enrolment: e for e in enrolments}
    orphans = []
    for (enrolment, _, _), (person, cert) in revoked.items():
        if enrolment in by_id:
            by_id[enrolment].certificates.append(cert)
        else:
            orphans.append((person, cert))
    return Answer(enrolments, unenrolled, orphans)
