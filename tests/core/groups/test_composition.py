"""Composition checks: facilitators, pairing, sizes, Child Team, individual sessions, court orders,
make-ups, and the rules plugins add; each problem cites its rule's source."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from facilitrack import PluginError, Program, hookimpl, load_plugins
from facilitrack._groups import check_group, group_events, parent_completions
from facilitrack.plugin import Group, GroupProblem, Person

from tests.core.groups.conftest import START, _group, _program, _rules, _with_sessions

# -- facilitators and composition ------------------------------------------------------------


def test_one_facilitator_is_flagged_with_rule_and_source(program: Program, people: dict[str, Person]) -> None:
    """A group with a single facilitator breaks the two-facilitator rule, cited."""
    problems = check_group(_group(facilitators=["dr-miller"]), program, people, where="groups[0]")
    assert [("facilitators", "crc-faq.txt: two facilitators", "groups[0].facilitators")] == [
        (p.rule, p.source, p.where) for p in problems
    ]
    assert "1 facilitator (dr-miller); a group needs at least 2" == problems[0].message


def test_non_mental_health_leader_needs_a_mental_health_co_leader(
    program: Program, people: dict[str, Person]
) -> None:
    """A non-MH facilitator with only non-MH co-leaders is flagged; beside an MH one, not."""
    alone = check_group(_group(facilitators=["sam", "eli"], kind="community", trainees=[]), program, people)
    assert ["mental_health_co_leader", "mental_health_co_leader"] == _rules(alone)
    assert "sam (other) leads without a mental-health co-leader" == alone[0].message
    assert "crc-faq.txt: two facilitators" == alone[0].source
    fine = _group(facilitators=["sam", "lee"], kind="community", trainees=[])
    assert [] == check_group(fine, program, people)


def test_a_session_without_the_mental_health_co_leader_is_flagged(
    program: Program, people: dict[str, Person]
) -> None:
    """When the MH co-leader is absent, the non-MH leader led alone that day."""
    group = _group(kind="community", trainees=[], facilitators=["sam", "lee"], absent={3: ["lee"]})
    problems = check_group(group, program, people, where="groups[0]")
    assert ["facilitators", "mental_health_co_leader"] == _rules(problems)
    assert "session 4 on 2026-02-23 had 1 facilitator (sam)" in problems[0].message
    assert "groups[0].sessions[3].absent" == problems[0].where


def test_demonstration_trainees_need_a_certified_trainer(program: Program, people: dict[str, Person]) -> None:
    """Without a certified trainer among the facilitators, each trainee is flagged."""
    problems = check_group(_group(facilitators=["lee", "ana"]), program, people)
    assert ["pairing", "pairing"] == _rules(problems)
    assert "crc-faq.txt: paired with a certified trainer" == problems[0].source


def test_trainee_led_groups_need_a_certified_trainer_on_the_enrolment(
    program: Program, people: dict[str, Person]
) -> None:
    """A leading trainee is paired through their enrolment's trainer, who must be certified."""
    led: dict[str, Any] = {"kind": "trainee_led", "facilitators": ["ana", "lee"]}
    assert [] == check_group(_group(trainees=["ana"], **led), program, people)
    unpaired = check_group(_group(trainees=["eli"], **led), program, people)
    assert ["trainee eli leads this trainee-led group, but their enrolment names no trainer"] == [
        p.message for p in unpaired
    ]
    people["ana"] = people["ana"].model_copy(update={"trainer": "lee"})
    wrong = check_group(_group(trainees=["ana"], **led), program, people)
    assert ["pairing"] == _rules(wrong)
    assert "names lee, not a certified trainer" in wrong[0].message


def test_demonstration_group_size_and_trainee_count(program: Program, people: dict[str, Person]) -> None:
    """Three dyads and one trainee break the 4-6 dyads and 2-3 trainees rule."""
    group = _group(ages=[26, 27, 28], trainees=["ana"])
    problems = check_group(group, program, people)
    assert ["group_size", "trainee_count"] == _rules(problems)
    assert "3 parent-child dyads; a demonstration group has 4 to 6" == problems[0].message


def test_counts_of_one_are_singular_in_group_problems(program: Program, people: dict[str, Person]) -> None:
    """One dyad, one trainee, one child: "1 parent-child dyad", "1 trainee", "1 child"."""
    problems = check_group(_group(ages=[26], trainees=["ana"]), program, people)
    assert [
        "1 parent-child dyad; a demonstration group has 4 to 6",
        "1 trainee; a demonstration group has 2 to 3",
    ] == [p.message for p in problems if p.rule in ("group_size", "trainee_count")]
    team = _program(child_team={"source": "strong-roots.txt: one-on-one care"})
    [child] = [p for p in check_group(_group(ages=[26], sessions=1), team, people) if p.rule == "child_team"]
    assert child.message.startswith("session on 2026-02-02 had 1 child and 0 Child Team members;")


def test_child_team_member_for_every_child_present(people: dict[str, Person]) -> None:
    """A session with fewer Child Team members than children present is flagged."""
    program = _program(child_team={"source": "strong-roots.txt: one-on-one care"})
    group = _group(ages=[26, 27, 28, 29], sessions=2, absent={1: ["p4"]})
    group = group.model_copy(update={"sessions": (
        group.sessions[0].model_copy(update={"child_team": ("ct1",)}),
        group.sessions[1].model_copy(update={"child_team": ("ct1", "lee", "sam")}),
    )})
    problems = [p for p in check_group(group, program, people) if p.rule == "child_team"]
    expected = "session on 2026-02-02 had 4 children and 1 Child Team member; each child has 1 of their own"
    assert [expected] == [p.message for p in problems]


def test_individual_sessions_are_counted_per_family(people: dict[str, Person]) -> None:
    """Once the series is over, a family with 2 of 3 individual sessions is flagged."""
    series = [{"count": {"min": 10, "max": 10}, "source": "10 group"},
              {"session": "individual", "count": {"min": 3, "max": 3}, "source": "3 individual"}]
    program = _program(series=series, individual_credits={"demonstration": "demo_session"})
    group = _with_sessions(_group(sessions=10), *(
        {"on": START - timedelta(days=d), "kind": "individual", "participants": [p]}
        for p in ("p1", "p2", "p3", "p4") for d in range(1, 4 if p != "p4" else 3)
    ))
    problems = check_group(group, program, people)
    message = "p4 had 2 individual sessions; each family has exactly 3"
    found = [(p.rule, p.message, p.source) for p in problems]
    assert [("individual_sessions", message, "3 individual")] == found
    credited = [e for e in group_events(group, program) if e.on < START]
    assert 2 * 11 == len(credited)


def test_court_ordered_parents_need_the_agency_named(program: Program, people: dict[str, Person]) -> None:
    """A court-ordered participant without `agency` is flagged; with it, not."""
    group = _group(court_ordered=True)
    assert ["court_ordered"] == _rules(check_group(group, program, people))
    assert [] == check_group(group.model_copy(update={"agency": "Family Centre"}), program, people)
    no_rule = _program(court_ordered=None)
    assert ["court_ordered"] == _rules(check_group(group.model_copy(update={"agency": "A"}), no_rule, people))


def test_make_up_session_is_refused_with_the_rule_cited(program: Program, people: dict[str, Person]) -> None:
    """A make-up session is a problem citing 'not offered', and does not reduce absences."""
    group = _with_sessions(_group(absent={i: ["p1"] for i in (1, 2, 3)}),
                           {"on": START + timedelta(days=10), "makeup": True, "participants": ["p1"]})
    problems = check_group(group, program, people, where="groups[0]")
    assert [("makeup_session", "crc-faq.txt: more than two sessions", "groups[0].sessions[12].makeup")] == [
        (p.rule, p.source, p.where) for p in problems
    ]
    assert "make-up sessions are not offered" in problems[0].message
    record = parent_completions(group, program)[0]
    assert (False, 3) == (record.completed, record.missed)
    assert 24 == len(group_events(group, program))


# -- the plugin hook -------------------------------------------------------------------------


class _NoSundays:
    """A plugin rule data cannot express: no session on a Sunday."""

    @hookimpl
    def facilitrack_check_group(self, group: Group) -> list[GroupProblem]:
        return [
            GroupProblem(rule="no_sundays", message=f"session on Sunday {s.on}", source="house rule")
            for s in group.sessions if s.on.weekday() == 6
        ]


class _Broken:
    @hookimpl
    def facilitrack_check_group(self, group: Group) -> list[str]:
        return [f"{group.id} is wrong"]


def test_plugins_add_group_rules_through_the_hook(program: Program, people: dict[str, Person]) -> None:
    """A plugin's facilitrack_check_group problems follow the declared rules."""
    hooks = load_plugins([_NoSundays()], entry_points_group=None).hooks
    sunday = _with_sessions(_group(sessions=1), {"on": START + timedelta(days=13)})
    problems = check_group(sunday, program, people, hooks=hooks)
    assert [("no_sundays", "house rule")] == [(p.rule, p.source) for p in problems]


def test_a_plugin_returning_no_problem_objects_is_named(program: Program, people: dict[str, Person]) -> None:
    """A hook returning something other than GroupProblem is a PluginError naming it."""
    hooks = load_plugins([_Broken()], entry_points_group=None).hooks
    with pytest.raises(PluginError, match="not a GroupProblem"):
        check_group(_group(), program, people, hooks=hooks)


def test_a_plugin_problem_without_a_place_is_placed_on_the_group(
    program: Program, people: dict[str, Person]
) -> None:
    """A hook's problem with no `where` gets the group's place, so check can point at its line."""
    hooks = load_plugins([_NoSundays()], entry_points_group=None).hooks
    sunday = _with_sessions(_group(sessions=1), {"on": START + timedelta(days=13)})
    problems = check_group(sunday, program, people, hooks=hooks, where="groups[2]")
    assert ["groups[2]"] == [p.where for p in problems]
