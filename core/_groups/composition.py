"""Composition checks: every rule a group breaks, from the program's declared rules and its plugins.

Call `facilitrack.groups.references.validate_group` first: these assume every id resolves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .._model.group_results import GroupProblem
from .._model.group_rules import (
    AttendanceRule,
    ChildTeamRule,
    CourtOrderedRule,
    FacilitatorRule,
    PairingRule,
    SessionKind,
    SizeRule,
    kind_label,
)
from .._model.groups import Group
from .._model.people import Person
from .._model.vocabulary import Vocabulary
from .._text import counted
from .ages import age_problems
from .series import series_problems

if TYPE_CHECKING:
    from .._host.plugins import Hooks
    from .._model.program import Program


def check_group(
    group: Group,
    program: Program,
    people: Mapping[str, Person],
    *,
    hooks: Hooks | None = None,
    where: str | None = None,
) -> list[GroupProblem]:
    """Every rule `group` breaks: the program's declared rules, then the plugins' checks.

    Call `validate_group` first: this assumes every id resolves.

    :param hooks: plugin hooks to ask (``facilitrack_check_group``); None asks none.
    :param where: how to name the group in the file (``groups[0]``).
    """
    at = where or f"group {group.id}"
    rules = program.groups
    problems: list[GroupProblem] = []
    if rules is not None:
        if rules.facilitators is not None:
            problems += _facilitator_problems(group, rules.facilitators, people, at)
        if rules.pairing is not None:
            problems += _pairing_problems(group, rules.pairing, people, program.words, at)
        for size in rules.sizes:
            if group.kind in size.kinds:
                problems += _size_problems(group, size, at)
        problems += series_problems(group, rules, at)
        if rules.ages is not None:
            problems += age_problems(group, rules.ages, at)
        problems += _makeup_problems(group, rules.attendance, at)
        if rules.child_team is not None:
            problems += _child_team_problems(group, rules.child_team, at)
        problems += _court_problems(group, rules.court_ordered, at)
    if hooks is not None:
        problems += [  # a plugin's problem without a place is placed on the group
            p if p.where else p.model_copy(update={"where": at})
            for p in hooks.check_group(group, program, people)
        ]
    return problems


def _leader_problems(
    ids: Sequence[str], rule: FacilitatorRule, people: Mapping[str, Person], at: str, when: str
) -> list[GroupProblem]:
    problems = []
    if len(ids) < rule.count:
        listed = ", ".join(ids) or "none"
        problems.append(GroupProblem(
            rule="facilitators",
            message=f"{when}{counted(len(ids), 'facilitator')} ({listed});"
                    f" a group needs at least {rule.count}",
            source=rule.source, note=rule.note, where=at,
        ))
    if rule.mental_health_co_leader:
        has_mh = any(people[i].credential in (rule.mental_health or ()) for i in ids)
        problems += [
            GroupProblem(
                rule="mental_health_co_leader",
                message=f"{when}{pid} ({people[pid].credential}) leads without a"
                        " mental-health co-leader",
                source=rule.source, note=rule.note, where=at,
            )
            for pid in ([] if has_mh else ids)
        ]
    return problems


def _facilitator_problems(
    group: Group, rule: FacilitatorRule, people: Mapping[str, Person], at: str
) -> list[GroupProblem]:
    problems = _leader_problems(group.facilitators, rule, people, f"{at}.facilitators", "")
    if problems:
        return problems  # the group itself is short: each session would only repeat it
    number = 0
    for i, session in sorted(enumerate(group.sessions), key=lambda item: item[1].on):
        if session.kind != SessionKind.group:
            continue
        number += session.regular
        present = [f for f in group.facilitators if f not in session.absent]
        label = f"session {number}" if session.regular else "make-up session"
        problems += _leader_problems(
            present, rule, people, f"{at}.sessions[{i}].absent", f"{label} on {session.on} had "
        )
    return problems


def _pairing_problems(
    group: Group, rule: PairingRule, people: Mapping[str, Person], words: Vocabulary, at: str
) -> list[GroupProblem]:
    trainees = list(dict.fromkeys([*group.trainees, *(f for f in group.facilitators if people[f].trainee)]))
    kind = kind_label(group.kind)
    problems = []
    if group.kind in rule.kinds:
        if any(people[f].holds(rule.role, words) for f in group.facilitators):
            return []
        problems = [
            GroupProblem(
                rule="pairing",
                message=f"trainee {pid} has no certified trainer among this {kind} group's facilitators",
                source=rule.source, note=rule.note, where=f"{at}.facilitators",
            )
            for pid in trainees
        ]
    elif group.kind in rule.supervised_kinds:
        for pid in trainees:
            trainer = people[pid].trainer
            named = people.get(trainer) if trainer is not None else None
            if trainer is None or (named is not None and not named.holds(rule.role, words)):
                why = "names no trainer" if trainer is None else f"names {trainer}, not a certified trainer"
                problems.append(GroupProblem(
                    rule="pairing",
                    message=f"trainee {pid} leads this {kind} group, but their enrolment {why}",
                    source=rule.source, note=rule.note, where=f"{at}.trainees",
                ))
    return problems


def _size_problems(group: Group, rule: SizeRule, at: str) -> list[GroupProblem]:
    problems = []
    kind = kind_label(group.kind)
    for noun, bounds, have, field in (
        ("parent-child dyad", rule.participants, len(group.participants), "participants"),
        ("trainee", rule.trainees, len(group.trainees), "trainees"),
    ):
        if bounds is None:
            continue
        if have < bounds.min or (bounds.max is not None and have > bounds.max):
            problems.append(GroupProblem(
                rule="group_size" if field == "participants" else "trainee_count",
                message=f"{counted(have, noun)}; a {kind} group has {bounds.describe()}",
                source=rule.source, note=rule.note, where=f"{at}.{field}",
            ))
    return problems



def _makeup_problems(group: Group, rule: AttendanceRule | None, at: str) -> list[GroupProblem]:
    if rule is None or rule.makeup:
        return []
    return [
        GroupProblem(
            rule="makeup_session",
            message=f"make-up session on {s.on} for {', '.join(s.participants)}: make-up sessions"
                    " are not offered; it is not counted",
            source=rule.source, note=rule.note, where=f"{at}.sessions[{i}].makeup",
        )
        for i, s in enumerate(group.sessions)
        if s.makeup
    ]


def _child_team_problems(group: Group, rule: ChildTeamRule, at: str) -> list[GroupProblem]:
    problems = []
    for i, session in enumerate(group.sessions):
        if session.kind != SessionKind.group or not session.regular:
            continue
        children = [p.id for p in group.participants if p.id not in session.absent]
        need, team = len(children) * rule.per_child, len(session.child_team)
        if team < need:
            problems.append(GroupProblem(
                rule="child_team",
                message=f"session on {session.on} had {counted(len(children), 'child')} and"
                        f" {counted(team, 'Child Team member')}; each child has"
                        f" {rule.per_child} of their own",
                source=rule.source, note=rule.note, where=f"{at}.sessions[{i}].child_team",
            ))
    return problems


def _court_problems(group: Group, rule: CourtOrderedRule | None, at: str) -> list[GroupProblem]:
    ordered = [p.id for p in group.participants if group.court_ordered_for(p)]
    if not ordered:
        return []
    if rule is None or not rule.allowed:
        return [GroupProblem(
            rule="court_ordered",
            message=f"{', '.join(ordered)} attend by court order, but the program does not declare"
                    " its groups eligible as court-ordered parenting groups",
            source=rule.source if rule else None, note=rule.note if rule else None, where=at,
        )]
    if group.agency is None:
        return [GroupProblem(
            rule="court_ordered",
            message=f"{', '.join(ordered)} attend by court order, and the agency that issues their"
                    " certificate is not named (set `agency`)",
            source=rule.source, note=rule.note, where=f"{at}.agency",
        )]
    return []

