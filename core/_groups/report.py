"""A group's whole report: validated, checked, its parents judged and its trainees' credit counted."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .._model.group_results import GroupReport
from .._model.groups import Group
from .._model.people import Person
from .completion import parent_completions
from .composition import check_group
from .credits import group_events, trainee_credits
from .references import validate_group
from .series import series_over

if TYPE_CHECKING:
    from .._host.plugins import Hooks
    from .._model.program import Program


def report_group(
    group: Group,
    program: Program,
    people: Mapping[str, Person],
    *,
    hooks: Hooks | None = None,
    where: str | None = None,
) -> GroupReport:
    """Validate `group`, then check it, judge its parents and count its trainees' credit."""
    validate_group(group, program, people, where=where)
    return GroupReport(
        id=group.id,
        program=program.key,
        kind=group.kind,
        track=group.track,
        format=group.format,
        agency=group.agency,
        facilitators=list(group.facilitators),
        trainees=list(group.trainees),
        sessions=len(group.group_sessions()),
        series_over=series_over(group, program.groups),
        problems=check_group(group, program, people, hooks=hooks, where=where),
        participants=parent_completions(group, program),
        credits=trainee_credits(group_events(group, program)),
    )
