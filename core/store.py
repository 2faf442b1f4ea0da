"""The API for store authors: the journal protocols and the helpers every store shares.

A store for another database implements `Journal` (and `SnapshotJournal` to cache state, and
`Store` to serve the ``facilitrack`` store commands); ``facilitrack.testing`` holds the
conformance suite every store must pass (`check_journal`, `JournalContract`).
`append_batches` records with bounded retries, as the CLI does; `open_store` opens a store
by path or URL; `import_cohort` brings a cohort file in as ``facilitrack import`` does;
`store_report` reports a store as ``facilitrack status`` does; `open_source` opens a cohort
file or a store for the reports alike. `PostgresJournal` (the ``postgres`` extra) is imported
only when named.
"""

from typing import TYPE_CHECKING, Any

from ._errors import ConflictError, JournalError
from ._journal.base import (
    ExpectedVersion,
    Journal,
    SnapshotJournal,
    Store,
    StoredEvent,
    check_expected,
    dedupe,
    same_fact,
)
from ._journal.chain import ChainProblem, chain_hash, row_hash
from ._journal.memory import MemoryJournal
from ._journal.sqlite import SQLiteJournal
from ._stores import (
    RETRIES,
    CohortImport,
    append_batches,
    import_cohort,
    open_store,
    store_engine,
    store_registry,
    store_report,
    trainee_versions,
)
from ._stores.source import Source, open_source

if TYPE_CHECKING:
    from ._journal.postgres import PostgresJournal, grant_statements

__all__ = [
    "RETRIES",
    "ChainProblem",
    "CohortImport",
    "ConflictError",
    "ExpectedVersion",
    "Journal",
    "JournalError",
    "MemoryJournal",
    "PostgresJournal",
    "SQLiteJournal",
    "SnapshotJournal",
    "Source",
    "Store",
    "StoredEvent",
    "append_batches",
    "chain_hash",
    "check_expected",
    "dedupe",
    "grant_statements",
    "import_cohort",
    "open_source",
    "open_store",
    "row_hash",
    "same_fact",
    "store_engine",
    "store_registry",
    "store_report",
    "trainee_versions",
]


def __getattr__(name: str) -> Any:
    """`PostgresJournal` and `grant_statements` load psycopg: only when asked for."""
    if name in ("PostgresJournal", "grant_statements"):
        from ._journal import postgres

        return getattr(postgres, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
