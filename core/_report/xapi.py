"""The journal as xAPI 1.0.3 statements, for a Learning Record Store (`xapi_statements`).

- an ``attended`` event: verb ``attended`` (ADL), object the program's activity;
- an ``artifact`` event: ``submitted`` or ``presented`` (Activity Streams) or, once approved,
  ``passed`` (ADL), object the artifact;
- a completed stage: ``completed`` (ADL), object the stage; its certificate: ``earned`` (the
  Open Badges xAPI vocabulary), object the same Achievement id as the Open Badges credential;
- a ``voided`` event: verb ``voided`` with a ``StatementRef`` to the statement of the event it
  voids, so an LRS drops it as facilitrack's fold did. Other event kinds (enrolment, holds,
  waivers) have no statement.

The actor is the trainee: by e-mail address (``mbox``) where the cohort gives one, else as an
account on the issuer's home page. Statement ids are UUIDs (version 5) derived from event ids
under the issuer's namespace, so exporting again gives the same ids and an LRS ignores
statements it already holds. Events have dates, not times: timestamps are midnight UTC.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .._errors import UserError
from .._model.events import ArtifactRecorded, Attended, Enrolled, Event, Voided
from .._model.issuer import Contact, Issuer
from .certificates import CertificateRecord, certificate_records
from .ob3 import achievement_id

if TYPE_CHECKING:
    from .._engine.engine import Engine
    from .._host.registry import ProgramRegistry
    from .._model.program import Program

ADL = "http://adlnet.gov/expapi/verbs/"
VERBS: dict[str, tuple[str, str]] = {
    "attended": (ADL + "attended", "attended"),
    "submitted": ("http://activitystrea.ms/schema/1.0/submit", "submitted"),
    "presented": ("http://activitystrea.ms/schema/1.0/present", "presented"),
    "approved": (ADL + "passed", "passed"),
    "completed": (ADL + "completed", "completed"),
    # 1EdTech openbadges-specification, xapi/index.md (Open Badges xAPI vocabulary, draft)
    "earned": ("http://specification.openbadges.org/xapi/verbs/earned.json", "earned"),
    "voided": (ADL + "voided", "voided"),
}
TYPES = {
    "attended": "http://adlnet.gov/expapi/activities/meeting",
    "artifact": "http://id.tincanapi.com/activitytype/document",
    "stage": "http://adlnet.gov/expapi/activities/course",
    "program": "http://adlnet.gov/expapi/activities/course",
    "certificate": "http://activitystrea.ms/schema/1.0/badge",
}
LANG = "en-US"


def namespace(issuer: Issuer) -> uuid.UUID:
    """The namespace statement ids are derived in: one per issuer."""
    return uuid.uuid5(uuid.NAMESPACE_URL, issuer.uri)


def statement_id(issuer: Issuer, event_id: str, suffix: str = "") -> str:
    """The statement id of an event (and of what it completed, with `suffix`): stable."""
    return str(uuid.uuid5(namespace(issuer), event_id + suffix))


def home_page(issuer: Issuer) -> str:
    """The issuer's web address: where activity ids and trainees' accounts live."""
    if issuer.url:
        return issuer.url.rstrip("/")
    if issuer.uri.startswith(("http://", "https://")):
        return issuer.uri.rstrip("/")
    raise ValueError("the issuer needs a `url` for xAPI activity ids and accounts")


def xapi_statements(
    events: Sequence[Event],
    programs: ProgramRegistry,
    contacts: Mapping[str, Contact],
    issuer: Issuer,
    certificates: Sequence[CertificateRecord],
    *,
    as_of: date | None = None,
) -> list[dict[str, Any]]:
    """Every statement the journal's `events` and `certificates` make, in date order."""
    base = home_page(issuer)
    events = [e for e in events if as_of is None or e.on <= as_of]
    enrolments = {e.trainee: e for e in sorted(events, key=lambda e: (e.on, e.id)) if isinstance(e, Enrolled)}
    out: list[tuple[date, int, str, dict[str, Any]]] = []
    exported: set[str] = set()
    for event in events:
        enrolment = enrolments.get(event.trainee)
        if enrolment is None or not isinstance(event, Attended | ArtifactRecorded):
            continue
        program = programs.get(enrolment.program, enrolment.version)
        statement = _event_statement(event, program, enrolment, contacts, issuer=issuer, base=base)
        out.append((event.on, 0, event.id, statement))
        exported.add(event.id)
    for record in certificates:
        if as_of is not None and record.issued > as_of:
            continue
        enrolment = enrolments.get(record.trainee)
        out.extend((record.issued, 1, record.event + kind, s) for kind, s in
                   _completion_statements(record, enrolment, issuer, base))
    for event in events:
        if isinstance(event, Voided) and event.target in exported:
            out.append((event.on, 2, event.id, _void_statement(event, issuer, base)))
    return [s for *_, s in sorted(out, key=lambda item: item[:3])]


def journal_statements(
    engine: Engine, contacts: Mapping[str, Contact], issuer: Issuer | None, *, as_of: date | None = None,
) -> list[dict[str, Any]]:
    """The statements of everything `engine`'s journal holds (sessions, artifacts, voids) and of
    every certificate it gives, as of `as_of`; the issuer's web address roots every id."""
    if issuer is None:
        raise UserError(
            "xAPI statements name activities and accounts under the issuer's web address,"
            " and no issuer is given", where="export --format xapi",
            fix='add an [issuer] table (name = "...", url = "https://...") or give --issuer FILE.toml',
        )
    try:
        home_page(issuer)
    except ValueError as exc:
        raise UserError(str(exc), where="export --format xapi",
                        fix='add url = "https://..." to the [issuer] table') from None
    records = certificate_records(engine, contacts, as_of=as_of)
    return xapi_statements(list(engine.journal.events()), engine.programs, contacts, issuer, records,
                           as_of=as_of)


# -- pieces ------------------------------------------------------------------------------------


def _verb(key: str) -> dict[str, Any]:
    iri, word = VERBS[key]
    return {"id": iri, "display": {LANG: word}}


def _actor(trainee: str, contacts: Mapping[str, Contact], base: str) -> dict[str, Any]:
    contact = contacts.get(trainee)
    agent: dict[str, Any] = {"objectType": "Agent"}
    if contact is not None and contact.name:
        agent["name"] = contact.name
    if contact is not None and contact.email:
        agent["mbox"] = f"mailto:{contact.email}"
    else:
        agent["account"] = {"homePage": base, "name": trainee}
    return agent


def _issuer_agent(issuer: Issuer, base: str, who: str | None) -> dict[str, Any]:
    agent: dict[str, Any] = {"objectType": "Agent", "name": issuer.name}
    if issuer.email:
        agent["mbox"] = f"mailto:{issuer.email}"
    else:
        agent["account"] = {"homePage": base, "name": who or "coordinator"}
    return agent


def _activity(iri: str, name: str, kind: str) -> dict[str, Any]:
    return {"objectType": "Activity", "id": iri, "definition": {"name": {LANG: name}, "type": TYPES[kind]}}


def _program_iri(base: str, program: str, version: str) -> str:
    return f"{base}/xapi/programs/{quote(program)}/{quote(version)}"


def _context(program: Program, enrolment: Enrolled | None, issuer: Issuer, base: str,
             stage: str | None) -> dict[str, Any]:
    root = _program_iri(base, program.key, program.version)
    context: dict[str, Any] = {
        "platform": "facilitrack",
        "contextActivities": {"grouping": [_activity(root, program.name, "program")]},
    }
    if stage is not None:
        title = next((s.title for s in program.stages if s.key == stage), stage)
        context["contextActivities"]["parent"] = [_activity(f"{root}/stages/{quote(stage)}", title, "stage")]
    if enrolment is not None:
        context["registration"] = statement_id(issuer, enrolment.id)
    return context


def _event_statement(event: Attended | ArtifactRecorded, program: Program, enrolment: Enrolled,
                     contacts: Mapping[str, Contact], *, issuer: Issuer, base: str) -> dict[str, Any]:
    root = _program_iri(base, program.key, program.version)
    if isinstance(event, Attended):
        kind, key, verb = "attended", event.activity, "attended"
        iri = f"{root}/activities/{quote(key)}"
    else:
        kind, key, verb = "artifact", event.artifact, event.status.value
        iri = f"{root}/artifacts/{quote(key)}" + (f"/{quote(event.ref, safe='')}" if event.ref else "")
    index = program.first_stage_of.get((kind if kind == "attended" else "artifact", key))
    stage = program.stages[index] if index is not None else None
    title = key.replace("_", " ")
    if stage is not None:
        req = stage.requirement(key)
        title = req.label() if req is not None else title
    statement: dict[str, Any] = {
        "id": statement_id(issuer, event.id),
        "actor": _actor(event.trainee, contacts, base),
        "verb": _verb(verb),
        "object": _activity(iri, title, kind),
        "context": _context(program, enrolment, issuer, base, stage.key if stage else None),
        "timestamp": _midnight(event.on),
    }
    if verb == "approved":
        statement["result"] = {"success": True}
    return statement


def _completion_statements(record: CertificateRecord, enrolment: Enrolled | None, issuer: Issuer,
                           base: str) -> list[tuple[str, dict[str, Any]]]:
    root = _program_iri(base, record.program, record.program_version)
    actor = _actor(record.trainee, {record.trainee: _contact(record)}, base)
    context: dict[str, Any] = {
        "platform": "facilitrack",
        "contextActivities": {"grouping": [_activity(root, record.program_name, "program")]},
    }
    if enrolment is not None:
        context["registration"] = statement_id(issuer, enrolment.id)
    completed = {
        "id": statement_id(issuer, record.event, f"|completed|{record.stage}"),
        "actor": actor,
        "verb": _verb("completed"),
        "object": _activity(f"{root}/stages/{quote(record.stage)}", record.stage_title, "stage"),
        "result": {"completion": True, "success": True},
        "context": context,
        "timestamp": _midnight(record.issued),
    }
    earned = {
        "id": statement_id(issuer, record.event, f"|earned|{record.stage}"),
        "actor": actor,
        "verb": _verb("earned"),
        "object": _activity(achievement_id(record, issuer), record.title, "certificate"),
        "context": context,
        "timestamp": _midnight(record.issued),
    }
    return [("|completed", completed), ("|earned", earned)]


def _contact(record: CertificateRecord) -> Contact:
    return Contact(id=record.trainee, name=record.name, given_name=record.given_name,
                   family_name=record.family_name, email=record.email)


def _void_statement(event: Voided, issuer: Issuer, base: str) -> dict[str, Any]:
    return {
        "id": statement_id(issuer, event.id),
        "actor": _issuer_agent(issuer, base, event.recorded_by),
        "verb": _verb("voided"),
        "object": {"objectType": "StatementRef", "id": statement_id(issuer, event.target)},
        "timestamp": _midnight(event.on),
    }


def _midnight(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"
