"""Turn a disagreement between the engine and the oracle into a small journal (a tool, not a test).

``shrink(programs, journal, today=..., as_of=..., keep=lambda lines: ...)`` drops events, in
ever smaller chunks, while the disagreement `keep` recognises (a predicate over the lines of
`harness.differences`) persists. The journal keeps its recording order, so revocations (which
depend on when a void was recorded) survive the shrinking.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from facilitrack import Program

from .harness import differences, engine_for, from_engine, oracle_for, record


def disagreement(programs: Sequence[Program], journal: Sequence[Any], *, today: date,
                 as_of: date | None = None) -> list[str]:
    """The differences between engine and oracle on `journal`, recorded in one batch."""
    engine = engine_for(programs)
    stored = record(engine, [list(journal)])
    return differences(from_engine(engine, today=today, as_of=as_of),
                       oracle_for(programs, stored, today=today, as_of=as_of))


def shrink(programs: Sequence[Program], journal: Sequence[Any], *, today: date, as_of: date | None = None,
           keep: Callable[[list[str]], bool] = bool) -> list[Any]:
    """A sub-journal on which `keep(differences)` still holds, no event of it removable."""
    events = list(journal)
    chunk = max(len(events) // 2, 1)
    while True:
        i, removed = 0, False
        while i < len(events):
            candidate = events[:i] + events[i + chunk:]
            if keep(disagreement(programs, candidate, today=today, as_of=as_of)):
                events, removed = candidate, True
            else:
                i += chunk
        if chunk == 1 and not removed:
            return events
        chunk = max(chunk // 2, 1) if not removed or chunk > 1 else 1
