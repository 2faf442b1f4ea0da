"""Plugin loading, in one idempotent function, and the typed facade the engine calls hooks by.

Each plugin loads in isolation: one that fails to import, to register or to define a valid
program (an exception, or sys.exit()) is reported by name with its error, and the others
still load; Ctrl-C still interrupts (pluggy's own
entry-point loader stops at the first failure, so entry points are walked here).

Environment:
    ``FACILITRACK_PLUGINS``        comma-separated allow list of entry-point names (default: all)
    ``FACILITRACK_BLOCK_PLUGINS``  comma-separated block list
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, cast

import pluggy

from .._errors import FacilitrackError, PluginError, UserError
from .._model.events import EventBase
from .._model.group_results import GroupProblem
from .._model.groups import Group
from .._model.people import Person
from .._model.program import CertificateSpec, Program, load_program
from .._model.requirements import RequirementKinds
from . import hookspecs
from .registry import ProgramRegistry

ENTRY_POINT_GROUP = "facilitrack"

#: What a plugin's failure may raise. sys.exit() in a plugin is its failure, not the program's
#: end; KeyboardInterrupt (and GeneratorExit) are not failures and pass through.
_PLUGIN_FAILURES = (Exception, SystemExit)
ENV_ALLOW = "FACILITRACK_PLUGINS"
ENV_BLOCK = "FACILITRACK_BLOCK_PLUGINS"


@dataclass(frozen=True)
class PluginProblem:
    """A plugin that could not be loaded, and why."""

    plugin: str
    error: str

    def __str__(self) -> str:
        return f"plugin {self.plugin!r} was not loaded: {self.error}"


class Hooks:
    """Typed calls into the plugins; the only place ``pm.hook`` is used."""

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self._pm = pm

    def validates_events(self) -> bool:
        """Whether any plugin checks events (the engine skips that work otherwise)."""
        return bool(self._pm.hook.facilitrack_validate_event.get_hookimpls())

    def validate_event(self, event: EventBase, program: Program, stage: str) -> list[str]:
        """Every plugin's reason to refuse `event`; empty when all accept."""
        reasons = self._pm.hook.facilitrack_validate_event(event=event, program=program, stage=stage)
        return [r for r in reasons if r]

    def check_group(self, group: Group, program: Program, people: Mapping[str, Person]) -> list[GroupProblem]:
        """Every plugin's problems with `group`; a plugin that fails is named in the error."""
        problems: list[GroupProblem] = []
        kwargs: dict[str, Any] = {"group": group, "program": program, "people": people}
        caller = self._pm.hook.facilitrack_check_group
        for impl in reversed(caller.get_hookimpls()):  # pluggy lists the last registered first
            try:
                found = impl.function(**{k: kwargs[k] for k in impl.argnames})
                items = list(cast("Iterable[object] | None", found) or ())
            except Exception as exc:
                raise PluginError(
                    f"facilitrack_check_group failed on group {group.id!r}: {exc!r}",
                    plugin=impl.plugin_name, fix="fix or block the plugin (FACILITRACK_BLOCK_PLUGINS)",
                ) from exc
            for item in items:
                if not isinstance(item, GroupProblem):
                    raise PluginError(
                        f"facilitrack_check_group returned {item!r}, not a GroupProblem",
                        plugin=impl.plugin_name, fix="return facilitrack.GroupProblem objects",
                    )
                problems.append(item)
        return problems

    def parse_date(self, text: str, program: Program) -> date | None:
        """The first plugin's reading of a date string, if any reads it."""
        result = self._pm.hook.facilitrack_parse_date(text=text, program=program)
        return result if isinstance(result, date) else None

    def stage_completed(self, trainee: str, program: Program, stage: str, on: date) -> None:
        """Tell observers a stage was completed."""
        self._guard(
            self._pm.hook.facilitrack_stage_completed,
            trainee=trainee, program=program, stage=stage, on=on,
        )

    def certificate_issued(
        self, trainee: str, program: Program, stage: str, certificate: CertificateSpec, on: date
    ) -> None:
        """Tell observers a certificate was issued."""
        self._guard(
            self._pm.hook.facilitrack_certificate_issued,
            trainee=trainee, program=program, stage=stage, certificate=certificate, on=on,
        )

    @staticmethod
    def _guard(caller: Any, **kwargs: Any) -> None:
        for impl in caller.get_hookimpls():
            try:
                impl.function(**{k: kwargs[k] for k in impl.argnames})
            except Exception as exc:
                raise PluginError(
                    f"observer {caller.name} failed after the events were recorded: {exc!r}",
                    plugin=impl.plugin_name,
                    fix="the journal is intact; fix or block the plugin (FACILITRACK_BLOCK_PLUGINS)",
                ) from exc


@dataclass
class PluginHost:
    """What loading produced: the plugin manager, its programs and kinds, and any failures."""

    pm: pluggy.PluginManager
    programs: ProgramRegistry
    hooks: Hooks
    problems: list[PluginProblem] = field(default_factory=list)

    @property
    def kinds(self) -> RequirementKinds:
        """The requirement kinds definitions may use."""
        return self.programs.kinds

    def plugin_names(self) -> list[str]:
        """Names of the registered plugins, sorted."""
        return sorted(name for name, _ in self.pm.list_name_plugin() if name)


_cache: dict[tuple[Any, ...], PluginHost] = {}


def load_plugins(
    extra: Sequence[object] = (),
    *,
    allow: Iterable[str] | None = None,
    block: Iterable[str] | None = None,
    entry_points_group: str | None = ENTRY_POINT_GROUP,
) -> PluginHost:
    """Load plugins from entry points plus `extra` objects; cached, so calling again is free.

    :param extra: plugin objects (modules, instances) to register besides the entry points.
    :param allow: entry-point names to load (default: ``FACILITRACK_PLUGINS`` or all).
    :param block: entry-point names never to load (default: ``FACILITRACK_BLOCK_PLUGINS``).
    :param entry_points_group: the group to read, or None to load only `extra`.
    """
    allowed = _names(allow, ENV_ALLOW)
    blocked = _names(block, ENV_BLOCK) or frozenset()
    key = (tuple(id(p) for p in extra), allowed, blocked, entry_points_group)
    host = _cache.get(key)
    if host is None:
        host = _cache[key] = _load(extra, allowed, blocked, entry_points_group)
    return host


def reset_plugins() -> None:
    """Forget loaded plugins (tests, or after installing a plugin in-process)."""
    _cache.clear()


def _names(given: Iterable[str] | None, env: str) -> frozenset[str] | None:
    if given is not None:
        return frozenset(given)
    raw = os.environ.get(env, "").strip()
    return frozenset(n.strip() for n in raw.split(",") if n.strip()) if raw else None


def _load(
    extra: Sequence[object],
    allowed: frozenset[str] | None,
    blocked: frozenset[str],
    group: str | None,
) -> PluginHost:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    problems: list[PluginProblem] = []
    if group is not None:
        for ep in sorted(entry_points(group=group), key=lambda e: e.name):
            if ep.name in blocked or (allowed is not None and ep.name not in allowed):
                continue
            try:
                pm.register(ep.load(), name=ep.name)
            except _PLUGIN_FAILURES as exc:  # any import or registration failure isolates the plugin
                problems.append(PluginProblem(ep.name, _describe(exc)))
    for obj in extra:
        pm.register(obj)
    _unregister_failing(pm, problems, _check_pending)
    registry = ProgramRegistry()
    _unregister_failing(pm, problems, lambda name, plugin: _call_register(
        pm, name, "facilitrack_requirement_kinds", registry.kinds.register))
    _unregister_failing(pm, problems, lambda name, plugin: _register_programs(pm, registry, name))
    return PluginHost(pm=pm, programs=registry, hooks=Hooks(pm), problems=problems)


def _unregister_failing(pm: pluggy.PluginManager, problems: list[PluginProblem], step: Any) -> None:
    for name, plugin in list(pm.list_name_plugin()):
        if plugin is None:
            continue
        try:
            step(name, plugin)
        except _PLUGIN_FAILURES as exc:
            problems.append(PluginProblem(name, _describe(exc)))
            pm.unregister(plugin)


def _check_pending(name: str, plugin: object) -> None:
    """A misspelt hook name fails loudly, as pluggy's check_pending would, per plugin."""
    for attr in dir(plugin):
        if attr.startswith("facilitrack_") and not hasattr(hookspecs, attr):
            func = getattr(plugin, attr)
            if callable(func) and hasattr(func, f"{hookspecs.PROJECT}_impl"):
                raise PluginError(
                    f"{attr} is not a facilitrack hook", plugin=name,
                    fix="check the spelling against facilitrack.hookspecs",
                )


def _call_register(pm: pluggy.PluginManager, name: str, hook: str, register: Any) -> None:
    caller = getattr(pm.hook, hook)
    for impl in caller.get_hookimpls():
        if impl.plugin_name == name:
            impl.function(register=register)


def _register_programs(pm: pluggy.PluginManager, registry: ProgramRegistry, name: str) -> None:
    """Register a plugin's programs all or nothing, so a failure leaves no half of it."""
    source = f"plugin {name}"
    items: list[Program | Path | str] = []
    _call_register(pm, name, "facilitrack_programs", items.append)
    try:
        for item in items:
            program = item if isinstance(item, Program) else load_program(item, kinds=registry.kinds)
            registry.add(program, source=source)
    except Exception:
        registry.discard(source)
        raise


def _describe(exc: BaseException) -> str:
    if isinstance(exc, SystemExit):
        return f"it called sys.exit({exc.code!r})"
    if isinstance(exc, UserError):
        return exc.render()
    if isinstance(exc, FacilitrackError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"
