"""The API for store authors: the journal protocols and the helpers every store shares.

A store for another database implements `Journal` (and `SnapshotJournal` to cache state);
``facilitrack.testing`` holds the conformance suite every store must pass.
"""

from ._errors import ConflictError, JournalError
from ._journal.base import Journal, SnapshotJournal, StoredEvent, dedupe, same_fact
from ._journal.chain import chain_hash
from ._journal.memory import MemoryJournal
from ._journal.sqlite import SQLiteJournal

__all__ = [
    "ConflictError",
    "Journal",
    "JournalError",
    "MemoryJournal",
    "SQLiteJournal",
    "SnapshotJournal",
    "StoredEvent",
    "chain_hash",
    "dedupe",
    "same_fact",
]
