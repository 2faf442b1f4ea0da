"""The API for store authors: the journal protocols and the helpers every store shares.

A store for another database implements `Journal` (and `SnapshotJournal` to cache state, and
`Store` to serve the ``facilitrack`` store commands); ``facilitrack.testing`` holds the
conformance suite every store must pass (`check_journal`, `JournalContract`).
`append_batches` records with bounded retries, as the CLI does; `open_store` opens a store
by path or URL. `PostgresJournal` (the ``postgres`` extra) is imported only when named.
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
from ._stores import RETRIES, append_batches, open_store, store_engine, store_registry, trainee_versions

if TYPE_CHECKING:
    from ._journal.postgres import PostgresJournal, grant_statements

__all__ = [
    "RETRIES",
    "ChainProblem",
    "ConflictError",
    "ExpectedVersion",
    "Journal",
    "JournalError",
    "MemoryJournal",
    "PostgresJournal",
    "SQLiteJournal",
    "SnapshotJournal",
    "Store",
    "StoredEvent",
    "append_batches",
    "chain_hash",
    "check_expected",
    "dedupe",
    "grant_statements",
    "open_store",
    "row_hash",
    "same_fact",
    "store_engine",
    "store_registry",
    "trainee_versions",
]


def __getattr__(name: str) -> Any:
    """`PostgresJournal` and `grant_statements` load psycopg: only when asked for."""
    if name in ("PostgresJournal", "grant_statements"):
        from ._journal import postgres

        return getattr(postgres, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
