"""Telling plugins what a recording changed: stages completed, certificates issued, re-dated
or revoked.

Before a batch is recorded the engine notes, for each person it touches, every completed stage
of every enrolment with its date (`certificate_marks`); afterwards `notices` compares. A stage
completed anew is announced (``facilitrack_stage_completed``, and
``facilitrack_certificate_issued`` when the stage issues one); one whose completion moved to
another day — a backdated session — is re-dated (``facilitrack_certificate_redated``); one no
longer completed — a void took back its work — is revoked (``facilitrack_certificate_revoked``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from .._host.plugins import Hooks
from .._model.program import Program
from .state import PersonState

#: (enrolment id, stage key): a stage of one enrolment.
CertificateKey = tuple[str, str]
Marks = dict[CertificateKey, tuple[date, Program]]
#: One call to an observer hook, its arguments bound.
Notice = Callable[[], None]


def certificate_marks(ps: PersonState | None) -> Marks:
    """Every completed stage of the person's enrolments, with its day."""
    if ps is None:
        return {}
    return {
        (e.enrolment.id, stage): (on, e.program)
        for e in ps.enrolments
        for stage, on, _ in e.completed
    }


def notices(hooks: Hooks, person: str, ps: PersonState | None, before: Marks) -> list[Notice]:
    """What to tell observers of one person since `before`, as calls to make (now, or once the
    events are committed: `Engine.observers_after`)."""
    after = certificate_marks(ps)
    out: list[Notice] = []
    for key in sorted(after.keys() - before.keys(), key=lambda k: after[k][0]):
        on, program = after[key]
        stage = program.stage(key[1])
        out.append(partial(hooks.stage_completed, person, program, key[1], on))
        if stage is not None and stage.certificate is not None:
            out.append(partial(hooks.certificate_issued, person, program, key[1], stage.certificate, on))
    for key in sorted(after.keys() & before.keys()):
        (old, _), (new, program) = before[key], after[key]
        stage = program.stage(key[1])
        if old != new and stage is not None and stage.certificate is not None:
            out.append(partial(hooks.certificate_redated, person, program, key[1], stage.certificate,
                               old=old, new=new))
    for key in sorted(before.keys() - after.keys()):
        on, program = before[key]
        stage = program.stage(key[1])
        if stage is not None and stage.certificate is not None:
            out.append(partial(hooks.certificate_revoked, person, program, key[1], stage.certificate, on))
    return out
