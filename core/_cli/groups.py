"""``facilitrack groups``: each group's composition check and each parent's completion.

The whole cohort file is read first, as `run` reads it: bad input (an unknown id in
``absent``, a misspelt field) exits 2 with the place in the file and writes nothing. Then every
``[[groups]]`` table is reported: the rules it breaks, each citing its source; each parent's
sessions missed and whether they completed the series, with the dates of the completion
record; and the sessions credited to each trainee. `facilitrack check` lists the same problems.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .._text import counted
from . import EXIT_OK, add_command, emit, not_over_input, plugins, to_stdout

FORMATS = ("table", "json")


def add_commands(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``groups``."""
    groups = add_command(
        sub, "groups", "each group's composition check and each parent's completion",
        "Report the [[groups]] of a cohort file: for each group the rules it breaks"
        " (facilitators, who may lead, pairing, size, ages, sessions), each citing its source;"
        " for each parent the sessions missed and whether they completed the series, with the"
        " dates of the completion record; and the sessions each trainee is credited with. The"
        " table fits 80 columns. With --out and no --format, a .json file gets JSON.",
        "facilitrack groups examples/rpp/cohort.toml --format json",
    )
    groups.add_argument("cohort", type=Path, metavar="COHORT.toml", help="the cohort file")
    groups.add_argument("--format", choices=FORMATS, help="output format (default: table)")
    groups.add_argument("--out", type=Path, metavar="FILE", help="write the report here (atomically)")
    groups.set_defaults(handler=_groups)


def _groups(args: argparse.Namespace) -> int:
    from .._cohort import load_cohort
    from .._report import render_groups_table, render_json

    out: Path | None = None if to_stdout(args.out) else args.out
    not_over_input(out, args.cohort)
    fmt: str = args.format or ("json" if out is not None and out.suffix.lower() == ".json" else "table")
    cohort = load_cohort(args.cohort, host=plugins())
    report = cohort.group_reports()
    text = render_json(report) if fmt == "json" else render_groups_table(report, place=cohort.places.at)
    emit(text, out, f"{fmt}, {counted(len(report.groups), 'group')}")
    return EXIT_OK
