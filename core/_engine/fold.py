"""The fold: a person's events, in order, applied to their state. One crediting path.

`Folder.fold` sorts a person's live events (voided ones removed) by their order key and applies
each; `Folder.apply` is also what the engine calls for an event that arrives after everything
already applied. Applying an event:

- ``enrolled`` opens an enrolment in its first stage (a second one in the same program needs a
  withdrawal first); ``person`` updates what is known of the person;
- ``attended``, ``absent`` and ``artifact`` are credited (`_credit`) to one leaf of the
  enrolment they belong to (`resolve`): the first leaf watching their key that is open (its
  stage is current, or opened early; every ``opens_when`` above it met), whose window holds the
  day and which does not refuse the event — preferring one not yet met. An event no leaf can
  take is kept and reported as a problem, naming why;
- ``waived`` marks a requirement as no longer holding the trainee back;
- ``held``, ``resumed`` and ``withdrawn`` fire the machine's triggers.

After any change the enrolment settles: while its current stage is met the machine advances it
(issuing certificates, opening the next stage), and a certified enrolment whose renewal
requirements are met renews. A certificate issued in one enrolment is news to the person's
others (a prerequisite across programs), which are measured again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any, cast

from transitions import EventData

from .._host.registry import ProgramRegistry
from .._model.events import (
    CREDITED_KINDS,
    RANK,
    Enrolled,
    Event,
    EventBase,
    OrderKey,
    PersonRecorded,
    Waived,
    work_key,
)
from .._model.program import CERTIFIED, WITHDRAWN, Program
from .._model.requirements import Credit, LegacyView, Measure
from .._model.windows import in_span
from .certificates import first_issued
from .compiled import Compiled
from .context import Directory, LeafContext
from .machine import ADVANCE, HOLD, RENEW, RESUME, WITHDRAW
from .state import EnrolmentState, PersonState


def live_events(events: Iterable[Event]) -> list[Event]:
    """The events a fold applies: every event but voids and the events they void."""
    listed: list[Event] = events if isinstance(events, list) else list(events)
    voided = {e.target for e in listed if e.kind == "voided"}
    if not voided:
        return listed
    return [e for e in listed if e.id not in voided and e.kind != "voided"]


class Folder:
    """Applies events to person states for every program of a registry."""

    def __init__(self, programs: ProgramRegistry, directory: Directory) -> None:
        self.programs = programs
        self.directory = directory
        self._compiled: dict[int, Compiled] = {}

    @contextmanager
    def using(self, directory: Directory) -> Iterator[None]:
        """Fold with another directory of people for a while (a view as of a day)."""
        kept, self.directory = self.directory, directory
        try:
            yield
        finally:
            self.directory = kept

    def compiled(self, program: Program) -> Compiled:
        """The fold's tables for a definition (built once; definitions live as long as the registry)."""
        comp = self._compiled.get(id(program))
        if comp is None:
            comp = self._compiled[id(program)] = Compiled(program, self)
        return comp

    def compiled_ref(self, ref: str) -> Compiled:
        """The compiled definition a ``key@version`` names."""
        key, _, version = ref.rpartition("@")
        return self.compiled(self.programs.get(key, version))

    # -- whole folds ---------------------------------------------------------------------------

    def fold(self, person: str, events: Iterable[Event], *, trace: bool = False) -> PersonState:
        """A person's state from scratch: their live events, in order.

        The loop is replay's hot path: an attendance of a person with one enrolment that a
        plain count of their current stage takes (`Compiled.fast_of`) is counted here, as
        `apply` would count it, without the calls in between.
        """
        ps = PersonState(person)
        ps.tracing = trace
        events = events if isinstance(events, list) else list(events)
        live = live_events(events)
        if len(live) < len(events):
            ps.voids = sum(1 for e in events if e.kind == "voided")
        apply, count = self.apply, self._count
        # While the person has one enrolment, in a stage, and is not traced: the current stage
        # and its plain counts by activity (`Compiled.fast_attended`), read again after any
        # step that may change them.
        fast: dict[str, tuple[tuple[int, int, bool, bool] | None, ...]] = {}
        current = 0
        enrolment: EnrolmentState | None = None
        acc: list[Any] = []
        last = None
        for event in self.ordered(live):
            last = event
            if fast and event.kind == "attended" and event.program is None:
                per_stage = fast.get(event.activity)
                entry = per_stage[current] if per_stage is not None else None
                if entry is not None:
                    index, need, alone, _ = entry
                    have = acc[index]
                    if have + 1 < need:
                        acc[index] = have + 1
                        continue
                    if alone or have < need:
                        assert enrolment is not None
                        count(ps, enrolment, event, index, need)
                        ps.last_event = event
                        fast, current, enrolment, acc = self._fast_state(ps)
                        continue
            apply(ps, event)
            fast, current, enrolment, acc = self._fast_state(ps)
        if last is not None:
            ps.last_event = last
        return ps

    @staticmethod
    def _fast_state(ps: PersonState) -> tuple[dict[str, Any], int, EnrolmentState | None, list[Any]]:
        """What `fold` counts inline with: nothing unless one enrolment, in a stage, untraced."""
        if len(ps.enrolments) != 1 or ps.tracing:
            return {}, 0, None, []
        enrolment = ps.enrolments[0]
        comp = enrolment.comp
        current = comp.index_of_state.get(enrolment.state)
        if current is None:
            return {}, 0, None, []
        return comp.fast_attended, current, enrolment, enrolment.acc

    def ordered(self, events: Sequence[Event]) -> list[Event]:
        """A person's events in fold order (see `facilitrack._model.events`)."""
        programs = self._programs_of(events)
        if len(programs) > 1:
            return sorted(events, key=lambda e: self.order_key(e, programs))
        table = programs[0].first_stage_of if programs else {}
        stage_of = programs[0].stage_of if programs else (lambda e: 0)
        rank = RANK

        def key(e: Any) -> OrderKey:  # the one-program case of `order_key`, inline: replay's hot path
            kind = e.kind
            if kind in ("attended", "absent"):
                return (e.on, rank[kind], table.get((kind, e.activity), 0), e.id)
            if kind == "artifact":
                return (e.on, rank[kind], table.get((kind, e.artifact), 0), e.id)
            if kind == "waived":
                return (e.on, rank[kind], stage_of(e), e.id)
            return (e.on, rank[kind], 0, e.id)

        return sorted(events, key=key)

    def _programs_of(self, events: Iterable[Event]) -> list[Program]:
        refs = {(e.program, e.version) for e in events if e.kind == "enrolled"}
        return [self.programs.get(k, v) for k, v in sorted(refs, key=str)]

    def order_key(self, event: EventBase, programs: Sequence[Program]) -> OrderKey:
        """(date, kind rank, stage of its key, id): the stage from the program it names, or the
        earliest stage any of the person's programs credits its key in."""
        kind: str = event.kind  # type: ignore[attr-defined]
        stage = 0
        key = event.requirement if kind == "waived" else work_key(event)  # type: ignore[attr-defined]
        if key is not None and programs:
            named = getattr(event, "program", None)
            found = [
                p.stage_of(event) for p in programs
                if (named is None or p.key == named) and (kind, key) in p.first_stage_of
            ]
            stage = min(found, default=0)
        return (event.on, RANK[kind], stage, event.id)

    def sorts_after(self, ps: PersonState, event: Event) -> bool:
        """Whether `event` comes after everything already applied to `ps` (apply it in place)."""
        last_event = ps.last_event
        last_on = last_event.on if last_event is not None else (ps.last_key[0] if ps.last_key else None)
        if last_on is None or event.on > last_on:
            return True
        if event.on < last_on:
            return False
        programs = ps.programs()
        last = self.order_key(last_event, programs) if last_event is not None else ps.last_key
        return last is None or self.order_key(event, programs) > last

    # -- one event -----------------------------------------------------------------------------

    def apply(self, ps: PersonState, event: Event) -> None:
        """Apply one event that sorts after every event already applied."""
        kind = event.kind
        if kind in CREDITED_KINDS:
            enrolments = ps.enrolments
            if len(enrolments) == 1 and getattr(event, "program", None) is None:
                enrolment: EnrolmentState | None = enrolments[0]
            else:
                enrolment = self.resolve(ps, event)
            if enrolment is None:
                self._orphan(ps, event)
            else:
                key = event.artifact if kind == "artifact" else event.activity  # type: ignore[union-attr]
                self._credit(ps, enrolment, event, kind, key)
        elif kind == "enrolled":
            self._enrol(ps, cast("Enrolled", event))
        elif kind == "person":
            ps.profiles += (cast("PersonRecorded", event),)
        else:
            self._apply_to_enrolment(ps, event, kind)
        ps.last_event = event

    def _apply_to_enrolment(self, ps: PersonState, event: Event, kind: str) -> None:
        """A waiver, hold, resumption or withdrawal, on the enrolment it belongs to."""
        enrolment = self.resolve(ps, event)
        if enrolment is None:
            self._orphan(ps, event)
        elif kind == "waived":
            self._waive(ps, enrolment, cast("Waived", event))
        elif kind == "held":
            self._trigger(ps, enrolment, event, HOLD, "cannot put on hold")
        elif kind == "resumed":
            if self._trigger(ps, enrolment, event, RESUME, "cannot resume"):
                self._settle(ps, enrolment, event)
        elif kind == "withdrawn":
            self._trigger(ps, enrolment, event, WITHDRAW, "cannot withdraw")

    def resolve(self, ps: PersonState, event: Event) -> EnrolmentState | None:
        """The enrolment an event belongs to: the person's latest enrolment in the program the
        event names; else the latest whose program declares the event's key (for holds,
        resumptions and withdrawals, the latest of all)."""
        named = getattr(event, "program", None)
        if named is not None:
            return next((e for e in reversed(ps.enrolments) if e.program.key == named), None)
        if len(ps.enrolments) <= 1:
            return ps.enrolments[0] if ps.enrolments else None
        kind = event.kind
        if kind in CREDITED_KINDS:
            watched = (kind, work_key(event) or "")
            return next((e for e in reversed(ps.enrolments) if watched in e.comp.watch), None)
        if isinstance(event, Waived):
            return next(
                (e for e in reversed(ps.enrolments)
                 if any(event.requirement in keys for keys in e.comp.by_key)), None,
            )
        return ps.enrolments[-1]

    def _orphan(self, ps: PersonState, event: Event) -> None:
        named = getattr(event, "program", None)
        where = f" in {named}" if named else ""
        reason = f"{ps.id} was not enrolled{where} on {event.on}; not credited"
        ps.problems += ((event.on, event.id, reason),)

    # -- enrolment -----------------------------------------------------------------------------

    def _enrol(self, ps: PersonState, event: Enrolled) -> None:
        program = self.programs.get(event.program, event.version)
        same = next((e for e in reversed(ps.enrolments) if e.program.key == program.key), None)
        if same is not None and same.state != WITHDRAWN:
            since = same.enrolment.on
            if same.certified:
                why = f"already certified in {program.key} (enrolled {since}); not enrolled again"
            else:
                why = (f"already enrolled in {program.key} since {since}; record a withdrawal"
                       " before enrolling again")
            same.problems += ((event.on, event.id, why),)
            return
        enrolment = EnrolmentState(event, self.compiled(program))
        if ps.tracing:
            enrolment.trace = {}
        ps.enrolments.append(enrolment)
        self._open_stage(ps, enrolment, 0, event.on)
        self._settle(ps, enrolment, event)

    def _open_stage(self, ps: PersonState, enrolment: EnrolmentState, stage: int, on: date) -> None:
        """A stage starts taking credit, or becomes current after opening early: note the day it
        opened, measure what is read from the enrolment (once met, a leaf stays met)."""
        first = enrolment.opened_on[stage] is None
        if first:
            enrolment.opened_on[stage] = on
        for index in enrolment.comp.context_leaves[stage]:
            if first or not enrolment.met[index]:
                self._measure(ps, enrolment, index, on)

    # -- crediting -----------------------------------------------------------------------------

    def _credit(self, ps: PersonState, enrolment: EnrolmentState, event: Event, kind: str, key: str) -> None:
        comp = enrolment.comp
        on = event.on
        current = comp.index_of_state.get(enrolment.state)
        if kind == "absent" and (current is None or (kind, key) not in comp.watch):
            return  # an absence nothing can count: kept, and no problem
        per_stage = comp.fast_of.get((kind, key))
        if per_stage is not None and current is not None:
            fast = per_stage[current]
            if fast is not None and (fast[2] or enrolment.acc[fast[0]] < fast[1]) and (
                    not fast[3] or self._outside(ps, enrolment, fast[0], on) is None):
                self._count(ps, enrolment, event, fast[0], fast[1])
                return
        if current is None:
            if enrolment.state != CERTIFIED or not comp.roots[comp.renewal_stage]:
                enrolment.problems += ((on, event.id, self._inactive(ps, enrolment, on)),)
                return
            current = comp.renewal_stage
        chosen, reason = self._choose(ps, enrolment, current, Credit(event, kind, key))
        if chosen < 0:
            reason = reason or f"{comp.program.ref} has no {kind} {key!r}; not credited"
            enrolment.problems += ((on, event.id, reason),)
            return
        cn = comp.nodes[chosen]
        was = enrolment.met[chosen]
        if cn.counted:
            have = enrolment.acc[chosen] = enrolment.acc[chosen] + 1
            if have == cn.need:
                self._set_met(ps, enrolment, chosen, True, on)
        else:
            leaf = cast("Any", cn.leaf)
            enrolment.acc[chosen] = leaf.tally(enrolment.acc[chosen], Credit(event, kind, key))
            self._measure(ps, enrolment, chosen, on)
        if enrolment.trace is not None:
            enrolment.trace.setdefault(chosen, []).append(on)
        if enrolment.met[chosen] and not was:  # only newly met work can complete a stage
            self._settle(ps, enrolment, event)

    def _count(self, ps: PersonState, enrolment: EnrolmentState, event: Event, index: int, need: int) -> None:
        """Credit a plain count of the current stage (`Compiled.fast_of`): the common case."""
        acc = enrolment.acc
        have = acc[index] = acc[index] + 1
        if enrolment.trace is not None:
            enrolment.trace.setdefault(index, []).append(event.on)
        if have == need:
            self._set_met(ps, enrolment, index, True, event.on)
            self._settle(ps, enrolment, event)

    def _choose(self, ps: PersonState, enrolment: EnrolmentState, current: int,
                credit: Credit) -> tuple[int, str | None]:
        """The leaf an event goes to — the first open one watching its key whose window holds
        the day and which takes it, preferring one not met yet — or -1 and why none does."""
        comp = enrolment.comp
        chosen = fallback = -1
        reason: str | None = None
        ranked = False
        met = enrolment.met
        for index in comp.watch.get((credit.kind, credit.key), ()):
            cn = comp.nodes[index]
            if cn.fast and cn.stage == current:  # a plain count of the current stage: always open
                if not met[index]:
                    return index, None
                if fallback < 0:
                    fallback = index
                continue
            why = self._closed(ps, enrolment, current, cn, credit)
            if why is not None:
                outranks, text = why
                if reason is None or (outranks and not ranked):
                    reason, ranked = text, outranks
                continue
            if not met[index]:
                chosen = index
                break
            if fallback < 0:
                fallback = index
        return (chosen if chosen >= 0 else fallback), reason

    def _closed(  # noqa: PLR0911 -- one return per reason a leaf is closed, in the order they rank
        self, ps: PersonState, enrolment: EnrolmentState, current: int, cn: Any, credit: Credit
    ) -> tuple[bool, str] | None:
        """Why a leaf cannot take an event now — (whether the reason outranks one found before,
        the reason) — or None when it can."""
        comp = enrolment.comp
        stage, key, on = cn.stage, credit.key, credit.event.on
        if stage < current:
            return (False, f"{key} belongs to stage {comp.stage_keys[stage]}, already completed;"
                           " not credited")
        if stage == comp.renewal_stage and current != stage:
            return (False, f"{key} counts toward renewing the certificate, once {ps.id} is certified;"
                           " not credited")
        if stage > current and enrolment.opened_on[stage] is None:
            return (False, f"{key} belongs to stage {comp.stage_keys[stage]}, which {ps.id} had not"
                           f" reached on {on} (still in {comp.stage_keys[current]}); kept, not credited")
        for gate in cn.gates:
            if enrolment.met_on[gate] is None:
                return (True, f"{cn.node.node_key} opens when {comp.nodes[gate].node.node_key} is met,"
                              f" which it was not on {on}; not credited")
        if cn.windows:
            outside = self._outside(ps, enrolment, cn.index, on)
            if outside is not None:
                return (True, f"{key} on {on} is outside {outside}; not credited")
        if not cn.counted:
            refusal = cast("Any", cn.leaf).refuses(credit)
            if refusal is not None:
                return (True, f"{key} on {on} {refusal}; not credited")
        return None

    def _inactive(self, ps: PersonState, enrolment: EnrolmentState, on: date) -> str:
        state = enrolment.state
        if state == WITHDRAWN:
            return f"{ps.id} had withdrawn by {on}; not credited"
        if state == CERTIFIED:
            return f"{ps.id} was already certified by {on}; not credited"
        return f"{ps.id} was on hold on {on}; not credited"

    def _outside(self, ps: PersonState, enrolment: EnrolmentState, index: int, on: date) -> str | None:
        """The window (described) that `on` falls outside of, or None when inside every one."""
        for window, owner in enrolment.comp.nodes[index].windows:
            span = window.span(self._anchor(ps, enrolment, window.anchor, owner))
            if not in_span(on, span):
                if span is None:
                    return f"the window of {enrolment.comp.nodes[owner].node.node_key}, which has not opened"
                first, after = span
                until = f" to {after.fromordinal(after.toordinal() - 1)}" if after else ""
                return f"the window of {enrolment.comp.nodes[owner].node.node_key} ({first}{until})"
        return None

    def _anchor(self, ps: PersonState, enrolment: EnrolmentState, anchor: tuple[str, str | None],
                owner: int) -> date | None:
        kind, ref = anchor
        comp = enrolment.comp
        if kind == "enrolment":
            return enrolment.enrolment.on
        if kind == "stage":
            stage = comp.stage_keys.index(ref) if ref else comp.nodes[owner].stage
            return enrolment.opened_on[stage]
        if kind == "met":
            assert ref is not None
            return enrolment.met_on[comp.met_anchor(owner, ref)]
        assert ref is not None
        program, _, stage_key = ref.partition(".")
        return first_issued(ps, program, stage_key or None)

    # -- met, waived, settled ------------------------------------------------------------------

    def _measure(self, ps: PersonState, enrolment: EnrolmentState, index: int, on: date) -> Measure:
        """Measure a leaf from its accumulator, and pass any change up the tree."""
        measure = self.measure(ps, enrolment, index, on)
        self._set_met(ps, enrolment, index, measure.met, on)
        return measure

    def measure(self, ps: PersonState, enrolment: EnrolmentState, index: int, on: date) -> Measure:
        """A leaf's progress as of `on`, without changing anything."""
        cn = enrolment.comp.nodes[index]
        leaf = cn.leaf
        assert leaf is not None
        acc = enrolment.acc[index]
        if cn.counted:
            return Measure(acc, cn.need, acc >= cn.need)
        if leaf.is_legacy():
            have = leaf.have(LegacyView(leaf, acc, enrolment.enrolment))
            return Measure(have, leaf.count, have >= leaf.count)
        return leaf.measure(acc, LeafContext(ps, enrolment, on, self.directory))

    def _set_met(self, ps: PersonState, enrolment: EnrolmentState, index: int, value: bool, on: date) -> None:
        was = enrolment.done(index)
        enrolment.met[index] = value
        if value and enrolment.met_on[index] is None:
            enrolment.met_on[index] = on
            comp = enrolment.comp
            for stage in comp.opens_stages.get(index, ()):
                self._open_stage(ps, enrolment, stage, on)
        if enrolment.done(index) != was:
            self._propagate(ps, enrolment, index, on)

    def _propagate(self, ps: PersonState, enrolment: EnrolmentState, index: int, on: date) -> None:
        parent = enrolment.comp.nodes[index].parent
        if parent is None:
            return
        node = enrolment.comp.nodes[parent]
        combine = cast("Any", node.node).combine
        measures = [Measure(0, 0, enrolment.done(c)) for c in node.children]
        self._set_met(ps, enrolment, parent, combine(measures).met, on)

    def _stage_met(self, enrolment: EnrolmentState, stage: int) -> bool:
        met, waived = enrolment.met, enrolment.waived
        for root in enrolment.comp.roots[stage]:  # noqa: SIM110 -- `done` inline, no generator: asked after every met leaf
            if not met[root] and root not in waived:
                return False
        return True

    def _settle(self, ps: PersonState, enrolment: EnrolmentState, event: Event) -> None:
        """Advance while the current stage is met; renew while the renewal is met.

        The machine is asked only when a stage looks complete (it checks again, and runs the
        callbacks): a replay meets it once per stage, not once per event.
        """
        comp = enrolment.comp
        machine = comp.machine
        issued = False
        stage = comp.index_of_state.get(enrolment.state)
        if stage is not None and not self._stage_met(enrolment, stage):
            # What is read from the enrolment may hold by now (a trainer certified mid-stage).
            for index in comp.context_leaves[stage]:
                if not enrolment.met[index]:
                    self._measure(ps, enrolment, index, event.on)
        while stage is not None and self._stage_met(enrolment, stage):
            if not machine.fire(ADVANCE, enrolment, event=event, person=ps):
                break
            # A certificate issued (or certification) may meet a prerequisite elsewhere.
            issued = issued or comp.program.stages[stage].certificate is not None \
                or enrolment.state == CERTIFIED
            stage = comp.index_of_state.get(enrolment.state)
        renewal = comp.renewal_stage
        if enrolment.state == CERTIFIED and comp.roots[renewal]:
            while self._stage_met(enrolment, renewal):
                if not machine.fire(RENEW, enrolment, event=event, person=ps):
                    break
                issued = True
        if issued:
            self._certificates_changed(ps, enrolment, event)

    def _certificates_changed(self, ps: PersonState, source: EnrolmentState, event: Event) -> None:
        """Measure the person's other enrolments again: a prerequisite may now be met."""
        for other in ps.enrolments:
            if other is source or not other.open:
                continue
            comp = other.comp
            for stage, opened in enumerate(other.opened_on):
                if opened is not None:
                    for index in comp.context_leaves[stage]:
                        self._measure(ps, other, index, event.on)
            self._settle(ps, other, event)

    # -- the machine's conditions and callbacks (`MachineCallbacks`) ----------------------------

    def stage_met(self, model: Any) -> bool:
        enrolment = cast("EnrolmentState", model)
        stage = enrolment.comp.index_of_state.get(enrolment.state)
        return stage is not None and self._stage_met(enrolment, stage)

    def on_advance(self, data: EventData) -> None:
        enrolment = cast("EnrolmentState", data.model)
        event: Event = data.kwargs["event"]
        ps: PersonState = data.kwargs["person"]
        source = data.transition.source if data.transition is not None else ""
        enrolment.completed += ((source, event.on, event.id),)
        stage = enrolment.comp.index_of_state.get(enrolment.state)
        if stage is not None:
            self._open_stage(ps, enrolment, stage, event.on)
        elif enrolment.certified:
            enrolment.opened_on[enrolment.comp.renewal_stage] = event.on

    def renewal_met(self, model: Any) -> bool:
        enrolment = cast("EnrolmentState", model)
        return self._stage_met(enrolment, enrolment.comp.renewal_stage)

    def on_renew(self, data: EventData) -> None:
        enrolment = cast("EnrolmentState", data.model)
        event: Event = data.kwargs["event"]
        enrolment.renewals += ((event.on, event.id),)
        comp = enrolment.comp
        for cn in comp.nodes:  # the next period starts from nothing
            if cn.stage == comp.renewal_stage:
                enrolment.acc[cn.index] = cn.leaf.start() if cn.leaf is not None else None
                enrolment.met[cn.index] = False
                enrolment.met_on[cn.index] = None
                enrolment.waived -= {cn.index}
                if enrolment.trace is not None:
                    enrolment.trace.pop(cn.index, None)

    # -- waivers and triggers ------------------------------------------------------------------

    def _waive(self, ps: PersonState, enrolment: EnrolmentState, event: Waived) -> None:
        comp = enrolment.comp
        current = comp.stage_index(enrolment.state)
        if current is None:
            enrolment.problems += ((event.on, event.id, self._inactive(ps, enrolment, event.on)),)
            return
        stage = comp.stage_keys.index(event.stage) if event.stage in comp.stage_keys else current
        index = comp.node(stage, event.requirement)
        node = comp.nodes[index].node if index is not None else None
        if index is None or node is None or not node.waivable:
            why = "has no requirement" if node is None else "does not allow waiving"
            enrolment.problems += (
                (event.on, event.id,
                 f"stage {comp.stage_keys[stage]} {why} {event.requirement!r}; not applied"),
            )
            return
        if stage < current:
            enrolment.problems += (
                (event.on, event.id,
                 f"stage {comp.stage_keys[stage]} was already completed; waiver not needed"),
            )
            return
        was = enrolment.done(index)
        enrolment.waived |= {index}
        if not was:
            self._propagate(ps, enrolment, index, event.on)
        self._settle(ps, enrolment, event)

    def _trigger(
        self, ps: PersonState, enrolment: EnrolmentState, event: Event, trigger: str, verb: str
    ) -> bool:
        machine = enrolment.comp.machine
        if not machine.can(trigger, enrolment.state):
            shown = enrolment.state
            if enrolment.comp.held_states.get(shown) is not None:
                shown = "on hold"
            enrolment.problems += ((event.on, event.id, f"{verb}: {ps.id} is {shown.replace('_', ' ')}"),)
            return False
        return machine.fire(trigger, enrolment, event=event, person=ps)
