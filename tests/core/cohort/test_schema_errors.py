"""A cohort file that does not fit its tables: each field named with its line and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from facilitrack import PluginHost

from tests.core.cohort.conftest import GROUP, HEADER, D, cohort_with, error_of, grouped, write


def test_unknown_field_suggests_the_nearest(tmp_path: Path, host: PluginHost) -> None:
    """A misspelt field is named with the field it probably meant."""
    text = HEADER.replace("trainer =", "trainr =")
    assert "trainees[0].trainr (line 6): unknown field 'trainr'; did you mean 'trainer'?" in error_of(
        write(tmp_path, text), host
    )


def test_held_must_be_true(tmp_path: Path, host: PluginHost) -> None:
    """`held = false` is explained, not reported as a bare literal error."""
    path = cohort_with(tmp_path, [{"trainee": "ana", "on": D("2026-01-10"), "held": False}])
    assert "events[0].held (line 13): write `held = true`" in error_of(path, host)


def test_unknown_fields_in_group_tables_suggest_the_field_meant(tmp_path: Path, host: PluginHost) -> None:
    """Misspelt fields of [[staff]], [[groups]], participants and sessions are named with a suggestion."""
    for wrong, right, where in (
        ("certified_trainr", "certified_trainer", "staff[0]"),
        ("facilitator", "facilitators", "groups[0]"),
        ("child_bron", "child_born", "groups[0].participants[0]"),
        ("absnt", "absent", "groups[0].sessions[1]"),
    ):
        message = error_of(grouped(tmp_path, GROUP.replace(f"{right} =", f"{wrong} =")), host)
        assert f"{where}.{wrong} (line " in message
        assert f"unknown field {wrong!r}; did you mean {right!r}?" in message


# -- strict types ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"3"', "events[0].weekly (line 13): expected a whole number without quotes"
                " (`weekly = 3`), not the text '3'"),
        ("3.0", "events[0].weekly (line 13): expected a whole number without quotes"
                " (`weekly = 3`), not 3.0"),
        ('"12"', "events[0].weekly (line 13): expected a whole number without quotes"
                 " (`weekly = 12`), not the text '12'"),
        ("true", "events[0].weekly (line 13): expected a whole number without quotes"
                 " (`weekly = 3`), not true"),
    ],
)
def test_weekly_must_be_a_toml_integer(tmp_path: Path, host: PluginHost, value: str, message: str) -> None:
    """`weekly` is a TOML integer: a quoted number, a float or a boolean is refused, readably."""
    row = f'trainee = "ana"\non = 2026-01-10\nattended = "demo_session"\nweekly = {value}\n'
    text = HEADER + "\n[[events]]\n" + row
    assert message in error_of(write(tmp_path, text), host)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("certified_trainer = true", 'certified_trainer = "yes"',
         "staff[0].certified_trainer (line 19): expected true or false without quotes"
         " (`certified_trainer = true`), not the text 'yes'"),
        ("certified_trainer = true", "certified_trainer = 1",
         "staff[0].certified_trainer (line 19): expected true or false without quotes"
         " (`certified_trainer = true`), not 1"),
        ('kind = "demonstration"', 'kind = "demonstration"\nended = "false"',
         "groups[0].ended (line 25): expected true or false without quotes (`ended = false`),"
         " not the text 'false'"),
        ("child_born = 2023-09-14", 'child_born = 2023-09-14\ncourt_ordered = "no"',
         "groups[0].participants[0].court_ordered (line 31): expected true or false"),
        ("on = 2026-02-02", 'on = 2026-02-02\nmakeup = 0',
         "groups[0].sessions[0].makeup (line 36): expected true or false without quotes"
         " (`makeup = false`), not 0"),
    ],
)
def test_booleans_must_be_toml_booleans(
    tmp_path: Path, host: PluginHost, old: str, new: str, message: str
) -> None:
    """Group and staff flags are TOML booleans: "yes", "false" or 1 are refused at their field."""
    assert message in error_of(grouped(tmp_path, GROUP.replace(old, new, 1)), host)


def test_held_must_be_true_not_one(tmp_path: Path, host: PluginHost) -> None:
    """`held = 1` is not `held = true`."""
    path = write(tmp_path, HEADER + '\n[[events]]\ntrainee = "ana"\non = 2026-01-10\nheld = 1\n')
    assert "events[0].held (line 13): write `held = true`" in error_of(path, host)
