"""The audit trail in a few words: what each stored event says (the WHAT column of `facilitrack log`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Body = dict[str, Any]


def _enrolled(body: Body) -> str:
    extra = [f"{k} {body[k]}" for k in ("track", "trainer", "co_leader") if body.get(k)]
    return " ".join([f"{body['program']}@{body.get('version') or '?'}", body["credential"], *extra])


def _session(body: Body) -> str:
    extra = [f"{k} {body[k]:g}" if isinstance(body.get(k), float) else f"{k} {body[k]}"
             for k in ("quantity", "mode", "score", "program") if body.get(k) is not None]
    missed = "missed " if body["kind"] == "absent" else ""
    return " ".join([missed + str(body["activity"]), *extra])


def _artifact(body: Body) -> str:
    ref = f" ({body['ref']})" if body.get("ref") else ""
    return f"{body['artifact']}{ref} {body['status']}"


def _waived(body: Body) -> str:
    stage = f" in {body['stage']}" if body.get("stage") else ""
    return f"{body['requirement']}{stage}: {body['reason']} (approved by {body['approver']})"


_BY_KIND: dict[str, Callable[[Body], str]] = {
    "enrolled": _enrolled,
    "attended": _session,
    "absent": _session,
    "artifact": _artifact,
    "waived": _waived,
    "voided": lambda body: f"{body['target']}: {body['reason']}",
    "person": lambda body: " ".join(p for p in [body.get("credential") or "", *body.get("roles", [])] if p),
}


def describe_event(body: Body) -> str:
    """What a stored event (its JSON body) says, in a few words."""
    describe = _BY_KIND.get(body["kind"])
    return describe(body) if describe is not None else str(body.get("reason") or "")
