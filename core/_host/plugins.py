"""Plugin loading, in one idempotent function.

Each plugin loads in isolation: one that fails to import, to register or to define a valid
program (an exception, or sys.exit()) is reported by name with its error, and the others
still load; Ctrl-C still interrupts. pluggy's own entry-point loader stops at the first
failure, so entry points are walked here. Each plugin is registered behind guards
(`guard.Guarded`), and the registration hooks are called through pluggy like every other
hook, so wrappers run and tracing sees the calls. The engine calls hooks through `Hooks`.

Environment:
    ``FACILITRACK_PLUGINS``        comma-separated allow list of entry-point names (default: all)
    ``FACILITRACK_BLOCK_PLUGINS``  comma-separated block list
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any

import pluggy

from .._errors import FacilitrackError, PluginError
from .._model.program import Program, load_program
from .._model.requirements import RequirementKinds
from . import hookspecs
from .guard import Guarded, HookImplError, calling_plugin, describe, isolating
from .hooks import Hooks
from .registry import ProgramRegistry

__all__ = [
    "ENTRY_POINT_GROUP",
    "ENV_ALLOW",
    "ENV_BLOCK",
    "Hooks",
    "PluginHost",
    "PluginProblem",
    "load_plugins",
    "reset_plugins",
]

ENTRY_POINT_GROUP = "facilitrack"
ENV_ALLOW = "FACILITRACK_PLUGINS"
ENV_BLOCK = "FACILITRACK_BLOCK_PLUGINS"

#: What a plugin's failure may raise. sys.exit() in a plugin is its failure, not the program's
#: end; KeyboardInterrupt (and GeneratorExit) are not failures and pass through.
_PLUGIN_FAILURES = (Exception, SystemExit)


@dataclass(frozen=True)
class PluginProblem:
    """A plugin that could not be loaded, and why."""

    plugin: str
    error: str

    def __str__(self) -> str:
        return f"plugin {self.plugin!r} was not loaded: {self.error}"


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
            _add(pm, problems, ep.name, ep.load)
    names: set[str] = set()
    for obj in extra:
        _add(pm, problems, _name_of(obj, names), lambda obj=obj: obj)  # type: ignore[misc]
    registry = _register(pm, problems)
    return PluginHost(pm=pm, programs=registry, hooks=Hooks(pm), problems=problems)


def _name_of(obj: object, taken: set[str]) -> str:
    """A readable name for a plugin object: its module's or class's name, made unique."""
    base = getattr(obj, "__name__", None) or type(obj).__name__
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}#{n}"
    taken.add(name)
    return name


def _add(
    pm: pluggy.PluginManager, problems: list[PluginProblem], name: str, load: Callable[[], object]
) -> None:
    """Import and register one plugin, guarded; a failure is its problem alone."""
    try:
        plugin = load()
        _check_pending(name, plugin)
        pm.register(Guarded(plugin, name, pm), name=name)
    except _PLUGIN_FAILURES as exc:  # any import or registration failure isolates the plugin
        problems.append(PluginProblem(name, describe(exc)))
        if pm.has_plugin(name):  # an older pluggy may leave a half-registered plugin behind
            pm.unregister(name=name)


def _check_pending(name: str, plugin: object) -> None:
    """A misspelt hook name fails loudly, as pluggy's check_pending would, per plugin."""
    for attr in dir(plugin):
        if attr.startswith("facilitrack_") and not hasattr(hookspecs, attr):
            func = getattr(plugin, attr)
            if callable(func) and hasattr(func, f"{hookspecs.PROJECT}_impl"):
                raise PluginError(
                    f"{attr} is not a facilitrack hook", plugin=name,
                    fix="check the spelling against facilitrack.plugin.hookspecs",
                )


@dataclass
class _Offer:
    """What one plugin offered through the registration hooks."""

    kinds: list[Any] = field(default_factory=list)
    programs: list[Any] = field(default_factory=list)


def _register(pm: pluggy.PluginManager, problems: list[PluginProblem]) -> ProgramRegistry:
    """Call the registration hooks through pluggy and register what each plugin offers.

    A plugin whose hook fails is dropped and the others' calls go on; a failing wrapper
    stops the whole call, so it is dropped and the hooks are called again without it.
    Each plugin's kinds and programs then register all or nothing.
    """
    while True:
        try:
            offers = _offers(pm, problems)
        except HookImplError as failure:
            _drop(pm, problems, failure.plugin, _registration_error(failure))
            continue
        break
    registry = ProgramRegistry()
    accepted: list[Any] = []
    for name in _registered(pm):
        if name in offers and not _register_kinds(
            registry, accepted, offers[name].kinds, name, pm=pm, problems=problems
        ):
            del offers[name]
    for name in _registered(pm):
        if name in offers:
            _register_programs(registry, offers[name].programs, name, pm, problems)
    return registry


def _offers(pm: pluggy.PluginManager, problems: list[PluginProblem]) -> dict[str, _Offer]:
    """Each plugin's offers, from one call of each registration hook; failing plugins dropped."""
    offers: dict[str, _Offer] = {}

    def offer(hook: str) -> _Offer:
        name = calling_plugin()
        if name is None:
            raise FacilitrackError(f"register() was called outside the {hook} hook")
        return offers.setdefault(name, _Offer())

    def kind(cls: Any) -> None:
        offer("facilitrack_requirement_kinds").kinds.append(cls)

    def program(item: Any) -> None:
        offer("facilitrack_programs").programs.append(item)

    with isolating() as failures:
        pm.hook.facilitrack_requirement_kinds(register=kind)
        pm.hook.facilitrack_programs(register=program)
    for failure in failures:
        _drop(pm, problems, failure.plugin, _registration_error(failure))
        offers.pop(failure.plugin, None)
    return offers


def _registered(pm: pluggy.PluginManager) -> list[str]:
    return sorted(name for name, plugin in pm.list_name_plugin() if plugin is not None)


def _registration_error(failure: HookImplError) -> str:
    return describe(failure.error) if failure.error is not None else failure.sentence()


def _drop(pm: pluggy.PluginManager, problems: list[PluginProblem], name: str, error: str) -> None:
    if pm.has_plugin(name):
        problems.append(PluginProblem(name, error))
        pm.unregister(name=name)


def _register_kinds(
    registry: ProgramRegistry, accepted: list[Any], kinds: list[Any],
    name: str, *, pm: pluggy.PluginManager, problems: list[PluginProblem],
) -> bool:
    """Register a plugin's requirement kinds all or nothing (tried on a scratch registry first)."""
    try:
        scratch = RequirementKinds()
        for cls in [*accepted, *kinds]:
            scratch.register(cls)
    except _PLUGIN_FAILURES as exc:
        _drop(pm, problems, name, describe(exc))
        return False
    for cls in kinds:
        registry.kinds.register(cls)
    accepted.extend(kinds)
    return True


def _register_programs(
    registry: ProgramRegistry, items: list[Any],
    name: str, pm: pluggy.PluginManager, problems: list[PluginProblem],
) -> None:
    """Register a plugin's programs all or nothing, so a failure leaves no half of it."""
    source = f"plugin {name}"
    try:
        for item in items:
            program = item if isinstance(item, Program) else load_program(item, kinds=registry.kinds)
            registry.add(program, source=source)
    except _PLUGIN_FAILURES as exc:
        registry.discard(source)
        _drop(pm, problems, name, describe(exc))
