"""``facilitrack report``: the coordinator's report as one self-contained HTML page.

Reads a cohort file or a store (`_source`), builds the report's model and renders it; the
page embeds its style and fetches nothing, so it can be mailed or opened offline.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from . import EXIT_OK, add_command, emit
from ._source import add_source_args, not_over, opened_source

FORMATS = ("html", "json")


def add_commands(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``report``."""
    p = add_command(
        sub, "report", "the coordinator's report: one HTML page to open, print or mail",
        "Write the cohort's report as one self-contained HTML page: the summary, a strip of"
        " stages with how many trainees are in each, and for each trainee their stage,"
        " certificates, a progress bar per requirement (have/need) and problems; then the"
        " groups and the parents' completion. The page fetches nothing (no script, font or"
        " image), reads right to left where names do, prints cleanly and fits a phone."
        " --format json prints the same content as data.",
        "facilitrack report examples/mpg/cohort.toml --as-of 2026-04-01 --out report.html",
    )
    add_source_args(p)
    p.add_argument("--format", choices=FORMATS, help="html (default) or json; or as --out's suffix says")
    p.add_argument("--out", type=Path, metavar="FILE", help="write here (owner-only) instead of stdout")
    p.set_defaults(handler=_report)


def _report(args: argparse.Namespace) -> int:
    from .._report.view import coordinator_report

    out: Path | None = args.out
    not_over(out, args)
    fmt = args.format or ("json" if out is not None and out.suffix.lower() == ".json" else "html")
    with opened_source(args, "report") as source:
        model = coordinator_report(source.report, source.engine, groups=source.groups, as_of=args.as_of)
    if fmt == "json":
        from .._report import render_json

        text = render_json(model)
    else:
        from .._report.html import render_html

        text = render_html(model)
    n = len(model.trainees)
    emit(text, out, f"{fmt}, {n} trainee{'s' if n != 1 else ''}", private=True)
    return EXIT_OK
