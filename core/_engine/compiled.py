"""A definition compiled for the fold: every requirement node numbered, who watches which key.

The fold never walks a definition's models: it reads these tables. Nodes of every stage (and
the final certificate's renewal requirements, as one more "stage") are numbered in one list,
depth first; each knows its stage, parent, children, the nodes that must be met before it
opens, and the windows it and its ancestors declare. ``watch`` maps an (event kind, key) to the
leaves it credits, in stage order — the one table the crediting path reads.
"""

from __future__ import annotations

from typing import Any, Protocol

from transitions import EventData

from .._model.leaves import Attendance
from .._model.program import Program
from .._model.requirements import Node, Requirement
from .._model.tree import Combination
from .._model.windows import Window
from .machine import PathwayMachine, held


class CompiledNode:
    """One requirement node, placed: its stage, parent and children, and what gates it."""

    __slots__ = (
        "children", "counted", "fast", "gates", "index", "leaf", "need", "node", "parent", "stage", "windows",
    )

    def __init__(self, index: int, node: Node, stage: int, parent: int | None) -> None:
        self.index = index
        self.node = node
        self.stage = stage
        self.parent = parent
        self.children: tuple[int, ...] = ()
        self.leaf: Requirement | None = node if isinstance(node, Requirement) else None
        #: Nodes that must have been met before this one takes credit (its and its ancestors'
        #: ``opens_when``).
        self.gates: tuple[int, ...] = ()
        #: Windows of this node and its ancestors, each with the node it belongs to.
        self.windows: tuple[tuple[Window, int], ...] = ()
        #: A plain attendance count, opened by no other node: an int accumulator, counted
        #: without the leaf's code (`counted`), inline in the fold's loop when it has no window
        #: either (`fast`).
        self.counted = False
        self.fast = False
        self.need: Any = getattr(node, "count", None)


class MachineCallbacks(Protocol):
    """What the fold lends each definition's machine: its conditions and callbacks."""

    def stage_met(self, model: Any) -> bool:
        """Whether the enrolment's current stage is met."""

    def on_advance(self, data: EventData) -> None:
        """A stage was completed."""

    def renewal_met(self, model: Any) -> bool:
        """Whether the final certificate's renewal requirements are met."""

    def on_renew(self, data: EventData) -> None:
        """The final certificate was renewed."""


class Compiled:
    """Per-definition tables the fold reads, and the definition's shared state machine."""

    def __init__(self, program: Program, callbacks: MachineCallbacks) -> None:
        self.program = program
        self.machine = PathwayMachine(
            program, callbacks.stage_met, callbacks.on_advance, callbacks.renewal_met, callbacks.on_renew
        )
        self.stage_keys = tuple(s.key for s in program.stages)
        self.renewal_stage = len(program.stages)
        self.nodes: list[CompiledNode] = []
        self._anchors: dict[tuple[int, str], int] = {}
        self.roots: list[tuple[int, ...]] = []  # per stage (and renewal): its top-level nodes
        self.by_key: list[dict[str, int]] = []  # per stage: node key → index
        for s, stage in enumerate(program.stages):
            self._add_stage(s, stage.requirements)
        self._add_stage(self.renewal_stage, program.renewal)
        self.watch: dict[tuple[str, str], tuple[int, ...]] = {}
        table: dict[tuple[str, str], list[int]] = {}
        for cn in self.nodes:
            if cn.leaf is not None:
                for watched in cn.leaf.watches():
                    table.setdefault(watched, []).append(cn.index)
        self.watch = {k: tuple(v) for k, v in table.items()}
        #: Per stage: leaves read from the enrolment (watched by no event), measured when the
        #: stage opens and when the person's certificates change.
        self.context_leaves: list[tuple[int, ...]] = [
            tuple(i for i in self._stage_nodes(s) if self.nodes[i].leaf is not None
                  and not self.nodes[i].leaf.watches())  # type: ignore[union-attr]
            for s in range(self.renewal_stage + 1)
        ]
        self.context_index = frozenset(i for leaves in self.context_leaves for i in leaves)
        #: Per stage: the node whose being met opens the stage early, if it declares one.
        self.stage_gate: list[int | None] = [
            self.ref(stage.opens_when, stage.key) if stage.opens_when else None
            for stage in program.stages
        ]
        #: Node → stages that open early when it is met.
        self.opens_stages: dict[int, tuple[int, ...]] = {}
        for s, gate in enumerate(self.stage_gate):
            if gate is not None:
                self.opens_stages[gate] = (*self.opens_stages.get(gate, ()), s)
        self._place_gates_and_windows()
        self.index_of_state = {key: i for i, key in enumerate(self.stage_keys)}
        #: (event kind, key) → per stage (and renewal), (index, need, alone, windowed) of the one
        #: plain count of that stage watching the key, if one alone does: the fold counts it
        #: directly while it is not met — or always, when `alone`, no later stage counts the key
        #: (no leaf opened early could be preferred once it is met) — and, when `windowed`, the
        #: day is inside its windows. None where it may not.
        self.fast_of: dict[tuple[str, str], tuple[tuple[int, int, bool, bool] | None, ...]] = {}
        for watched, leaves in self.watch.items():
            per_stage: list[tuple[int, int, bool, bool] | None] = []
            for s in range(self.renewal_stage + 1):
                mine = [i for i in leaves if self.nodes[i].stage == s]
                later = any(self.nodes[i].stage > s for i in leaves)
                one = self.nodes[mine[0]] if len(mine) == 1 else None
                per_stage.append((one.index, one.need, not later, not one.fast)
                                 if one is not None and one.counted else None)
            if any(per_stage):
                self.fast_of[watched] = tuple(per_stage)
        #: `fast_of` of ``attended`` events by activity, windowless: the fold's loop counts these.
        self.fast_attended = {
            key: tuple(e if e is not None and not e[3] else None for e in v)
            for (kind, key), v in self.fast_of.items() if kind == "attended"
        }
        self.held_states = {held(key): i for i, key in enumerate(self.stage_keys)}

    def _add_stage(self, s: int, requirements: tuple[Node, ...]) -> None:
        roots: list[int] = []
        keys: dict[str, int] = {}

        def add(node: Node, parent: int | None) -> int:
            cn = CompiledNode(len(self.nodes), node, s, parent)
            self.nodes.append(cn)
            keys[node.node_key] = cn.index
            if isinstance(node, Combination):
                cn.children = tuple(add(child, cn.index) for child in node.requirements)
            return cn.index

        for node in requirements:
            roots.append(add(node, None))
        self.roots.append(tuple(roots))
        self.by_key.append(keys)

    def met_anchor(self, owner: int, ref: str) -> int:
        """The node a ``met:`` window anchor of node `owner` names (resolved once: asked for
        every event the window's leaves watch)."""
        found = self._anchors.get((owner, ref))
        if found is None:
            own = self.nodes[owner].stage
            found = self._anchors[(owner, ref)] = self.ref(
                ref, self.stage_keys[own] if own < self.renewal_stage else None)
        return found

    def _stage_nodes(self, s: int) -> list[int]:
        return [cn.index for cn in self.nodes if cn.stage == s]

    def ref(self, ref: str, own_stage: str | None) -> int:
        """The index of the node a reference (``key`` or ``stage.key``) names."""
        stage_key, _, key = ref.rpartition(".")
        s = self.stage_keys.index(stage_key) if stage_key else (
            self.stage_keys.index(own_stage) if own_stage in self.stage_keys else self.renewal_stage
        )
        return self.by_key[s][key]

    def _place_gates_and_windows(self) -> None:
        for cn in self.nodes:
            own_stage = self.stage_keys[cn.stage] if cn.stage < self.renewal_stage else None
            gates: list[int] = []
            windows: list[tuple[Window, int]] = []
            at: int | None = cn.index
            while at is not None:
                node = self.nodes[at].node
                if node.opens_when:
                    gates.append(self.ref(node.opens_when, own_stage))
                if node.window is not None:
                    windows.append((node.window, at))
                at = self.nodes[at].parent
            cn.gates = tuple(gates)
            cn.windows = tuple(windows)
            leaf = cn.leaf
            cn.counted = type(leaf) is Attendance and leaf.per == "session" and not gates
            cn.fast = cn.counted and not windows

    def stage_index(self, state: str) -> int | None:
        """The stage a machine state is in (held or not); None for certified, withdrawn..."""
        index = self.index_of_state.get(state)
        return index if index is not None else self.held_states.get(state)

    def node(self, stage: int, key: str) -> int | None:
        """The index of the node of `stage` with this key."""
        return self.by_key[stage].get(key)
