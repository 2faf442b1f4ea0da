"""The API for store authors: the journal protocols and the helpers every store shares.

A store for another database implements `Journal` (and `SnapshotJournal` to cache state, and
`Store` to serve the ``facilitrack`` store commands); ``facilitrack.testing`` holds the
conformance suite every store must pass (`check_journal`, `JournalContract`).
`append_batches` records with bounded retries, as the CLI does; `open_store` opens a store
by path or URL; `import_cohort` brings a cohort file in as ``facilitrack import`` does;
`store_report` reports a store as ``facilitrack status`` does; `open_source` opens a cohort
file or a store for the reports alike. `PostgresJournal` (the ``postgres`` extra) is imported
only when named; so is every other name (PEP 562), so importing this module costs nothing.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

from ._lazy import load

if TYPE_CHECKING:
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
    from ._journal.grants import grant_statements
    from ._journal.memory import MemoryJournal
    from ._journal.postgres import PostgresJournal
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

#: Public name → the private module that defines it (`PostgresJournal`: the ``postgres`` extra,
#: loaded only when named).
_NAMES: dict[str, str] = {
    "append_batches": "._stores",
    "chain_hash": "._journal.chain",
    "ChainProblem": "._journal.chain",
    "check_expected": "._journal.base",
    "CohortImport": "._stores",
    "ConflictError": "._errors",
    "dedupe": "._journal.base",
    "ExpectedVersion": "._journal.base",
    "grant_statements": "._journal.grants",
    "import_cohort": "._stores",
    "Journal": "._journal.base",
    "JournalError": "._errors",
    "MemoryJournal": "._journal.memory",
    "open_source": "._stores.source",
    "open_store": "._stores",
    "PostgresJournal": "._journal.postgres",
    "RETRIES": "._stores",
    "row_hash": "._journal.chain",
    "same_fact": "._journal.base",
    "SnapshotJournal": "._journal.base",
    "Source": "._stores.source",
    "SQLiteJournal": "._journal.sqlite",
    "Store": "._journal.base",
    "store_engine": "._stores",
    "store_registry": "._stores",
    "store_report": "._stores",
    "StoredEvent": "._journal.base",
    "trainee_versions": "._stores",
}

#: What ``from facilitrack.store import *`` gives: every name, `PostgresJournal` only where its
#: extra is installed (looked up, not imported).
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
if importlib.util.find_spec("psycopg") is None:
    __all__.remove("PostgresJournal")


def __getattr__(name: str) -> Any:
    """Import a name's module when the name is first used."""
    try:
        return load(globals(), _NAMES, name)
    except ModuleNotFoundError as exc:
        if exc.name != "psycopg":
            raise
        raise ImportError(f"{name} needs psycopg, which is not installed:"
                          " pip install 'facilitrack[postgres]'", name=name) from None


def __dir__() -> list[str]:
    return __all__
