"""The typed facade the engine calls hooks by: every call goes through pluggy's hook callers.

Because each call is an ordinary pluggy call, third-party wrappers run around it and
``pm.trace`` / hook-call monitoring see it. The plugins' guards (`guard`) name whichever
plugin fails; here that failure becomes a `PluginError` saying what, where and how to fix it.
A whole call's result is checked again after the wrappers: one that makes it the wrong type
is named too.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, cast

import pluggy

from .._errors import PluginError, UserError
from .._model.events import EventBase
from .._model.group_results import GroupProblem
from .._model.groups import Group
from .._model.people import Person
from .._model.program import CertificateSpec, Program
from .guard import HookImplError, WrongResultError, whole_result


def _fix(plugin: str, before: str = "") -> str:
    return f"{before}fix the plugin, or block it: FACILITRACK_BLOCK_PLUGINS={plugin}"


class Hooks:
    """Typed calls into the plugins: the engine's only way to call a hook."""

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self._pm = pm

    def validates_events(self) -> bool:
        """Whether any plugin checks events (the engine skips that work otherwise)."""
        return bool(self._pm.hook.facilitrack_validate_event.get_hookimpls())

    def validate_event(self, event: EventBase, program: Program, stage: str) -> list[str]:
        """Every plugin's reason to refuse `event`; empty when all accept."""
        reasons = self._call(
            "facilitrack_validate_event", f" on event {event.id!r}", "nothing was recorded; ",
            event=event, program=program, stage=stage,
        )
        return [r for r in cast("list[str | None]", reasons) if r]

    def check_group(self, group: Group, program: Program, people: Mapping[str, Person]) -> list[GroupProblem]:
        """Every plugin's problems with `group`."""
        found = self._call(
            "facilitrack_check_group", f" on group {group.id!r}", "",
            group=group, program=program, people=people,
        )
        return [p for items in cast("list[list[GroupProblem] | None]", found) for p in items or ()]

    def parse_date(self, text: str, program: Program) -> date | None:
        """The first plugin's reading of a date string, if any reads it.

        A plugin's `UserError` (a date of its format that names no real day) is its message
        to the user and passes through as it is.
        """
        result = self._call(
            "facilitrack_parse_date", f" reading {text!r}", "", speaks=True, text=text, program=program
        )
        return cast("date | None", result)

    def stage_completed(self, trainee: str, program: Program, stage: str, on: date) -> None:
        """Tell observers a stage was completed."""
        self._observe(
            "facilitrack_stage_completed", trainee=trainee, program=program, stage=stage, on=on
        )

    def certificate_issued(
        self, trainee: str, program: Program, stage: str, certificate: CertificateSpec, on: date
    ) -> None:
        """Tell observers a certificate was issued."""
        self._observe(
            "facilitrack_certificate_issued",
            trainee=trainee, program=program, stage=stage, certificate=certificate, on=on,
        )

    def certificate_redated(
        self, trainee: str, program: Program, stage: str, certificate: CertificateSpec, *,
        old: date, new: date,
    ) -> None:
        """Tell observers a certificate's issue date moved."""
        self._observe(
            "facilitrack_certificate_redated",
            trainee=trainee, program=program, stage=stage, certificate=certificate, old=old, new=new,
        )

    def certificate_revoked(
        self, trainee: str, program: Program, stage: str, certificate: CertificateSpec, on: date
    ) -> None:
        """Tell observers a certificate was taken back."""
        self._observe(
            "facilitrack_certificate_revoked",
            trainee=trainee, program=program, stage=stage, certificate=certificate, on=on,
        )

    def _observe(self, hook: str, **kwargs: Any) -> None:
        if getattr(self._pm.hook, hook).get_hookimpls():  # none: nothing to call
            self._call(hook, " after the events were recorded", "the journal is intact; ", **kwargs)

    def _call(self, hook: str, context: str, before_fix: str, *, speaks: bool = False, **kwargs: Any) -> Any:
        """Call `hook` through pluggy; a failing or wrongly typed plugin is a `PluginError`.

        :param context: where it failed, after ``failed`` (`` on group 'g1'``).
        :param before_fix: what the user should know before the fix (``nothing was recorded; ``).
        :param speaks: a `UserError` the plugin raises is its message to the user, passed on.
        """
        caller = getattr(self._pm.hook, hook)
        try:
            result = caller(**kwargs)
        except HookImplError as failure:
            if speaks and isinstance(failure.error, UserError):
                raise failure.error from None
            raise PluginError(
                failure.sentence(context), plugin=failure.plugin, fix=_fix(failure.plugin, before_fix)
            ) from failure.error
        firstresult = bool(caller.spec and caller.spec.opts.get("firstresult"))
        try:
            return whole_result(hook, firstresult, result)
        except WrongResultError as wrong:  # every implementation's own result was checked
            impls = caller.get_hookimpls()
            wrappers = [i.plugin_name for i in impls if i.wrapper or i.hookwrapper]
            plugin = " or ".join(wrappers or [i.plugin_name for i in impls])
            raise PluginError(f"{hook} {wrong}", plugin=plugin, fix=_fix(plugin, before_fix)) from None
