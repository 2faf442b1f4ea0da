"""The cohort file's rows as engine events, each remembering the row it came from.

Event ids: a row's ``id`` when it gives one; a group session's credit is ``GROUP:DATE:TRAINEE``;
otherwise derived from the content, as the core does, so importing the same file twice records
nothing new. Identical rows are distinct facts (two sessions on one day): the second, third...
of them get the occurrence number mixed into their id, so each counts.

A new top-level table that produces events adds a function to `EVENT_SOURCES`: groups add
`group_session_events`, one ``attended`` event per trainee present at each session.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .._groups import session_credits
from .._model.events import (
    Absent,
    ArtifactRecorded,
    Attended,
    Enrolled,
    Event,
    Held,
    PersonRecorded,
    Resumed,
    Voided,
    Waived,
    Withdrawn,
    occurrence_id,
)
from .._model.program import Program
from .model import (
    AbsentRow,
    ArtifactRow,
    AttendedRow,
    BaseRow,
    CohortFile,
    HeldRow,
    ResumedRow,
    VoidedRow,
    WaivedRow,
    WithdrawnRow,
)


@dataclass(frozen=True, slots=True)
class Located:
    """An engine event and the place in the file it came from (``events[3]``); slotted, as a
    large file holds hundreds of thousands."""

    event: Event
    where: str
    explicit_id: bool = False


EventSource = Callable[[CohortFile, Program], Iterable[Located]]


def enrolment_events(doc: CohortFile, program: Program) -> Iterator[Located]:
    """One enrolment per ``[[trainees]]`` row."""
    for i, t in enumerate(doc.trainees):
        yield Located(
            Enrolled(
                trainee=t.id, on=t.enrolled, program=program.key, version=program.version,
                track=t.track or doc.cohort.track, credential=t.credential,
                co_leader=t.co_leader, trainer=t.trainer, recorded_by=t.recorded_by,
            ),
            f"trainees[{i}]",
        )


def staff_events(doc: CohortFile, program: Program) -> Iterator[Located]:
    """What each ``[[staff]]`` row says of a person who is not enrolled: credential and roles.

    Dated the cohort's first day (its earliest enrolment): staff are known from the start.
    """
    del program
    first = min((t.enrolled for t in doc.trainees), default=None)
    if first is None:
        return
    for i, member in enumerate(doc.staff):
        yield Located(
            PersonRecorded(trainee=member.id, on=first, credential=member.credential, roles=member.all_roles),
            f"staff[{i}]",
        )


def row_events(doc: CohortFile, program: Program) -> Iterator[Located]:
    """The events of the ``[[events]]`` rows, one per session for multi-date attendance."""
    del program  # every key the rows hold is already the engine's
    for i, row in enumerate(doc.events):
        common = _given(trainee=row.trainee, recorded_by=row.recorded_by, id=row.id)
        for event, suffix in _row_facts(row, common):
            yield Located(event, f"events[{i}]{suffix}", row.id is not None)


def _given(**fields: Any) -> dict[str, Any]:
    """The fields a row gives (not None): the rest are left to their defaults, which are None.

    The same event, but it remembers fewer fields as set: a large file holds hundreds of
    thousands, and each set of field names costs memory.
    """
    return {name: value for name, value in fields.items() if value is not None}


def _row_facts(row: BaseRow, common: dict[str, Any]) -> Iterator[tuple[Event, str]]:
    """The event (or events, one per date) a row states, each with its place in the row."""
    if isinstance(row, AttendedRow):
        for on, suffix in row.occurrences():
            yield Attended(on=on, activity=row.attended, **_given(
                quantity=row.quantity, mode=row.mode, score=row.score), **common), suffix
    elif isinstance(row, AbsentRow):
        for on, suffix in row.occurrences():
            yield Absent(on=on, activity=row.absent, **_given(reason=row.reason), **common), suffix
    elif isinstance(row, ArtifactRow):
        for on, suffix in row.occurrences():
            yield ArtifactRecorded(on=on, artifact=row.artifact, status=row.status, **_given(
                ref=row.ref, sha256=row.sha256, score=row.score), **common), suffix
    elif isinstance(row, WaivedRow):
        yield Waived(on=row.on, requirement=row.waived, reason=row.reason, approver=row.approver,
                     **_given(stage=row.stage), **common), ""
    elif isinstance(row, HeldRow):
        yield Held(on=row.on, **_given(reason=row.reason), **common), ""
    elif isinstance(row, ResumedRow):
        yield Resumed(on=row.on, **common), ""
    elif isinstance(row, WithdrawnRow):
        yield Withdrawn(on=row.on, **_given(reason=row.reason), **common), ""
    else:
        assert isinstance(row, VoidedRow)
        yield Voided(on=row.on, target=row.voided, reason=row.reason, **common), ""


def group_session_events(doc: CohortFile, program: Program) -> Iterator[Located]:
    """Each group session's credit to every trainee present (`facilitrack.groups.group_events`).

    The ids (``GROUP:DATE:TRAINEE``) are given, not derived: a row may void one by its id.
    """
    for g, group in enumerate(doc.groups):
        for index, event in session_credits(group, program):
            yield Located(event, f"groups[{g}].sessions[{index}]", explicit_id=True)


#: Every table that produces events, in file order. A new table adds its function here;
#: `cohort_events` numbers identical events across all of them.
EVENT_SOURCES: tuple[EventSource, ...] = (enrolment_events, staff_events, row_events, group_session_events)


def cohort_events(
    doc: CohortFile, program: Program, sources: Sequence[EventSource] = EVENT_SOURCES
) -> list[Located]:
    """Every event the file states, with its place; identical facts are numbered apart."""
    seen: Counter[str] = Counter()
    out: list[Located] = []
    for source in sources:
        for item in source(doc, program):
            if not item.explicit_id:
                seen[item.event.id] += 1
                n = seen[item.event.id]
                if n > 1:
                    event = item.event
                    renamed = event.model_copy(update={"id": occurrence_id(event, n)})
                    out.append(Located(renamed, item.where))
                    continue
            out.append(item)
    return out

