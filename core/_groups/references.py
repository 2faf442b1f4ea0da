"""Refusing a group whose ids do not resolve or whose sessions contradict themselves."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from .._errors import UnknownKeyError, did_you_mean
from .._model.checks import track_refusal
from .._model.group_rules import SessionKind
from .._model.groups import Group, GroupError
from .._model.people import Person

if TYPE_CHECKING:
    from .._model.program import Program


def validate_group(
    group: Group, program: Program, people: Mapping[str, Person], *, where: str | None = None
) -> None:
    """Refuse a group whose ids do not resolve or whose sessions contradict themselves.

    Raises `UnknownKeyError` naming the nearest valid id, or `GroupError`; `where` names the
    group in the file (``groups[0]``).
    """
    at = where or f"group {group.id}"
    kinds = program.groups.kind_keys() if program.groups is not None else []
    if group.kind not in kinds:
        raise UnknownKeyError(
            f"program {program.key} runs no group of kind {group.kind!r}",
            where=f"{at}.kind",
            fix=did_you_mean(group.kind, kinds) if kinds else f"{program.key} declares no groups",
        )
    refusal = track_refusal(program, group.track)
    if refusal is not None:
        raise refusal.error(f"{at}.track")
    formats = program.groups.format_keys() if program.groups is not None else []
    if group.format is not None and group.format not in formats:
        raise UnknownKeyError(
            f"program {program.ref} declares no group format {group.format!r}",
            where=f"{at}.format",
            fix=did_you_mean(group.format, formats) if formats
            else f"{program.ref} declares no formats: remove it",
        )
    trainee_ids = sorted(p for p, person in people.items() if person.trainee)
    staff_ids = sorted(p for p, person in people.items() if not person.trainee)
    _known(group.facilitators, sorted(people), f"{at}.facilitators", "person")
    for tid in group.trainees:
        if tid in people and not people[tid].trainee:
            raise UnknownKeyError(
                f"{tid!r} is staff, not a trainee", where=f"{at}.trainees",
                fix="list trainees here; staff who lead the group belong in `facilitators`",
            )
    _known(group.trainees, trainee_ids, f"{at}.trainees", "trainee")
    _unique(group.facilitators, f"{at}.facilitators")
    _unique(group.trainees, f"{at}.trainees")
    _unique([p.id for p in group.participants], f"{at}.participants")
    participant_ids = sorted(p.id for p in group.participants)
    expected = sorted({*participant_ids, *group.trainees, *group.facilitators})
    seen: dict[tuple[date, SessionKind, bool, tuple[str, ...]], int] = {}
    for i, session in enumerate(group.sessions):
        here = f"{at}.sessions[{i}]"
        _known(session.absent, expected, f"{here}.absent", "participant, trainee or facilitator")
        _known(session.participants, participant_ids, f"{here}.participants", "participant")
        _known(session.child_team, staff_ids, f"{here}.child_team", "staff member")
        _unique(session.absent, f"{here}.absent")
        _unique(session.participants, f"{here}.participants")
        if session.kind == SessionKind.individual or session.makeup:
            if not session.participants:
                what = "an individual" if session.kind == SessionKind.individual else "a make-up"
                raise GroupError(
                    f"{what} session names no participants",
                    where=f"{here}.participants",
                    fix="list the participant ids it was held with",
                )
        elif session.participants:
            raise GroupError(
                "a regular group session expects every participant; `participants` is for"
                " individual and make-up sessions",
                where=f"{here}.participants",
                fix="remove `participants` and list those not there in `absent`",
            )
        key = (session.on, session.kind, session.makeup, tuple(sorted(session.participants)))
        if key in seen:
            raise GroupError(
                f"sessions[{seen[key]}] and sessions[{i}] are the same session ({session.on})",
                where=here,
                fix="list each session once; correct the date if they were different days",
            )
        seen[key] = i


def validate_groups(groups: Sequence[Group], program: Program, people: Mapping[str, Person]) -> None:
    """`validate_group` for each of a cohort file's groups, which have distinct ids and follow
    the cohort's `program`; errors name the place as ``groups[0]...``."""
    seen: dict[str, int] = {}
    for g, group in enumerate(groups):
        if group.id in seen:
            raise GroupError(
                f"group id {group.id!r} is used twice: by groups[{seen[group.id]}] and by this group",
                where=f"groups[{g}].id",
                fix="give each group its own id (its sessions' event ids are made from it)",
            )
        seen[group.id] = g
        if group.program is not None and group.program != program.key:
            raise UnknownKeyError(
                f"this cohort follows {program.key}; its groups cannot run under {group.program!r}",
                where=f"groups[{g}].program",
                fix=f"leave `program` out: a group follows the cohort's program ({program.key})",
            )
        validate_group(group, program, people, where=f"groups[{g}]")


def _known(ids: Iterable[str], valid: list[str], where: str, noun: str) -> None:
    for value in ids:
        if value not in valid:
            raise UnknownKeyError(
                f"unknown {noun} {value!r}",
                where=where,
                fix=did_you_mean(value, valid),
            )


def _unique(ids: Sequence[str], where: str) -> None:
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise GroupError(f"{dupes[0]!r} is listed twice", where=where, fix="list each id once")
