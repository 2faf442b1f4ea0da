"""A report in the formats other tools read: JSON, TOML and CSV; and `render` for any format."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from enum import Enum
from typing import Any, Literal

import tomli_w
from pydantic import BaseModel

from .._text import spreadsheet_safe
from .models import CohortReport
from .table import render_table
from .wording import display_name, missing_line, with_standing

Format = Literal["table", "json", "toml", "csv"]
FORMATS: tuple[Format, ...] = ("table", "json", "toml", "csv")


def render_json(model: BaseModel) -> str:
    """Any report model as indented JSON (UTF-8, not escaped)."""
    return model.model_dump_json(indent=2) + "\n"


def toml_ready(data: Any) -> Any:
    """`data` as tomli-w writes it: None dropped (TOML has no null), enums as their values."""
    if isinstance(data, Mapping):
        return {str(k): toml_ready(v) for k, v in data.items() if v is not None}
    if isinstance(data, list | tuple):
        return [toml_ready(v) for v in data if v is not None]
    if isinstance(data, Enum):
        return data.value
    return data


def render_toml(model: BaseModel) -> str:
    """Any report model as TOML, dates as TOML dates."""
    return tomli_w.dumps(toml_ready(model.model_dump()))


CSV_COLUMNS = (
    "id", "name", "credential", "trainer", "program", "version", "track", "stage", "stage_title",
    "certified", "certificates", "missing", "problems",
)


def render_csv(report: CohortReport) -> str:
    """One row per trainee; lists are joined with ``; ``.

    Certificates carry their standing when not simply held (``level1 2026-03-02 (expired
    2028-03-02)``), missing requirements why, where the count does not say
    (``demonstration_session 12/12 (missed 4 sessions; at most 2 may be missed)``), and a
    trainee whose entry was forgotten is named by their id.

    A cell a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) starts with
    a single quote instead (`facilitrack._text.spreadsheet_safe`).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for t in report.trainees:
        writer.writerow(spreadsheet_safe(cell) for cell in [
            t.id, display_name(t), t.credential or "", t.trainer or "", t.program or "", t.version or "",
            t.track or "", t.stage, t.stage_title, "yes" if t.certified else "no",
            "; ".join(with_standing(f"{c.stage} {c.on.isoformat()}", c) for c in t.certificates),
            "; ".join(missing_line(m) for m in t.missing),
            "; ".join(
                f"{p.where or p.event} {p.on.isoformat()}: {p.reason}" for p in t.problems
            ),
        ])
    return buffer.getvalue()


def render(report: CohortReport, fmt: Format = "table", *, width: int = 80) -> str:
    """The report in one of `FORMATS`."""
    if fmt == "table":
        return render_table(report, width)
    if fmt == "json":
        return render_json(report)
    if fmt == "toml":
        return render_toml(report)
    return render_csv(report)
