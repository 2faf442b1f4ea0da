"""A cohort's report as a plain-text table: it fits, aligns any script, and lists problems."""

from __future__ import annotations

import csv
import io

from facilitrack import Certificate, Problem, Progress
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


# -- what the trial found: standing, why, forgotten names, an empty header -----------------------

EXPIRED = Certificate(stage="level1", title="Level 1", on=D("2025-07-25"), event="ev-0",
                      expires=D("2027-07-25"), status="expired")
REVOKED = Certificate(stage="level2", title="Level 2", on=D("2025-12-01"), event="ev-1",
                      status="revoked", revoked_on=D("2026-01-11"))
#: A participation the trainee missed too much of: the count says 12/12, only the reason says why.
MISSED = Progress(stage="demonstration", requirement="demonstration_session", kind="participation",
                  title="demonstration session", have=12, need=12, met=False,
                  reason="missed 4 sessions; at most 2 may be missed")


def _column(table: str, header: str, after: str) -> list[str]:
    """The lines of one column (its cells' lines, stripped; empty ones left out)."""
    lines = table.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("ID"))
    start, end = lines[top].index(header), lines[top].index(after)
    return [cell for line in lines[top + 1:] if line and (cell := line[start:end].strip())]


def test_table_shows_how_a_certificate_stands_as_the_json_does() -> None:
    """An expired or revoked certificate is not listed as if held: its standing is under it, in
    the words `wording.standing` gives (the CSV's and the HTML report's too)."""
    cohort = report(trainee("ana", "Ana", certificates=[EXPIRED, REVOKED], certified=True,
                            stage="certified", missing=[]))
    for width in (80, 120):
        assert ["level1", "expired 2027-07-25", "level2", "revoked 2026-01-11"] == _column(
            render_table(cohort, width), "CERTIFICATES", "MISSING")
    row = next(csv.DictReader(io.StringIO(render_csv(cohort))))
    assert "level1 2025-07-25 (expired 2027-07-25); level2 2025-12-01 (revoked 2026-01-11)" == (
        row["certificates"])


def test_table_says_why_a_requirement_whose_count_is_reached_is_not_met() -> None:
    """Under MISSING, the reason `explain` gives follows the count, wrapped, never cut."""
    cohort = report(trainee("marcus", "Marcus Johnson", missing=[MISSED]))
    for width in (80, 120):
        text = render_table(cohort, width)
        assert all(display_width(line) <= width for line in text.splitlines())
        assert "demonstration_session 12/12 missed 4 sessions; at most 2 may be missed" in " ".join(
            text.split())
    row = next(csv.DictReader(io.StringIO(render_csv(cohort))))
    assert "demonstration_session 12/12 (missed 4 sessions; at most 2 may be missed)" == row["missing"]


def test_a_forgotten_person_is_named_by_their_id() -> None:
    """With no name left (`forget`), the NAME cell and the CSV's name are the id."""
    cohort = report(trainee("ana", None))
    assert ["ana", "ana"] == render_table(cohort).splitlines()[4].split()[:2]
    assert "ana" == next(csv.DictReader(io.StringIO(render_csv(cohort))))["name"]


def test_header_leaves_out_a_program_not_known_yet() -> None:
    """As known before any enrolment, there is no program: the header says what it knows."""
    empty = report(name="Mindful Parenting Groups - Spring")
    empty = empty.model_copy(update={"cohort": empty.cohort.model_copy(
        update={"program": "-", "program_name": "-", "version": "-", "track": "infant"})})
    assert "Mindful Parenting Groups - Spring · infant track · all events" == (
        render_table(empty).splitlines()[0])
