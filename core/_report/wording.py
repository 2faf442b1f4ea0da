"""The words every report uses for a person, a certificate's standing and a missing requirement.

One place decides them, so the table, the CSV, the HTML report and the certificates agree with
each other and with the JSON (which carries the same facts as fields).
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from .._engine.status import Progress, TraineeStatus
from .._model.issuer import Contact


class _Standing(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def expires(self) -> date | None: ...
    @property
    def revoked_on(self) -> date | None: ...


def display_name(trainee: TraineeStatus) -> str:
    """The name a report prints: `name`, else given and family names, else the id (a person
    whose entry was forgotten is named by their id)."""
    return Contact(
        id=trainee.id, name=trainee.name, given_name=trainee.given_name, family_name=trainee.family_name
    ).display_name


def standing(cert: _Standing) -> str | None:
    """How a certificate stands, when it is not simply held: ``expired 2027-07-25`` (the first
    day it was no longer valid), ``revoked 2026-01-11``, ``renewed``; None while valid."""
    if cert.status == "expired":
        return f"expired {cert.expires.isoformat()}" if cert.expires else "expired"
    if cert.status == "revoked":
        return f"revoked {cert.revoked_on.isoformat()}" if cert.revoked_on else "revoked"
    if cert.status == "renewed":
        return "renewed"
    return None


def with_standing(text: str, cert: _Standing) -> str:
    """`text` (a certificate's stage, or stage and date), its standing after it in brackets."""
    how = standing(cert)
    return f"{text} ({how})" if how else text


def requirement_count(req: Progress) -> str:
    """``supervision 10/14``, ``hours 7.5/40``: a requirement and what the trainee has of it."""
    return f"{req.requirement} {req.have:g}/{req.need:g}"


def why_missing(req: Progress) -> str | None:
    """Why a requirement is not met, as ``explain`` gives it (``missed 4 sessions; at most 2 may
    be missed``) — the count alone does not say it."""
    return req.reason or None


def missing_line(req: Progress) -> str:
    """A missing requirement on one line: its count, and why, where the engine says why."""
    why = why_missing(req)
    return f"{requirement_count(req)} ({why})" if why else requirement_count(req)
