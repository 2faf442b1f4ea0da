"""Reading stored bodies back as events, fast, and naming the row when one cannot be read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from .._errors import JournalError
from .._model.events import EVENT_ADAPTER, EVENT_LIST_ADAPTER, Event


def unreadable(seq: int, event_id: str, location: str) -> JournalError:
    """The error for a stored event whose body is not a valid event (damage, or an edit)."""
    return JournalError(
        f"event seq {seq} (id {event_id}) cannot be read: its stored body is not a valid event",
        where=location,
        fix=f"run `facilitrack verify --store {location}` to see what was changed; restore the"
        " store from a backup or an export",
    )


def parse_rows(rows: Sequence[tuple[Any, ...]], location: str) -> list[Event]:
    """Parse rows of (seq, id, body) in one call into pydantic's JSON parser.

    Bodies were validated when they were stored, so the engine never re-checks them; one that
    no longer parses raises a `JournalError` naming its seq and id.
    """
    if not rows:
        return []
    try:
        return EVENT_LIST_ADAPTER.validate_json("[" + ",".join(r[2] for r in rows) + "]")
    except ValidationError:
        pass
    for seq, event_id, body in rows:
        try:
            EVENT_ADAPTER.validate_json(body)
        except ValidationError:
            raise unreadable(seq, event_id, location) from None
    raise AssertionError("a page failed to parse but each of its rows parses")  # pragma: no cover
