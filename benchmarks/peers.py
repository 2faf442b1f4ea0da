"""The peers: other designs computing the same answers from the same journal.

- One `transitions` machine per trainee, and one `python-statemachine` machine per trainee:
  each trainee's events are split, voids dropped and sorted as the floor does
  (`workload.order`), counted on the model as the floor counts them, and the machine is
  triggered only where that design needs it — ``advance`` when a count reaches its need (the
  machine's condition checks the stage), ``hold``, ``resume``, ``withdraw``. Their answers are
  checked against the floor's.
- `eventsourcing` (its SQLite recorder): one aggregate per trainee, each event a method that
  records it and counts it (arrival order; it neither sorts, voids nor holds — the store's work,
  not a fold's). Appends save one aggregate per trainee, one transaction each; replays get every
  aggregate back from the database.
"""

from __future__ import annotations

import functools
import itertools
import operator
import uuid
from typing import Any

import workload
from statemachine import State, StateMachine
from transitions import Machine

HELD = "__on_hold"


class _Counts:
    """A trainee's counts for the current stage, as the floor keeps them (`workload.fold_one`)."""

    def setup(self, enrolment: Any, r: workload.Rules) -> None:
        # the floor's state list: [stage, held, withdrawn, counts, artifacts, waived, enrolment, rules]
        self.s: list[Any] = [0, False, False, {}, {}, set(), enrolment, r]

    def met(self, *_: Any) -> bool:
        return workload._met(self.s, self.s[7], self.s[0])

    def next_stage(self, *_: Any) -> None:
        s = self.s
        s[0] += 1
        s[3] = {}
        s[4] = {}

    def pause(self, *_: Any) -> None:
        self.s[1] = True

    def unpause(self, *_: Any) -> None:
        self.s[1] = False

    def stop(self, *_: Any) -> None:
        self.s[2] = True

    def take(self, e: Any) -> bool:  # noqa: PLR0911 -- one return per kind, as the floor's branches
        """Count an event as the floor does; True when a need was just reached."""
        s = self.s
        r: workload.Rules = s[7]
        if s[2] or s[0] == len(r.stages):
            return False
        kind = e.kind
        if kind == "waived":  # applied while held too; the stage completes on resumption
            stage = r.stages.index(e.stage)
            if stage >= s[0]:
                s[5].add((stage, e.requirement))
                return True
            return False
        if s[1]:
            return False
        if kind == "attended":
            k = ("attended", e.activity)
            need = r.counts[s[0]].get(k)
            if need is None:
                return False
            c = s[3][k] = s[3].get(k, 0) + 1
            return c == need
        if kind == "artifact":
            want = r.artifacts[s[0]].get(e.artifact)
            if want is None:
                return False
            best = s[4].setdefault(e.artifact, {})
            best[e.ref] = max(best.get(e.ref, 0), workload.STATUS_RANK[e.status])
            return sum(1 for v in best.values() if v >= want[1]) == want[0]
        return False


def _drive(machine: Any, model: _Counts, events: list[Any], fire: Any) -> None:
    """Feed one trainee's ordered events: count on the model, trigger the machine where needed."""
    fire(machine, "advance")
    for e in events:
        kind = e.kind
        if kind in ("attended", "artifact", "waived"):
            if model.take(e):
                while fire(machine, "advance"):
                    pass
        elif kind == "held":
            fire(machine, "hold")
        elif kind == "resumed":
            if fire(machine, "resume"):
                while fire(machine, "advance"):
                    pass
        elif kind == "withdrawn":
            fire(machine, "withdraw")


# -- transitions ------------------------------------------------------------------------------


class _TransitionsTrainee(_Counts):
    state: str


def _transitions_table(r: workload.Rules) -> tuple[list[str], list[dict[str, Any]]]:
    stages = r.stages
    states = [*stages, *(s + HELD for s in stages), "certified", "withdrawn"]
    table: list[dict[str, Any]] = [
        {"trigger": "advance", "source": a, "dest": b, "conditions": "met", "after": "next_stage"}
        for a, b in itertools.pairwise([*stages, "certified"])]
    table += [{"trigger": "hold", "source": s, "dest": s + HELD, "after": "pause"} for s in stages]
    table += [{"trigger": "resume", "source": s + HELD, "dest": s, "after": "unpause"} for s in stages]
    table.append({"trigger": "withdraw", "source": [*stages, *(s + HELD for s in stages)],
                  "dest": "withdrawn", "after": "stop"})
    return states, table


def transitions_fold(events: list[Any], rules: dict[str, workload.Rules]) -> dict[str, str]:
    """One `transitions` machine per trainee; returns each trainee's machine state."""
    tables = {key: _transitions_table(r) for key, r in rules.items()}
    per, voided = workload.split(events)
    out = {}
    for t, mine in per.items():
        enrolment = mine[0]
        r = rules[enrolment.program]
        model = _TransitionsTrainee()
        model.setup(enrolment, r)
        states, table = tables[enrolment.program]
        Machine(model=model, states=states, transitions=table, initial=r.stages[0],
                auto_transitions=False, ignore_invalid_triggers=True)
        _drive(model, model, workload.order(mine, r, voided), _fire_transitions)
        out[t] = model.state
    return out


def _fire_transitions(model: Any, trigger: str) -> bool:
    return bool(model.trigger(trigger))


# -- python-statemachine ------------------------------------------------------------------------


class _PsmTrainee(StateMachine, _Counts):
    """Base of the generated per-program machines (see `_psm_class`)."""

    allow_event_without_transition = True


@functools.cache
def _psm_class(stages: tuple[str, ...]) -> type[_PsmTrainee]:
    """A python-statemachine class for a pathway of these stages (states: stages, their held
    states, certified, withdrawn)."""
    own = {key: State(initial=i == 0) for i, key in enumerate(stages)}
    held = {key + HELD: State() for key in stages}
    ends = {"certified": State(final=True), "withdrawn": State(final=True)}
    chain = [*own.values(), ends["certified"]]
    attrs: dict[str, Any] = {**own, **held, **ends}
    attrs["advance"] = functools.reduce(
        operator.or_, (a.to(b, cond="met", on="next_stage") for a, b in itertools.pairwise(chain)))
    attrs["hold"] = functools.reduce(
        operator.or_, (own[k].to(held[k + HELD], on="pause") for k in stages))
    attrs["resume"] = functools.reduce(
        operator.or_, (held[k + HELD].to(own[k], on="unpause") for k in stages))
    attrs["withdraw"] = functools.reduce(
        operator.or_, (s.to(ends["withdrawn"], on="stop") for s in [*own.values(), *held.values()]))
    return type(_PsmTrainee)(f"Pathway{len(stages)}", (_PsmTrainee,), attrs)  # type: ignore[no-any-return]


def psm_fold(events: list[Any], rules: dict[str, workload.Rules]) -> dict[str, str]:
    """One `python-statemachine` machine per trainee; returns each trainee's state."""
    per, voided = workload.split(events)
    out = {}
    for t, mine in per.items():
        enrolment = mine[0]
        r = rules[enrolment.program]
        sm = _psm_class(tuple(r.stages))()
        sm.setup(enrolment, r)
        _drive(sm, sm, workload.order(mine, r, voided), _fire_psm)
        out[t] = sm.current_state_value
    return out


def _fire_psm(sm: Any, trigger: str) -> bool:
    before = sm.current_state_value
    sm.send(trigger)
    return bool(sm.current_state_value != before)


# -- eventsourcing ------------------------------------------------------------------------------


def eventsourcing_app(path: str) -> Any:
    """An `eventsourcing` application over a SQLite file."""
    from eventsourcing.application import Application

    class Trainees(Application):  # type: ignore[type-arg, misc]
        pass

    return Trainees(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": path,
                         "SQLITE_LOCK_TIMEOUT": "10"})


@functools.cache
def _trainee_class() -> type:
    from eventsourcing.domain import Aggregate, event

    class Trainee(Aggregate):  # type: ignore[misc]
        """A trainee's events; its state counts each (kind, key) it records."""

        @staticmethod
        def create_id(name: str) -> uuid.UUID:
            return uuid.uuid5(uuid.NAMESPACE_URL, name)

        @event("Enrolled")
        def __init__(self, name: str, program: str, on: str) -> None:
            self.name = name
            self.program = program
            self.counts: dict[str, int] = {}

        @event("Recorded")
        def record(self, kind: str, key: str, on: str, ident: str) -> None:
            self.counts[key] = self.counts.get(key, 0) + 1

    return Trainee


def eventsourcing_save(app: Any, per: dict[str, list[Any]]) -> list[Any]:
    """Save one aggregate per trainee (one transaction each); return their ids."""
    trainee_cls = _trainee_class()
    ids = []
    for t, mine in per.items():
        first = mine[0]
        agg = trainee_cls(name=t, program=first.program, on=first.on.isoformat())
        for e in mine[1:]:
            agg.record(kind=e.kind, key=_key(e), on=e.on.isoformat(), ident=e.id)
        app.save(agg)
        ids.append(agg.id)
    return ids


def _key(e: Any) -> str:
    key = getattr(e, "activity", None) or getattr(e, "artifact", None) or getattr(e, "target", None)
    return key or e.kind
