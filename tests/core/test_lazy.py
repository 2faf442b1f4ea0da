"""The public namespaces' lazy loader: a name's module imported on first use, then kept."""

from __future__ import annotations

from typing import Any

import pytest
from facilitrack._lazy import load


def test_a_name_is_imported_once_and_kept_in_the_namespace() -> None:
    """The first use imports; the value is then a plain attribute of the namespace."""
    namespace: dict[str, Any] = {"__name__": "facilitrack.x", "__package__": "facilitrack"}
    names = {"MemoryJournal": "._journal.memory", "hookspecs": "._host.hookspecs"}
    journal = load(namespace, names, "MemoryJournal")
    assert journal.__name__ == "MemoryJournal"
    assert namespace["MemoryJournal"] is journal
    assert load(namespace, names, "hookspecs").__name__ == "facilitrack._host.hookspecs"


def test_a_name_not_public_is_an_attribute_error_naming_the_namespace() -> None:
    """As for any module: `hasattr` and `getattr(..., default)` keep working."""
    with pytest.raises(AttributeError, match=r"module 'facilitrack\.x' has no attribute 'Folder'"):
        load({"__name__": "facilitrack.x", "__package__": "facilitrack"}, {}, "Folder")
