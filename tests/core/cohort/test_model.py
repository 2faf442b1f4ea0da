"""The cohort file's tables: one kind per row, dates read in any accepted form, people, the schema."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from facilitrack import Attended, PluginHost, Program, UserError, hookimpl, load_plugins
from facilitrack._cohort import ROW_KINDS, cohort_schema, load_cohort, run_cohort

from tests.core.cohort.conftest import GROUP, HEADER, LEVEL1, D, cohort_with, error_of, grouped, write


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"attended": "demo_session", "on": D("2026-02-01"), "dates": [D("2026-02-02")]},
         "events[0] (line 13): give `on` (one date) or `dates`"),
        ({"attended": "demo_session", "dates": [D("2026-02-02")], "weekly": 2},
         "events[0] (line 13): `weekly` repeats from `on`"),
        ({"attended": "demo_session", "on": D("2026-02-01"), "weekly": 2, "id": "x"},
         "events[0] (line 13): an explicit `id` names one event"),
        ({"artifact": "videotape", "status": "approved", "on": D("2026-02-01"), "weekly": 2, "ref": "v"},
         "events[0] (line 13): a `ref` or `sha256` names one artifact"),
    ],
)
def test_repeated_rows_must_be_unambiguous(
    tmp_path: Path, host: PluginHost, row: dict[str, Any], message: str
) -> None:
    """`on`, `dates` and `weekly` combine only one way; one id or ref cannot name many events."""
    assert message in error_of(cohort_with(tmp_path, [{"trainee": "ana", **row}]), host)


def test_iso_date_strings_are_read(tmp_path: Path, host: PluginHost) -> None:
    """A date written as an ISO string reads like a TOML date."""
    report = run_cohort(cohort_with(tmp_path, [{**LEVEL1[0], "on": "2026-01-10"}, LEVEL1[1]]), host=host)
    assert "demonstration" == report.trainees[0].stage


def test_day_first_strings_are_read_by_the_plugin_hook(tmp_path: Path) -> None:
    """A string no ISO reading accepts goes to facilitrack_parse_date (Duet writes 24.3.2018)."""

    class DayFirst:
        @hookimpl
        def facilitrack_parse_date(self, text: str, program: Program) -> date | None:
            day, month, year = (int(p) for p in text.split("."))
            return date(year, month, day)

    host = load_plugins([DayFirst()], entry_points_group=None)
    events = [{**LEVEL1[0], "on": "10.1.2026"}, {**LEVEL1[1], "on": "11.1.2026"}]
    cohort = load_cohort(cohort_with(tmp_path, events), host=host)
    assert [D("2026-01-10"), D("2026-01-11")] == [e.on for e in cohort.events if isinstance(e, Attended)]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"10.1.2026"', "events[0].on (line 13): not a date: '10.1.2026'"),
        ("2026-01-10T09:00:00", "events[0].on (line 13): expected a date without a time of day"),
        ("20260110", "events[0].on (line 13): expected a date"),
    ],
)
def test_bad_dates_name_the_field(tmp_path: Path, host: PluginHost, value: str, message: str) -> None:
    """Strings nobody reads, datetimes and numbers are refused at their field."""
    text = HEADER + f'\n[[events]]\ntrainee = "ana"\non = {value}\nattended = "workshop_day"\n'
    assert message in error_of(write(tmp_path, text), host)


def test_row_with_two_kinds_is_refused(tmp_path: Path, host: PluginHost) -> None:
    """A row must say one thing: attended and artifact together is an error at that row."""
    path = cohort_with(tmp_path, [{**LEVEL1[0], "artifact": "videotape"}])
    message = error_of(path, host)
    assert "events[0] (line 13): a row needs exactly one of: attended, absent, artifact" in message


def test_program_needs_exactly_one_source(tmp_path: Path, host: PluginHost) -> None:
    """[cohort] with both program and program_file is refused at cohort."""
    text = HEADER.replace('program_file = "demo.toml"', 'program = "demo"\nprogram_file = "demo.toml"')
    assert "cohort (line 1): give exactly one of `program`" in error_of(write(tmp_path, text), host)


def test_schema_offers_every_row_kind() -> None:
    """The JSON Schema of [[events]] has one alternative per row kind, each requiring its key."""
    schema = cohort_schema()
    alternatives = schema["properties"]["events"]["items"]["oneOf"]
    required = sorted(
        next(k for k in schema["$defs"][alt["$ref"].rsplit("/", 1)[1]]["required"] if k in ROW_KINDS)
        for alt in alternatives
    )
    assert sorted(ROW_KINDS) == required
    assert "https://json-schema.org/draft/2020-12/schema" == schema["$schema"]


def test_cohort_people_are_trainees_and_staff(tmp_path: Path, host: PluginHost) -> None:
    """`CohortFile.people()` indexes trainees (with their trainer) and staff by id."""
    people = load_cohort(grouped(tmp_path), host=host).doc.people()

    assert ["ana", "noa", "dr-miller"] == list(people)
    trainer = people["dr-miller"]
    assert ("dr-miller", True, False) == (people["ana"].trainer, "certified_trainer" in trainer.roles,
                                          people["dr-miller"].trainee)


def test_group_dates_are_read_by_the_program_plugin_and_refusals_placed(tmp_path: Path) -> None:
    """Birth dates read through facilitrack_parse_date; a plugin's refusal names the field and line."""

    class DayFirst:
        @hookimpl
        def facilitrack_parse_date(self, text: str, program: Program) -> date | None:
            day, month, year = (int(p) for p in text.split("."))
            try:
                return date(year, month, day)
            except ValueError:
                raise UserError(f"{text!r} is not a day", fix="write d.m.yyyy") from None

    host = load_plugins([DayFirst()], entry_points_group=None)
    cohort = load_cohort(grouped(tmp_path, GROUP.replace("2023-09-14", '"14.9.2023"')), host=host)
    assert D("2023-09-14") == cohort.doc.groups[0].participants[0].child_born

    path = grouped(tmp_path, GROUP.replace("2023-09-14", '"31.2.2023"'))
    line = path.read_text(encoding="utf-8").splitlines().index("[[groups.participants]]") + 1
    message = error_of(path, host)
    assert f"child_born (line {line}): '31.2.2023' is not a day; write d.m.yyyy" in message


def test_schema_offers_staff_and_groups() -> None:
    """The cohort JSON Schema describes [[staff]] and [[groups]] with their nested tables."""
    schema = cohort_schema()

    assert {"staff", "groups"} <= set(schema["properties"])
    group = schema["$defs"]["Group"]["properties"]
    assert {"participants", "sessions", "facilitators", "trainees"} <= set(group)


def test_dates_still_read_from_strings(tmp_path: Path, host: PluginHost) -> None:
    """Strict numbers and booleans leave dates alone: an ISO string is still a date."""
    text = HEADER.replace("enrolled = 2026-01-05", 'enrolled = "2026-01-05"')
    assert D("2026-01-05") == load_cohort(write(tmp_path, text), host=host).doc.trainees[0].enrolled


def test_weekly_past_the_last_date_is_an_error(tmp_path: Path, host: PluginHost) -> None:
    """`weekly` running past 9999-12-31 is refused at its row, not an OverflowError."""
    row = 'trainee = "ana"\non = 9999-12-20\nattended = "demo_session"\nweekly = 3\n'
    message = error_of(write(tmp_path, HEADER + "\n[[events]]\n" + row), host)
    assert "events[0] (line 13): `weekly = 3` from 9999-12-20 runs past 9999-12-31, the last date" in message
