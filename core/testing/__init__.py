"""Test kits for people who extend facilitrack: program authors and store authors.

`check_program` (`programs`) runs the conformance check on a program definition; it needs no
pytest. `check_journal` and `JournalContract` (`journals`) run the suite every journal must
pass. `postgres_server` (`postgres`) starts a throwaway PostgreSQL server to test against.
As a pytest plugin this module also offers fixtures (`fixtures`).
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
    from .fixtures import facilitrack_check

__all__ = [
    "CHECKS",
    "ConformanceError",
    "Finding",
    "JournalConformanceError",
    "JournalContract",
    "NotApplicable",
    "PostgresUnavailable",
    "check_journal",
    "check_program",
    "conformance",
    "facilitrack_check",
    "fresh_schema",
    "postgres_server",
    "programs_of",
    "with_schema",
]
