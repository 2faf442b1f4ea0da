"""Where the report, certificate and export commands read from: a cohort file or a store.

Each of those commands takes ``COHORT.toml`` or ``--store FILE.db`` (the same answers either
way), with ``--issuer FILE.toml`` and ``--people FILE.toml`` for what a store does not keep:
who issues the certificates and the trainees' names and e-mail addresses. `open_source` opens
whichever was named with today's store-opening code and hands back one `Source`.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .._errors import UserError

if TYPE_CHECKING:
    from .._engine.engine import Engine
    from .._model.issuer import Contact, Issuer
    from .._report import CohortReport, GroupsReport


@dataclass
class Source:
    """A cohort or a store, opened: its engine, its report, who issues and who the trainees are."""

    path: Path
    engine: Engine
    report: CohortReport
    contacts: dict[str, Contact]
    issuer: Issuer | None
    groups: GroupsReport | None = None


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (write YYYY-MM-DD)") from None


def add_source_args(parser: argparse.ArgumentParser, *, positional: bool = True) -> None:
    """``[COHORT.toml] [--store FILE.db] [--issuer FILE.toml] [--people FILE.toml] [--as-of DATE]``."""
    if positional:
        parser.add_argument("cohort", nargs="?", type=Path, metavar="COHORT.toml",
                            help="the cohort file (or give --store)")
    if not any("--store" in a.option_strings for a in parser._actions):
        parser.add_argument("--store", metavar="STORE",
                            help="a store instead of a cohort file: a file (SQLite) or postgresql://...")
    parser.add_argument(
        "--issuer", type=Path, metavar="FILE.toml",
        help="read the [issuer] table from this file (a store keeps none; overrides a cohort's own)",
    )
    parser.add_argument(
        "--people", type=Path, metavar="FILE.toml",
        help="read trainees' names and e-mail addresses from this file's [[trainees]] rows (for a store)",
    )
    parser.add_argument("--as-of", type=_day, metavar="DATE", help="as it stood on this day (YYYY-MM-DD)")


@contextmanager
def open_source(args: argparse.Namespace, command: str) -> Iterator[Source]:
    """The cohort file or store `args` name, open for the duration of the block."""
    cohort: Path | None = args.cohort
    store: str | None = args.store
    if (cohort is None) == (store is None):
        raise UserError(
            "name a cohort file or a store, not both" if cohort else "name a cohort file or a store",
            where=command,
            fix=f"facilitrack {command} COHORT.toml ... or facilitrack {command} --store FILE.db ...",
        )
    from .._cohort.people import read_contacts, read_issuer

    issuer = read_issuer(args.issuer) if args.issuer else None
    people = read_contacts(args.people) if args.people else {}
    if cohort is not None:
        yield _cohort_source(cohort, args.as_of, issuer, people)
        return
    assert store is not None
    from .._stores import store_engine, store_report
    from . import plugins
    from .store import opened

    with opened(store) as opened_store:
        engine = store_engine(opened_store, plugins())
        report = store_report(opened_store, engine, args.as_of)
        contacts = opened_store.people() | people
        issuer = issuer or report.cohort.issuer
        yield Source(path=Path(opened_store.location), engine=engine,
                     report=_with_people(report, people, issuer), contacts=contacts, issuer=issuer)


def _cohort_source(
    path: Path, as_of: date | None, issuer: Issuer | None, people: dict[str, Contact]
) -> Source:
    from .._cohort import load_cohort
    from . import plugins

    cohort = load_cohort(path, host=plugins())
    issuer = issuer or cohort.doc.issuer
    report = _with_people(cohort.report(as_of), people, issuer)
    contacts = cohort.doc.contacts() | people
    return Source(path=path, engine=cohort.engine, report=report, contacts=contacts, issuer=issuer,
                  groups=cohort.group_reports())


def _with_people(report: CohortReport, people: dict[str, Contact], issuer: Issuer | None) -> CohortReport:
    """`report` with names and e-mail addresses from `people` and the issuer filled in."""
    fields = ("name", "given_name", "family_name", "email")
    trainees = [
        t.model_copy(update={k: getattr(people[t.id], k) for k in fields if getattr(people[t.id], k)})
        if t.id in people else t
        for t in report.trainees
    ]
    cohort = report.cohort.model_copy(update={"issuer": issuer}) if issuer else report.cohort
    return report.model_copy(update={"trainees": trainees, "cohort": cohort})


def not_over(out: Path | None, args: argparse.Namespace) -> None:
    """Refuse an --out that would replace the cohort file, the store or an input file."""
    if out is None or str(out) == "-":
        return
    target = out.resolve()
    from .._stores import is_url

    inputs = [p for p in (args.cohort, args.issuer, args.people) if p is not None]
    if args.store is not None and not is_url(args.store):
        inputs += [Path(f"{args.store}{suffix}") for suffix in ("", "-wal", "-shm")]
    if any(target == p.resolve() for p in inputs):
        raise UserError("refusing to write over an input file", where=out, fix="choose another --out")
