"""Appending to a store that other processes write too: validate, append, retry, bounded."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from .._engine.engine import Engine
from .._errors import ConflictError
from .._journal.base import Journal, Store
from .._model.events import Event
from .._model.program import Program

#: How many times an append is re-read, re-validated and retried when another writer wins.
RETRIES = 5


def trainee_versions(journal: Journal, batches: Iterable[Iterable[Event]]) -> dict[str, int]:
    """Each trainee named in `batches` → their event count now (per-trainee `expected_version`)."""
    trainees = sorted({e.trainee for batch in batches for e in batch})
    return {t: journal.trainee_version(t) for t in trainees}


def append_batches(
    store: Store,
    open_engine: Callable[[], Engine],
    batches: Sequence[Sequence[Event]],
    programs: Iterable[Program] = (),
    *,
    retries: int = RETRIES,
    inside: Callable[[list[Event]], None] | None = None,
) -> list[Event]:
    """Record `batches` in one transaction: all stored, or none; return the new events.

    Each attempt reads the version of every trainee the batches name, opens an engine
    (`open_engine`), validates against the store as it is and appends with those per-trainee
    versions expected: a writer recording for other trainees never conflicts, one recording
    for the same trainee first makes the attempt start again — at most `retries` times, after
    which the `ConflictError` is raised. `programs` are kept in the store in the same
    transaction (the definitions the events' enrolments pin), and `inside` is called there
    with the new events after the appends (to store settings with them).
    """
    wanted = list(programs)
    for attempt in range(1, retries + 1):
        expected = trainee_versions(store, batches)
        engine = open_engine()
        try:
            # Observers hear of the events once the transaction has committed them.
            with engine.observers_after(), store.transaction():
                store.save_programs(wanted)
                fresh: list[Event] = []
                first = True
                for batch in (b for b in batches if b):
                    # The first append checks nothing moved for these trainees since `expected`;
                    # the transaction's lock then keeps every other writer out until it ends.
                    fresh += engine.record(batch, expected_version=expected if first else None)
                    first = False
                if inside is not None:
                    inside(fresh)
            return fresh
        except ConflictError:
            if attempt == retries:
                raise
    raise AssertionError("unreachable")  # pragma: no cover
