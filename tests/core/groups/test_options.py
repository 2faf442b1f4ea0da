"""Group-rule options a definition declares to judge by its sources' meaning; without them, as 0.1 did.

Each option is off unless declared, so definitions written before them (the bundled 1.0s) judge
exactly as before; the tests show both sides.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest
from facilitrack import DefinitionError, Program, UnknownKeyError, parse_program
from facilitrack._groups import check_group, describe_rules, parent_completions, validate_group
from facilitrack._model.people import people_index
from facilitrack._model.periods import add_months
from facilitrack.plugin import Group, GroupProblem, Person, StaffMember

from tests.builders import demo_with

START = date(2026, 2, 2)  # a Monday

BASE: dict[str, Any] = {
    "credits": {"demonstration": "demo_session", "trainee_led": "group_session"},
    "facilitators": {"count": 2, "source": "two facilitators"},
    "series": [{"count": {"min": 12, "max": 12}, "weekly": True, "source": "12-week series"}],
    "attendance": {"max_missed": 2, "makeup": False, "source": "more than two sessions"},
}
STAFF = [
    StaffMember(id="dr-miller", name="Dr. R. Miller", credential="licensed", certified_trainer=True),
    StaffMember(id="lee", name="J. Lee", credential="pre_licensed"),
    StaffMember(id="sam", name="S. Sam", credential="other"),
]
TRAINEES: list[tuple[str, str, str | None]] = [
    ("ana", "licensed", "dr-miller"), ("noa", "pre_licensed", "nobody-we-know"),
]


def _program(**rules: Any) -> Program:
    return parse_program(demo_with(groups={**copy.deepcopy(BASE), **rules}), origin="tests")


def _people(**tracks: str) -> dict[str, Person]:
    return people_index(TRAINEES, STAFF, tracks=tracks)


def _group(*, born: list[date] | None = None, sessions: int = 12, **fields: Any) -> Group:
    """A demonstration group led by a certified trainer and Ana; Ana and Noa take part."""
    born = born or [date(2023, 9, 1)] * 4
    data: dict[str, Any] = {
        "id": "g1", "kind": "demonstration", "facilitators": ["dr-miller", "ana"],
        "trainees": ["ana", "noa"],
        "participants": [{"id": f"p{i + 1}", "parent": f"Parent {i + 1}", "child_born": b}
                         for i, b in enumerate(born)],
        "sessions": [{"on": START + timedelta(weeks=i)} for i in range(sessions)],
    }
    data.update(fields)
    return Group.model_validate(data)


def _rules(problems: list[GroupProblem]) -> list[str]:
    return [p.rule for p in problems]


# -- ages: birth dates, not ages rounded to months ---------------------------------------------

AGES = {"min_months": 3, "source": "six months ... eight months",
        "bands": [{"label": "up to two", "below_months": 24, "max_spread": 6},
                  {"label": "over two", "max_spread": 8}]}


@pytest.mark.parametrize(
    ("oldest", "youngest", "flagged"),
    [
        (date(2025, 1, 15), date(2025, 7, 15), False),   # exactly six calendar months
        (date(2025, 1, 15), date(2025, 7, 16), True),    # one day more
        (date(2024, 8, 31), date(2025, 2, 28), False),   # the 31st clamps to February's end
        (date(2024, 8, 31), date(2025, 3, 1), True),
        (date(2025, 1, 1), date(2025, 7, 30), True),     # 6 months and 29 days
    ],
)
def test_birth_dates_spread_boundary_is_n_calendar_months(
    oldest: date, youngest: date, flagged: bool
) -> None:
    """With spread_by = birth_dates the youngest is born at most 6 calendar months after the oldest."""
    program = _program(ages={**AGES, "spread_by": "birth_dates"})
    group = _group(born=[oldest, youngest, oldest, oldest], starts=date(2026, 1, 5))

    problems = [p for p in check_group(group, program, _people()) if p.rule == "age_spread"]

    assert flagged == bool(problems)
    if flagged:
        assert f"at most 6 months after the oldest (by {add_months(oldest, 6)})" in problems[0].message
        assert "six months ... eight months" == problems[0].source


@pytest.mark.parametrize("start", [date(2026, 1, 1) + timedelta(days=d) for d in range(0, 62, 3)])
def test_birth_dates_answer_the_same_whatever_day_the_group_starts(start: date) -> None:
    """Children born 6 months and 29 days apart are too far apart on every start day."""
    program = _program(ages={**AGES, "spread_by": "birth_dates"})
    born = [date(2025, 1, 1), date(2025, 7, 30), date(2025, 3, 1), date(2025, 4, 1)]

    problems = check_group(_group(born=born, starts=start), program, _people())

    assert ["age_spread"] == _rules(problems)
    assert "were born 6 months and 29 days apart (p1: 2025-01-01, p2: 2025-07-30)" in problems[0].message


def test_months_at_start_still_rounds_as_before() -> None:
    """Without spread_by, 6 months 29 days apart passes or not by the day the group starts (0.1)."""
    program = _program(ages=AGES)
    born = [date(2025, 1, 1), date(2025, 7, 30), date(2025, 3, 1), date(2025, 4, 1)]

    assert [] == check_group(_group(born=born, starts=date(2026, 1, 30)), program, _people())
    flagged = check_group(_group(born=born, starts=date(2026, 1, 29)), program, _people())
    assert ["age_spread"] == _rules(flagged)


def test_mixed_bands_by_birth_dates_are_held_to_the_widest_band() -> None:
    """Children either side of two years, born more than 8 months apart, are flagged as a group."""
    program = _program(ages={**AGES, "spread_by": "birth_dates"})
    born = [date(2023, 10, 1), date(2024, 3, 1), date(2024, 6, 2), date(2024, 6, 1)]

    problems = check_group(_group(born=born, starts=date(2026, 2, 2)), program, _people())

    assert ["age_spread"] == _rules(problems)
    assert "mixes children up to two and over two" in problems[0].message


# -- formats -------------------------------------------------------------------------------------

FORMATS = [
    {"key": "mom_power", "title": "13 sessions", "facilitators": 3, "source": "a registry entry"},
    {"key": "multifamily", "note": "Assumption: no counts"},
]


def test_series_rules_naming_formats_judge_only_groups_of_that_format() -> None:
    """A six-session group of another format is not short, and its parents complete."""
    program = _program(formats=FORMATS, series=[{"formats": ["mom_power"], "count": {"min": 12, "max": 12},
                                                 "source": "a registry entry"}])
    people = _people()
    other = _group(sessions=6, ended=True, format="multifamily", facilitators=["dr-miller", "ana", "lee"])
    mom_power = other.model_copy(update={"format": "mom_power"})

    assert [] == check_group(other, program, people)
    assert {"completed"} == {p.status for p in parent_completions(other, program)}
    assert ["sessions"] == _rules(check_group(mom_power, program, people))
    assert {"not_completed"} == {p.status for p in parent_completions(mom_power, program)}


def test_a_formats_facilitator_count_cites_the_format() -> None:
    """A group of a format with 3 facilitators, led by 2, is flagged citing the format's source."""
    program = _program(formats=FORMATS)
    group = _group(format="mom_power")

    problems = check_group(group, program, _people())

    assert [("facilitators", "a registry entry")] == [(p.rule, p.source) for p in problems]
    assert "a group of format mom_power needs at least 3" in problems[0].message
    assert [] == check_group(group.model_copy(update={"format": None}), program, _people())


def test_an_undeclared_format_is_refused_with_the_nearest() -> None:
    """A group naming a format the program does not declare is invalid input."""
    program = _program(formats=FORMATS)
    with pytest.raises(UnknownKeyError, match="no group format 'mom_powr'") as info:
        validate_group(_group(format="mom_powr"), program, _people(), where="groups[0]")
    assert "did you mean 'mom_power'?" in (info.value.fix or "")
    assert "groups[0].format" == info.value.where


def test_a_series_rule_naming_an_undeclared_format_is_refused() -> None:
    """Definitions cannot scope a rule to a format they do not declare."""
    with pytest.raises(DefinitionError, match="names the format 'mom_power'; declared: none"):
        _program(series=[{"formats": ["mom_power"], "count": {"min": 10}, "source": "x"}])


# -- pairing: the trainer is someone known ---------------------------------------------------------


def test_known_pairing_flags_a_trainer_nobody_knows() -> None:
    """With known = true, an enrolment's trainer the cohort does not know is flagged; without, not."""
    led = _group(kind="trainee_led", facilitators=["ana", "noa"], trainees=["ana", "noa"])
    loose = _program(pairing={"supervised_kinds": ["trainee_led"], "source": "paired"})
    strict = _program(pairing={"supervised_kinds": ["trainee_led"], "known": True, "source": "paired"})

    assert [] == check_group(led, loose, _people())
    problems = check_group(led, strict, _people())
    assert ["pairing"] == _rules(problems)
    assert "noa leads this trainee-led group, but their enrolment names nobody-we-know, whom this cohort" \
           " does not know" in problems[0].message


def test_a_role_by_certification_counts_from_the_day_of_certification() -> None:
    """A trainee the journal certified before the group started co-leads as a certified trainer."""
    data = demo_with()
    data["vocabulary"] = {
        "credentials": [{"key": "licensed", "roles": ["mental_health"]}, {"key": "pre_licensed"},
                        {"key": "early_childhood"}, {"key": "other"}],
        "roles": [{"key": "mental_health"}, {"key": "certified_trainer", "by_certification": True}],
    }
    data["groups"] = {**copy.deepcopy(BASE), "facilitators": {"count": 2, "source": "x"},
                      "pairing": {"kinds": ["demonstration"], "source": "paired"}}
    program = parse_program(data, origin="tests")
    people = _people()
    group = _group(facilitators=["ana", "lee"], trainees=["noa"])

    assert ["pairing", "pairing"] == _rules(check_group(group, program, people))
    earlier = {**people, "ana": people["ana"].model_copy(update={"certified_on": START - timedelta(days=1)})}
    later = {**people, "ana": people["ana"].model_copy(update={"certified_on": START + timedelta(days=1)})}
    assert [] == check_group(group, program, earlier)
    assert ["pairing", "pairing"] == _rules(check_group(group, program, later))


# -- individual sessions, court orders, tracks, completion dates ----------------------------------


def _individual(group: Group, on: date, *participants: str) -> Group:
    data = group.model_dump()
    session = {"on": on, "kind": "individual", "participants": list(participants)}
    data["sessions"] = [*data["sessions"], session]
    return Group.model_validate(data)


def test_individual_sessions_refused_are_problems_and_never_a_parents_last_session() -> None:
    """With individual.allowed = false, an individual session is flagged and dates nothing."""
    refused = _program(individual={"allowed": False, "source": "a group model only"})
    allowed = _program()
    group = _individual(_group(), START + timedelta(weeks=13), "p1")

    problems = check_group(group, refused, _people())
    assert [("individual_session", "a group model only", "group g1.sessions[12].kind")] == [
        (p.rule, p.source, p.where) for p in problems
    ]
    assert START + timedelta(weeks=11) == parent_completions(group, refused)[0].last_attended
    assert [] == check_group(group, allowed, _people())
    assert START + timedelta(weeks=13) == parent_completions(group, allowed)[0].last_attended


def test_court_orders_not_judged_are_recorded_not_flagged() -> None:
    """judged = false: a court-ordered parent is no problem, and still marked on the record."""
    group = _group(court_ordered=True)
    silent = _program(court_ordered={"judged": False, "note": "Assumption: the sources are silent"})

    assert ["court_ordered"] == _rules(check_group(group, _program(), _people()))
    assert [] == check_group(group, silent, _people())
    assert all(p.court_ordered for p in parent_completions(group, silent))


def test_track_rule_flags_a_trainee_of_another_track_and_a_group_naming_none() -> None:
    """An infant group crediting a toddler-track trainee is flagged; so is a group naming no track."""
    program = _program(track={"kinds": ["demonstration"], "source": "infant or toddler"})
    people = _people(ana="infant", noa="toddler")

    problems = check_group(_group(track="infant"), program, people)
    assert [("track", "group g1.trainees")] == [(p.rule, p.where) for p in problems]
    assert "trainee noa is on the toddler track; this demonstration group runs the infant track" in (
        problems[0].message
    )
    assert ["track"] == _rules(check_group(_group(), program, people))
    assert [] == check_group(_group(track="infant"), _program(), people)


def test_completion_dated_by_group_sessions_ignores_make_ups_and_individual_sessions() -> None:
    """dated_by = group_sessions: the record's dates are the regular group sessions'."""
    program = _program(completion={"dated_by": "group_sessions", "note": "Assumption: regular sessions"},
                       attendance={"max_missed": 2, "makeup": True, "source": "x"})
    old = _program(attendance={"max_missed": 2, "makeup": True, "source": "x"})
    last = START + timedelta(weeks=11)
    base = _group(sessions=12)
    makeup = {"on": last + timedelta(days=3), "makeup": True, "participants": ["p1"]}
    group = Group.model_validate({**base.model_dump(), "sessions": [
        {"on": START - timedelta(days=3), "kind": "individual", "participants": ["p1"]},
        *base.model_dump()["sessions"], makeup,
    ]})

    [record, *_] = parent_completions(group, program)
    [before, *_] = parent_completions(group, old)

    assert record.certificate is not None
    assert before.certificate is not None
    assert (START, last, last) == (
        record.certificate.first_session, record.certificate.last_session, record.certificate.on
    )
    assert (START - timedelta(days=3), last + timedelta(days=3), last + timedelta(days=3)) == (
        before.certificate.first_session, before.certificate.last_session, before.certificate.on
    )


def test_every_new_option_has_a_line_in_show() -> None:
    """formats, individual, track and completion are described with their sources."""
    program = _program(formats=FORMATS, individual={"allowed": False, "source": "group model"},
                       track={"source": "tracks"}, completion={"dated_by": "group_sessions", "note": "n"},
                       court_ordered={"judged": False, "note": "Assumption: silent"})
    assert program.groups is not None
    lines = {line.rule: line for line in describe_rules(program.groups)}

    assert {"format", "individual", "track", "completion", "court_ordered"} <= set(lines)
    assert "group model" == lines["individual"].source
    assert "not judged" in lines["court_ordered"].text
