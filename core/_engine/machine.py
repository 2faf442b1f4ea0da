"""One `transitions` machine per program definition, shared by every trainee in it.

The machine holds the pathway's shape: the stages in order, then ``certified``, with
``on_hold`` and ``withdrawn`` reachable from any stage. Trainees are `TraineeState` models
passed to each trigger, so no per-trainee machine or bound methods are ever created. The
``advance`` trigger's condition asks whether the stage's requirements are met; its callback
(supplied by the engine) issues the certificate and opens the next stage.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from transitions import Event, EventData, Machine, Transition

from .._model.program import CERTIFIED, ON_HOLD, WITHDRAWN, Program

if TYPE_CHECKING:
    from .state import TraineeState

ADVANCE, HOLD, RESUME, WITHDRAW = "advance", "hold", "resume", "withdraw"


def pathway_states(program: Program) -> list[str]:
    """Machine states: each stage, then certified, on hold and withdrawn."""
    return [*(s.key for s in program.stages), CERTIFIED, ON_HOLD, WITHDRAWN]


def pathway_transitions(program: Program) -> list[dict[str, Any]]:
    """The transitions of a pathway, as `transitions` declares them."""
    stages = [s.key for s in program.stages]
    nexts = [*stages[1:], CERTIFIED]
    table: list[dict[str, Any]] = [
        {"trigger": ADVANCE, "source": s, "dest": d, "conditions": "requirements_met"}
        for s, d in zip(stages, nexts, strict=True)
    ]
    table.append({"trigger": HOLD, "source": stages, "dest": ON_HOLD})
    table.extend(
        {"trigger": RESUME, "source": ON_HOLD, "dest": s, "conditions": f"resumes_{i}"}
        for i, s in enumerate(stages)
    )
    table.append({"trigger": WITHDRAW, "source": [*stages, ON_HOLD], "dest": WITHDRAWN})
    return table


class _LeanTransition(Transition):
    """A transition that runs its conditions and callbacks, and nothing it cannot need.

    Pathway machines declare no state enter/exit callbacks, no ``prepare`` callbacks and no
    machine-wide hooks, so the stock `Transition.execute` would only walk empty lists and log;
    this keeps what matters (conditions through transitions' `Condition.check`, ``before`` and
    ``after`` through `Machine.callbacks`) at a quarter of the cost — a stage change is the
    one place a replay meets the machine.
    """

    def execute(self, event_data: EventData) -> bool:
        machine = event_data.machine
        for condition in self.conditions:
            if not condition.check(event_data):
                return False
        if self.before:
            machine.callbacks(self.before, event_data)
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
        for transition in self.transitions[data.state.name]:
            data.transition = transition
            if transition.execute(data):
                data.result = True
                return True
        return False


class _PathwayMachine(Machine):
    transition_cls = _LeanTransition
    event_cls = _LeanEvent


class PathwayMachine:
    """The shared machine of one definition, and the triggers the engine fires on it."""

    def __init__(self, program: Program, on_advance: Callable[[EventData], None]) -> None:
        self.program = program
        conditions: dict[str, Callable[[EventData], bool]] = {
            "requirements_met": lambda ev: _trainee(ev).unmet == 0,
        }
        for i in range(len(program.stages)):
            conditions[f"resumes_{i}"] = _resumes_to(i)
        table = pathway_transitions(program)
        for row in table:
            cond = row.get("conditions")
            if cond is not None:
                row["conditions"] = conditions[cond]
            if row["trigger"] == ADVANCE:
                row["after"] = on_advance
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
        return state in self._events[trigger].transitions

    def fire(self, trigger: str, model: Any, **kwargs: Any) -> bool:
        """Run `trigger` for one trainee's state; True when a transition happened."""
        return bool(self._events[trigger].trigger(model, **kwargs))


def _resumes_to(index: int) -> Callable[[EventData], bool]:
    return lambda ev: _trainee(ev).stage_index == index


def _trainee(ev: EventData) -> TraineeState:
    """The trainee state a trigger was fired for."""
    return cast("TraineeState", ev.model)


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
    graph = model.get_graph()  # type: ignore[attr-defined]
    return str(graph.draw(None))
