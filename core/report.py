"""Reports for people: a cohort's status and explanations as table, JSON, TOML and CSV; groups.

The report models are JSON-ready pydantic models — the engine's own `TraineeStatus` and
`Explanation` under a `CohortReport` — and each renderer takes one and returns text.
"""

from ._engine.status import Explanation, TraineeStatus
from ._report import (
    FORMATS,
    CohortReport,
    CohortSummary,
    Format,
    GroupsReport,
    render,
    render_csv,
    render_explanation,
    render_groups_table,
    render_json,
    render_table,
    render_toml,
    summarise,
)

__all__ = [
    "FORMATS",
    "CohortReport",
    "CohortSummary",
    "Explanation",
    "Format",
    "GroupsReport",
    "TraineeStatus",
    "render",
    "render_csv",
    "render_explanation",
    "render_groups_table",
    "render_json",
    "render_table",
    "render_toml",
    "summarise",
]
