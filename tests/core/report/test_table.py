"""A cohort's report as a plain-text table: it fits, aligns any script, and lists problems."""

from __future__ import annotations

import csv
import io

from facilitrack import Problem, Progress
from facilitrack._report import render_csv, render_table
from facilitrack._text import display_width

from tests.core.report.conftest import MIXED, NAMES, D, report, trainee


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


def test_hours_read_as_the_explanation_writes_them() -> None:
    """A quantity's have/need are floats: the table and the CSV show 38/40 and 7.5/40, not 38.0/40.0."""
    hours = [Progress(stage="training", requirement=key, kind="quantity", title="hours", have=have,
                      need=40.0, met=False) for key, have in (("initial", 38.0), ("refresher", 7.5))]
    cohort = report(trainee("ana", "Ana Gómez", missing=hours))

    assert "initial 38/40" in render_table(cohort)
    assert "refresher 7.5/40" in render_table(cohort)
    [row] = csv.DictReader(io.StringIO(render_csv(cohort)))
    assert "initial 38/40; refresher 7.5/40" == row["missing"]
