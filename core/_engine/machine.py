"""One `transitions` machine per program definition, shared by every enrolment in it.

The machine holds the pathway: its states are the stages in order, each stage's held state
(``level1__on_hold``), then ``certified`` and ``withdrawn``. It decides what may happen:

- ``advance`` leaves a stage for the next (or ``certified``) when the stage's requirements are
  met, and its callback issues the certificate and opens the next stage;
- ``hold`` pauses a stage in its own held state, ``resume`` returns to that very stage — so the
  state alone says where a held trainee stands;
- ``withdraw`` ends an enrolment from any stage, held or not;
- ``renew`` is an internal transition of ``certified``, taken when the renewal requirements of
  the final certificate are met; its callback renews the certificate.

A trigger with no transition out of the current state is refused (the fold reports it as a
problem). Enrolment states are passed to each trigger as the model, so no per-trainee machine or
bound method is ever created.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from transitions import Event, EventData, Machine, Transition

from .._model.program import CERTIFIED, WITHDRAWN, Program

ADVANCE, HOLD, RESUME, WITHDRAW, RENEW = "advance", "hold", "resume", "withdraw", "renew"
HELD_SUFFIX = "__on_hold"


def held(stage: str) -> str:
    """The held state of a stage."""
    return stage + HELD_SUFFIX


def pathway_states(program: Program) -> list[str]:
    """Machine states: each stage and its held state, then certified and withdrawn."""
    stages = [s.key for s in program.stages]
    return [*stages, *(held(s) for s in stages), CERTIFIED, WITHDRAWN]


def pathway_transitions(program: Program) -> list[dict[str, Any]]:
    """The transitions of a pathway, as `transitions` declares them."""
    stages = [s.key for s in program.stages]
    nexts = [*stages[1:], CERTIFIED]
    table: list[dict[str, Any]] = [
        {"trigger": ADVANCE, "source": s, "dest": d, "conditions": "stage_met", "after": "completed"}
        for s, d in zip(stages, nexts, strict=True)
    ]
    table += [{"trigger": HOLD, "source": s, "dest": held(s)} for s in stages]
    table += [{"trigger": RESUME, "source": held(s), "dest": s} for s in stages]
    table.append({"trigger": WITHDRAW, "source": [*stages, *(held(s) for s in stages)], "dest": WITHDRAWN})
    if program.renewal:
        table.append({"trigger": RENEW, "source": CERTIFIED, "dest": None,
                      "conditions": "renewal_met", "after": "renewed"})
    return table


class _LeanTransition(Transition):
    """A transition that runs its conditions and callbacks, and nothing it cannot need.

    Pathway machines declare no state enter/exit callbacks, no ``prepare`` callbacks and no
    machine-wide hooks, so the stock `Transition.execute` would only walk empty lists and log;
    this keeps what matters (conditions through transitions' `Condition.check`, ``after``
    through `Machine.callbacks`) at a quarter of the cost.
    """

    def execute(self, event_data: EventData) -> bool:
        machine = event_data.machine
        for condition in self.conditions:
            if not condition.check(event_data):
                return False
        if self.dest is not None:  # None: an internal transition, the state stays
            setattr(event_data.model, machine.model_attribute, self.dest)
            event_data.state = machine.states[self.dest]
        if self.after:
            machine.callbacks(self.after, event_data)
        return True


class _LeanEvent(Event):
    """A trigger run at once for one model (no queue, no prepare/finalize hooks to call)."""

    def trigger(self, model: Any, *args: Any, **kwargs: Any) -> bool:
        machine = self.machine
        data = EventData(None, self, machine, model, args=args, kwargs=kwargs)
        data.state = machine.states[getattr(model, machine.model_attribute)]
        for transition in self.transitions.get(data.state.name, ()):
            data.transition = transition
            if transition.execute(data):
                data.result = True
                return True
        return False


class _PathwayMachine(Machine):
    transition_cls = _LeanTransition
    event_cls = _LeanEvent


Callback = Callable[[EventData], Any]


class PathwayMachine:
    """The shared machine of one definition, and the triggers the fold fires on it.

    :param stage_met: the ``advance`` condition: the enrolment's current stage is met.
    :param on_advance: the ``advance`` callback: issue the certificate, open the next stage.
    :param renewal_met: the ``renew`` condition; :param on_renew: its callback.
    """

    def __init__(self, program: Program, stage_met: Callable[[Any], bool], on_advance: Callback,
                 renewal_met: Callable[[Any], bool], on_renew: Callback) -> None:
        self.program = program
        named: dict[str, Any] = {
            "stage_met": lambda ev: stage_met(ev.model),
            "renewal_met": lambda ev: renewal_met(ev.model),
            "completed": on_advance,
            "renewed": on_renew,
        }
        table = pathway_transitions(program)
        for row in table:
            for field in ("conditions", "after"):
                if field in row:
                    row[field] = named[row[field]]
        self.machine = _PathwayMachine(
            model=None,
            states=pathway_states(program),
            transitions=table,
            initial=program.stages[0].key,
            send_event=True,
            auto_transitions=False,
        )
        self._events = self.machine.events

    def can(self, trigger: str, state: str) -> bool:
        """Whether `trigger` has a transition out of `state`."""
        event = self._events.get(trigger)
        return event is not None and state in event.transitions

    def fire(self, trigger: str, model: Any, **kwargs: Any) -> bool:
        """Run `trigger` for one enrolment's state; True when a transition happened."""
        return bool(self._events[trigger].trigger(model, **kwargs))


def mermaid(program: Program) -> str:
    """The pathway's state diagram, drawn by transitions' own mermaid support."""
    from transitions.extensions.diagrams import GraphMachine

    class _Model:
        state = program.stages[0].key

    model = _Model()
    table = [
        {k: v for k, v in row.items() if k in ("trigger", "source", "dest")}
        for row in pathway_transitions(program)
    ]
    GraphMachine(
        model=model,
        states=pathway_states(program),
        transitions=table,
        initial=program.stages[0].key,
        auto_transitions=False,
        graph_engine="mermaid",
        title=f"{program.name} {program.version}",
    )
    graph = cast("Any", model).get_graph()
    return str(graph.draw(None))
