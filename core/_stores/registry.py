"""The programs a store's engine knows: the installed ones plus the definitions the store keeps."""

from __future__ import annotations

from collections.abc import Iterable

from .._engine.engine import Engine
from .._errors import JournalError
from .._host.plugins import PluginHost
from .._host.registry import ProgramRegistry
from .._journal.base import Store
from .._model.events import Enrolled, Event
from .._model.program import Program, parse_program


def store_registry(store: Store, host: PluginHost, extra: Iterable[Program] = ()) -> ProgramRegistry:
    """Installed programs, plus the definitions the store keeps, plus `extra` ones.

    A definition the store keeps under an installed ``key@version`` must be identical to the
    installed one (which is then used); otherwise the store's copy is what its enrolments
    pinned, and the two cannot both be right.
    """
    registry = host.programs.copy()
    where = store.location
    for ref, data in store.programs().items():
        stored = parse_program(data, origin=f"{where} (program {ref})", kinds=registry.kinds)
        _add_program(registry, stored, "kept in the store", where)
    for program in extra:
        _add_program(registry, program, "given", where)
    return registry


def _add_program(registry: ProgramRegistry, program: Program, origin: str, where: str) -> None:
    """Add a definition unless an identical one is known; a different one is an error."""
    same = [p for p in registry.versions(program.key) if p.version == program.version]
    if same:
        if same[0] != program:
            raise JournalError(
                f"program {program.ref} {origin} differs from the definition of the same version"
                f" that {registry.source(program.key)} provides",
                where=where,
                fix="a changed definition needs a new `version`; enrolments keep the version they"
                " pinned (install the release the store was recorded with, or renumber the file's)",
            )
        return
    known = program.key in registry
    registry.add(program, source=registry.source(program.key) if known else f"store {where}")


def store_engine(store: Store, host: PluginHost, extra: Iterable[Program] = ()) -> Engine:
    """An engine over the store, knowing installed and stored programs (and `extra`), naming
    people from the store's people directory."""
    return Engine(store_registry(store, host, extra), store, hooks=host.hooks, people=store.people())


def pinned_programs(events: Iterable[Event], registry: ProgramRegistry) -> list[Program]:
    """The definitions enrolments among `events` pin (the latest where none is named)."""
    refs = {(e.program, e.version) for e in events if isinstance(e, Enrolled)}
    return [registry.get(key, version) for key, version in sorted(refs, key=str)]
