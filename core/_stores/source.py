"""Where reports, certificates and exports read from: a cohort file or a store, the same way.

A cohort file carries its people and issuer; a store carries what its imports brought (the
people directory, the cohort's issuer). A people file or an issuer file given beside either
fills in or overrides those. `open_source` opens one and hands back a `Source` whose answers
do not depend on which it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .._cohort import load_cohort
from .._cohort.people import read_contacts, read_issuer
from .._engine.engine import Engine
from .._host.plugins import PluginHost
from .._model.issuer import Contact, Issuer
from .._report import CohortReport
from .._report.groups import GroupsReport
from .open import open_store
from .registry import store_engine
from .report import store_report


@dataclass
class Source:
    """A cohort or a store, opened: its engine and report, who issues, who the people are."""

    location: str
    engine: Engine
    report: CohortReport
    contacts: dict[str, Contact]
    issuer: Issuer | None
    groups: GroupsReport | None = None


@contextmanager
def open_source(
    host: PluginHost, *, cohort: Path | None = None, store: str | None = None,
    people: Path | None = None, issuer: Path | None = None, as_of: date | None = None,
) -> Iterator[Source]:
    """The cohort file or the store (exactly one), open for the duration of the block.

    :param people: a file whose ``[[trainees]]`` rows name people (over the source's own names).
    :param issuer: a file whose ``[issuer]`` table issues the certificates (over the source's).
    """
    if (cohort is None) == (store is None):
        raise ValueError("open_source reads a cohort file or a store: name exactly one")
    given_issuer = read_issuer(issuer) if issuer else None
    given_people = read_contacts(people) if people else {}
    if cohort is not None:
        parsed = load_cohort(cohort, host=host)
        who = given_issuer or parsed.doc.issuer
        yield Source(str(cohort), parsed.engine, _named(parsed.report(as_of), given_people, who),
                     parsed.doc.contacts() | given_people, who, groups=parsed.group_reports())
        return
    assert store is not None
    with closing(open_store(store)) as opened:
        engine = store_engine(opened, host)
        report = store_report(opened, engine, as_of)
        who = given_issuer or report.cohort.issuer
        yield Source(opened.location, engine, _named(report, given_people, who),
                     opened.people() | given_people, who)


def _named(report: CohortReport, people: dict[str, Contact], issuer: Issuer | None) -> CohortReport:
    """`report` with names and e-mail addresses from `people` and the issuer filled in."""
    fields = ("name", "given_name", "family_name", "email")
    trainees = [
        t.model_copy(update={k: getattr(people[t.id], k) for k in fields if getattr(people[t.id], k)})
        if t.id in people else t
        for t in report.trainees
    ]
    cohort = report.cohort.model_copy(update={"issuer": issuer}) if issuer else report.cohort
    return report.model_copy(update={"trainees": trainees, "cohort": cohort})
