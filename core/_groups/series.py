"""A group's series of sessions: how many, how often, and when it is over."""

from __future__ import annotations

from datetime import date

from .._model.group_results import GroupProblem
from .._model.group_rules import GroupRules, SessionKind, kind_label
from .._model.groups import Group, GroupSession


def series_over(group: Group, rules: GroupRules | None) -> bool:
    """Whether the group's series is over: marked ``ended``, or its fixed length reached."""
    if group.ended:
        return True
    rule = rules.series_for(group.kind, SessionKind.group, group.format) if rules else None
    return bool(rule and rule.count.max is not None and len(group.group_sessions()) >= rule.count.max)


def series_problems(group: Group, rules: GroupRules, at: str) -> list[GroupProblem]:
    problems: list[GroupProblem] = []
    over = series_over(group, rules)
    kind = kind_label(group.kind)
    rule = rules.series_for(group.kind, SessionKind.group, group.format)
    if rule is not None:
        held = group.group_sessions()
        n = len(held)
        if rule.count.max is not None and n > rule.count.max:
            extra = held[rule.count.max][0]
            problems.append(GroupProblem(
                rule="sessions",
                message=f"{n} group sessions; a {kind} group's series has {rule.count.describe()}",
                source=rule.source, note=rule.note, where=f"{at}.sessions[{extra}]",
            ))
        elif over and n < rule.count.min:
            problems.append(GroupProblem(
                rule="sessions",
                message=f"the series ended after {n} group sessions; it has {rule.count.describe()}",
                source=rule.source, note=rule.note, where=f"{at}.ended",
            ))
        if rule.weekly:
            weeks: dict[tuple[int, int], date] = {}
            for i, session in held:
                week = session.on.isocalendar()[:2]
                if week in weeks:
                    problems.append(GroupProblem(
                        rule="sessions",
                        message=f"two group sessions in one week ({weeks[week]} and {session.on});"
                                " the group meets weekly",
                        source=rule.source, note=rule.note, where=f"{at}.sessions[{i}]",
                    ))
                weeks[week] = session.on
    individual = rules.series_for(group.kind, SessionKind.individual, group.format)
    if individual is not None:
        for p in group.participants:
            n = len(individual_sessions(group, p.id))
            too_many = individual.count.max is not None and n > individual.count.max
            if too_many or (over and n < individual.count.min):
                problems.append(GroupProblem(
                    rule="individual_sessions",
                    message=f"{p.id} had {n} individual session{'s' * (n != 1)};"
                            f" each family has {individual.count.describe()}",
                    source=individual.source, note=individual.note, where=f"{at}.sessions",
                ))
    return problems


def individual_sessions(group: Group, pid: str) -> list[GroupSession]:
    return [
        s for s in group.sessions
        if s.kind == SessionKind.individual and s.regular and pid in s.participants and pid not in s.absent
    ]
