"""Rendering a cohort report: a table that fits and aligns any script, and machine formats."""

from __future__ import annotations

import csv
import io
import json
import tomllib
import unicodedata
from datetime import date
from typing import Any

import pytest
from facilitrack import Certificate, Explanation, Problem, Progress, TraineeStatus
from facilitrack._report import (
    CohortReport,
    CohortSummary,
    render,
    render_csv,
    render_explanation,
    render_table,
    toml_ready,
)
from facilitrack._text import display_width, pad, truncate, wrap
from hypothesis import given, settings
from hypothesis import strategies as st

D = date.fromisoformat


def trainee(tid: str, name: str | None, **kw: Any) -> TraineeStatus:
    """A trainee line with defaults for what the test does not care about."""
    fields: dict[str, Any] = {
        "id": tid, "name": name, "credential": "licensed", "trainer": "dr-miller",
        "program": "demo", "version": "1.0", "track": "toddler", "stage": "demonstration",
        "stage_title": "Demonstration group", "certified": False,
        "certificates": [Certificate(stage="level1", title="Level 1", on=D("2026-01-11"), event="ev-0")],
        "missing": [Progress(stage="demonstration", requirement="demo_session", kind="attendance",
                             title="demo session", have=1, need=3, met=False)],
        "problems": [],
    }
    fields.update(kw)
    return TraineeStatus(**fields)


def report(*trainees: TraineeStatus, name: str = "Demo Spring") -> CohortReport:
    """A report over `trainees`."""
    return CohortReport(
        cohort=CohortSummary(
            name=name, file="cohort.toml", program="demo", program_name="Demo", version="1.0",
            track="toddler", as_of=None, trainees=len(trainees),
            certified=sum(t.certified for t in trainees),
            with_problems=sum(bool(t.problems) for t in trainees),
        ),
        trainees=list(trainees),
    )


NAMES = ["Ana Gómez", unicodedata.normalize("NFD", "Ana Gómez"), "נועה כהן", "שָׁלוֹם לוי", "李小龍", "Bo"]
MIXED = report(*(trainee(f"t{i}", name) for i, name in enumerate(NAMES)))


# -- measuring -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("Gómez", 5),
        (unicodedata.normalize("NFD", "Gómez"), 5),  # o + combining acute
        ("נועה", 4),
        ("שָׁלוֹם", 4),  # Hebrew letters with points: the points take no column
        ("李小龍", 6),
        ("a\u200fb", 2),  # a right-to-left mark takes none
    ],
)
def test_display_width_counts_columns_not_code_points(text: str, width: int) -> None:
    """Accents, Hebrew points and format marks take no column; wide characters take two."""
    assert width == display_width(text)


def test_truncate_ends_in_ellipsis_and_fits() -> None:
    """A cut cell ends in … and is exactly as wide as allowed."""
    assert "Ana G…" == truncate("Ana Gómez", 6)
    assert "李小…" == truncate("李小龍王", 6)
    assert "Ana Gómez" == truncate("Ana Gómez", 9)


def test_truncate_keeps_combining_marks_with_their_letter() -> None:
    """Cutting decomposed text never leaves an accent behind without its letter, or drops it."""
    decomposed = unicodedata.normalize("NFD", "Gómez Álvarez")
    cut = truncate(decomposed, 3)
    assert unicodedata.normalize("NFD", "Gó…") == cut


@settings(max_examples=200, derandomize=True)
@given(text=st.text(), width=st.integers(min_value=1, max_value=40))
def test_pad_is_always_exactly_the_width(text: str, width: int) -> None:
    """Any text, any script, padded or cut: exactly `width` columns."""
    assert width == display_width(pad(text, width))


@settings(max_examples=200, derandomize=True)
@given(
    text=st.text(st.characters(blacklist_categories=("Cc",))),
    width=st.integers(min_value=4, max_value=60),
)
def test_wrap_never_exceeds_the_width(text: str, width: int) -> None:
    """Wrapped lines, indent included, never exceed the width."""
    for line in wrap(text, width, indent="  "):
        assert display_width(line) <= width


# -- the table -------------------------------------------------------------------------------


def test_table_fits_80_columns() -> None:
    """Every line of the table fits 80 columns, even with long names and many missing items."""
    long = trainee(
        "a-very-long-trainee-identifier", "Maria de los Ángeles Fernández-Villaverde",
        stage_title="Level 2: MPG Demonstration Group with concurrent supervision",
        missing=[Progress(stage="s", requirement=f"requirement_{i}", kind="attendance", title="t", have=0,
                          need=12, met=False)
                 for i in range(5)],
        problems=[Problem(where="events[3]", event="ev-1", on=D("2026-03-01"),
                             reason="a long reason " * 20)],
    )
    text = render_table(report(long, *MIXED.trainees, name="A cohort with a name far too long " * 3))
    assert all(display_width(line) <= 80 for line in text.splitlines())


def test_table_aligns_hebrew_accented_and_wide_names() -> None:
    """The STAGE column starts at the same display column on every row, whatever the name's script."""
    lines = render_table(MIXED).splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("ID"))
    starts = set()
    for line in lines[header + 1 : header + 1 + len(NAMES)]:
        index = line.index("demonstration")
        starts.add(display_width(line[:index]))
    assert 1 == len(starts)
    assert display_width(lines[header][: lines[header].index("STAGE")]) in starts


def test_table_truncates_with_ellipsis_when_narrow() -> None:
    """A narrow terminal cuts cells with … rather than overflowing."""
    text = render_table(MIXED, width=40)
    assert all(display_width(line) <= 40 for line in text.splitlines())
    assert "…" in text


def test_table_lists_problems_with_their_row() -> None:
    """Problems appear under the table with the trainee, the row and the reason."""
    problem = Problem(where="events[7]", event="ev-1", on=D("2026-03-01"), reason="kept, not credited")
    text = render_table(report(trainee("ana", "Ana", problems=[problem])))
    assert "ana events[7] 2026-03-01: kept, not credited" in text
    assert "! 1 problem" in text
    assert "1 trainee, 0 certified, 1 with problems" in text


def test_table_of_an_empty_cohort() -> None:
    """A cohort with no trainees says so."""
    assert "(no trainees)" in render_table(report())


# -- machine formats -------------------------------------------------------------------------


def test_json_has_the_contract_keys() -> None:
    """JSON: cohort, and per trainee id, name, program, stage, certified, certificates, missing, problems."""
    data = json.loads(render(MIXED, "json"))
    first = data["trainees"][0]
    keys = {"id", "name", "program", "stage", "certified", "certificates", "missing", "problems"}
    assert keys <= set(first)
    assert {"stage": "level1", "title": "Level 1", "on": "2026-01-11", "status": "valid"}.items() <= first[
        "certificates"][0].items()
    assert "נועה כהן" == data["trainees"][2]["name"]


def test_toml_reads_back_without_nulls() -> None:
    """TOML output parses, with None fields left out and dates as TOML dates."""
    data = tomllib.loads(render(report(trainee("ana", None)), "toml"))
    assert "name" not in data["trainees"][0]
    assert "as_of" not in data["cohort"]
    assert D("2026-01-11") == data["trainees"][0]["certificates"][0]["on"]


def test_hours_read_as_the_explanation_writes_them() -> None:
    """A quantity's have/need are floats: the table and the CSV show 38/40 and 7.5/40, not 38.0/40.0."""
    hours = [Progress(stage="training", requirement=key, kind="quantity", title="hours", have=have,
                      need=40.0, met=False) for key, have in (("initial", 38.0), ("refresher", 7.5))]
    cohort = report(trainee("ana", "Ana Gómez", missing=hours))

    assert "initial 38/40" in render_table(cohort)
    assert "refresher 7.5/40" in render_table(cohort)
    [row] = csv.DictReader(io.StringIO(render_csv(cohort)))
    assert "initial 38/40; refresher 7.5/40" == row["missing"]


def test_toml_ready_drops_none_everywhere() -> None:
    """None is dropped from nested tables and lists alike."""
    assert {"a": {"c": [1]}} == toml_ready({"a": {"b": None, "c": [1, None]}, "d": None})


def test_csv_has_one_row_per_trainee() -> None:
    """CSV: a header and one row per trainee, lists joined with '; '."""
    problem = Problem(where="events[1]", event="ev-1", on=D("2026-03-01"), reason="on hold")
    text = render_csv(report(trainee("ana", "Ana Gómez", problems=[problem])))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert 1 == len(rows)
    assert ("Ana Gómez", "level1 2026-01-11", "demo_session 1/3", "events[1] 2026-03-01: on hold") == (
        rows[0]["name"], rows[0]["certificates"], rows[0]["missing"], rows[0]["problems"]
    )


# -- explanation -----------------------------------------------------------------------------


def test_explanation_text_shows_have_need_dates_and_next() -> None:
    """The explanation lists each requirement's mark, have/need and counted dates, then what is next."""
    expl = Explanation(
        cohort="Demo Spring",
        status=trainee("ana", "Ana Gómez"),
        stage="demonstration",
        requirements=[
            Progress(stage="demonstration", requirement="demo_session", kind="attendance",
                     title="demo session", have=1, need=3, met=False, waived=False, dates=[D("2026-02-01")]),
            Progress(stage="demonstration", requirement="process_recording", kind="artifact",
                     title="process recording", have=0, need=1, met=True, waived=True, dates=[]),
        ],
        next_stage="trainee_led", next_title="Trainee-led group",
    )
    text = render_explanation(expl)
    assert "Ana Gómez (ana) · Demo Spring · demo 1.0, toddler track · all events" in text
    assert "  [missing]  1/3  demo_session" in text
    assert "counted: 2026-02-01" in text
    assert "  [waived ]  0/1  process_recording" in text
    assert "next: Trainee-led group" in text
    assert all(display_width(line) <= 80 for line in text.splitlines())
