"""Test kits for people who extend facilitrack: program authors and store authors.

`check_program` (`programs`) runs the conformance check on a program definition; it needs no
pytest. `check_journal` and `JournalContract` (`journals`) run the suite every journal must
pass. `postgres_server` (`postgres`) starts a throwaway PostgreSQL server to test against.
This package is also a pytest plugin offering fixtures (`fixtures`). It is opt-in:
``pytest_plugins = ["facilitrack.testing"]`` in a conftest, or ``pytest -p facilitrack.testing``.
"""

import contextlib

from .journals import (
    CHECKS,
    JournalConformanceError,
    JournalContract,
    NotApplicable,
    check_journal,
)
from .postgres import PostgresUnavailable, fresh_schema, postgres_server, with_schema
from .programs import ConformanceError, Finding, check_program, conformance, programs_of

with contextlib.suppress(ImportError):  # without pytest there are no fixtures to offer
    from .fixtures import CliResult, FacilitrackProject, facilitrack_check, facilitrack_project

__all__ = [
    "CHECKS",
    "CliResult",
    "ConformanceError",
    "FacilitrackProject",
    "Finding",
    "JournalConformanceError",
    "JournalContract",
    "NotApplicable",
    "PostgresUnavailable",
    "check_journal",
    "check_program",
    "conformance",
    "facilitrack_check",
    "facilitrack_project",
    "fresh_schema",
    "postgres_server",
    "programs_of",
    "with_schema",
]
