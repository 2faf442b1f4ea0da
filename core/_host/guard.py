"""A plugin's hook implementations behind guards, so that whatever fails is named.

The host registers, in each plugin's place, a `Guarded` stand-in holding the same hook
implementations, each behind a guard. pluggy calls them as it calls any implementation, so
its wrappers (``wrapper=True``, ``hookwrapper=True``), ``firstresult``, ``pm.trace`` and
hook-call monitoring all work as pluggy documents them. Pluggy cannot say which plugin a
failure came from; a guard can, because it runs inside the call of one implementation:

- an exception (or sys.exit()) becomes a `HookImplError` naming the plugin and the hook;
  KeyboardInterrupt and GeneratorExit pass through, and so does a `HookImplError` raised
  further in (a wrapper that lets an inner failure through is not the one that failed);
- a result of the wrong type becomes a `HookImplError` too (`PROMISES`);
- while it runs, `calling_plugin()` names the plugin, so a ``register`` callback knows
  whose program or requirement kind it is given.

Inside `isolating()` (loading), a plain implementation's failure is collected instead of
raised, and the implementation counts as having returned None: the other plugins' calls go on.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any

import pluggy

from .._errors import FacilitrackError, UserError
from .._model.group_results import GroupProblem
from . import hookspecs

_calling: ContextVar[str | None] = ContextVar("facilitrack_calling_plugin", default=None)
_isolated: ContextVar[list[HookImplError] | None] = ContextVar("facilitrack_isolated", default=None)


class HookImplError(Exception):
    """A plugin's hook implementation raised, or returned the wrong type.

    :param plugin: the plugin's name.
    :param hook: the hook's name.
    :param error: what it raised; None when it returned the wrong type.
    :param returned: what was wrong with its result (``returned 42, not a str or None``).
    """

    def __init__(
        self, plugin: str, hook: str, *, error: BaseException | None = None, returned: str = ""
    ) -> None:
        self.plugin, self.hook, self.error, self.returned = plugin, hook, error, returned
        super().__init__(f"plugin {plugin!r}: {self.sentence()}")

    def sentence(self, context: str = "") -> str:
        """``HOOK failed CONTEXT: ERROR`` or ``HOOK returned ...``."""
        if self.error is not None:
            return f"{self.hook} failed{context}: {describe(self.error)}"
        return f"{self.hook} {self.returned}"


class WrongResultError(Exception):
    """A result is not of the type its hook promises; the message says how (``returned ...``)."""


def describe(exc: BaseException) -> str:
    """An exception as a plugin's failure reads in one line or a few."""
    if isinstance(exc, SystemExit):
        return f"it called sys.exit({exc.code!r})"
    if isinstance(exc, UserError):
        return exc.render()
    if isinstance(exc, FacilitrackError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


# -- what each hook promises to return ---------------------------------------------------------


def _sentence(value: object) -> object:
    if value is None or isinstance(value, str):
        return value
    raise WrongResultError(f"returned {value!r}, not a str or None")


def _problems(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise WrongResultError(f"returned {value!r}, not GroupProblems or None")
    items = list(value)
    for item in items:
        if not isinstance(item, GroupProblem):
            raise WrongResultError(f"returned {item!r}, not a GroupProblem")
    return items


def _date(value: object) -> object:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    raise WrongResultError(f"returned {value!r}, not a date or None")


def _nothing(value: object) -> object:
    if value is None:
        return None
    raise WrongResultError(f"returned {value!r}, not None; call register(...) for each one instead")


#: Each hook's check of one implementation's result: the result, normalised (an iterable of
#: problems becomes a list), or `WrongResultError`. Observers' results are ignored, unchecked.
PROMISES: dict[str, Callable[[object], object]] = {
    "facilitrack_validate_event": _sentence,
    "facilitrack_check_group": _problems,
    "facilitrack_parse_date": _date,
    "facilitrack_programs": _nothing,
    "facilitrack_requirement_kinds": _nothing,
}


def whole_result(hook: str, firstresult: bool, value: object) -> object:
    """Check a whole call's result, as wrappers may have changed it; `WrongResultError` if wrong."""
    promise = PROMISES.get(hook)
    if promise is None:
        return value
    if firstresult:
        return promise(value)
    if not isinstance(value, list):
        raise WrongResultError(f"returned {value!r}, not a list of results")
    return [promise(item) for item in value]


# -- the guards --------------------------------------------------------------------------------


def calling_plugin() -> str | None:
    """The plugin whose hook implementation is running now, if any."""
    return _calling.get()


@contextmanager
def isolating() -> Iterator[list[HookImplError]]:
    """Collect plain implementations' failures instead of raising them (loading plugins)."""
    failures: list[HookImplError] = []
    token = _isolated.set(failures)
    try:
        yield failures
    finally:
        _isolated.reset(token)


class Guarded:
    """What the host registers in a plugin's place: its hook implementations, each guarded.

    :param plugin: the plugin object (a module, a class or an instance).
    :param name: the name it is registered and reported under.
    :param pm: the plugin manager, whose `parse_hookimpl_opts` finds implementations as
        `register` would.
    """

    def __init__(self, plugin: object, name: str, pm: pluggy.PluginManager) -> None:
        self.plugin = plugin
        self.name = name
        marker = f"{hookspecs.PROJECT}_impl"
        for attr in dir(plugin):
            opts = pm.parse_hookimpl_opts(plugin, attr)
            if opts is None:
                continue
            function = getattr(plugin, attr)
            hook = opts.get("specname") or attr
            if opts.get("wrapper") or opts.get("hookwrapper"):
                if not inspect.isgeneratorfunction(function):
                    setattr(self, attr, function)  # unguarded: pluggy refuses it on registering
                    continue
                guard = _guard_wrapper(function, name, hook)
            else:
                guard = _guard(function, name, hook)
            setattr(guard, marker, dict(opts))
            setattr(self, attr, guard)

    def __repr__(self) -> str:
        return f"<Guarded plugin {self.name!r}: {self.plugin!r}>"


def _guard(function: Callable[..., Any], plugin: str, hook: str) -> Callable[..., Any]:
    promise = PROMISES.get(hook)

    @functools.wraps(function)
    def guard(*args: Any, **kwargs: Any) -> Any:
        token = _calling.set(plugin)
        try:
            result = function(*args, **kwargs)
            return result if promise is None else promise(result)
        except HookImplError:
            raise
        except WrongResultError as wrong:
            failure = HookImplError(plugin, hook, returned=str(wrong))
        except (Exception, SystemExit) as exc:
            failure = HookImplError(plugin, hook, error=exc)
            failure.__cause__ = exc
        finally:
            _calling.reset(token)
        isolated = _isolated.get()
        if isolated is None:
            raise failure
        isolated.append(failure)
        return None

    return guard


def _guard_wrapper(
    function: Callable[..., Generator[Any, Any, Any]], plugin: str, hook: str
) -> Callable[..., Generator[Any, Any, Any]]:
    """A generator that runs the wrapper's generator step by step, each step guarded."""

    @functools.wraps(function)
    def guard(*args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
        inner = _step(plugin, hook, lambda: function(*args, **kwargs))
        sent: Any = None
        thrown: BaseException | None = None
        try:
            while True:
                try:
                    if thrown is None:
                        yielded = _step(plugin, hook, functools.partial(inner.send, sent))
                    else:
                        yielded = _step(plugin, hook, functools.partial(inner.throw, thrown), thrown)
                except StopIteration as stop:
                    return stop.value
                try:
                    sent, thrown = (yield yielded), None
                except GeneratorExit:
                    raise
                except BaseException as exc:  # what pluggy throws in: the inner call's failure
                    sent, thrown = None, exc
        finally:
            inner.close()

    return guard


def _step(plugin: str, hook: str, step: Callable[[], Any], thrown: BaseException | None = None) -> Any:
    """Run one step of a wrapper as `plugin`; its own failure becomes a `HookImplError`.

    `thrown`, the exception thrown into the wrapper, is not its failure when it comes back out.
    """
    token = _calling.set(plugin)
    try:
        return step()
    except (HookImplError, StopIteration):
        raise
    except (Exception, SystemExit) as exc:
        if exc is thrown:
            raise
        raise HookImplError(plugin, hook, error=exc) from exc
    finally:
        _calling.reset(token)
