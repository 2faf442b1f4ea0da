"""Importing a cohort file into a store, and noticing what changed in it since the last import.

The store also keeps what a report of the file shows beyond the events: the cohort's name and
track (settings), and the trainees' and staff's names and addresses (the people directory,
outside the hash chain so that it can be corrected and erased).

A cohort file is edited between imports: rows added are new events; a row removed, or changed
(its content-derived id changes), leaves the event the last import stored. The store remembers,
per file (the cohort's name and the file's resolved path, a setting), the ids each import
held and the rows they came from, so the next import names those events and how to void them
— or, with ``sync``, voids them in the same transaction.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from typing import Any

from .._cohort import ParsedCohort, record_batches
from .._host.plugins import PluginHost
from .._journal.base import Store
from .._model.events import Enrolled, Event, Voided
from .._progress import step
from .._text import display_path
from .append import append_batches
from .registry import store_engine


@dataclass(frozen=True)
class Stale:
    """An event an earlier import of the file stored, whose row is no longer in the file."""

    event: Event
    place: str


@dataclass
class CohortImport:
    """What an import did: the new events, what was already stored, what the file lost."""

    fresh: list[Event]
    already: int
    total: int
    stale: list[Stale] = field(default_factory=list)
    voided: list[Voided] = field(default_factory=list)


#: Settings naming the cohort files imported: ``cohort:<path>`` → its name, track and issuer (JSON).
COHORT_PREFIX = "cohort:"
#: Settings remembering what each import of a file held: ``import:<name>:<path>`` → id → row.
IMPORT_PREFIX = "import:"


def stored_cohorts(settings: dict[str, str]) -> list[dict[str, Any]]:
    """The cohorts a store's imports named (name, track, issuer), each once."""
    seen = {v for k, v in settings.items() if k.startswith(COHORT_PREFIX)}
    return [json.loads(v) for v in sorted(seen)]


def memory_key(cohort: ParsedCohort) -> str:
    """The setting under which a store remembers what imports of this file held."""
    return f"{IMPORT_PREFIX}{cohort.doc.cohort.name}:{display_path(cohort.path.resolve())}"


def cohort_key(cohort: ParsedCohort) -> str:
    """The setting naming an imported cohort file (its name and track)."""
    return f"{COHORT_PREFIX}{display_path(cohort.path.resolve())}"


def import_cohort(
    store: Store, cohort: ParsedCohort, host: PluginHost, *, sync: bool = False
) -> CohortImport:
    """Append the cohort's events (skipping those stored) and remember what the file held.

    Events an earlier import of the same file stored, whose rows are gone from it now, are
    returned as `stale` — or, with `sync`, voided in the same transaction (each void dated
    like the event it voids, so the store answers as if it had never been recorded).
    """
    version = cohort.program.version
    located = [
        (x.event.model_copy(update={"version": version})
         if isinstance(x.event, Enrolled) and x.event.version is None else x.event, x.where)
        for x in cohort.located
    ]
    events = [e for e, _ in located]
    key = memory_key(cohort)
    remembered: dict[str, str] = json.loads(store.settings().get(key, "{}"))
    current = {e.id: where for e, where in located}
    stale = _stale(store, {i: w for i, w in remembered.items() if i not in current})
    voids: list[Event] = [
        Voided(trainee=s.event.trainee, on=s.event.on, target=s.event.id,
               reason=f"removed from {display_path(cohort.path.name)} ({s.place}) since it was last imported")
        for s in stale
    ] if sync else []
    keep = {} if sync else {s.event.id: s.place for s in stale}

    header = cohort.doc.cohort
    issuer = cohort.doc.issuer.model_dump(mode="json") if cohort.doc.issuer else None
    named = json.dumps({"name": header.name, "track": header.track, "issuer": issuer}, sort_keys=True)

    def remember(_: list[Event]) -> None:
        store.save_settings({key: json.dumps({**keep, **current}, sort_keys=True),
                             cohort_key(cohort): named})
        store.save_people(cohort.doc.contacts().values())

    batches: list[list[Event]] = [*record_batches(events), voids]
    step(f"appending {len(events):,} events to the store")
    fresh = append_batches(
        store, lambda: store_engine(store, host, [cohort.program]), batches, [cohort.program],
        inside=remember,
    )
    new_voids = [e for e in fresh if isinstance(e, Voided) and e in voids]
    return CohortImport(
        fresh=[e for e in fresh if e not in new_voids], already=len(events) - (len(fresh) - len(new_voids)),
        total=store.version, stale=[] if sync else stale, voided=new_voids,
    )


def _stale(store: Store, gone: dict[str, str]) -> list[Stale]:
    """Of the events whose rows are gone, those still stored and not voided."""
    out = []
    voided: dict[str, set[str]] = {}
    for event_id, place in sorted(gone.items(), key=lambda item: item[1]):
        event = store.get(event_id)
        if event is None:
            continue
        if event.trainee not in voided:
            voided[event.trainee] = {
                e.target for e in store.events(event.trainee) if isinstance(e, Voided)
            }
        if event_id not in voided[event.trainee]:
            out.append(Stale(event, place))
    return out


def void_command(location: str, stale: Stale, file: str) -> str:
    """The ``facilitrack record ... void`` line that voids a stale event, ready to paste."""
    event = stale.event
    reason = f"removed from {file} ({stale.place})"
    args = ["facilitrack", "record", "--store", location, "void", "--trainee", event.trainee,
            "--on", event.on.isoformat(), "--target", event.id, "--reason", reason]
    return " ".join(shlex.quote(a) for a in args)
