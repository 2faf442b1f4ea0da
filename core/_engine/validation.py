"""Checks a batch passes before it is recorded; a replay trusts the journal and never runs them.

`check_batch` refuses, naming the event and the fix: an enrolment in an unknown program,
version, track or credential; an event of a person with no enrolment; an event whose program
is ambiguous (the person holds two enrolments that both count its key) or whose keys its
enrolment's program does not declare; a waiver of a requirement that cannot be waived; a void
that names no event, another person's event or another void; an enrolment that would move
earlier events of the person to another program. Plugins' ``facilitrack_validate_event`` then
sees each new event with the person's state just before it in fold order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .._errors import InvalidEventError, UnknownKeyError, did_you_mean
from .._model.checks import credential_refusal, key_refusal, track_refusal, void_refusal, waiver_refusal
from .._model.events import CREDITED_KINDS, Enrolled, Event, PersonRecorded, Voided, Waived, work_key
from .._model.program import NOT_ENROLLED, Program
from .fold import Folder, live_events
from .state import EnrolmentState, PersonState


def check_enrolment(event: Enrolled, program: Program) -> None:
    """An enrolment names a track its program has (or none), and a credential it declares."""
    refusal = track_refusal(program, event.track) or credential_refusal(program, event.credential)
    if refusal is not None:
        raise refusal.error(f"event {event.id}", event)


def check_keys(event: Event, program: Program) -> None:
    """An event names only keys its enrolment's program declares: activities, artifacts, waivers."""
    refusal = None
    if event.kind in CREDITED_KINDS:
        refusal = key_refusal(program, event.kind, work_key(event) or "")
    elif isinstance(event, Waived):
        refusal = waiver_refusal(program, event.stage, event.requirement)
    if refusal is not None:
        raise refusal.error(f"event {event.id}", event)


@dataclass
class Walk:
    """What a walk through a person's events in fold order saw of each event."""

    state_before: dict[str, str] = field(default_factory=dict)  # event id → state just before
    enrolment: dict[str, EnrolmentState | None] = field(default_factory=dict)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # event id → programs
    person: PersonState | None = None


def walk(folder: Folder, person: str, events: Sequence[Event]) -> Walk:
    """Fold `events` of one person, noting for every event (voided ones too) the state it met
    and the enrolment it belongs to."""
    seen = Walk()
    voided = {e.target for e in events if isinstance(e, Voided)}
    ps = PersonState(person)
    for event in folder.ordered([e for e in events if not isinstance(e, Voided)]):
        enrolment = folder.resolve(ps, event) if not isinstance(event, Enrolled | PersonRecorded) else None
        seen.enrolment[event.id] = enrolment
        seen.state_before[event.id] = _state_name(enrolment, ps)
        if enrolment is not None and getattr(event, "program", None) is None:
            rivals = _rivals(ps, event)
            if len(rivals) > 1:
                seen.ambiguous[event.id] = rivals
        if event.id not in voided:
            folder.apply(ps, event)
    for event in events:
        if isinstance(event, Voided):
            seen.state_before[event.id] = seen.state_before.get(event.target, NOT_ENROLLED)
    seen.person = ps
    return seen


def _state_name(enrolment: EnrolmentState | None, ps: PersonState) -> str:
    if enrolment is None:
        return NOT_ENROLLED
    held = enrolment.comp.held_states.get(enrolment.state)
    return "on_hold" if held is not None else enrolment.state


def _rivals(ps: PersonState, event: Event) -> list[str]:
    """The programs of the person's open enrolments that would count this event."""
    kind = event.kind
    if kind in CREDITED_KINDS:
        watched = (kind, work_key(event) or "")
        open_ = [e for e in ps.enrolments if e.open and watched in e.comp.watch]
    elif isinstance(event, Waived):
        open_ = [e for e in ps.enrolments if e.open and any(event.requirement in k for k in e.comp.by_key)]
    else:
        open_ = [e for e in ps.enrolments if e.open]
    return sorted({e.program.key for e in open_})


def check_batch(
    folder: Folder,
    batch: Sequence[Event],
    stored: Callable[[str], list[Event]],
    lookup: Callable[[str], Event | None],
    *,
    trainees: Callable[[], list[str]],
    live: Callable[[str], PersonState | None] = lambda person: None,
    need_states: bool = True,
) -> dict[str, tuple[str, Program | None]]:
    """Refuse a batch that cannot be recorded; return each batch event's state just before it
    and the definition its enrolment pins (what validation hooks are given).

    :param stored: a person's events already in the journal.
    :param lookup: an event already in the journal, by id.
    :param trainees: everyone the journal knows (to suggest the nearest id).
    :param live: a person's state as folded now, if at hand: events that come after everything
        in it are checked against it, without reading the person's journal again.
    :param need_states: whether to compute each event's state before it (for plugins' hooks).
    """
    by_id = {e.id: e for e in batch}
    for event in batch:
        if isinstance(event, Enrolled):
            check_enrolment(event, folder.programs.get(event.program, event.version))
        elif isinstance(event, Voided):
            refusal = void_refusal(event, by_id.get(event.target) or lookup(event.target))
            if refusal is not None:
                raise refusal.error(f"event {event.id}", event)
    states: dict[str, tuple[str, Program | None]] = {}
    persons: dict[str, list[Event]] = {}
    for event in batch:
        persons.setdefault(event.trainee, []).append(event)
    for person, mine in persons.items():
        ps = live(person)
        # Events that come after everything folded are checked against the live state, without
        # reading the person's journal again; so is the state one such event meets (it is the
        # live state), the common case of recording one event at a time.
        if ps is not None and (not need_states or len(mine) == 1) and _appends(folder, ps, mine):
            for event in mine:
                _check_against(folder, ps, event, trainees)
                if need_states:
                    states[event.id] = _state_after(folder, ps, event)
            continue
        states.update(_check_person(folder, person, mine, stored(person), trainees))
    return states


def _state_after(folder: Folder, ps: PersonState, event: Event) -> tuple[str, Program | None]:
    """What `walk` notes of an event that comes after everything in `ps`: the state it meets
    and the definition of its enrolment (the first one, for an event that belongs to none)."""
    enrolment = None if isinstance(event, PersonRecorded) else folder.resolve(ps, event)
    state = _state_name(enrolment, ps)
    if enrolment is None and ps.enrolments:
        enrolment = ps.enrolments[0]
    return state, enrolment.program if enrolment is not None else None


def _check_person(
    folder: Folder, person: str, mine: list[Event], old: list[Event], trainees: Callable[[], list[str]]
) -> dict[str, tuple[str, Program | None]]:
    """`check_batch` for one person's events, by a walk through their whole journal."""
    known = {e.id for e in old}
    together = [*old, *(e for e in mine if e.id not in known)]
    seen = walk(folder, person, together)
    if not any(isinstance(e, Enrolled) for e in live_events(together)):
        first = next((e for e in mine if not isinstance(e, Enrolled | PersonRecorded | Voided)), None)
        if first is not None:
            raise UnknownKeyError(
                f"unknown trainee {person!r}: no enrolment is recorded", where=f"event {first.id}",
                event=first, fix=f"record their enrolment first; {did_you_mean(person, trainees())}",
            )
    assert seen.person is not None
    for event in mine:
        if isinstance(event, Enrolled | PersonRecorded | Voided):
            continue
        if event.id in seen.ambiguous:
            raise _ambiguous(person, event, seen.ambiguous[event.id])
        enrolment = seen.enrolment.get(event.id)
        named = getattr(event, "program", None)
        if named is not None and enrolment is None and not _holds(seen.person, named):
            raise _not_in(seen.person, named, event)
        if enrolment is not None:
            check_keys(event, enrolment.program)
    if any(isinstance(e, Enrolled) for e in mine) and old:
        _check_moves(folder, person, old, seen)
    out: dict[str, tuple[str, Program | None]] = {}
    for e in mine:
        enrolment = seen.enrolment.get(e.id)
        if enrolment is None and seen.person.enrolments:
            enrolment = seen.person.enrolments[0]  # dated before it: still that program's event
        program = (folder.programs.get(e.program, e.version) if isinstance(e, Enrolled)
                   else enrolment.program if enrolment is not None else None)
        out[e.id] = (seen.state_before.get(e.id, NOT_ENROLLED), program)
    return out


def _ambiguous(person: str, event: Event, rivals: list[str]) -> InvalidEventError:
    return InvalidEventError(
        f"{person} holds enrolments in {' and '.join(rivals)}, which both count"
        f" {work_key(event) or event.kind!r}: which one is it for?",
        where=f"event {event.id}", event=event,
        fix="name the program on the event (`program = ...`, or `record --program`)",
    )


def _holds(ps: PersonState, program: str) -> bool:
    """Whether the person has an enrolment in `program` at all: work dated outside it is kept
    and reported by the fold, not refused."""
    return any(e.program.key == program for e in ps.enrolments)


def _not_in(ps: PersonState, named: str, event: Event) -> UnknownKeyError:
    return UnknownKeyError(
        f"{ps.id} has no enrolment in {named}", where=f"event {event.id}", event=event,
        fix=f"name one of their programs: {', '.join(e.program.key for e in ps.enrolments) or 'none'}",
    )


def _appends(folder: Folder, ps: PersonState, events: Sequence[Event]) -> bool:
    """Whether every event comes after the person's folded state and none reorders it."""
    return all(
        not isinstance(e, Enrolled | Voided) and folder.sorts_after(ps, e) for e in events
    )


def _check_against(folder: Folder, ps: PersonState, event: Event, trainees: Callable[[], list[str]]) -> None:
    """The checks of `check_batch` for one event that comes after everything in `ps`."""
    if isinstance(event, PersonRecorded):
        return
    if not ps.enrolments:
        raise UnknownKeyError(
            f"unknown trainee {ps.id!r}: no enrolment is recorded", where=f"event {event.id}",
            event=event, fix=f"record their enrolment first; {did_you_mean(ps.id, trainees())}",
        )
    enrolment = folder.resolve(ps, event)
    named = getattr(event, "program", None)
    if named is not None and enrolment is None and not _holds(ps, named):
        raise _not_in(ps, named, event)
    if named is None and enrolment is not None:
        rivals = _rivals(ps, event)
        if len(rivals) > 1:
            raise _ambiguous(ps.id, event, rivals)
    if enrolment is not None:
        check_keys(event, enrolment.program)


def _check_moves(folder: Folder, person: str, old: list[Event], after: Walk) -> None:
    """A new enrolment must not move an earlier event of the person to another enrolment."""
    before = walk(folder, person, old)
    for event in old:
        was, now = before.enrolment.get(event.id), after.enrolment.get(event.id)
        if was is None or now is None or was.enrolment.id == now.enrolment.id:
            continue
        raise InvalidEventError(
            f"this enrolment would move {event.kind} {event.id} of {event.on} from"
            f" {was.program.key} to {now.program.key}",
            where=f"event {now.enrolment.id}",
            fix=f"void {event.id} and record it again naming its program, or enrol with a later date",
        )
