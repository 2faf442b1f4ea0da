"""Where events live. `Journal` is the protocol; `MemoryJournal` keeps them in a list."""

from .base import Journal, StoredEvent
from .memory import MemoryJournal

__all__ = ["Journal", "MemoryJournal", "StoredEvent"]
