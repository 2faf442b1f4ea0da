"""Exports: a store's events and definitions as JSON, JSON Lines or TOML — and reading them back.

An export moves a store (SQLite to PostgreSQL, one office to another) or archives it. Reading
one back keeps every event's id, so importing the same export again adds nothing, and two
stores that import each other's exports end up holding the same events (in their own order,
each with a clean chain of its own) and give the same answers.

JSON Lines, one object per line: first one line per program definition the store keeps,
``{"kind": "program", "ref": "mpg@1.0", "definition": {...}}``, one per cohort imported
(``{"kind": "cohort", "name": ..., "track": ..., "issuer": ...}``), one per person the people
directory names (``{"kind": "contact", "id": ..., "name": ..., "email": ...}``), then one line
per event in the store's order, the event's own fields plus ``seq`` and ``recorded_at`` (where
it sat in the exporting store, and when that store recorded it). No event has the kind
``program``, ``cohort`` or ``contact``, so a reader that wants events only skips those lines.
JSON and TOML carry the same as ``programs``, ``cohorts``, ``people`` and ``events``.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import tomli_w
from pydantic import ValidationError

from .._errors import UserError
from .._host.plugins import PluginHost
from .._journal.base import Store
from .._model.events import EVENT_ADAPTER, Event
from .._model.issuer import Contact, Issuer
from .._model.program import Program, parse_program
from .append import append_batches
from .imports import COHORT_PREFIX, stored_cohorts
from .registry import store_engine

ExportFormat = Literal["json", "jsonl", "toml"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("json", "jsonl", "toml")

#: The ``kind`` of a JSON Lines line that carries a program definition rather than an event.
PROGRAM_LINE = "program"
#: ... a cohort's name, track and issuer.
COHORT_LINE = "cohort"
#: ... a person's name and address.
CONTACT_LINE = "contact"


def export_store(store: Store, fmt: ExportFormat, name: str) -> tuple[str, int]:
    """The store's definitions and events as `fmt` text, and how many events it holds.

    :param name: how the export names its store (``store`` in JSON and TOML).
    """
    events = [{"seq": r["seq"], "recorded_at": r["recorded_at"], **r["body"]} for r in store.rows()]
    programs = store.programs()
    cohorts = stored_cohorts(store.settings())
    people = [c.model_dump(exclude_none=True) for c in store.people().values()]
    if fmt == "jsonl":
        lines = [
            *({"kind": PROGRAM_LINE, "ref": ref, "definition": programs[ref]} for ref in sorted(programs)),
            *({"kind": COHORT_LINE, **c} for c in cohorts),
            *({"kind": CONTACT_LINE, **p} for p in people),
        ]
        text = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in [*lines, *events])
    elif fmt == "json":
        doc = {"store": name, "version": len(events), "programs": programs, "cohorts": cohorts,
               "people": people, "events": events}
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    else:
        from .._report import toml_ready

        doc = {"store": name, "version": len(events),
               "programs": [programs[ref] for ref in sorted(programs)],
               "cohorts": cohorts, "people": people,
               "events": [{**e, "on": date.fromisoformat(e["on"])} for e in events]}
        text = tomli_w.dumps(toml_ready(doc))
    return text, len(events)


@dataclass
class Export:
    """An export read back: the definitions it carries and its events, in the exporter's order."""

    programs: list[dict[str, Any]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    cohorts: list[dict[str, Any]] = field(default_factory=list)
    people: list[Contact] = field(default_factory=list)


def looks_like_export(text: str, name: str) -> bool:
    """Whether `text` (from `name`) is an export rather than a cohort file."""
    if name.endswith((".jsonl", ".json")) or text.lstrip().startswith("{"):
        return True
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    return "cohort" not in doc and "events" in doc and "store" in doc


def read_export(text: str, name: str) -> Export:
    """Parse an export in any of the three formats; a bad line or entry names its place."""
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            doc = json.loads(text)
        except ValueError:
            return _read_lines(text, name)
        if isinstance(doc, dict) and "events" in doc:
            programs = doc.get("programs") or {}
            defs = list(programs.values()) if isinstance(programs, dict) else list(programs)
            return Export(defs, [_event(e, f"{name}: events[{i}]") for i, e in enumerate(doc["events"])],
                          *_extras(doc, name))
        return _read_lines(text, name)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"not an export (JSON, JSON Lines or TOML): {exc}", where=name,
                        fix="give a file `facilitrack export` wrote") from None
    return Export(list(doc.get("programs", [])),
                  [_event(e, f"{name}: events[{i}]") for i, e in enumerate(doc.get("events", []))],
                  *_extras(doc, name))


def _extras(doc: dict[str, Any], name: str) -> tuple[list[dict[str, Any]], list[Contact]]:
    """An export's cohorts and people (exports written before they were carried have none)."""
    cohorts = [_cohort(c, f"{name}: cohorts[{i}]") for i, c in enumerate(doc.get("cohorts") or [])]
    people = [_contact(p, f"{name}: people[{i}]") for i, p in enumerate(doc.get("people") or [])]
    return cohorts, people


def _cohort(data: Any, where: str) -> dict[str, Any]:
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise UserError("a cohort must be an object with a name", where=where,
                        fix="give a file `facilitrack export` wrote, unedited")
    try:
        issuer = Issuer.model_validate(data["issuer"]).model_dump(mode="json") if data.get("issuer") else None
    except ValidationError as exc:
        raise UserError(f"not a valid issuer: {exc.errors()[0]['msg']}", where=where,
                        fix="give a file `facilitrack export` wrote, unedited") from None
    return {"name": data["name"], "track": data.get("track"), "issuer": issuer}


def _contact(data: Any, where: str) -> Contact:
    fields = {k: v for k, v in data.items() if k != "kind"} if isinstance(data, dict) else data
    try:
        return Contact.model_validate(fields)
    except ValidationError as exc:
        raise UserError(f"not a valid person: {exc.errors()[0]['msg']}", where=where,
                        fix="give a file `facilitrack export` wrote, unedited") from None


def _read_lines(text: str, name: str) -> Export:
    out = Export()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            data = json.loads(line)
        except ValueError as exc:
            raise UserError(f"not a JSON object: {exc}", where=where,
                            fix="give a file `facilitrack export --format jsonl` wrote") from None
        kind = data.get("kind") if isinstance(data, dict) else None
        if kind == PROGRAM_LINE:
            out.programs.append(data.get("definition") or {})
        elif kind == COHORT_LINE:
            out.cohorts.append(_cohort(data, where))
        elif kind == CONTACT_LINE:
            out.people.append(_contact(data, where))
        else:
            out.events.append(_event(data, where))
    return out


def _event(data: Any, where: str) -> Event:
    if not isinstance(data, dict):
        raise UserError("an event must be an object", where=where,
                        fix="give a file `facilitrack export` wrote")
    fields = {k: v for k, v in data.items() if k not in ("seq", "recorded_at")}
    try:
        return EVENT_ADAPTER.validate_python(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(x) for x in first["loc"])
        raise UserError(f"not a valid event: {loc}: {first['msg']}", where=where,
                        fix="give a file `facilitrack export` wrote, unedited") from None


@dataclass
class ExportImport:
    """What importing an export did."""

    fresh: list[Event]
    already: int
    total: int


def import_export(store: Store, export: Export, host: PluginHost, name: str) -> ExportImport:
    """Append an export's events, keeping their ids, with the definitions it carries.

    Events already stored (the same id and content) are skipped; a stored id with other
    content refuses the whole import. Everything is validated as if recorded here, in one
    transaction: all of it is stored, or none — the cohorts' names and the people's names
    and addresses it carries with it.
    """
    programs: list[Program] = [
        parse_program(data, origin=f"{name} (program {data.get('key')}@{data.get('version')})",
                      kinds=host.programs.kinds)
        for data in export.programs
    ]

    def keep(_: list[Event]) -> None:
        store.save_settings({f"{COHORT_PREFIX}{c['name']}": json.dumps(c, sort_keys=True)
                             for c in export.cohorts})
        store.save_people(export.people)

    fresh = append_batches(store, lambda: store_engine(store, host, programs), [export.events], programs,
                           inside=keep)
    return ExportImport(fresh=fresh, already=len(export.events) - len(fresh), total=store.version)
