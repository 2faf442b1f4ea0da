"""Where events live. `Journal` is the protocol; `MemoryJournal` keeps them in a list;
`SQLiteJournal` in one file, with a state cache (`SnapshotJournal`)."""

from .base import Journal, SnapshotJournal, StoredEvent
from .memory import MemoryJournal
from .sqlite import SQLiteJournal

__all__ = ["Journal", "MemoryJournal", "SQLiteJournal", "SnapshotJournal", "StoredEvent"]
