"""The engine: record events, fold them into person state, answer status and explain.

State is a fold of each person's journal in the order `facilitrack._model.events` defines. New
events that sort after a person's last one are applied in place; one that lands earlier, a void
or a second enrolment makes the engine fold that person again from the journal — so the answer
never depends on arrival order. Validation happens once, when an event is recorded; replays
trust the journal. The parts: `Folder` applies events, `Answers` builds the output models,
`StateCache` keeps states of a store that caches them, `check_batch` validates.

On a journal that caches state (`SnapshotJournal`, e.g. `SQLiteJournal`) the engine reads
nothing when it opens: each person's state is loaded when first needed, from their cached
snapshot plus only their events stored after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, date, datetime
from typing import Any

from .._errors import InvalidEventError, UnknownKeyError, did_you_mean
from .._host.plugins import Hooks, load_plugins
from .._host.registry import ProgramRegistry
from .._journal import Journal, MemoryJournal, SnapshotJournal
from .._model.events import Enrolled, Event, EventBase, PersonRecorded, Voided
from .._model.issuer import Contact
from .._model.program import NOT_ENROLLED, Program
from .answers import Answers
from .cache import StateCache
from .certificates import certification_day, periods
from .context import PersonFacts, holds
from .fold import Folder, live_events
from .observers import Marks, Notice, certificate_marks, notices
from .state import EnrolmentState, PersonState
from .status import Certificate, Explanation, Progress, TraineeStatus
from .validation import check_batch


class Engine:
    """Tracks people enrolled in any registered program, from a journal of events.

    :param programs: the definitions to use; by default every installed plugin's.
    :param journal: where events live; by default a fresh `MemoryJournal`.
    :param hooks: plugin hooks to call (validation, observers); by default the plugins'.
    :param people: how statuses name each person (`Contact`s by id): a cohort file's rows, a
        store's people directory. Tracking needs none of it.
    """

    #: With a store that caches states, a person's cached state is rewritten once this many of
    #: their events came after it (measured: cheaper than every append, and a load folds at
    #: most this many events).
    snapshot_every = 32

    def __init__(
        self,
        programs: ProgramRegistry | None = None,
        journal: Journal | None = None,
        *,
        hooks: Hooks | None = None,
        people: Mapping[str, Contact] | None = None,
    ) -> None:
        if programs is None or hooks is None:
            host = load_plugins()
            programs = programs if programs is not None else host.programs
            hooks = hooks if hooks is not None else host.hooks
        self.programs = programs
        self.hooks = hooks
        self.journal: Journal = journal if journal is not None else MemoryJournal()
        self._folder = Folder(programs, self)
        self._answers = Answers(self._folder, people)
        self._persons: dict[str, PersonState] = {}
        #: People read from the journal but not folded yet: their events, or None where the
        #: journal keeps each person's events apart (`MemoryJournal`) and is read when needed.
        self._pending: dict[str, list[Event] | None] = {}
        self._folding: set[str] = set()
        self._dependents: dict[str, set[str]] = {}
        self._cache: StateCache | None = None
        #: Observer calls held by `observers_after` until its block ends (None: call at once).
        self._held: list[Notice] | None = None
        if isinstance(self.journal, SnapshotJournal):
            self._cache = StateCache(self.journal, self._folder)
        elif isinstance(self.journal, MemoryJournal):
            self._pending = dict.fromkeys(self.journal.trainees())
            self._check_pinned(self.journal.pinned())
        else:
            pending: dict[str, list[Event]] = {}
            pinned: set[tuple[str, str | None]] = set()
            for event in self.journal.events():
                mine = pending.get(event.trainee)
                if mine is None:
                    mine = pending[event.trainee] = []
                mine.append(event)
                if event.kind == "enrolled":
                    pinned.add((event.program, event.version))
            self._pending = dict(pending)
            self._check_pinned(pinned)

    def _check_pinned(self, pinned: Iterable[tuple[str, str | None]]) -> None:
        for key, version in pinned:
            self.programs.get(key, version)  # a pinned version must be installed

    # -- recording -----------------------------------------------------------------------------

    def record(
        self, *events: Event | Iterable[Event], expected_version: int | Mapping[str, int] | None = None
    ) -> list[Event]:
        """Validate and append events, update state, notify observers; return the new ones.

        Nothing is stored when any event of the batch is invalid. `expected_version` is passed
        to the journal: the journal's version, or a mapping trainee → that trainee's event
        count (`Journal.trainee_version`); a stale one raises `ConflictError`.
        """
        batch = [self._pin(e) for e in _flatten(events)]
        persons = sorted({e.trainee for e in batch})
        self.refresh()
        new = self._new(batch)
        hooked = bool(new) and self.hooks.validates_events()
        states = check_batch(self._folder, batch, self._events_of, self.journal.get, trainees=self.trainees,
                             live=self._state, need_states=hooked)
        if hooked:
            for event in new:
                state, program = states.get(event.id, (NOT_ENROLLED, None))
                if program is None:
                    continue
                reasons = self.hooks.validate_event(event, program, state)
                if reasons:
                    raise InvalidEventError(
                        "; ".join(reasons), event=event, where=f"event {event.id}",
                        fix="correct the event as the program's plugin asks",
                    )
        before = {p: certificate_marks(self._state(p)) for p in persons}
        fresh = self._append(batch, expected_version)
        if self._cache is None:
            self._ingest(fresh)
        elif self._cache.store.version == self._cache.seen + len(fresh):
            self._take(fresh)  # nobody else wrote meanwhile: ours, as appended, without reading back
        else:
            self.refresh()
        touched = {e.trainee for e in fresh}
        before.update(self._revisit_dependents(touched))
        if self._cache is not None:
            self._cache.save_due(self._persons, self.snapshot_every)
        told = [p for p in sorted(touched | set(before)) if p in touched or p not in persons]
        calls = [call for p in told for call in notices(self.hooks, p, self._state(p), before.get(p, {}))]
        if self._held is not None:
            self._held += calls
        else:
            for call in calls:
                call()
        return fresh

    @contextmanager
    def observers_after(self) -> Iterator[None]:
        """Hold what `record` tells observers until the block ends, then tell them; an error in
        the block drops it. Recording into a store inside its transaction this way, observers
        hear of events once they are committed, and one that fails cannot take them back."""
        if self._held is not None:  # already holding: the outer block tells them
            yield
            return
        held: list[Notice] = []
        self._held = held
        try:
            yield
        finally:
            self._held = None
        for call in held:
            call()

    def _append(self, batch: list[Event], expected: int | Mapping[str, int] | None) -> list[Event]:
        return self.journal.append(batch, expected_version=expected)

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
            trainee=trainee, program=program, on=on, credential=credential,
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

    def _new(self, batch: Sequence[Event]) -> list[Event]:
        """Events of the batch not already stored (validation hooks see each fact once)."""
        out: dict[str, Event] = {}
        for event in batch:
            if event.id not in out and self.journal.get(event.id) is None:
                out[event.id] = event
        return list(out.values())

    # -- taking events in ------------------------------------------------------------------------

    def _ingest(self, events: Sequence[Event]) -> None:
        """Apply new events in arrival order; fold again any person they would reorder."""
        refold: set[str] = set()
        for event in events:
            person = event.trainee
            if person in refold:
                continue
            ps = self._persons.get(person)
            if ps is None and person not in self._pending:
                ps = self._persons[person] = PersonState(person)
            if ps is None:
                continue  # folded from the journal when first asked
            reorders = isinstance(event, Voided) or (isinstance(event, Enrolled) and bool(ps.enrolments))
            if reorders or not self._folder.sorts_after(ps, event):
                refold.add(person)
                continue
            self._folder.apply(ps, event)
            self._index(ps)
        for person in refold:
            self._persons.pop(person, None)
            self._pending.pop(person, None)
            self._persons[person] = self._fold(person)

    def _fold(
        self, person: str, events: Iterable[Event] | None = None, *, trace: bool = False
    ) -> PersonState:
        self._folding.add(person)
        try:
            ps = self._folder.fold(person, self._events_of(person) if events is None else events, trace=trace)
        finally:
            self._folding.discard(person)
        self._index(ps)
        return ps

    def _index(self, ps: PersonState) -> None:
        for other, _ in ps.consulted:
            self._dependents.setdefault(other, set()).add(ps.id)

    def _revisit_dependents(self, changed: set[str]) -> dict[str, Marks]:
        """Fold again the people whose answers about `changed` people no longer hold; return
        what each held before."""
        refolded: dict[str, Marks] = {}
        queue = sorted(changed)
        while queue:
            other = queue.pop()
            for person in sorted(self._dependents.get(other, ())):
                ps = self._persons.get(person)
                if ps is None or person in refolded or not self._stale(ps):
                    continue
                refolded[person] = certificate_marks(ps)
                self._persons[person] = self._fold(person)
                queue.append(person)
        return refolded

    def _stale(self, ps: PersonState) -> bool:
        """Whether any answer about another person that `ps`'s fold relied on has changed."""
        for (other, question), answer in ps.consulted.items():
            if self._answer(other, question) != answer:
                return True
        return False

    def _answer(self, person: str, question: str) -> bool:
        known = self.facts_of(person)
        if question == "known":
            return known is not None
        asked, _, day = question.partition("@")
        _, program_key, role = asked.split(":", 2)
        programs = list(self.programs.versions(program_key))
        if known is None or not programs:
            return False
        return holds(known.on(date.fromisoformat(day), program_key), programs[-1].words, role)

    # -- the directory the fold asks about other people (`Directory`) ----------------------------

    def facts(self, person: str, program: Program, on: date) -> PersonFacts | None:
        """What holds of `person` on day `on`, for `program`'s rules (None: nobody it knows)."""
        known = self.facts_of(person)
        return None if known is None else known.on(on, program.key)

    def facts_of(self, person: str) -> _Known | None:
        if person in self._folding:
            events = self._events_of(person)
            return _Known.of_events(events) if events else None
        ps = self._state(person)
        if ps is None:
            return None
        return _Known.of_state(ps)

    # -- reading the journal ---------------------------------------------------------------------

    def _events_of(self, person: str) -> list[Event]:
        """A person's stored events, in arrival order (up to the version states reflect)."""
        if person in self._pending:
            pending = self._pending[person]
            if pending is None:  # read once, kept until folded
                pending = self._pending[person] = list(self.journal.events(person))
            return pending
        if self._cache is not None:
            return self._cache.events_of(person)
        return list(self.journal.events(person))

    def _state(self, person: str) -> PersonState | None:
        """A person's live state (folded or loaded on first use); None for an unknown person."""
        ps = self._persons.get(person)
        if ps is not None:
            return ps
        if person in self._pending:
            ps = self._persons[person] = self._fold(person)
            del self._pending[person]
            if not self._pending:
                self._pending = {}  # a dict keeps its table when emptied: let it go
            return ps
        if self._cache is not None:
            loaded = self._cache.load(person, self._stale)
            if loaded is not None:
                self._persons[person] = loaded
                self._index(loaded)
                return loaded
        return None

    def refresh(self) -> None:
        """Take in events other writers appended since this engine last read the journal.

        `record` does this before validating; call it before queries in a long-lived process
        that shares its store. A no-op for journals without snapshots, whose engine sees every
        event it records.
        """
        if self._cache is None:
            return
        news = self._cache.news()
        if news:
            self._take(news)

    def _take(self, news: list[Event]) -> None:
        """Apply events the store holds after `seen`, in stored order, and move `seen` past them."""
        assert self._cache is not None
        for person in dict.fromkeys(e.trainee for e in news):
            self._state(person)  # their state up to what was read before
        self._cache.taken(news)
        self._ingest(news)

    # -- queries ---------------------------------------------------------------------------------

    def trainees(self) -> list[str]:
        """Every person with an event other than `PersonRecorded` details, sorted."""
        if self._cache is not None:
            return self._cache.trainees()
        people = set(self._pending) | set(self._persons)
        return sorted(p for p in people if any(e.kind != "person" for e in self._events_of(p)))

    def state(
        self, trainee: str, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> PersonState:
        """The raw folded state (for tools and tests); `status` is the report."""
        known_at = _utc(known_at)
        ps = self._state(trainee)
        if ps is None:
            raise UnknownKeyError(f"unknown trainee {trainee!r}", fix=did_you_mean(trainee, self.trainees()))
        if as_of is None and known_at is None:
            return ps
        return self._view_fold(trainee, as_of, known_at)

    def _view_fold(self, person: str, as_of: date | None, known_at: datetime | None, *,
                   trace: bool = False) -> PersonState:
        """A person folded from their events as of a day / as known at a time, other people
        looked up in the same view."""
        history = self._history(person, as_of, known_at)
        if as_of is None and known_at is None:
            return self._fold(person, history, trace=trace)
        with self._folder.using(_View(self, as_of, known_at)):
            return self._folder.fold(person, history, trace=trace)

    def _history(self, person: str, as_of: date | None, known_at: datetime | None,
                 events: list[Event] | None = None, *, before: int | None = None) -> list[Event]:
        """A person's events as of a day (voids apply whatever their date), as known at a time,
        and stored before journal position `before`."""
        chosen = list(events if events is not None else self._events_of(person))
        if before is not None:
            stored = {s.event.id for s in self.journal.events_after(0, person, upto=before - 1)}
            chosen = [e for e in chosen if e.id in stored]
        if known_at is not None:
            recorded = self._recorded_at(person)
            chosen = [e for e in chosen if recorded.get(e.id) is None or recorded[e.id] <= known_at]
        if as_of is not None:
            chosen = [e for e in chosen if isinstance(e, Voided) or e.on <= as_of]
        return chosen

    def _recorded_at(self, person: str) -> dict[str, datetime]:
        return {s.event.id: s.recorded_at for s in self.journal.events_after(0, person)}

    def _known_by(self, person: str, known_at: datetime) -> bool:
        """Whether an event other than person details was recorded for `person` by `known_at`."""
        return any(s.recorded_at <= known_at and s.event.kind != "person"
                   for s in self.journal.events_after(0, person))

    def status(
        self, trainee: str, *, program: str | None = None, as_of: date | None = None,
        known_at: datetime | None = None, today: date | None = None,
    ) -> TraineeStatus:
        """Where `trainee` stands (in `program`, or their latest enrolment): now, as of a past day
        (work dated up to it), or as known at a time (events recorded up to it; a naive time is
        UTC, as stores record)."""
        known_at = _utc(known_at)
        ps = self.state(trainee, as_of=as_of, known_at=known_at)
        enrolment = _pick(ps, program, trainee)
        revoked = self._revoked(trainee, enrolment, as_of, known_at)
        with self._in_view(as_of, known_at):
            return self._answers.status(
                ps, enrolment, as_of=as_of, known_at=known_at, today=today, revoked=revoked,
                orphans=enrolment is None or enrolment is ps.enrolments[0],
            )

    def statuses(self, *, as_of: date | None = None, known_at: datetime | None = None,
                 today: date | None = None) -> list[TraineeStatus]:
        """Every enrolment's status (a person with none: one not-enrolled status), by person;
        as known at a time, only the people recorded by then."""
        known_at = _utc(known_at)
        out = []
        for trainee in self.trainees():
            if known_at is not None and not self._known_by(trainee, known_at):
                continue
            ps = self.state(trainee, as_of=as_of, known_at=known_at)
            enrolments: list[EnrolmentState | None] = list(ps.enrolments) or [None]
            for i, enrolment in enumerate(enrolments):
                revoked = self._revoked(trainee, enrolment, as_of, known_at)
                with self._in_view(as_of, known_at):
                    out.append(self._answers.status(
                        ps, enrolment, as_of=as_of, known_at=known_at, today=today, orphans=i == 0,
                        revoked=revoked,
                    ))
        return out

    def explain(
        self, trainee: str, *, program: str | None = None, as_of: date | None = None,
        known_at: datetime | None = None, today: date | None = None,
    ) -> Explanation:
        """Each requirement of the current stage with have/need and the dates that counted."""
        known_at = _utc(known_at)
        self.state(trainee)  # raises for an unknown trainee
        ps = self._view_fold(trainee, as_of, known_at, trace=True)
        enrolment = _pick(ps, program, trainee)
        revoked = self._revoked(trainee, enrolment, as_of, known_at)
        with self._in_view(as_of, known_at):
            status = self._answers.status(
                ps, enrolment, as_of=as_of, known_at=known_at, today=today, revoked=revoked,
                orphans=enrolment is None or enrolment is ps.enrolments[0],
            )
            return self._answers.explanation(ps, enrolment, status, as_of or today or date.today())

    def progress(
        self, trainee: str, *, program: str | None = None, as_of: date | None = None,
        known_at: datetime | None = None, today: date | None = None,
    ) -> dict[str, list[Progress]]:
        """Every stage's requirements of an enrolment, with have/need and the days that counted
        (a completed stage's: what its certificate rests on)."""
        known_at = _utc(known_at)
        self.state(trainee)  # raises for an unknown trainee
        ps = self._view_fold(trainee, as_of, known_at, trace=True)
        enrolment = _pick(ps, program, trainee)
        if enrolment is None:
            return {}
        with self._in_view(as_of, known_at):
            return self._answers.stages(ps, enrolment, as_of or today or date.today())

    def _in_view(self, as_of: date | None, known_at: datetime | None) -> AbstractContextManager[None]:
        """Answers about other people from the same view as the fold (nothing to do for now)."""
        if as_of is None and known_at is None:
            return nullcontext()
        return self._folder.using(_View(self, as_of, known_at))

    # -- revocations -----------------------------------------------------------------------------

    def _revoked(self, person: str, enrolment: EnrolmentState | None, as_of: date | None,
                 known_at: datetime | None) -> list[Certificate]:
        """Certificates the journal once gave this enrolment that a later void took back.

        A void of the person's own events, or of an event of someone their answers rest on (a
        trainer's listing): a certificate period held as the journal stood just before the void
        was stored, not held just after it, and not held now was revoked by it (by the latest
        such void).
        """
        ps = self._state(person)
        if enrolment is None or ps is None:
            return []
        voids = self._voids_around(ps, known_at)
        if not voids:
            return []
        now = {key for key, _ in _period_keys(self._view_fold(person, as_of, known_at))}
        gone: dict[PeriodKey, tuple[Any, date]] = {}
        for seq, void in voids:
            if as_of is not None and void.on > as_of:
                continue
            before, after = (dict(_period_keys(self._known_before(person, as_of, known_at, limit)))
                             for limit in (seq, seq + 1))
            for key, period in before.items():
                if key not in now and key not in after:
                    gone[key] = (period, void.on)
        mine = enrolment.enrolment.id
        return [
            Certificate(stage=p.stage, title=p.title, on=p.issued, event=p.event, expires=p.expires,
                        status="revoked", revoked_on=void_on)
            for (enrolment_id, _, _), (p, void_on) in sorted(gone.items(), key=lambda kv: kv[1][0].issued)
            if enrolment_id == mine
        ]

    def _known_before(self, person: str, as_of: date | None, known_at: datetime | None,
                      limit: int) -> PersonState:
        """A person folded from the journal as it stood before position `limit`."""
        with self._folder.using(_View(self, as_of, known_at, before=limit)):
            return self._folder.fold(person, self._history(person, as_of, known_at, before=limit))

    def _voids_around(self, ps: PersonState, known_at: datetime | None) -> list[tuple[int, Voided]]:
        """The voids (known at `known_at`), with their journal positions, among the person's
        events and those of the people their answers rest on."""
        people = [ps.id] if ps.voids else []
        for other in sorted({other for other, _ in ps.consulted}):
            known = self._state(other)
            if known is not None and known.voids:
                people.append(other)
        return sorted(
            (s.seq, s.event) for p in people for s in self.journal.events_after(0, p)
            if isinstance(s.event, Voided) and (known_at is None or s.recorded_at <= known_at)
        )

    # -- snapshots -------------------------------------------------------------------------------

    def check_snapshots(self) -> list[str]:
        """Trainees whose cached state differs from a fold of their events, naming the fields.

        Empty for journals without snapshots (their state is always a fold).
        """
        if self._cache is None:
            return []
        return self._cache.check(self.trainees(), self._fold)


def _utc(moment: datetime | None) -> datetime | None:
    """A `known_at` comparable with stores' recording times: a naive time is taken as UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


class _View:
    """The people directory of one view of the journal: as of a day, as known at a time."""

    def __init__(self, engine: Engine, as_of: date | None, known_at: datetime | None, *,
                 before: int | None = None) -> None:
        self.engine, self.as_of, self.known_at, self.before = engine, as_of, known_at, before
        self._folded: dict[str, _Known | None] = {}
        self._folding: set[str] = set()

    def facts(self, person: str, program: Program, on: date) -> PersonFacts | None:
        known = self._known(person)
        return None if known is None else known.on(on, program.key)

    def _known(self, person: str) -> _Known | None:
        if person in self._folded:
            return self._folded[person]
        history = self.engine._history(person, self.as_of, self.known_at, before=self.before)
        if not history:
            return None
        if person in self._folding:
            return _Known.of_events(history)
        self._folding.add(person)
        try:
            known = _Known.of_state(self.engine._folder.fold(person, history))
        finally:
            self._folding.discard(person)
        self._folded[person] = known
        return known


class _Known:
    """What the journal says of a person over time: their `person` events (each holding from its
    day), the credentials they enrolled with, and when they were first certified in each program."""

    __slots__ = ("certified", "enrolled", "profiles")

    def __init__(self, profiles: Sequence[PersonRecorded], enrolled: Sequence[Enrolled],
                 certified: Mapping[str, date]) -> None:
        self.profiles = sorted(profiles, key=lambda e: (e.on, e.id))
        self.enrolled = sorted(enrolled, key=lambda e: (e.on, e.id))
        self.certified = dict(certified)

    def on(self, day: date, program: str) -> PersonFacts:
        """What holds on `day` (see `PersonFacts` for how `person` events date)."""
        profile = next((p for p in reversed(self.profiles) if p.on <= day), None)
        if profile is None and self.profiles:
            profile = self.profiles[0]
        credential = profile.credential if profile is not None else None
        if credential is None and self.enrolled:
            credential = self.enrolled[-1].credential
        roles = frozenset(profile.roles) if profile is not None else frozenset()
        first = self.certified.get(program)
        return PersonFacts(credential, roles, first is not None and first <= day)

    @classmethod
    def of_state(cls, ps: PersonState) -> _Known:
        certified: dict[str, date] = {}
        for e in ps.enrolments:
            day = certification_day(e) if e.certified else None
            if day is not None and (e.program.key not in certified or day < certified[e.program.key]):
                certified[e.program.key] = day
        return cls(ps.profiles, [e.enrolment for e in ps.enrolments], certified)

    @classmethod
    def of_events(cls, events: Sequence[Event]) -> _Known:
        live = live_events(events)
        return cls([e for e in live if isinstance(e, PersonRecorded)],
                   [e for e in live if isinstance(e, Enrolled)], {})


def _pick(ps: PersonState, program: str | None, trainee: str) -> EnrolmentState | None:
    if program is None:
        return ps.enrolments[-1] if ps.enrolments else None
    found = next((e for e in reversed(ps.enrolments) if e.program.key == program), None)
    if found is None:
        held = [e.program.key for e in ps.enrolments]
        raise UnknownKeyError(
            f"{trainee} has no enrolment in {program!r}",
            fix=did_you_mean(program, held) if held else f"{trainee} has no enrolment",
        )
    return found


#: A certificate period: (enrolment id, stage, which period of it: 0 the first, then renewals).
PeriodKey = tuple[str, str, int]


def _period_keys(ps: PersonState) -> Iterator[tuple[PeriodKey, Any]]:
    """Every certificate period the person holds, keyed so that a re-dated certificate keeps
    its key and a renewal taken back loses its own."""
    for enrolment in ps.enrolments:
        count: dict[str, int] = {}
        for period in periods(enrolment):
            n = count[period.stage] = count.get(period.stage, -1) + 1
            yield (enrolment.enrolment.id, period.stage, n), period


def _flatten(items: Sequence[Event | Iterable[Event]]) -> list[Event]:
    """`record(a, b)` and `record([a, b])` alike (an event is itself iterable: pydantic)."""
    out: list[Event] = []
    for item in items:
        if isinstance(item, EventBase):
            out.append(item)
        else:
            out.extend(item)
    return out
