"""The bulk-issue CSV badge platforms take: names are never read as formulas."""

from __future__ import annotations

import csv
import io

from tests.core.report.conftest import _records


def test_bulk_csv_keeps_names_from_being_read_as_formulas() -> None:
    """A name starting with = is written so a spreadsheet shows it as text."""
    from facilitrack._report.bulk_csv import render_bulk_csv

    record = _records()[0].model_copy(update={"given_name": "=HYPERLINK(1)", "family_name": "X"})
    row = next(csv.DictReader(io.StringIO(render_bulk_csv([record]))))
    assert "'=HYPERLINK(1)" == row["First Name"]
