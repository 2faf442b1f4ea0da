"""The rules a program declares for its groups: checked when defined, written back, described."""

from __future__ import annotations

import tomllib

import pytest
import tomli_w
from facilitrack import DefinitionError, Program, parse_program
from facilitrack._groups import describe_rules

from tests.core.groups.conftest import _program


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
