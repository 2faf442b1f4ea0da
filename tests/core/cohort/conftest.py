"""Cohort files for the cohort tests: the demo header and rows, one with staff and a group, and
the error reading one raises."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from facilitrack import PluginHost, UserError, load_plugins
from facilitrack._cohort import load_cohort

from tests.builders import DEMO, cohort_table, demo_with, trainee_row, write_cohort

D = date.fromisoformat

HEADER = cohort_table(track="toddler") + trainee_row("ana", "licensed", name="Ana Gómez", trainer="dr-miller")

LEVEL1 = [
    {"trainee": "ana", "on": D("2026-01-10"), "attended": "workshop_day"},
    {"trainee": "ana", "on": D("2026-01-11"), "attended": "workshop_day"},
]


@pytest.fixture
def host() -> PluginHost:
    """Plugins from no entry point: the tests see only the demo program file."""
    return load_plugins(entry_points_group=None)


def rows(table: str, items: Iterable[dict[str, Any]]) -> str:
    """``[[table]]`` blocks for `items`, as a person would write them."""
    return "".join(f"\n[[{table}]]\n" + tomli_w.dumps(item) for item in items)


def write(tmp_path: Path, text: str, program: dict[str, Any] | None = None) -> Path:
    """A cohort file with the demo program beside it; return its path."""
    return write_cohort(tmp_path, text, program or DEMO)


def cohort_with(tmp_path: Path, events: Iterable[dict[str, Any]], extra: str = "") -> Path:
    """The header, one trainee (ana), any `extra` tables and these event rows."""
    return write(tmp_path, HEADER + extra + rows("events", events))


def error_of(path: Path, host: PluginHost, kind: type[UserError] = UserError) -> str:
    """The rendered error reading `path` raises."""
    with pytest.raises(kind) as caught:
        load_cohort(path, host=host)
    return caught.value.render()


# -- staff and groups ------------------------------------------------------------------------

GROUPED = demo_with(
    groups={
        "credits": {"demonstration": "demo_session"},
        "facilitators": {"count": 2, "source": "crc-faq.txt: two facilitators"},
        "attendance": {"max_missed": 2, "source": "crc-faq.txt: more than two sessions"},
    }
)

GROUP = """
[[trainees]]
id = "noa"
credential = "pre_licensed"
enrolled = 2026-01-05
trainer = "dr-miller"

[[staff]]
id = "dr-miller"
name = "Dr. R. Miller"
credential = "licensed"
certified_trainer = true

[[groups]]
id = "demo-spring"
kind = "demonstration"
facilitators = ["dr-miller", "ana"]
trainees = ["ana", "noa"]

[[groups.participants]]
id = "p1"
parent = "Maya R."
child_born = 2023-09-14

[[groups.sessions]]
on = 2026-02-02

[[groups.sessions]]
on = 2026-02-09
absent = ["noa", "p1"]
"""

NOA_LEVEL1 = [{**row, "trainee": "noa"} for row in LEVEL1]


def grouped(
    tmp_path: Path, text: str = GROUP, events: Iterable[dict[str, Any]] = (*LEVEL1, *NOA_LEVEL1)
) -> Path:
    """The header, Ana, and `text` (Noa, staff, a group), on the demo program with group rules."""
    return write(tmp_path, HEADER + text + rows("events", events), GROUPED)
