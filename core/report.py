"""Reports for people: a cohort's status and explanations as table, JSON, TOML and CSV.

The report models are JSON-ready pydantic models; each renderer takes one and returns text.
"""

from ._report import (
    FORMATS,
    CohortReport,
    Format,
    GroupsReport,
    TraineeExplanation,
    TraineeReport,
    render,
    render_csv,
    render_explanation,
    render_groups_table,
    render_json,
    render_table,
    render_toml,
)

__all__ = [
    "FORMATS",
    "CohortReport",
    "Format",
    "GroupsReport",
    "TraineeExplanation",
    "TraineeReport",
    "render",
    "render_csv",
    "render_explanation",
    "render_groups_table",
    "render_json",
    "render_table",
    "render_toml",
]
