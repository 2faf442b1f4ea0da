"""``facilitrack export --format xapi``: a cohort's or a store's journal as xAPI statements.

The export command itself lives with the store commands; this module adds what the xAPI
format needs (a cohort file instead of a store, the issuer, the trainees' addresses) and
writes the statements as JSON Lines, one statement a line.
"""

from __future__ import annotations

import argparse
import json

from .._errors import UserError
from . import EXIT_OK, emit
from ._source import add_source_args, not_over, open_source


def add_xapi_args(parser: argparse.ArgumentParser) -> None:
    """``[COHORT.toml] --issuer --people --as-of`` beside the export command's own flags."""
    add_source_args(parser)


def export_xapi(args: argparse.Namespace) -> int:
    """Write the statements of the cohort file or store `args` name."""
    from .._report.certificates import certificate_records
    from .._report.xapi import home_page, xapi_statements

    not_over(args.out, args)
    with open_source(args, "export") as source:
        issuer = source.issuer
        if issuer is None:
            raise UserError(
                "xAPI statements name activities and accounts under the issuer's web address,"
                " and no issuer is given", where="export --format xapi",
                fix='add an [issuer] table (name = "...", url = "https://...") or give --issuer FILE.toml',
            )
        try:
            home_page(issuer)
        except ValueError as exc:
            raise UserError(str(exc), where="export --format xapi",
                            fix='add url = "https://..." to the [issuer] table') from None
        records = certificate_records(source.engine, source.contacts, as_of=args.as_of)
        events = list(source.engine.journal.events())
        statements = xapi_statements(
            events, source.engine.programs, source.contacts, issuer, records, as_of=args.as_of
        )
    text = "".join(json.dumps(s, ensure_ascii=False) + "\n" for s in statements)
    n = len(statements)
    emit(text, args.out, f"xapi, {n} statement{'s' if n != 1 else ''}", private=True)
    return EXIT_OK
