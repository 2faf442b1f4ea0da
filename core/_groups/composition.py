"""Composition checks: every rule a group breaks, from the program's declared rules and its plugins.

Call `facilitrack.groups.references.validate_group` first: these assume every id resolves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from .._model.group_results import GroupProblem
from .._model.group_rules import (
    AttendanceRule,
    ChildTeamRule,
    CourtOrderedRule,
    FacilitatorRule,
    GroupRules,
    IndividualRule,
    PairingRule,
    SessionKind,
    SizeRule,
    TrackRule,
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
        leading = _facilitator_rule(group, rules)
        if leading is not None:
            problems += _facilitator_problems(group, leading, people, at)
        if rules.pairing is not None:
            problems += _pairing_problems(group, rules.pairing, people, program.words, at)
        for size in rules.sizes:
            if group.kind in size.kinds:
                problems += _size_problems(group, size, at)
        problems += series_problems(group, rules, at)
        if rules.individual is not None and not rules.individual.allowed:
            problems += _individual_problems(group, rules.individual, at)
        if rules.ages is not None:
            problems += age_problems(group, rules.ages, at)
        problems += _makeup_problems(group, rules.attendance, at)
        if rules.child_team is not None:
            problems += _child_team_problems(group, rules.child_team, at)
        problems += _court_problems(group, rules.court_ordered, at)
        if rules.track is not None and group.kind in rules.track.kinds:
            problems += _track_problems(group, rules.track, people, [t.key for t in program.tracks], at)
    if hooks is not None:
        problems += [  # a plugin's problem without a place is placed on the group
            p if p.where else p.model_copy(update={"where": at})
            for p in hooks.check_group(group, program, people)
        ]
    return problems


class _Leading(NamedTuple):
    """The facilitator rule a group is judged by: the program's, with its format's count."""

    rule: FacilitatorRule
    count_source: str | None
    count_note: str | None
    noun: str


def _facilitator_rule(group: Group, rules: GroupRules) -> _Leading | None:
    """The program's facilitator rule, raised to the count of the group's format, if it has more."""
    rule = rules.facilitators
    fmt = rules.format(group.format)
    if fmt is not None and fmt.facilitators is not None and (rule is None or fmt.facilitators > rule.count):
        base = rule or FacilitatorRule(mental_health_co_leader=False)
        return _Leading(base.model_copy(update={"count": fmt.facilitators}), fmt.source, fmt.note,
                        f"a group of format {fmt.key}")
    if rule is None:
        return None
    return _Leading(rule, rule.source, rule.note, "a group")


def _leader_problems(
    ids: Sequence[str], leading: _Leading, people: Mapping[str, Person], at: str, when: str
) -> list[GroupProblem]:
    problems = []
    rule = leading.rule
    if len(ids) < rule.count:
        listed = ", ".join(ids) or "none"
        problems.append(GroupProblem(
            rule="facilitators",
            message=f"{when}{counted(len(ids), 'facilitator')} ({listed});"
                    f" {leading.noun} needs at least {rule.count}",
            source=leading.count_source, note=leading.count_note, where=at,
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
    group: Group, rule: _Leading, people: Mapping[str, Person], at: str
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
        if any(people[f].holds(rule.role, words, group.start) for f in group.facilitators):
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
            unknown = trainer is not None and named is None and rule.known
            uncertified = named is not None and not named.holds(rule.role, words, group.start)
            if trainer is None or unknown or uncertified:
                if trainer is None:
                    why = "names no trainer"
                elif unknown:
                    why = f"names {trainer}, whom this cohort does not know (list them in [[staff]])"
                else:
                    why = f"names {trainer}, not a certified trainer"
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
    if not ordered or (rule is not None and not rule.judged):
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



def _individual_problems(group: Group, rule: IndividualRule, at: str) -> list[GroupProblem]:
    """Each individual session, in a program whose groups hold none."""
    return [
        GroupProblem(
            rule="individual_session",
            message=f"individual session on {s.on} with {', '.join(s.participants)}: the program"
                    " is a group model only; it counts for no one",
            source=rule.source, note=rule.note, where=f"{at}.sessions[{i}].kind",
        )
        for i, s in enumerate(group.sessions)
        if s.kind == SessionKind.individual
    ]


def _track_problems(
    group: Group, rule: TrackRule, people: Mapping[str, Person], tracks: Sequence[str], at: str
) -> list[GroupProblem]:
    """A group of a track-bound kind names its track, and credits only trainees on it."""
    kind = kind_label(group.kind)
    on_tracks = [pid for pid in group.trainees if people[pid].track is not None]
    if group.track is None:
        if not tracks or not on_tracks:
            return []
        named = ", ".join(f"{pid} ({people[pid].track})" for pid in on_tracks)
        return [GroupProblem(
            rule="track",
            message=f"this {kind} group names no track; its trainees are on tracks: {named}"
                    f" (set `track`: {' or '.join(tracks)})",
            source=rule.source, note=rule.note, where=f"{at}.track",
        )]
    return [
        GroupProblem(
            rule="track",
            message=f"trainee {pid} is on the {people[pid].track} track; this {kind} group runs the"
                    f" {group.track} track, so its sessions do not train them for theirs",
            source=rule.source, note=rule.note, where=f"{at}.trainees",
        )
        for pid in on_tracks
        if people[pid].track != group.track
    ]
