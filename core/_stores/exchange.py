"""Exports: a store's events and definitions as JSON, JSON Lines or TOML — and reading them back.

An export moves a store (SQLite to PostgreSQL, one office to another) or archives it. Reading
one back keeps every event's id, so importing the same export again adds nothing, and two
stores that import each other's exports end up holding the same events (in their own order,
each with a clean chain of its own) and give the same answers.

JSON Lines, one object per line: first one line per program definition the store keeps,
``{"kind": "program", "ref": "mpg@1.0", "definition": {...}}``, then one line per event in
the store's order, the event's own fields plus ``seq`` and ``recorded_at`` (where it sat in
the exporting store, and when that store recorded it). ``kind: "program"`` is no event's
kind, so a reader that wants events only skips those lines.
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
from .._model.program import Program, parse_program
from .append import append_batches
from .registry import store_engine

ExportFormat = Literal["json", "jsonl", "toml"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("json", "jsonl", "toml")

#: The ``kind`` of a JSON Lines line that carries a program definition rather than an event.
PROGRAM_LINE = "program"


def export_store(store: Store, fmt: ExportFormat, name: str) -> tuple[str, int]:
    """The store's definitions and events as `fmt` text, and how many events it holds.

    :param name: how the export names its store (``store`` in JSON and TOML).
    """
    events = [{"seq": r["seq"], "recorded_at": r["recorded_at"], **r["body"]} for r in store.rows()]
    programs = store.programs()
    if fmt == "jsonl":
        lines = [{"kind": PROGRAM_LINE, "ref": ref, "definition": programs[ref]} for ref in sorted(programs)]
        text = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in [*lines, *events])
    elif fmt == "json":
        doc = {"store": name, "version": len(events), "programs": programs, "events": events}
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    else:
        from .._report import toml_ready

        doc = {"store": name, "version": len(events),
               "programs": [programs[ref] for ref in sorted(programs)],
               "events": [{**e, "on": date.fromisoformat(e["on"])} for e in events]}
        text = tomli_w.dumps(toml_ready(doc))
    return text, len(events)


@dataclass
class Export:
    """An export read back: the definitions it carries and its events, in the exporter's order."""

    programs: list[dict[str, Any]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


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
            return Export(defs, [_event(e, f"{name}: events[{i}]") for i, e in enumerate(doc["events"])])
        return _read_lines(text, name)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"not an export (JSON, JSON Lines or TOML): {exc}", where=name,
                        fix="give a file `facilitrack export` wrote") from None
    return Export(list(doc.get("programs", [])),
                  [_event(e, f"{name}: events[{i}]") for i, e in enumerate(doc.get("events", []))])


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
        if isinstance(data, dict) and data.get("kind") == PROGRAM_LINE:
            out.programs.append(data.get("definition") or {})
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
    transaction: all of it is stored, or none.
    """
    programs: list[Program] = [
        parse_program(data, origin=f"{name} (program {data.get('key')}@{data.get('version')})",
                      kinds=host.programs.kinds)
        for data in export.programs
    ]
    fresh = append_batches(store, lambda: store_engine(store, host, programs), [export.events], programs)
    return ExportImport(fresh=fresh, already=len(export.events) - len(fresh), total=store.version)
