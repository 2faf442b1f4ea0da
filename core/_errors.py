"""One error hierarchy. User errors say what went wrong, where, and how to fix it.

The CLI prints any `UserError` as ``where: what`` plus a ``fix:`` line and exits 2, never with
a traceback; anything else escaping is a bug in facilitrack and is shown as one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class FacilitrackError(Exception):
    """Base of every error facilitrack raises on purpose."""


class UserError(FacilitrackError):
    """Bad input: a file, an event, a definition or a plugin the user can correct.

    :param what: what is wrong, one sentence.
    :param where: the file and the place in it (``cohort.toml:12:3``, ``trainees[2].credential``).
    :param fix: what to do about it.
    """

    def __init__(self, what: str, *, where: str | Path | None = None, fix: str | None = None) -> None:
        self.what = what
        self.where = str(where) if where is not None else None
        self.fix = fix
        super().__init__(self.render())

    def render(self) -> str:
        """The message as a person should read it."""
        head = f"{self.where}: {self.what}" if self.where else self.what
        return f"{head}\n  fix: {self.fix}" if self.fix else head

    def at(self, where: str | Path) -> UserError:
        """Return this error placed in `where` (used when a caller knows the file)."""
        self.where = f"{where}: {self.where}" if self.where else str(where)
        self.args = (self.render(),)
        return self


class DefinitionError(UserError):
    """A program definition is invalid (from a plugin or a TOML file)."""


class PluginError(UserError):
    """A plugin failed to import, register or behave; `.plugin` names it."""

    def __init__(self, what: str, *, plugin: str, fix: str | None = None) -> None:
        self.plugin = plugin
        super().__init__(what, where=f"plugin {plugin!r}", fix=fix)


class UnknownKeyError(UserError):
    """An id or key (program, trainee, activity, artifact, requirement) does not exist.

    :param event: the event that named it, when one did.
    """

    def __init__(
        self, what: str, *, where: str | Path | None = None, fix: str | None = None, event: Any = None
    ) -> None:
        self.event = event
        super().__init__(what, where=where, fix=fix)


class InvalidEventError(UserError):
    """An event cannot be recorded: unknown keys, a plugin's rejection, a bad void."""

    def __init__(
        self, what: str, *, event: Any = None, where: str | None = None, fix: str | None = None
    ) -> None:
        self.event = event
        super().__init__(what, where=where, fix=fix)


class VersionNotInstalledError(UserError):
    """A journal pins a program version that no installed plugin or file provides."""


class JournalError(UserError):
    """The event store cannot be opened, read or written."""


class ConflictError(JournalError):
    """Another writer appended first (optimistic concurrency); retry with fresh state."""

    def __init__(
        self, expected: int, actual: int, *, where: str | None = None, trainee: str | None = None
    ) -> None:
        self.expected = expected
        self.actual = actual
        self.trainee = trainee
        what = (
            f"journal is at version {actual}, expected {expected}: another writer appended first"
            if trainee is None
            else f"trainee {trainee!r} has {actual} events, expected {expected}: another writer"
            " recorded for them first"
        )
        super().__init__(what, where=where, fix="re-read the journal and append again")


def did_you_mean(word: str, options: list[str] | set[str] | tuple[str, ...]) -> str:
    """``did you mean 'x'?`` for the nearest option, or a list of the options."""
    import difflib

    ordered = sorted(options)
    same = [o for o in ordered if o.casefold() == word.casefold()]
    close = same or difflib.get_close_matches(word, ordered, n=1, cutoff=0.5)
    if close:
        return f"did you mean {close[0]!r}?"
    if not ordered:
        return "there are none"
    shown = ", ".join(ordered[:12]) + (", ..." if len(ordered) > 12 else "")
    return f"valid: {shown}"
