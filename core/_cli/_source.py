"""The flags of the commands that read a cohort file or a store: report, certificates, export.

Each takes ``COHORT.toml`` or ``--store STORE`` (the same answers either way), with
``--issuer FILE.toml`` and ``--people FILE.toml`` to fill in or override who issues the
certificates and how people are named. The library's `open_source` does the work.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .._errors import UserError
from . import day_arg, plugins

if TYPE_CHECKING:
    from .._stores.source import Source


def add_source_args(parser: argparse.ArgumentParser, *, positional: bool = True) -> None:
    """``[COHORT.toml] [--store STORE] [--issuer FILE.toml] [--people FILE.toml] [--as-of DATE]``."""
    if positional:
        parser.add_argument("cohort", nargs="?", type=Path, metavar="COHORT.toml",
                            help="the cohort file (or give --store)")
    if not any("--store" in a.option_strings for a in parser._actions):
        parser.add_argument("--store", metavar="STORE",
                            help="a store instead of a cohort file: a file (SQLite) or postgresql://...")
    parser.add_argument(
        "--issuer", type=Path, metavar="FILE.toml",
        help="read the [issuer] table from this file (over the cohort's or the store's own)",
    )
    parser.add_argument(
        "--people", type=Path, metavar="FILE.toml",
        help="read names and e-mail addresses from this file's [[trainees]] rows (over the source's own)",
    )
    parser.add_argument("--as-of", type=day_arg, metavar="DATE", help="as it stood on this day (YYYY-MM-DD)")


@contextmanager
def opened_source(args: argparse.Namespace, command: str) -> Iterator[Source]:
    """The cohort file or store `args` name, open for the duration of the block."""
    if (args.cohort is None) == (args.store is None):
        raise UserError(
            "name a cohort file or a store, not both" if args.cohort else "name a cohort file or a store",
            where=command,
            fix=f"facilitrack {command} COHORT.toml ... or facilitrack {command} --store FILE.db ...",
        )
    from .._stores.source import open_source

    with open_source(plugins(), cohort=args.cohort, store=args.store, people=args.people,
                     issuer=args.issuer, as_of=args.as_of) as source:
        yield source


def not_over(out: Path | None, args: argparse.Namespace) -> None:
    """Refuse an --out that would replace the cohort file, the store or an input file."""
    if out is None or str(out) == "-":
        return
    from .._journal.urls import is_url

    target = out.resolve()
    inputs = [p for p in (args.cohort, args.issuer, args.people) if p is not None]
    if args.store is not None and not is_url(args.store):
        inputs += [Path(f"{args.store}{suffix}") for suffix in ("", "-wal", "-shm")]
    if any(target == p.resolve() for p in inputs):
        raise UserError("refusing to write over an input file", where=out, fix="choose another --out")
