"""``facilitrack export --format xapi``: a cohort's or a store's journal as xAPI statements.

The export command itself lives with the store commands; this module adds the flags the xAPI
format takes (a cohort file instead of a store, the issuer, people) and writes the library's
statements as JSON Lines, one statement a line.
"""

from __future__ import annotations

import argparse
import json

from .._text import counted
from . import EXIT_OK, emit
from ._source import add_source_args, not_over, opened_source


def add_xapi_args(parser: argparse.ArgumentParser) -> None:
    """``[COHORT.toml] --issuer --people --as-of`` beside the export command's own flags."""
    add_source_args(parser)


def export_xapi(args: argparse.Namespace) -> int:
    """Write the statements of the cohort file or store `args` name."""
    from .._report.xapi import journal_statements

    not_over(args.out, args)
    with opened_source(args, "export") as source:
        statements = journal_statements(source.engine, source.contacts, source.issuer, as_of=args.as_of)
    text = "".join(json.dumps(s, ensure_ascii=False) + "\n" for s in statements)
    emit(text, args.out, f"xapi, {counted(len(statements), 'statement')}", private=True)
    return EXIT_OK
