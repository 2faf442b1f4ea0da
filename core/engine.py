"""The engine: record events, fold them into trainee state, answer status and explain.

State is a fold of each trainee's journal in the order `events` defines. New events that come
after a trainee's last one are applied in place; one that lands earlier, or a void, makes the
engine refold that trainee from the journal — so the answer never depends on arrival order.
Validation happens once, when an event is recorded; replays trust the journal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, cast

from transitions import EventData

from .errors import InvalidEventError, UnknownKeyError, did_you_mean
from .events import RANK, ArtifactRecorded, Attended, Enrolled, Event, Voided, Waived
from .journal import Journal, MemoryJournal
from .machine import ADVANCE, HOLD, RESUME, WITHDRAW, PathwayMachine
from .plugins import Hooks, load_plugins
from .program import CERTIFIED, ON_HOLD, WITHDRAWN, Program
from .registry import ProgramRegistry
from .requirements import Credential, Requirement
from .state import NOT_ENROLLED, TraineeState
from .status import Explanation, IssuedCertificate, Problem, Progress, TraineeStatus

OrderKey = tuple[date, int, int, str]
_Watch = tuple[tuple[int, Requirement], ...]


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
        self._compiled: dict[str, _Compiled] = {}
        self._states: dict[str, TraineeState] = {}
        self._ingest(list(self.journal.events()))

    # -- recording ---------------------------------------------------------------------------

    def record(self, *events: Event | Iterable[Event], expected_version: int | None = None) -> list[Event]:
        """Validate and append events, update state, notify observers; return the new ones.

        Nothing is stored when any event of the batch is invalid.
        """
        batch = [self._pin(e) for e in _flatten(events)]
        self._validate(batch)
        fresh = self.journal.append(batch, expected_version=expected_version)
        touched = {e.trainee for e in fresh}
        before = {t: _stages_done(self._states[t]) for t in touched if t in self._states}
        self._ingest(fresh)
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
        for event in batch:
            if isinstance(event, Enrolled):
                program = self.programs.get(event.program, event.version)
                _check_track(event, program)
                programs[event.trainee] = program
                continue
            program_ = programs.get(event.trainee)
            if program_ is None:
                known = sorted(programs)
                raise UnknownKeyError(
                    f"unknown trainee {event.trainee!r}: no enrolment is recorded",
                    where=f"event {event.id}",
                    fix=f"record their enrolment first; {did_you_mean(event.trainee, known)}",
                )
            _check_keys(event, program_)
            if isinstance(event, Voided):
                self._check_void(event, batch_ids)
        for event in batch:
            program = programs[event.trainee]
            st = self._states.get(event.trainee)
            reasons = self.hooks.validate_event(event, program, st.state if st else NOT_ENROLLED)
            if reasons:
                raise InvalidEventError(
                    "; ".join(reasons), event=event, where=f"event {event.id}",
                    fix="correct the event as the program's plugin asks",
                )

    def _check_void(self, event: Voided, batch: dict[str, Event]) -> None:
        target = batch.get(event.target) or self.journal.get(event.target)
        if target is None:
            raise UnknownKeyError(
                f"cannot void {event.target!r}: no such event",
                where=f"event {event.id}",
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
        comp = self._compiled.get(program.ref)
        if comp is None:
            comp = self._compiled[program.ref] = _Compiled(program, self._on_advance)
        return comp

    def _order_key(self, event: Event, program: Program | None) -> OrderKey:
        stage = 0
        if program is not None and isinstance(event, Attended | ArtifactRecorded):
            key = event.activity if isinstance(event, Attended) else event.artifact
            stage = program.first_stage_of.get((event.kind, key), 0)
        return (event.on, RANK[event.kind], stage, event.id)

    def _ingest(self, events: Sequence[Event]) -> None:
        """Apply new events in arrival order; refold any trainee they would reorder."""
        states = self._states
        refold: set[str] = set()
        for event in events:
            trainee = event.trainee
            if trainee in refold:
                continue
            st = states.get(trainee)
            if st is None:
                st = states[trainee] = TraineeState(trainee)
            if event.kind == "voided":
                refold.add(trainee)
                continue
            key = self._order_key(event, st.program)
            if st.last_key is not None and key < st.last_key:
                refold.add(trainee)
                continue
            self._apply(st, event)
            st.last_key = key
        for trainee in refold:
            states[trainee] = self._fold(trainee)

    def _fold(self, trainee: str, as_of: date | None = None, *, trace: bool = False) -> TraineeState:
        """A trainee's state from scratch: their events up to `as_of`, voids removed, in order."""
        events = [e for e in self.journal.events(trainee) if as_of is None or e.on <= as_of]
        voided = {e.target for e in events if isinstance(e, Voided)}
        live = [e for e in events if e.id not in voided and not isinstance(e, Voided)]
        enrolment = min((e for e in live if isinstance(e, Enrolled)), key=lambda e: e.on, default=None)
        program = self.programs.get(enrolment.program, enrolment.version) if enrolment else None
        keyed = sorted((self._order_key(e, program), e) for e in live)
        st = TraineeState(trainee)
        if trace:
            st.trace = {}
        for key, event in keyed:
            self._apply(st, event)
            st.last_key = key
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

    def _open_stage(self, st: TraineeState) -> None:
        """Count every requirement of the current stage once, as it opens."""
        assert st.program is not None
        stage = st.program.stages[st.stage_index]
        unmet = 0
        for i, req in enumerate(stage.requirements):
            if (stage.key, req.key) not in st.waived and req.have(st) < req.count:
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
        return sorted(self._states)

    def state(self, trainee: str, as_of: date | None = None) -> TraineeState:
        """The raw folded state (for requirement kinds and tools); `status` is the report."""
        if trainee not in self._states:
            raise UnknownKeyError(
                f"unknown trainee {trainee!r}",
                fix=did_you_mean(trainee, list(self._states)),
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


def _check_track(event: Enrolled, program: Program) -> None:
    tracks = [t.key for t in program.tracks]
    if event.track is not None and event.track not in tracks:
        raise UnknownKeyError(
            f"program {program.key} has no track {event.track!r}",
            where=f"event {event.id}",
            fix=did_you_mean(event.track, tracks) if tracks else f"{program.key} has no tracks",
        )


def _check_keys(event: Event, program: Program) -> None:
    if isinstance(event, Attended | ArtifactRecorded):
        noun = "activity" if isinstance(event, Attended) else "artifact"
        key = event.activity if isinstance(event, Attended) else event.artifact
        known = program.keys_of(event.kind)
        if key not in known:
            raise UnknownKeyError(
                f"{program.key} has no {noun} {key!r}",
                where=f"event {event.id}",
                fix=did_you_mean(key, known),
            )
    elif isinstance(event, Waived):
        stages = [program.stage(event.stage)] if event.stage else list(program.stages)
        if stages == [None]:
            raise UnknownKeyError(
                f"{program.key} has no stage {event.stage!r}",
                where=f"event {event.id}",
                fix=did_you_mean(event.stage or "", [s.key for s in program.stages]),
            )
        reqs = [r for s in stages if s is not None for r in s.requirements]
        match = [r for r in reqs if r.key == event.requirement]
        if not match:
            raise UnknownKeyError(
                f"{program.key} has no requirement {event.requirement!r} to waive",
                where=f"event {event.id}",
                fix=did_you_mean(event.requirement, sorted({r.key for r in reqs})),
            )
        if not any(r.waivable for r in match):
            raise InvalidEventError(
                f"{program.key} does not allow waiving {event.requirement!r}",
                event=event, where=f"event {event.id}",
                fix="only requirements marked `waivable` in the definition can be waived",
            )


def _flatten(items: Sequence[Event | Iterable[Event]]) -> list[Event]:
    out: list[Event] = []
    for item in items:
        if isinstance(item, Iterable) and not hasattr(item, "kind"):
            out.extend(item)
        else:
            out.append(item)  # type: ignore[arg-type]
    return out
