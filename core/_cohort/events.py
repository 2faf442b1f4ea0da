"""The cohort file's rows as engine events, each remembering the row it came from.

Event ids: a row's ``id`` when it gives one; a group session's credit is ``GROUP:DATE:TRAINEE``;
otherwise derived from the content, as the core does, so importing the same file twice records
nothing new. Identical rows are distinct facts (two sessions on one day): the second, third...
of them get the occurrence number mixed into their id, so each counts.

A new top-level table that produces events adds a function to `EVENT_SOURCES`: groups add
`group_session_events`, one ``attended`` event per trainee present at each session.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .._groups import session_credits
from .._model.events import (
    ArtifactRecorded,
    Attended,
    Enrolled,
    Event,
    Held,
    Resumed,
    Voided,
    Waived,
    Withdrawn,
)
from .._model.program import Program
from .model import (
    ArtifactRow,
    AttendedRow,
    CohortFile,
    HeldRow,
    ResumedRow,
    VoidedRow,
    WaivedRow,
    WithdrawnRow,
)


@dataclass(frozen=True)
class Located:
    """An engine event and the place in the file it came from (``events[3]``)."""

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


def row_events(doc: CohortFile, program: Program) -> Iterator[Located]:
    """The events of the ``[[events]]`` rows, one per session for multi-date attendance."""
    del program  # every key the rows hold is already the engine's
    for i, row in enumerate(doc.events):
        where = f"events[{i}]"
        common: dict[str, Any] = {"trainee": row.trainee, "recorded_by": row.recorded_by}
        if row.id is not None:
            common["id"] = row.id
        explicit = row.id is not None
        event: Event
        if isinstance(row, AttendedRow):
            for on, suffix in row.occurrences():
                yield Located(Attended(on=on, activity=row.attended, **common), where + suffix, explicit)
            continue
        if isinstance(row, ArtifactRow):
            for on, suffix in row.occurrences():
                work = ArtifactRecorded(
                    on=on, artifact=row.artifact, status=row.status, ref=row.ref, sha256=row.sha256,
                    **common,
                )
                yield Located(work, where + suffix, explicit)
            continue
        if isinstance(row, WaivedRow):
            event = Waived(
                on=row.on, requirement=row.waived, stage=row.stage, reason=row.reason,
                approver=row.approver, **common,
            )
        elif isinstance(row, HeldRow):
            event = Held(on=row.on, reason=row.reason, **common)
        elif isinstance(row, ResumedRow):
            event = Resumed(on=row.on, **common)
        elif isinstance(row, WithdrawnRow):
            event = Withdrawn(on=row.on, reason=row.reason, **common)
        else:
            assert isinstance(row, VoidedRow)
            event = Voided(on=row.on, target=row.voided, reason=row.reason, **common)
        yield Located(event, where, explicit)


def group_session_events(doc: CohortFile, program: Program) -> Iterator[Located]:
    """Each group session's credit to every trainee present (`facilitrack.groups.group_events`).

    The ids (``GROUP:DATE:TRAINEE``) are given, not derived: a row may void one by its id.
    """
    for g, group in enumerate(doc.groups):
        for index, event in session_credits(group, program):
            yield Located(event, f"groups[{g}].sessions[{index}]", explicit_id=True)


#: Every table that produces events, in file order. A new table adds its function here;
#: `cohort_events` numbers identical events across all of them.
EVENT_SOURCES: tuple[EventSource, ...] = (enrolment_events, row_events, group_session_events)


def occurrence_id(event: Event, occurrence: int) -> str:
    """The id of the `occurrence`-th identical copy of `event` in one file (2, 3, ...)."""
    content = {**event.content(), "occurrence": occurrence}
    blob = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "ev-" + hashlib.sha256(blob.encode()).hexdigest()[:24]


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
                    renamed = item.event.model_copy(update={"id": occurrence_id(item.event, n)})
                    out.append(Located(renamed, item.where))
                    continue
            out.append(item)
    return out

