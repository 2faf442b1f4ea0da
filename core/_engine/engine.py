"""The engine: record events, fold them into trainee state, answer status and explain.

State is a fold of each trainee's journal in the order `events` defines. New events that come
after a trainee's last one are applied in place; one that lands earlier, or a void, makes the
engine refold that trainee from the journal — so the answer never depends on arrival order.
Validation happens once, when an event is recorded; replays trust the journal.

On a journal that caches state (`SnapshotJournal`, e.g. `SQLiteJournal`) the engine reads
nothing when it opens: each trainee's state is loaded when first needed, from their cached
snapshot plus only their events stored after it, so opening a journal of a million events and
appending to it costs about what it costs on an empty one.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from functools import cache
from typing import Any, cast

from transitions import EventData

from .._errors import InvalidEventError, UnknownKeyError, did_you_mean
from .._host.plugins import Hooks, load_plugins
from .._host.registry import ProgramRegistry
from .._journal import Journal, MemoryJournal, SnapshotJournal
from .._model.events import ArtifactRecorded, Attended, Enrolled, Event, EventBase, Voided, Waived, order_key
from .._model.program import CERTIFIED, ON_HOLD, WITHDRAWN, Program
from .._model.requirements import Attendance, Credential, Requirement
from .machine import ADVANCE, HOLD, RESUME, WITHDRAW, PathwayMachine
from .state import NOT_ENROLLED, TraineeState
from .status import Explanation, IssuedCertificate, Problem, Progress, TraineeStatus
from .validation import check_keys, check_track

_Watch = tuple[tuple[int, Requirement], ...]

#: Bump when the fold or `TraineeState.dump` changes meaning: states cached under another
#: format are ignored and rebuilt from the events.
SNAPSHOT_FORMAT = 1


class _Compiled:
    """Per-definition tables the fold reads: the machine and, per stage, who watches what."""

    def __init__(self, program: Program, on_advance: Any) -> None:
        self.program = program
        self.machine = PathwayMachine(program, on_advance)
        self.stage_keys = frozenset(s.key for s in program.stages)
        self.watch: list[dict[tuple[str, str], _Watch]] = []
        for stage in program.stages:
            table: dict[tuple[str, str], list[tuple[int, Requirement]]] = {}
            for i, req in enumerate(stage.requirements):
                if req.credited_by is not None:
                    table.setdefault((req.credited_by, req.key), []).append((1 << i, req))
            self.watch.append({k: tuple(v) for k, v in table.items()})
        # Per stage, attendance keys counted by one plain `Attendance` requirement (a stage has
        # one per key; a plugin kind watching the same key sends it the slow way): (bit, need).
        self.fast: list[dict[str, tuple[int, int]]] = [
            {
                key: (watchers[0][0], watchers[0][1].count)
                for (kind, key), watchers in table_.items()
                if kind == "attended" and len(watchers) == 1 and type(watchers[0][1]) is Attendance
            }
            for table_ in self.watch
        ]
        self.stages_of: dict[tuple[str, str], list[int]] = {}
        for i, table_ in enumerate(self.watch):
            for k in table_:
                self.stages_of.setdefault(k, []).append(i)


class Engine:
    """Tracks trainees of any registered program from a journal of events.

    :param programs: the definitions to use; by default every installed plugin's.
    :param journal: where events live; by default a fresh `MemoryJournal`.
    :param hooks: plugin hooks to call (validation, observers); by default the plugins'.
    """

    def __init__(
        self,
        programs: ProgramRegistry | None = None,
        journal: Journal | None = None,
        *,
        hooks: Hooks | None = None,
    ) -> None:
        if programs is None or hooks is None:
            host = load_plugins()
            programs = programs if programs is not None else host.programs
            hooks = hooks if hooks is not None else host.hooks
        self.programs = programs
        self.hooks = hooks
        self.journal: Journal = journal if journal is not None else MemoryJournal()
        self._compiled: dict[int, _Compiled] = {}
        self._states: dict[str, TraineeState] = {}
        self._store: SnapshotJournal | None = None
        if isinstance(self.journal, SnapshotJournal):
            self._open_store(self.journal)
        else:
            self._ingest(list(self.journal.events()))

    # -- recording ---------------------------------------------------------------------------

    def record(
        self, *events: Event | Iterable[Event], expected_version: int | Mapping[str, int] | None = None
    ) -> list[Event]:
        """Validate and append events, update state, notify observers; return the new ones.

        Nothing is stored when any event of the batch is invalid. `expected_version` is passed
        to the journal: the journal's version, or a mapping trainee → that trainee's event
        count (`Journal.trainee_version`); a stale one raises `ConflictError`.
        """
        batch = [self._pin(e) for e in _flatten(events)]
        if self._store is not None:
            self.refresh()
            self._load_states({e.trainee for e in batch})
        self._validate(batch)
        fresh = self.journal.append(batch, expected_version=expected_version)
        touched = {e.trainee for e in fresh}
        before = {t: _stages_done(self._states[t]) for t in touched if t in self._states}
        if self._store is None:
            self._ingest(fresh)
        else:
            self.refresh()
            self._save_due(touched)
        for trainee in sorted(touched):
            self._notify(self._states[trainee], before.get(trainee, Counter()))
        return fresh

    def enrol(
        self,
        trainee: str,
        program: str,
        *,
        on: date,
        credential: str,
        track: str | None = None,
        co_leader: str | None = None,
        trainer: str | None = None,
        version: str | None = None,
    ) -> Enrolled:
        """Record an enrolment, pinning the program's current version; return the event."""
        event = Enrolled(
            trainee=trainee, program=program, on=on, credential=Credential(credential),
            track=track, co_leader=co_leader, trainer=trainer, version=version,
        )
        self.record(event)
        stored = self.journal.get(event.id)
        assert isinstance(stored, Enrolled)
        return stored

    def _pin(self, event: Event) -> Event:
        if isinstance(event, Enrolled) and event.version is None:
            version = self.programs.get(event.program).version
            return event.model_copy(update={"version": version})
        return event

    # -- validation (once, on record) --------------------------------------------------------

    def _validate(self, batch: Sequence[Event]) -> None:
        programs: dict[str, Program] = {
            t: st.program for t, st in self._states.items() if st.program is not None
        }
        batch_ids = {e.id: e for e in batch}
        for event in batch:  # a batch is a set of facts: its enrolments count wherever they stand
            if isinstance(event, Enrolled):
                program = self.programs.get(event.program, event.version)
                check_track(event, program)
                programs[event.trainee] = program
        for event in batch:
            if isinstance(event, Enrolled):
                continue
            program_ = programs.get(event.trainee)
            if program_ is None:
                known = sorted(programs)
                raise UnknownKeyError(
                    f"unknown trainee {event.trainee!r}: no enrolment is recorded",
                    where=f"event {event.id}", event=event,
                    fix=f"record their enrolment first; {did_you_mean(event.trainee, known)}",
                )
            check_keys(event, program_)
            if isinstance(event, Voided):
                self._check_void(event, batch_ids)
        if not self.hooks.validates_events():
            return
        stages = self._stages_before(batch)
        for event in batch:
            reasons = self.hooks.validate_event(event, programs[event.trainee], stages[event.id])
            if reasons:
                raise InvalidEventError(
                    "; ".join(reasons), event=event, where=f"event {event.id}",
                    fix="correct the event as the program's plugin asks",
                )

    def _stages_before(self, batch: Sequence[Event]) -> dict[str, str]:
        """Each batch event's trainee state just before it, in fold order (what plugins see)."""
        stages: dict[str, str] = {}
        by_trainee: dict[str, list[Event]] = {}
        for event in batch:
            by_trainee.setdefault(event.trainee, []).append(event)
        for trainee, events in by_trainee.items():
            self._fold(trainee, extra=events, seen=stages)
        return stages

    def _check_void(self, event: Voided, batch: dict[str, Event]) -> None:
        target = batch.get(event.target) or self.journal.get(event.target)
        if target is None:
            raise UnknownKeyError(
                f"cannot void {event.target!r}: no such event",
                where=f"event {event.id}", event=event,
                fix="name the id of a recorded event (`facilitrack log` shows them)",
            )
        if target.trainee != event.trainee:
            raise InvalidEventError(
                f"event {event.target} belongs to {target.trainee!r}, not {event.trainee!r}",
                event=event, where=f"event {event.id}", fix="void it under its own trainee",
            )
        if isinstance(target, Voided):
            raise InvalidEventError(
                "a void cannot be voided", event=event, where=f"event {event.id}",
                fix="record the voided event again, under a new id",
            )

    # -- the fold ----------------------------------------------------------------------------

    def _comp(self, program: Program) -> _Compiled:
        # Keyed by identity: definitions live in the registry as long as the engine does.
        comp = self._compiled.get(id(program))
        if comp is None:
            comp = self._compiled[id(program)] = _Compiled(program, self._on_advance)
        return comp

    def _ingest(self, events: Sequence[Event]) -> None:
        """Apply new events in arrival order; refold any trainee they would reorder.

        The common case — a session after the trainee's last event, in a stage that counts
        it — is handled inline: this loop is what replay speed is made of.
        """
        states = self._states
        refold: set[str] = set()
        for event in events:
            trainee = event.trainee
            st = states.get(trainee)
            if st is None:
                st = states[trainee] = TraineeState(trainee)
            elif refold and trainee in refold:
                continue
            kind = event.kind
            on = event.on
            last_on = st.last_on
            fast = st.fast
            if kind == "attended" and fast is not None:
                activity = event.activity  # type: ignore[union-attr]
                pair = fast.get(activity)
                if pair is not None and (on > last_on or _after_on_same_day(st, event, activity)):  # type: ignore[operator]
                    counts = st.counts
                    have = counts[activity] = counts.get(activity, 0) + 1
                    if have == pair[1]:
                        st.unmet &= ~pair[0]
                        if not st.unmet:
                            self._advance(st, event)
                    st.last_event, st.last_on = event, on
                    continue
            if kind == "voided":
                refold.add(trainee)
                continue
            if last_on is not None and on <= last_on:
                last = st.settled_key()
                if last is not None and order_key(event, st.program) < last:
                    refold.add(trainee)
                    continue
            self._apply(st, event)
            st.last_event, st.last_on = event, on
        for trainee in refold:
            states[trainee] = self._fold(trainee)

    def _fold(
        self,
        trainee: str,
        as_of: date | None = None,
        *,
        trace: bool = False,
        extra: Sequence[Event] = (),
        seen: dict[str, str] | None = None,
    ) -> TraineeState:
        """A trainee's state from scratch: their events up to `as_of`, voids removed, in order.

        :param extra: events not yet recorded, folded in as if they were (validation).
        :param seen: filled with each event's id → the trainee's state just before it.
        """
        stored = list(self._events_of(trainee))
        known = {e.id for e in stored}
        stored.extend(e for e in extra if e.id not in known)
        events = [e for e in stored if as_of is None or e.on <= as_of]
        voided = {e.target for e in events if isinstance(e, Voided)}
        live = [e for e in events if e.id not in voided and not isinstance(e, Voided)]
        enrolment = min((e for e in live if isinstance(e, Enrolled)), key=lambda e: e.on, default=None)
        program = self.programs.get(enrolment.program, enrolment.version) if enrolment else None
        keyed = sorted((order_key(e, program), e) for e in live)
        st = TraineeState(trainee)
        if trace:
            st.trace = {}
        for _, event in keyed:
            if seen is not None:
                seen[event.id] = st.state
            self._apply(st, event)
            st.last_event, st.last_on = event, event.on
        if seen is not None:  # voided events never fold; they meet the state they would void
            seen.update((e.id, seen.get(e.target, st.state)) for e in events if isinstance(e, Voided))
        return st

    def _apply(self, st: TraineeState, event: Event) -> None:
        kind = event.kind
        if kind == "attended":
            self._credit(st, event, "attended", event.activity)  # type: ignore[union-attr]
        elif kind == "artifact":
            self._credit(st, event, "artifact", event.artifact)  # type: ignore[union-attr]
        elif kind == "enrolled":
            self._enrolled(st, event)  # type: ignore[arg-type]
        elif kind == "waived":
            self._waived(st, event)  # type: ignore[arg-type]
        elif kind == "held":
            self._trigger(st, event, HOLD, "cannot put on hold")
        elif kind == "resumed":
            self._trigger(st, event, RESUME, "cannot resume")
        elif kind == "withdrawn":
            self._trigger(st, event, WITHDRAW, "cannot withdraw")

    def _problem(self, st: TraineeState, event: Event, reason: str) -> None:
        st.problems.append((event.on, event.id, reason))

    def _enrolled(self, st: TraineeState, event: Enrolled) -> None:
        if st.state not in (NOT_ENROLLED, WITHDRAWN):
            assert st.program is not None
            self._problem(
                st, event,
                f"already enrolled in {st.program.key} since {st.enrolled_on}; "
                "record a withdrawal before enrolling again",
            )
            return
        program = self.programs.get(event.program, event.version)
        st.program = program
        st.state = program.stages[0].key
        st.stage_index = 0
        st.counts, st.artifacts, st.waived = {}, {}, set()
        st.credential, st.co_leader, st.trainer = event.credential, event.co_leader, event.trainer
        st.track, st.enrolled_on = event.track, event.on
        self._open_stage(st)
        self._sync(st)
        self._advance(st, event)

    def _credit(self, st: TraineeState, event: Event, kind: str, key: str) -> None:
        program = st.program
        if program is None or st.state not in self._comp(program).stage_keys:
            self._problem(st, event, self._not_active(st, event))
            return
        comp = self._comp(program)
        watch = comp.watch[st.stage_index].get((kind, key))
        if watch is None:
            self._problem(st, event, self._wrong_stage(st, comp, kind, key, event.on))
            return
        if kind == "attended":
            st.counts[key] = st.counts.get(key, 0) + 1
        else:
            assert isinstance(event, ArtifactRecorded)
            refs = st.artifacts.setdefault(key, {})
            ref = event.ref or event.id
            refs[ref] = max(refs.get(ref, 0), event.status.rank)
        if st.trace is not None:
            st.trace.setdefault((program.stages[st.stage_index].key, key), []).append(event.on)
        for bit, req in watch:
            if st.unmet & bit and req.have(st) >= req.count:
                st.unmet &= ~bit
        if not st.unmet:
            self._advance(st, event)

    def _not_active(self, st: TraineeState, event: Event) -> str:
        if st.state == NOT_ENROLLED:
            return f"{st.trainee} was not enrolled on {event.on}; not credited"
        if st.state == ON_HOLD:
            return f"{st.trainee} was on hold on {event.on}; not credited"
        if st.state == WITHDRAWN:
            return f"{st.trainee} had withdrawn by {event.on}; not credited"
        return f"{st.trainee} was already certified by {event.on}; not credited"

    def _wrong_stage(self, st: TraineeState, comp: _Compiled, kind: str, key: str, on: date) -> str:
        stages = comp.stages_of.get((kind, key), [])
        titles = comp.program.stages
        later = [i for i in stages if i > st.stage_index]
        if later:
            return (
                f"{key} belongs to stage {titles[later[0]].key}, which {st.trainee} had not"
                f" reached on {on} (still in {titles[st.stage_index].key}); kept, not credited"
            )
        if stages:
            return f"{key} belongs to stage {titles[stages[-1]].key}, already completed; not credited"
        return f"{comp.program.ref} has no {kind} {key!r}; not credited"

    def _waived(self, st: TraineeState, event: Waived) -> None:
        program = st.program
        if program is None or st.state in (NOT_ENROLLED, WITHDRAWN, CERTIFIED):
            self._problem(st, event, self._not_active(st, event))
            return
        index = st.stage_index
        if event.stage is not None:
            index = next(i for i, s in enumerate(program.stages) if s.key == event.stage)
        stage = program.stages[index]
        req = stage.requirement(event.requirement)
        if req is None or not req.waivable:
            why = "has no requirement" if req is None else "does not allow waiving"
            self._problem(st, event, f"stage {stage.key} {why} {event.requirement!r}; not applied")
            return
        if index < st.stage_index:
            self._problem(st, event, f"stage {stage.key} was already completed; waiver not needed")
            return
        st.waived.add((stage.key, req.key))
        if index == st.stage_index and st.state != ON_HOLD:
            bit = 1 << stage.requirements.index(req)
            st.unmet &= ~bit
            self._advance(st, event)

    def _trigger(self, st: TraineeState, event: Event, trigger: str, verb: str) -> None:
        program = st.program
        if program is None or not self._comp(program).machine.can(trigger, st.state):
            self._problem(st, event, f"{verb}: {st.trainee} is {st.state.replace('_', ' ')}")
            return
        self._comp(program).machine.fire(trigger, st, event=event)
        self._sync(st)

    def _sync(self, st: TraineeState) -> None:
        """Point the fast path at the current stage's table, or off when not in a stage."""
        program = st.program
        if program is None:
            st.fast = None
            return
        comp = self._comp(program)
        st.fast = comp.fast[st.stage_index] if st.state in comp.stage_keys else None

    def _open_stage(self, st: TraineeState) -> None:
        """Count every requirement of the current stage once, as it opens."""
        assert st.program is not None
        stage = st.program.stages[st.stage_index]
        waived = st.waived
        unmet = 0
        for i, req in enumerate(stage.requirements):
            if req.have(st) < req.count and not (waived and (stage.key, req.key) in waived):
                unmet |= 1 << i
        st.unmet = unmet

    def _advance(self, st: TraineeState, event: Event) -> None:
        """Complete stages while their requirements are met (a stage may open already met)."""
        assert st.program is not None
        machine = self._comp(st.program).machine
        while not st.unmet and st.state not in (CERTIFIED, ON_HOLD, WITHDRAWN):
            if not machine.fire(ADVANCE, st, event=event):
                break

    def _on_advance(self, data: EventData) -> None:
        """The machine's ``after`` callback: issue the stage's record and open the next."""
        st = cast("TraineeState", data.model)
        event: Event = data.kwargs["event"]
        assert st.program is not None
        st.completed.append((st.program.stages[st.stage_index].key, event.on, event.id))
        st.stage_index += 1
        st.counts, st.artifacts = {}, {}
        if st.stage_index < len(st.program.stages):
            self._open_stage(st)
        self._sync(st)

    def _notify(self, st: TraineeState, before: Counter[str]) -> None:
        """Tell observers of stages completed by this record call (a re-dated one is not new)."""
        program = st.program
        if program is None:
            return
        new = _stages_done(st) - before
        for stage_key, on, _ in st.completed:
            if not new[stage_key]:
                continue
            new[stage_key] -= 1
            self.hooks.stage_completed(st.trainee, program, stage_key, on)
            stage = program.stage(stage_key)
            if stage is not None and stage.certificate is not None:
                self.hooks.certificate_issued(st.trainee, program, stage_key, stage.certificate, on)

    # -- queries -----------------------------------------------------------------------------

    def trainees(self) -> list[str]:
        """Every trainee with an event, sorted."""
        if self._store is not None:
            return self._store.trainees(upto=self._seen)
        return sorted(self._states)

    def state(self, trainee: str, as_of: date | None = None) -> TraineeState:
        """The raw folded state (for requirement kinds and tools); `status` is the report."""
        self._load_states((trainee,))
        if trainee not in self._states:
            raise UnknownKeyError(
                f"unknown trainee {trainee!r}",
                fix=did_you_mean(trainee, self.trainees()),
            )
        return self._states[trainee] if as_of is None else self._fold(trainee, as_of)

    def status(self, trainee: str, *, as_of: date | None = None) -> TraineeStatus:
        """Where `trainee` stands now, or as of a past date."""
        st = self.state(trainee, as_of)
        progress = self._progress(st)
        return self._status(st, [p for p in progress if not p.met], as_of)

    def statuses(self, *, as_of: date | None = None) -> list[TraineeStatus]:
        """Every trainee's status, by id."""
        return [self.status(t, as_of=as_of) for t in self.trainees()]

    def explain(self, trainee: str, *, as_of: date | None = None) -> Explanation:
        """Each requirement of the current stage with have/need and the dates that counted."""
        self.state(trainee)  # raises for an unknown trainee
        st = self._fold(trainee, as_of, trace=True)
        progress = self._progress(st)
        program = st.program
        next_stage = next_title = next_cert = None
        if program is not None and st.state not in (CERTIFIED, WITHDRAWN, NOT_ENROLLED):
            following = program.stages[st.stage_index + 1 :]
            if following:
                next_stage, next_title = following[0].key, following[0].title
            else:
                next_stage, next_title = CERTIFIED, "Certified"
            cert = program.stages[st.stage_index].certificate
            next_cert = cert.title if cert else None
        return Explanation(
            status=self._status(st, [p for p in progress if not p.met], as_of),
            requirements=progress,
            next_stage=next_stage,
            next_title=next_title,
            next_certificate=next_cert,
        )

    def _progress(self, st: TraineeState) -> list[Progress]:
        program = st.program
        if program is None or st.state in (CERTIFIED, WITHDRAWN, NOT_ENROLLED):
            return []
        stage = program.stages[st.stage_index]
        trace = st.trace or {}
        return [
            Progress(
                stage=stage.key, requirement=req.key, kind=req.kind, title=req.label(),
                have=req.have(st), need=req.count, waived=(stage.key, req.key) in st.waived,
                source=req.source, note=req.note, dates=trace.get((stage.key, req.key), []),
            )
            for req in stage.requirements
        ]

    def _status(self, st: TraineeState, missing: list[Progress], as_of: date | None) -> TraineeStatus:
        program = st.program
        certificates = []
        for stage_key, on, event_id in st.completed:
            stage = program.stage(stage_key) if program else None
            if stage is not None and stage.certificate is not None:
                certificates.append(
                    IssuedCertificate(stage=stage_key, title=stage.certificate.title, on=on, event=event_id)
                )
        return TraineeStatus(
            id=st.trainee,
            program=program.key if program else None,
            version=program.version if program else None,
            track=st.track,
            stage=st.state,
            stage_title=_state_title(st),
            certified=st.state == CERTIFIED,
            certificates=certificates,
            missing=missing,
            problems=[Problem(event=e, on=on, reason=r) for on, e, r in sorted(st.problems)],
            as_of=as_of,
        )

    # -- snapshots: journals that cache state ------------------------------------------------
    #
    # With a `SnapshotJournal` the engine keeps `_seen`, the journal version its states
    # reflect, and reads events only by position: a trainee's state is their snapshot (if
    # any) plus their events in (snapshot, _seen]; `refresh` moves `_seen` forward over what
    # any writer appended. Because every read is bounded by `_seen`, no event is ever taken
    # in twice, even while other processes write.

    #: A trainee's cached state is rewritten once this many of their events came after it
    #: (measured: cheaper than every append, and a load folds at most this many events).
    snapshot_every = 32

    def _open_store(self, store: SnapshotJournal) -> None:
        self._store = store
        self._seen = store.version
        self._unsaved: dict[str, int] = {}  # trainee → their events since their snapshot
        self._tag = snapshot_tag()

    def refresh(self) -> None:
        """Take in events other writers appended since this engine last read the journal.

        `record` does this before validating and after appending; call it before queries in
        a long-lived process that shares its journal. A no-op for journals without snapshots,
        whose engine sees every event it records.
        """
        store = self._store
        if store is None:
            return
        news = list(store.events_after(self._seen))
        if not news:
            return
        events = [stored.event for stored in news]
        self._load_states({e.trainee for e in events})
        self._seen = news[-1].seq
        self._ingest(events)
        unsaved = self._unsaved
        for event in events:
            unsaved[event.trainee] = unsaved.get(event.trainee, 0) + 1

    def _load_states(self, trainees: Iterable[str]) -> None:
        """Bring the named trainees' states into memory: snapshot, then their later events."""
        store = self._store
        if store is None:
            return
        for trainee in trainees:
            if trainee in self._states:
                continue
            since = 0
            snap = store.load_snapshot(trainee, self._tag)
            if snap is not None and snap[0] <= self._seen:
                since, data = snap
                st = self._states[trainee] = TraineeState.load(data, self._program_of(data["program"]))
                self._sync(st)  # the fast path's table is not part of the snapshot
            later = [s.event for s in store.events_after(since, trainee, upto=self._seen)]
            if later:
                self._ingest(later)
            self._unsaved[trainee] = len(later)

    def _program_of(self, ref: str | None) -> Program | None:
        if ref is None:
            return None
        key, _, version = ref.rpartition("@")
        return self.programs.get(key, version)

    def _events_of(self, trainee: str) -> Iterator[Event]:
        """A trainee's stored events, in arrival order, up to the version states reflect."""
        if self._store is None:
            return self.journal.events(trainee)
        return (s.event for s in self._store.events_after(0, trainee, upto=self._seen))

    def _save_due(self, trainees: Iterable[str]) -> None:
        """Cache the states of `trainees` that enough new events have changed."""
        assert self._store is not None
        due = sorted(
            t for t in trainees if t in self._states and self._unsaved.get(t, 0) >= self.snapshot_every
        )
        if due:
            states = [(t, self._states[t].dump()) for t in due]
            self._store.save_snapshot(states, version=self._seen, tag=self._tag)
            for trainee in due:
                self._unsaved[trainee] = 0

    def check_snapshots(self) -> list[str]:
        """Trainees whose cached state differs from a fold of their events, naming the fields.

        Empty for journals without snapshots (their state is always a fold).
        """
        if self._store is None:
            return []
        out = []
        for trainee in self.trainees():
            self._load_states((trainee,))
            cached = _comparable(self._states[trainee].dump())
            rebuilt = _comparable(self._fold(trainee).dump())
            if cached != rebuilt:
                fields = ", ".join(sorted(k for k in cached if cached[k] != rebuilt.get(k)))
                out.append(f"{trainee}: the cached state differs from a replay of the journal in {fields}")
        return out


@cache
def snapshot_tag() -> str:
    """What cached states are valid for: the snapshot format and the facilitrack release."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("facilitrack")
    except PackageNotFoundError:  # running from a source tree
        release = "source"
    return f"{SNAPSHOT_FORMAT}/{release}"


def _comparable(dump: dict[str, Any]) -> dict[str, Any]:
    """A state dump as JSON would carry it (tuples as lists), for comparing two."""
    data: dict[str, Any] = json.loads(json.dumps(dump))
    return data


def _after_on_same_day(st: TraineeState, event: Event, activity: str) -> bool:
    """Whether a session dated like the last applied one also sorts after it (cheap check)."""
    last = st.last_event
    if type(last) is not Attended or last.on != event.on:
        return False
    assert st.program is not None  # a fast table implies an enrolment
    stages = st.program.activity_stage
    # The last session may belong to an earlier enrolment's program: .get, not [].
    mine, theirs = stages[activity], stages.get(last.activity, 0)
    return mine > theirs or (mine == theirs and event.id > last.id)


def _stages_done(st: TraineeState) -> Counter[str]:
    return Counter(stage for stage, _, _ in st.completed)


def _state_title(st: TraineeState) -> str:
    program = st.program
    if program is None:
        return "Not enrolled"
    if st.state == CERTIFIED:
        return "Certified"
    if st.state == WITHDRAWN:
        return "Withdrawn"
    title = program.stages[min(st.stage_index, len(program.stages) - 1)].title
    return f"On hold ({title})" if st.state == ON_HOLD else title


def _flatten(items: Sequence[Event | Iterable[Event]]) -> list[Event]:
    """`record(a, b)` and `record([a, b])` alike (an event is itself iterable: pydantic)."""
    out: list[Event] = []
    for item in items:
        if isinstance(item, EventBase):
            out.append(item)
        else:
            out.extend(item)
    return out
