"""Reports for people: a cohort's status as a table, JSON, TOML or CSV; explanations; groups.

The report is the engine's own output model (`TraineeStatus`) under a cohort summary
(`CohortReport`); the modules here only render it.
"""

from .._engine.status import render_explanation
from .formats import FORMATS, Format, render, render_csv, render_json, render_toml, toml_ready
from .groups import GroupsReport, render_groups_table
from .models import CohortReport, CohortSummary, summarise
from .table import render_table

__all__ = [
    "FORMATS",
    "CohortReport",
    "CohortSummary",
    "Format",
    "GroupsReport",
    "render",
    "render_csv",
    "render_explanation",
    "render_groups_table",
    "render_json",
    "render_table",
    "render_toml",
    "summarise",
    "toml_ready",
]
