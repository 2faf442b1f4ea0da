"""Every hypothesis strategy the property tests draw from, in one place.

Journals are of the demo program (`tests.conftest.DEMO`): the three trainees enrol on `start`,
then attend, hand in artifacts, are waived, held, resumed or withdrawn on days up to `span`
after it, and some events may be voided. Groups draw start days, children's ages in months and
the sessions a parent missed; tables draw text in any script and widths in columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TypeVar

from facilitrack import (
    ArtifactRecorded,
    Attended,
    Enrolled,
    Event,
    Held,
    Resumed,
    Voided,
    Waived,
    Withdrawn,
)
from hypothesis import strategies as st

T = TypeVar("T")

TRAINEES = ("ana", "noa", "eli")
ACTIVITIES = ("workshop_day", "demo_session", "group_session")
ARTIFACTS = ("process_recording", "videotape")
STATUSES = ("submitted", "presented", "approved")
REFS = ("r1", "r2", "r3", None)

# -- journals of the demo program ------------------------------------------------------------


def days(start: date, span: int) -> st.SearchStrategy[date]:
    """A day from `start` to `span` days after it."""
    return st.integers(min_value=0, max_value=span).map(lambda n: start + timedelta(days=n))


@st.composite
def happening(draw: st.DrawFn, start: date, span: int) -> Event:
    """One thing that happens to a trainee: mostly sessions, then artifacts, waivers, holds and
    resumptions, withdrawals. Sessions carry their own id (two on one day are two sessions);
    the others carry one, or the id derived from their content."""
    who, on, n = draw(st.sampled_from(TRAINEES)), draw(days(start, span)), draw(st.integers(0, 10**6))
    choice = draw(st.integers(0, 9))
    if choice <= 4:
        return Attended(trainee=who, on=on, activity=draw(st.sampled_from(ACTIVITIES)), id=f"a{n}")
    own = draw(st.booleans())

    def ident(prefix: str) -> str:
        return f"{prefix}{n}" if own else ""

    if choice <= 6:
        return ArtifactRecorded(trainee=who, on=on, id=ident("r"), artifact=draw(st.sampled_from(ARTIFACTS)),
                                status=draw(st.sampled_from(STATUSES)), ref=draw(st.sampled_from(REFS)))
    if choice == 7:
        return Waived(trainee=who, on=on, id=ident("w"), requirement="process_recording",
                      stage="demonstration", reason="r", approver="dr")
    if choice == 8:
        return draw(st.sampled_from([Held(trainee=who, on=on, id=ident("h")),
                                     Resumed(trainee=who, on=on, id=ident("u"))]))
    return Withdrawn(trainee=who, on=on, id=ident("x"))


@st.composite
def journals(
    draw: st.DrawFn, start: date, span: int, *, credentials: Sequence[str] = ("licensed",),
    max_events: int = 30, voids: int = 0,
) -> list[Event]:
    """The three enrolments first (each with a credential from `credentials`), then up to
    `max_events` happenings with distinct ids, then voids of up to `voids` of them."""
    events: list[Event] = [
        Enrolled(trainee=t, on=start, program="demo", version="1.0", trainer="dr-lee",
                 credential=draw(st.sampled_from(credentials)))
        for t in TRAINEES
    ]
    events += draw(st.lists(happening(start, span), max_size=max_events, unique_by=lambda e: e.id))
    if voids and len(events) > len(TRAINEES):
        targets = draw(st.lists(st.sampled_from(events[len(TRAINEES):]), max_size=voids,
                                unique_by=lambda e: e.id))
        events += [Voided(trainee=t.trainee, on=draw(days(start, span)), target=t.id, reason="error")
                   for t in targets]
    return events


@st.composite
def batches(draw: st.DrawFn, events: Sequence[T]) -> list[list[T]]:
    """`events` in their order, cut into consecutive batches of any sizes."""
    rest, out = list(events), []
    while rest:
        size = draw(st.integers(1, len(rest)))
        out.append(rest[:size])
        rest = rest[size:]
    return out


def orders(n: int) -> st.SearchStrategy[list[int]]:
    """An order of `n` rows or sessions: a permutation of their indexes."""
    return st.permutations(list(range(n)))


# -- groups ----------------------------------------------------------------------------------


def group_starts() -> st.SearchStrategy[date]:
    """The day a group starts, any day of this century and most of the next."""
    return st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


def months(low: int, high: int) -> st.SearchStrategy[int]:
    """A child's age, or a spread of ages, in whole months."""
    return st.integers(min_value=low, max_value=high)


def absences(sessions: int) -> st.SearchStrategy[set[int]]:
    """The sessions (by index) a parent missed of a series of `sessions`."""
    return st.sets(st.integers(min_value=0, max_value=sessions - 1))


# -- text in tables --------------------------------------------------------------------------


def texts() -> st.SearchStrategy[str]:
    """Any text at all: any script, controls included."""
    return st.text()


def printable_texts() -> st.SearchStrategy[str]:
    """Text in any script without control characters, as a table cell holds once made safe."""
    return st.text(st.characters(blacklist_categories=("Cc",)))


def widths(low: int, high: int) -> st.SearchStrategy[int]:
    """A width in terminal columns."""
    return st.integers(min_value=low, max_value=high)
