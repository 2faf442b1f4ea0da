"""Trainees' credit: each regular session credits the trainees present, under a stable id."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from .._model.events import Absent, Attended
from .._model.group_results import TraineeCredit
from .._model.group_rules import SessionKind
from .._model.groups import Group, GroupSession
from .._model.ids import ID_PATTERN

if TYPE_CHECKING:
    from .._model.program import Program


def session_event_id(
    group: Group, session: GroupSession, trainee: str, *, absent: bool = False
) -> str:
    """A stable id for the credit one session gives one trainee: group, date, trainee (and
    ``absent`` for the absence of a trainee who missed it).

    Individual sessions add their participants, since one day may hold several. Ids longer
    than events allow keep a readable head and a hash of the whole.
    """
    parts = [group.id, session.on.isoformat()]
    if session.kind == SessionKind.individual:
        parts.append("individual-" + "+".join(sorted(session.participants)))
    parts.append(trainee)
    if absent:
        parts.append("absent")
    event_id = ":".join(parts)
    if len(event_id) > 128 or re.fullmatch(ID_PATTERN, event_id) is None:
        digest = hashlib.sha256(event_id.encode()).hexdigest()[:24]
        head = "".join(c if c.isalnum() or c in "_.:@/-" else "_" for c in group.id[:80])
        event_id = f"{head}:{session.on.isoformat()}:{digest}"
    return event_id


def group_events(group: Group, program: Program) -> list[Attended | Absent]:
    """The ``attended`` events a group's sessions credit to the trainees present — and the
    ``absent`` events of trainees who missed one — by date.

    Regular sessions only: a make-up session credits no one. Which activity a session
    credits comes from the program's `GroupRules.credits` (group sessions) and
    `GroupRules.individual_credits` (individual sessions); a kind with none credits nothing.
    """
    return [event for _, event in session_credits(group, program)]


def session_credits(group: Group, program: Program) -> list[tuple[int, Attended | Absent]]:
    """`group_events`, each with the index of its session in ``sessions`` (for error places)."""
    rules = program.groups
    if rules is None:
        return []
    out = []
    for index, session in sorted(enumerate(group.sessions), key=lambda item: item[1].on):
        if not session.regular:
            continue
        table = rules.credits if session.kind == SessionKind.group else rules.individual_credits
        activity = table.get(group.kind)
        if activity is None:
            continue
        for trainee in group.trainees:
            missed = trainee in session.absent
            kind = Absent if missed else Attended
            out.append((index, kind(
                id=session_event_id(group, session, trainee, absent=missed), on=session.on,
                trainee=trainee, activity=activity, recorded_by=f"group {group.id}",
            )))
    return out


def trainee_credits(events: Iterable[Attended | Absent]) -> list[TraineeCredit]:
    """Group `group_events` output by trainee and activity (the sessions attended)."""
    table: dict[tuple[str, str], list[date]] = {}
    for event in events:
        if not isinstance(event, Attended):
            continue
        table.setdefault((event.trainee, event.activity), []).append(event.on)
    return [
        TraineeCredit(trainee=t, activity=a, sessions=len(dates), dates=sorted(dates))
        for (t, a), dates in sorted(table.items())
    ]
