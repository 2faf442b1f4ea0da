"""The bulk-issue CSV badge platforms take: names are never read as formulas."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from tests.core.report.conftest import _records


def test_bulk_csv_keeps_names_from_being_read_as_formulas() -> None:
    """A name starting with = is written so a spreadsheet shows it as text."""
    from facilitrack._report.bulk_csv import render_bulk_csv

    record = _records()[0].model_copy(update={"given_name": "=HYPERLINK(1)", "family_name": "X"})
    row = next(csv.DictReader(io.StringIO(render_bulk_csv([record]))))
    assert "'=HYPERLINK(1)" == row["First Name"]


def test_bulk_csv_writes_the_date_a_certificate_expires() -> None:
    """Expiration Date is the certificate's `expires`, in the chosen date style; empty without one."""
    from facilitrack._report.bulk_csv import render_bulk_csv

    record = _records()[0]
    expiring = record.model_copy(update={"expires": date(2028, 9, 13)})
    rows = list(csv.DictReader(io.StringIO(render_bulk_csv([expiring, record]))))
    assert ["2028-09-13", ""] == [r["Expiration Date"] for r in rows]
    us = next(csv.DictReader(io.StringIO(render_bulk_csv([expiring], date_style="us"))))
    assert "09/13/28" == us["Expiration Date"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_bulk_csv_neutralises_every_formula_start(start: str) -> None:
    """Every cell a spreadsheet would run — names and template ids alike — starts with a quote,
    by the same rule as `run --format csv`."""
    from facilitrack._report.bulk_csv import render_bulk_csv
    from facilitrack._text import spreadsheet_safe

    value = f"{start}2+3+cmd|' /C calc'!A0"
    record = _records()[0].model_copy(update={"given_name": "Ana", "family_name": value})
    text = render_bulk_csv([record], templates={"level1": f"{start}1+1"})
    row = next(csv.DictReader(io.StringIO(text)))
    assert spreadsheet_safe(value) == row["Last Name"] == "'" + value
    assert "'" + f"{start}1+1" == row["Badge Template ID"]
