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
from importlib.metadata import EntryPoint, entry_points
from typing import Any, NamedTuple

import pluggy

from .._errors import FacilitrackError, PluginError, did_you_mean
from .._model.program import Program, load_program
from .._model.tree import RequirementKinds
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
    """A plugin that could not be loaded, and why (or a name no installed plugin has)."""

    plugin: str
    error: str
    status: str = "was not loaded"

    def __str__(self) -> str:
        return f"plugin {self.plugin!r} {self.status}: {self.error}" if self.plugin else self.error


@dataclass
class PluginHost:
    """What loading produced: the plugin manager, its programs and kinds, and any failures."""

    pm: pluggy.PluginManager
    programs: ProgramRegistry
    hooks: Hooks
    problems: list[PluginProblem] = field(default_factory=list)
    #: Installed plugins the allow or block list left out, and which list (`left_out_by`).
    left_out: list[str] = field(default_factory=list)
    left_out_by: str = ""

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
    allowed = _names(allow, ENV_ALLOW, "the allow list")
    blocked = _names(block, ENV_BLOCK, "the block list")
    key = (tuple(id(p) for p in extra), allowed, blocked, entry_points_group)
    host = _cache.get(key)
    if host is None:
        host = _cache[key] = _load(extra, allowed, blocked, entry_points_group)
    return host


def reset_plugins() -> None:
    """Forget loaded plugins (tests, or after installing a plugin in-process)."""
    _cache.clear()


class _Names(NamedTuple):
    """Entry-point names from an allow or block list, and where the list came from."""

    names: frozenset[str]
    origin: str


def _names(given: Iterable[str] | None, env: str, origin: str) -> _Names | None:
    if given is not None:
        return _Names(frozenset(given), origin)
    raw = os.environ.get(env, "").strip()  # unset or blank: no list; "," is a list of none
    return _Names(frozenset(n.strip() for n in raw.split(",") if n.strip()), env) if raw else None


def _load(
    extra: Sequence[object],
    allowed: _Names | None,
    blocked: _Names | None,
    group: str | None,
) -> PluginHost:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    problems: list[PluginProblem] = []
    left_out: list[tuple[str, str]] = []
    by_name: dict[str, list[EntryPoint]] = {}
    if group is not None:
        for ep in entry_points(group=group):
            by_name.setdefault(ep.name, []).append(ep)
        known = sorted(by_name)
        problems += _unknown(allowed, known) + _unknown(blocked, known)
        if allowed is not None and not allowed.names:
            problems.append(PluginProblem("", f"{allowed.origin} names no plugin: every plugin is left out"))
        for name in known:
            if blocked and name in blocked.names:
                left_out.append((name, blocked.origin))
                continue
            if allowed and name not in allowed.names:
                left_out.append((name, allowed.origin))
                continue
            values = sorted({ep.value for ep in by_name[name]})
            if len(values) > 1:  # which would load first is an accident of sys.path: neither does
                problems.append(PluginProblem(name, (
                    f"{_count(len(values))} installed packages name a plugin {name!r}"
                    f" ({', '.join(values)}): {'neither' if len(values) == 2 else 'none'} is loaded;"
                    " uninstall one"
                )))
                continue
            _add(pm, problems, name, by_name[name][0].load)
    names = set(by_name)  # an object is never reported under an entry point's name
    for obj in extra:
        _add(pm, problems, _name_of(obj, names), lambda obj=obj: obj)  # type: ignore[misc]
    registry = _register(pm, problems)
    origins = sorted({origin for _, origin in left_out})
    return PluginHost(pm=pm, programs=registry, hooks=Hooks(pm), problems=problems,
                      left_out=[n for n, _ in left_out], left_out_by=" and ".join(origins))


def _count(n: int) -> str:
    return {2: "two", 3: "three"}.get(n, str(n))


def _unknown(chosen: _Names | None, known: list[str]) -> list[PluginProblem]:
    """A warning for each name in an allow or block list that no installed plugin has."""
    if chosen is None:
        return []
    installed = ", ".join(known) or "none"
    warnings = []
    for name in sorted(chosen.names - set(known)):
        hint = did_you_mean(name, known)
        hint = f"; {hint}" if hint.startswith("did you mean") else ""
        warnings.append(PluginProblem(
            name, f"{chosen.origin} names it{hint} (installed: {installed})", status="is not installed"
        ))
    return warnings


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
    guarded = None
    try:
        plugin = load()
        _check_pending(name, plugin)
        guarded = Guarded(plugin, name, pm)
        pm.register(guarded, name=name)
    except _PLUGIN_FAILURES as exc:  # any import or registration failure isolates the plugin
        problems.append(PluginProblem(name, describe(exc)))
        if guarded is not None and pm.is_registered(guarded):  # an older pluggy may leave half of it
            pm.unregister(guarded)


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
    Then, among the plugins left, whatever their order: a plugin whose kinds or programs
    are invalid is dropped; so is every plugin of a requirement kind name or a program key
    that more than one of them registers (none of them wins). Each drop can change what the
    others' definitions mean (a kind they use), so the checks run again until none fails.
    """
    while True:
        try:
            offers = _offers(pm, problems)
        except HookImplError as failure:
            _drop(pm, problems, failure.plugin, _registration_error(failure))
            continue
        break
    while True:
        kinds = RequirementKinds()
        programs: dict[str, list[Program]] = {}
        failures = _kind_failures(offers)
        if not failures:
            for name in sorted(offers):
                for cls in offers[name].kinds:
                    kinds.register(cls)
            programs, failures = _load_programs(offers, kinds)
        if not failures:
            keys = {name: {p.key for p in found} for name, found in programs.items()}
            failures = _clashes(keys, "program key", "give one program another key")
        if not failures:
            break
        for name, error in sorted(failures.items()):
            _drop(pm, problems, name, error)
            del offers[name]
    registry = ProgramRegistry(kinds)
    for name in sorted(programs):
        for program in programs[name]:
            registry.add(program, source=f"plugin {name}")
    return registry


def _offers(pm: pluggy.PluginManager, problems: list[PluginProblem]) -> dict[str, _Offer]:
    """Each plugin's offers, from one call of each registration hook; failing plugins dropped."""
    offers: dict[str, _Offer] = {name: _Offer() for name in _registered(pm)}

    def offer(hook: str) -> _Offer:
        name = calling_plugin()
        if name is None or name not in offers:
            raise FacilitrackError(f"register() was called outside the {hook} hook")
        return offers[name]

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


def _kind_failures(offers: dict[str, _Offer]) -> dict[str, str]:
    """Plugins whose kinds are invalid on their own, else those whose kind names clash."""
    failures: dict[str, str] = {}
    names: dict[str, dict[str, set[int]]] = {}  # plugin -> kind name -> ids of its classes
    for plugin, offer in offers.items():
        try:
            scratch = RequirementKinds()
            for cls in offer.kinds:
                scratch.register(cls)
        except _PLUGIN_FAILURES as exc:
            failures[plugin] = describe(exc)
            continue
        names[plugin] = {}
        for cls in offer.kinds:
            names[plugin].setdefault(cls.model_fields["kind"].default, set()).add(id(cls))
    if failures:
        return failures
    classes: dict[str, set[int]] = {}
    for found in names.values():
        for name, ids in found.items():
            classes.setdefault(name, set()).update(ids)
    clashing = {name for name, ids in classes.items() if len(ids) > 1}
    kinds = {plugin: set(found) & clashing for plugin, found in names.items()}
    return _clashes(kinds, "requirement kind", "give one kind another name")


def _load_programs(
    offers: dict[str, _Offer], kinds: RequirementKinds
) -> tuple[dict[str, list[Program]], dict[str, str]]:
    """Each plugin's programs, read with every plugin's kinds; plugins whose programs fail."""
    programs: dict[str, list[Program]] = {}
    failures: dict[str, str] = {}
    for plugin, offer in offers.items():
        scratch = ProgramRegistry(kinds)  # one plugin's own versions must agree
        try:
            for item in offer.programs:
                program = item if isinstance(item, Program) else load_program(item, kinds=kinds)
                scratch.add(program, source=f"plugin {plugin}")
        except _PLUGIN_FAILURES as exc:
            failures[plugin] = describe(exc)
            continue
        programs[plugin] = [v for p in scratch.latest() for v in scratch.versions(p.key)]
    return programs, failures


def _clashes(claims: dict[str, set[str]], what: str, rename: str) -> dict[str, str]:
    """Every plugin claiming a name another also claims, with a sentence naming the others."""
    owners: dict[str, list[str]] = {}
    for plugin, names in sorted(claims.items()):
        for name in names:
            owners.setdefault(name, []).append(plugin)
    failures: dict[str, str] = {}
    for name, plugins in sorted(owners.items()):
        if len(plugins) < 2:
            continue
        for plugin in plugins:
            others = [p for p in plugins if p != plugin]
            them = " and ".join(repr(p) for p in others)
            as_ = f"as plugins {them} do: none" if len(others) > 1 else f"as plugin {them} does: neither"
            sentence = (
                f"it registers {what} {name!r}, {as_} is loaded"
                f" (block one: FACILITRACK_BLOCK_PLUGINS={others[0]}, or {rename})"
            )
            failures[plugin] = f"{failures[plugin]}; {sentence}" if plugin in failures else sentence
    return failures


def _registered(pm: pluggy.PluginManager) -> list[str]:
    return sorted(name for name, plugin in pm.list_name_plugin() if plugin is not None)


def _registration_error(failure: HookImplError) -> str:
    return describe(failure.error) if failure.error is not None else failure.sentence()


def _drop(pm: pluggy.PluginManager, problems: list[PluginProblem], name: str, error: str) -> None:
    if pm.has_plugin(name):
        problems.append(PluginProblem(name, error))
        pm.unregister(name=name)
