"""Cohort TOML text to placed engine events, checked but not yet recorded (`parse_cohort`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .._errors import UnknownKeyError, UserError, VersionNotInstalledError, did_you_mean
from .._groups import Person
from .._host.plugins import PluginHost, load_plugins
from .._host.registry import ProgramRegistry
from .._model.events import Event
from .._model.program import Program
from .._progress import step
from .._toml import parse_toml
from .events import Located, cohort_events
from .model import CohortFile, CohortHeader
from .places import Places
from .references import check_groups, check_ids, check_references
from .schema_errors import schema_error


@dataclass(kw_only=True)
class ParsedCohort:
    """A cohort file read and checked: its tables, its program, and its events with their rows."""

    path: Path
    doc: CohortFile
    program: Program
    registry: ProgramRegistry = field(repr=False)
    located: list[Located]
    places: Places = field(repr=False)
    people: dict[str, Person] = field(default_factory=dict, repr=False)

    @property
    def events(self) -> list[Event]:
        """Every engine event the file states (for importing it into a journal)."""
        return [x.event for x in self.located]

    def where(self, event_id: str) -> str | None:
        """The row an event came from (``events[3]``), if it came from this file."""
        return next((x.where for x in self.located if x.event.id == event_id), None)


def parse_cohort(text: str, path: str | Path, *, host: PluginHost | None = None) -> ParsedCohort:
    """Cohort TOML `text` that came from `path` as engine events, without recording them.

    Reads the syntax and the tables, resolves the program (a `program_file` is relative to
    `path`), checks every reference and builds the events; any error names the place in the file.
    """
    path = Path(path)
    host = host or load_plugins()
    step(f"reading the TOML of {len(text) / 1e6:.1f} MB")
    raw = parse_toml(text, path)
    rows = sum(len(v) for v in raw.values() if isinstance(v, list))
    step(f"checking {rows:,} rows")
    places = Places.scan(path, text, raw)
    doc, program, registry = _validate(raw, path, host, places)
    check_references(doc, program, places)
    people = check_groups(doc, program, places)
    step(f"building the events of {rows:,} rows")
    located = cohort_events(doc, program)
    check_ids(located, places)
    return ParsedCohort(
        path=path, doc=doc, program=program, registry=registry, located=located, places=places,
        people=people,
    )


class _HeaderOnly(BaseModel):
    """The ``[cohort]`` table alone: read first, since the program decides how dates read."""

    cohort: CohortHeader


def _validate(
    raw: dict[str, Any], path: Path, host: PluginHost, places: Places
) -> tuple[CohortFile, Program, ProgramRegistry]:
    """The file's tables, read with the dates its program's plugins accept."""
    if "cohort" not in raw:
        raise UserError(
            "the file has no [cohort] table", where=path,
            fix='start it with [cohort], name = "...", program = "KEY" (`facilitrack init`)',
        )
    try:
        header = _HeaderOnly.model_validate(raw).cohort
    except ValidationError as exc:
        raise schema_error(exc, places) from None
    program, registry = _resolve_program(header, path, host, places)
    hooks = host.hooks

    def parse_date(text: str) -> date | None:
        return hooks.parse_date(text, program)

    try:
        doc = CohortFile.model_validate(raw, context={"parse_date": parse_date})
    except ValidationError as exc:
        raise schema_error(exc, places) from None
    return doc, program, registry


def _resolve_program(
    header: CohortHeader, path: Path, host: PluginHost, places: Places
) -> tuple[Program, ProgramRegistry]:
    """The program the header names, installed or from a file, and a registry that holds it."""
    if header.program_file is not None:
        file = (path.parent / header.program_file).resolve()
        if not file.is_file():
            raise UserError(
                f"program file not found: {header.program_file} (looked for {file})",
                where=places.at("cohort.program_file"),
                fix="the path is relative to the cohort file",
            )
        registry = ProgramRegistry(host.kinds)
        key = registry.load_file(file).key
    else:
        assert header.program is not None
        registry, key = host.programs, header.program
        if key not in registry:
            fix = (f"{did_you_mean(key, registry.keys())} (`facilitrack programs` lists them;"
                   " a definition file goes in `program_file`)") if registry.keys() else (
                   "install a plugin that provides it, or name a definition file in `program_file`")
            if host.left_out:
                fix += f"; {host.left_out_by} leaves out installed plugins: {', '.join(host.left_out)}"
            raise UnknownKeyError(
                f"unknown program {key!r}: no plugin loaded provides it", where=places.at("cohort.program"),
                fix=fix)
    if header.version is not None and header.version not in [p.version for p in registry.versions(key)]:
        installed = ", ".join(p.version for p in registry.versions(key))
        raise VersionNotInstalledError(
            f"{key} version {header.version} is not installed (installed: {installed})",
            where=places.at("cohort.version"),
            fix="pin an installed version, or leave `version` out for the latest",
        )
    return registry.get(key, header.version), registry
