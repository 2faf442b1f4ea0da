"""Groups: composition rules with their sources, ages, parents' completion, trainee credit."""

from __future__ import annotations

import calendar
import copy
import tomllib
from datetime import date, timedelta
from typing import Any

import pytest
import tomli_w
from facilitrack import (
    DefinitionError,
    Engine,
    PluginError,
    Program,
    ProgramRegistry,
    UnknownKeyError,
    hookimpl,
    load_plugins,
    parse_program,
)
from facilitrack._groups import (
    check_group,
    describe_rules,
    group_events,
    parent_completions,
    report_group,
    validate_group,
    whole_months,
)
from facilitrack._model.groups import GroupError
from facilitrack._model.people import people_index
from facilitrack.plugin import Group, GroupProblem, GroupSession, Person, StaffMember
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import DEMO

START = date(2026, 2, 2)  # a Monday

RULES: dict[str, Any] = {
    "credits": {"demonstration": "demo_session", "trainee_led": "group_session"},
    "facilitators": {"count": 2, "source": "crc-faq.txt: two facilitators"},
    "pairing": {"kinds": ["demonstration"], "supervised_kinds": ["trainee_led"],
                "source": "crc-faq.txt: paired with a certified trainer"},
    "sizes": [{"kinds": ["demonstration"], "participants": {"min": 4, "max": 6},
               "trainees": {"min": 2, "max": 3}, "source": "mpg-trainings.txt: four to six"}],
    "series": [{"count": {"min": 12, "max": 12}, "weekly": True, "source": "crc-faq.txt: 12-week"}],
    "ages": {
        "min_months": 3,
        "bands": [{"label": "up to two", "below_months": 24, "max_spread": 6},
                  {"label": "over two", "max_spread": 8}],
        "source": "mpg-trainings.txt: six months ... eight months",
    },
    "attendance": {"max_missed": 2, "makeup": False, "source": "crc-faq.txt: more than two sessions"},
    "court_ordered": {"source": "crc-faq.txt: court ordered"},
}

STAFF = [
    StaffMember(id="dr-miller", name="Dr. R. Miller", credential="licensed", certified_trainer=True),
    StaffMember(id="lee", name="J. Lee", credential="pre_licensed"),
    StaffMember(id="sam", name="S. Sam", credential="other"),
    StaffMember(id="ct1", name="Child Team 1", credential="early_childhood"),
]
TRAINEES: list[tuple[str, str, str | None]] = [
    ("ana", "licensed", "dr-miller"), ("noa", "pre_licensed", "dr-miller"),
    ("eli", "early_childhood", None),
]


def _program(**rules: Any) -> Program:
    data = copy.deepcopy(DEMO)
    data["groups"] = {**copy.deepcopy(RULES), **rules}
    return parse_program(data, origin="tests")


@pytest.fixture
def program() -> Program:
    """The demo program with MPG/RPP-shaped group rules."""
    return _program()


@pytest.fixture
def people() -> dict[str, Person]:
    """The demo trainees and staff, by id."""
    return people_index(TRAINEES, STAFF)


def _weekly(n: int, start: date = START) -> list[date]:
    return [start + timedelta(weeks=i) for i in range(n)]


def _born(months: int, on: date = START) -> date:
    """A birth date that makes a child exactly `months` old (whole months) on `on`."""
    year, month = divmod(on.year * 12 + on.month - 1 - months, 12)
    return date(year, month + 1, min(on.day, calendar.monthrange(year, month + 1)[1]))


def _group(
    *,
    ages: list[int] | None = None,
    absent: dict[int, list[str]] | None = None,
    sessions: int = 12,
    **fields: Any,
) -> Group:
    """A demonstration group of four dyads, two trainees and a certified trainer."""
    ages = ages if ages is not None else [26, 27, 28, 29]
    data: dict[str, Any] = {
        "id": "g1",
        "kind": "demonstration",
        "facilitators": ["dr-miller", "ana"],
        "trainees": ["ana", "noa"],
        "participants": [
            {"id": f"p{i + 1}", "parent": f"Parent {i + 1}", "child_born": _born(m)}
            for i, m in enumerate(ages)
        ],
        "sessions": [
            {"on": on, "absent": (absent or {}).get(i, [])} for i, on in enumerate(_weekly(sessions))
        ],
    }
    data.update(fields)
    return Group.model_validate(data)


def _with_sessions(group: Group, *sessions: dict[str, Any]) -> Group:
    """`group` with more sessions, written as the cohort file writes them."""
    extra = tuple(GroupSession.model_validate(s) for s in sessions)
    return group.model_copy(update={"sessions": (*group.sessions, *extra)})


def _rules(problems: list[GroupProblem]) -> list[str]:
    return [p.rule for p in problems]


# -- ages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("spread", "flagged"), [(8, False), (9, True)])
def test_over_two_spread_of_nine_months_is_flagged_eight_is_not(
    program: Program, people: dict[str, Person], spread: int, flagged: bool
) -> None:
    """Children over two may be at most 8 months apart: 9 is a problem, 8 is not."""
    group = _group(ages=[25, 27, 30, 25 + spread], track="toddler")
    problems = [p for p in check_group(group, program, people) if p.rule == "age_spread"]
    assert flagged == bool(problems)
    if flagged:
        assert "over two span 9 months" in problems[0].message
        assert "mpg-trainings.txt: six months ... eight months" == problems[0].source


@pytest.mark.parametrize(("spread", "flagged"), [(6, False), (7, True)])
def test_up_to_two_spread_limit_is_six_months(
    program: Program, people: dict[str, Person], spread: int, flagged: bool
) -> None:
    """Children under 24 months may be at most 6 months apart."""
    group = _group(ages=[10, 12, 14, 10 + spread])
    assert flagged == ("age_spread" in _rules(check_group(group, program, people)))


def test_bands_are_judged_separately_and_a_mixed_group_by_the_widest(
    program: Program, people: dict[str, Person]
) -> None:
    """22 and 28 months (6 apart, across bands) pass; 18 and 27 (9 apart) break the 8 limit."""
    assert [] == check_group(_group(ages=[22, 23, 26, 28]), program, people)
    problems = check_group(_group(ages=[18, 20, 25, 27]), program, people)
    assert ["age_spread"] == _rules(problems)
    assert "mixes children up to two and over two and spans 9 months" in problems[0].message


def test_age_is_measured_at_the_groups_start(program: Program, people: dict[str, Person]) -> None:
    """`starts` sets the day ages are counted on; by default the first session."""
    group = _group(ages=[25, 27, 30, 33])
    moved = group.model_copy(update={"starts": START + timedelta(days=40)})
    assert [] == check_group(group, program, people)
    assert [] == check_group(moved, program, people)
    assert START == group.start


def test_child_younger_than_three_months_is_flagged(program: Program, people: dict[str, Person]) -> None:
    """The youngest child allowed is 3 whole months old at the start."""
    problems = check_group(_group(ages=[2, 3, 4, 5]), program, people)
    assert ["child_age"] == _rules(problems)
    assert "p1's child is 2 months" in problems[0].message


@pytest.mark.parametrize(
    ("born", "on", "months"),
    [
        (date(2024, 1, 31), date(2024, 2, 29), 1),
        (date(2024, 1, 31), date(2024, 2, 28), 0),
        (date(2023, 1, 31), date(2023, 2, 28), 1),
        (date(2024, 2, 29), date(2025, 2, 28), 12),
        (date(2024, 3, 15), date(2024, 3, 14), -1),
        (date(2023, 9, 14), date(2026, 2, 2), 28),
    ],
)
def test_whole_months_counts_completed_months(born: date, on: date, months: int) -> None:
    """A month completes on the birth day-of-month, or a shorter month's last day."""
    assert months == whole_months(born, on)


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    youngest=st.integers(min_value=24, max_value=40),
    spread=st.integers(min_value=0, max_value=16),
)
def test_over_two_spread_is_flagged_exactly_above_eight(start: date, youngest: int, spread: int) -> None:
    """For any start and ages over two, the spread problem appears iff oldest - youngest > 8."""
    program = _program()
    people = people_index(TRAINEES, STAFF)
    ages = [youngest, youngest + spread // 2, youngest + spread, youngest]
    group = _group(ages=ages)
    group = group.model_copy(update={
        "starts": start,
        "participants": tuple(
            p.model_copy(update={"child_born": _born(m, start)})
            for p, m in zip(group.participants, ages, strict=True)
        ),
    })
    assert (spread > 8) == ("age_spread" in _rules(check_group(group, program, people)))


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


def test_sessions_beyond_the_series_and_in_one_week_are_flagged(
    program: Program, people: dict[str, Person]
) -> None:
    """A 13th session exceeds a 12-session series; two in one week break 'weekly'."""
    assert ["sessions"] == _rules(check_group(_group(sessions=13), program, people))
    twice = _with_sessions(_group(sessions=11), {"on": START + timedelta(days=2)})
    problems = check_group(twice, program, people)
    assert ["sessions"] == _rules(problems)
    assert "two group sessions in one week (2026-02-02 and 2026-02-04)" in problems[0].message


def test_short_series_is_flagged_only_once_ended(program: Program, people: dict[str, Person]) -> None:
    """Nine sessions are a series in progress, until the group is marked ended."""
    assert [] == check_group(_group(sessions=9), program, people)
    problems = check_group(_group(sessions=9, ended=True), program, people)
    assert ["sessions"] == _rules(problems)
    assert "the series ended after 9 group sessions; it has exactly 12" == problems[0].message


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


# -- parents' completion ---------------------------------------------------------------------


@pytest.mark.parametrize(("missed", "completed"), [(2, True), (3, False)])
def test_parent_absent_from_three_of_twelve_has_not_completed(
    program: Program, missed: int, completed: bool
) -> None:
    """Absent from 2 of 12 sessions completes; from 3 does not (crc-faq.txt)."""
    group = _group(absent={i: ["p1"] for i in (1, 5, 9)[:missed]}, agency="Family Centre")
    record = parent_completions(group, program)[0]
    assert (completed, missed) == (record.completed, record.missed)
    if completed:
        assert record.certificate is not None
        assert ("Family Centre", START, START + timedelta(weeks=11)) == (
            record.certificate.issued_by, record.certificate.first_session, record.certificate.last_session
        )
    else:
        assert ("not_completed", None) == (record.status, record.certificate)
        assert "crc-faq.txt: more than two sessions" == record.source


def test_completion_record_dates_and_court_order(program: Program) -> None:
    """The record holds the first and last session attended and notes a court order."""
    group = _group(absent={0: ["p2"], 11: ["p2"]}, agency="Family Centre")
    group = group.model_copy(update={"participants": (
        group.participants[0], group.participants[1].model_copy(update={"court_ordered": True}),
        *group.participants[2:],
    )})
    record = parent_completions(group, program)[1]
    assert record.certificate is not None
    assert (START + timedelta(weeks=1), START + timedelta(weeks=10), True) == (
        record.certificate.first_session, record.certificate.last_session, record.certificate.court_ordered
    )
    assert START + timedelta(weeks=11) == record.certificate.on


def test_series_in_progress_gives_no_record_yet(program: Program) -> None:
    """Before the series is over a parent is in progress, unless already past the limit."""
    group = _group(sessions=6, absent={0: ["p1"], 1: ["p1"], 2: ["p1", "p2"]})
    p1, p2 = parent_completions(group, program)[:2]
    assert ("not_completed", "in_progress") == (p1.status, p2.status)
    assert p2.certificate is None


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


def test_allowed_make_up_session_offsets_one_absence() -> None:
    """Where a program offers make-ups, attending one makes up one missed session."""
    program = _program(attendance={"max_missed": 2, "makeup": True, "note": "Assumption: test"})
    group = _with_sessions(_group(absent={i: ["p1"] for i in (1, 2, 3)}),
                           {"on": START + timedelta(days=10), "makeup": True, "participants": ["p1"]})
    record = parent_completions(group, program)[0]
    assert (True, 2) == (record.completed, record.missed)


@settings(max_examples=150, deadline=None)
@given(absences=st.sets(st.integers(min_value=0, max_value=11)))
def test_completion_depends_only_on_the_number_of_absences(absences: set[int]) -> None:
    """Over a full 12-session series a parent completes iff they missed at most 2."""
    program = _program()
    record = parent_completions(_group(absent={i: ["p3"] for i in absences}), program)[2]
    assert (len(absences) <= 2, len(absences), 12 - len(absences)) == (
        record.completed, record.missed, record.attended
    )
    assert (record.certificate is not None) == record.completed


# -- crediting trainees ----------------------------------------------------------------------


def test_demonstration_sessions_credit_present_trainees(program: Program) -> None:
    """Each session credits every trainee present with the demonstration activity; a trainee
    absent from one is recorded as absent from it (a series counts the sessions missed)."""
    events = group_events(_group(sessions=3, absent={1: ["noa"]}), program)
    assert [("ana", "attended"), ("noa", "attended"), ("ana", "attended"), ("noa", "absent"),
            ("ana", "attended"), ("noa", "attended")] == [(e.trainee, e.kind) for e in events]
    assert {"demo_session"} == {e.activity for e in events}
    assert ("g1:2026-02-02:ana", "g1:2026-02-09:noa:absent") == (events[0].id, events[3].id)


def test_trainee_led_sessions_credit_the_leading_trainees(program: Program) -> None:
    """A trainee-led group's sessions credit its trainees with the trainee-led activity."""
    group = _group(kind="trainee_led", trainees=["ana"], facilitators=["ana", "lee"], sessions=2)
    assert ["group_session", "group_session"] == [e.activity for e in group_events(group, program)]
    community = group.model_copy(update={"kind": "community"})
    assert [] == group_events(community, program)


@settings(max_examples=50, deadline=None)
@given(order=st.permutations(list(range(12))))
def test_event_ids_do_not_depend_on_session_order(order: list[int]) -> None:
    """Listing sessions in any order yields the same events with the same ids."""
    program = _program()
    group = _group(absent={2: ["ana"], 7: ["noa"]})
    shuffled = group.model_copy(update={"sessions": tuple(group.sessions[i] for i in order)})
    assert group_events(group, program) == group_events(shuffled, program)


def test_reimporting_group_sessions_records_nothing_new(program: Program) -> None:
    """Recording a group's events twice credits each session once."""
    registry = ProgramRegistry()
    registry.add(program, source="tests")
    engine = Engine(registry, hooks=load_plugins(entry_points_group=None).hooks)
    for trainee in ("ana", "noa"):
        engine.enrol(trainee, "demo", on=START - timedelta(days=30), credential="licensed", trainer="miller")
        engine.record(*[_attended(trainee, "workshop_day", START - timedelta(days=d)) for d in (20, 19)])
    group = _group(sessions=3)
    assert 6 == len(engine.record(group_events(group, program)))
    assert [] == engine.record(group_events(group, program))
    assert 3 == {r.requirement: r.have for r in engine.explain("ana").requirements}["demo_session"]


def _attended(trainee: str, activity: str, on: date) -> Any:
    from facilitrack import Attended

    return Attended(trainee=trainee, activity=activity, on=on)


# -- references and definitions --------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "where", "fix"),
    [
        ({"facilitators": ["dr-miler", "ana"]}, "groups[0].facilitators", "did you mean 'dr-miller'?"),
        ({"trainees": ["ana", "nao"]}, "groups[0].trainees", "did you mean 'noa'?"),
        ({"track": "todler"}, "groups[0].track", "did you mean 'toddler'?"),
    ],
)
def test_unknown_ids_name_the_place_and_the_nearest_id(
    program: Program, people: dict[str, Person], change: dict[str, Any], where: str, fix: str
) -> None:
    """An unknown facilitator, trainee or track is refused where it is, with a suggestion."""
    with pytest.raises(UnknownKeyError) as info:
        validate_group(_group(**change), program, people, where="groups[0]")
    assert where == info.value.where
    assert fix in (info.value.fix or "")


def test_unknown_absent_id_names_the_session(program: Program, people: dict[str, Person]) -> None:
    """An absent id that is no participant, trainee or facilitator names its session."""
    with pytest.raises(UnknownKeyError) as info:
        validate_group(_group(absent={3: ["p11"]}), program, people, where="groups[0]")
    assert ("groups[0].sessions[3].absent", "did you mean 'p1'?") == (info.value.where, info.value.fix)


def test_staff_listed_as_trainee_is_refused(program: Program, people: dict[str, Person]) -> None:
    """A staff member in `trainees` is named as staff, with where they belong."""
    with pytest.raises(UnknownKeyError) as info:
        validate_group(_group(trainees=["ana", "lee"]), program, people, where="groups[0]")
    assert "'lee' is staff, not a trainee" == info.value.what
    assert "groups[0].trainees" == info.value.where


@pytest.mark.parametrize(
    ("session", "what"),
    [
        ({"on": START, "kind": "individual"}, "an individual session names no participants"),
        ({"on": START, "participants": ["p1"]}, "expects every participant"),
        ({"on": START}, "are the same session"),
    ],
)
def test_contradictory_sessions_are_refused(
    program: Program, people: dict[str, Person], session: dict[str, Any], what: str
) -> None:
    """Individual sessions need participants, group sessions must not list them, no repeats."""
    with pytest.raises(GroupError, match=what):
        validate_group(_with_sessions(_group(sessions=1), session), program, people)


def test_a_staff_id_used_by_a_trainee_is_refused() -> None:
    """One id names one person: a staff entry reusing a trainee id is an error."""
    with pytest.raises(GroupError) as info:
        people_index(TRAINEES, [StaffMember(id="ana", name="Ana", credential="licensed")])
    assert "staff[0].id" == info.value.where


def test_credits_must_name_an_attendance_activity() -> None:
    """Group rules crediting an activity no stage counts are refused at definition time."""
    with pytest.raises(DefinitionError, match="groups credit 'demo_sesion'"):
        _program(credits={"demonstration": "demo_sesion"})


def test_age_bands_must_rise_and_end_open() -> None:
    """Age bands with falling bounds, or a bounded last band, are refused."""
    for bands in ([{"label": "a", "below_months": 24, "max_spread": 6}],
                  [{"label": "a", "below_months": 24, "max_spread": 6},
                   {"label": "b", "below_months": 12, "max_spread": 6}, {"label": "c", "max_spread": 8}]):
        with pytest.raises(DefinitionError, match=r"groups\.ages"):
            _program(ages={"bands": bands})


def test_group_rules_round_trip_through_toml(program: Program) -> None:
    """A definition with group rules written as TOML reads back equal."""
    text = tomli_w.dumps(program.model_dump(mode="json", exclude_none=True))
    assert program == parse_program(tomllib.loads(text), origin="round-trip")


def test_cohort_group_tables_parse_as_documented(program: Program, people: dict[str, Person]) -> None:
    """The [[groups]] tables of the cohort contract parse into a Group and report."""
    text = """
[[groups]]
id = "mpg-demo-spring"
kind = "demonstration"
track = "toddler"
facilitators = ["dr-miller", "ana"]
trainees = ["ana", "noa"]

[[groups.participants]]
id = "p1"
parent = "Maya R."
child_born = 2023-09-14

[[groups.sessions]]
on = 2026-02-02
absent = ["p1", "noa"]
"""
    group = Group.model_validate(tomllib.loads(text)["groups"][0])
    report = report_group(group, program, people)
    assert ["group_size"] == _rules(report.problems)
    assert ("p1", False, 1, "in_progress") == (
        report.participants[0].id, report.participants[0].completed, report.participants[0].missed,
        report.participants[0].status,
    )
    assert ["ana"] == [c.trainee for c in report.credits]
    assert "mpg-demo-spring (demo, demonstration, toddler): 1 session, in progress" in report.text()


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


def test_group_dates_read_like_the_rest_of_the_cohort_file() -> None:
    """ISO strings always read; other forms read through the context's `parse_date`."""
    data = {"id": "g", "kind": "community", "starts": "2026-02-02",
            "participants": [{"id": "p1", "parent": "P", "child_born": "14.9.2023"}]}
    with pytest.raises(ValueError, match=r"not a date: '14\.9\.2023'"):
        Group.model_validate(data)

    def day_first(text: str) -> date | None:
        d, m, y = (int(x) for x in text.split("."))
        return date(y, m, d)

    group = Group.model_validate(data, context={"parse_date": day_first})
    assert (START, date(2023, 9, 14)) == (group.starts, group.participants[0].child_born)


def test_a_plugin_problem_without_a_place_is_placed_on_the_group(
    program: Program, people: dict[str, Person]
) -> None:
    """A hook's problem with no `where` gets the group's place, so check can point at its line."""
    hooks = load_plugins([_NoSundays()], entry_points_group=None).hooks
    sunday = _with_sessions(_group(sessions=1), {"on": START + timedelta(days=13)})
    problems = check_group(sunday, program, people, hooks=hooks, where="groups[2]")
    assert ["groups[2]"] == [p.where for p in problems]


def test_parent_record_lists_the_sessions_missed(program: Program) -> None:
    """`absences` holds the dates of the regular sessions a parent missed, in date order."""
    record = parent_completions(_group(absent={4: ["p2"], 1: ["p2"]}), program)[1]
    assert [START + timedelta(weeks=1), START + timedelta(weeks=4)] == record.absences


def test_describe_rules_gives_each_rule_a_line_with_its_source(program: Program) -> None:
    """Each declared rule reads as one sentence, with the source and note it was declared with."""
    assert program.groups is not None
    lines = {line.rule: line for line in describe_rules(program.groups)}

    assert ["credits", "facilitators", "pairing", "size", "sessions", "ages", "attendance",
            "court_ordered"] == list(lines)
    assert "demonstration groups: 4 to 6 parent-child dyads, 2 to 3 trainees" == lines["size"].text
    assert "all groups: exactly 12 group sessions, weekly" == lines["sessions"].text
    assert ("children at least 3 months old at the start; up to two (under 24 months): at most 6 months"
            " apart; over two: at most 8 months apart") == lines["ages"].text
    assert ("a parent who misses more than 2 sessions has not completed; no make-up sessions",
            "crc-faq.txt: more than two sessions") == (lines["attendance"].text, lines["attendance"].source)
    assert lines["facilitators"].text.endswith(
        "one whose credential is not licensed or pre_licensed leads only beside one whose is"
    )
