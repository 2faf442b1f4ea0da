"""Open Badges 3.0: one ``AchievementCredential`` per certificate of completion, unsigned.

The program's level is the Achievement (``achievementType`` ``CertificateOfCompletion``), its
requirements the criteria; what counted toward it is the evidence, in words and dates only.
The recipient is identified as Open Badges 3.0 recommends where identity is private: a salted
SHA-256 hash of their e-mail address, beside the name the paper certificate also prints.
`signing.sign` turns the result into a verifiable credential.

Ids are stable: the same certificate from the same issuer always gets the same credential id,
so a re-issued credential replaces the earlier one in a wallet (Open Badges 3.0 tells versions
of a credential apart by ``id``, ``issuer`` and ``validFrom``). A certificate that expires
carries ``validUntil``: the start of the first day it is no longer valid.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import date
from typing import Any

from .._model.issuer import Issuer
from .certificates import CertificateRecord

CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
#: Namespace of the UUIDs (version 5) that name credentials and achievements.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://facilitrack.invalid/ob3")


def credential_id(record: CertificateRecord, issuer: Issuer) -> str:
    """``urn:uuid:...``, the same for the same certificate and issuer: the paper's reference too."""
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{issuer.uri}|credential|{record.key}')}"


def achievement_id(record: CertificateRecord, issuer: Issuer) -> str:
    """``urn:uuid:...`` of the level itself: one per issuer, program version and stage."""
    ref = f"{issuer.uri}|achievement|{record.program}@{record.program_version}|{record.stage}"
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, ref)}"


def profile(issuer: Issuer) -> dict[str, Any]:
    """The issuer as an Open Badges ``Profile``."""
    out: dict[str, Any] = {"id": issuer.uri, "type": ["Profile"], "name": issuer.name}
    if issuer.url:
        out["url"] = issuer.url
    if issuer.email:
        out["email"] = issuer.email
    return out


def identity_hash(value: str, salt: str) -> str:
    """``sha256$HEX`` of `value` + `salt`, as Open Badges' IdentityHash is written."""
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


def _identifiers(record: CertificateRecord, salt: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if record.email:
        out.append({
            "type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
            "identityHash": identity_hash(record.email.strip().lower(), salt), "salt": salt,
        })
    out.append({
        "type": "IdentityObject", "identityType": "name", "hashed": False,
        "identityHash": record.display_name,
    })
    return out


def _midnight(day: date) -> str:
    """A certificate's day as an Open Badges DateTimeZ: a certificate has a day, not an hour."""
    return f"{day.isoformat()}T00:00:00Z"


def achievement_credential(
    record: CertificateRecord, issuer: Issuer, *, salt: str | None = None
) -> dict[str, Any]:
    """The unsigned credential for `record`, issued by `issuer`.

    :param salt: for the e-mail address's hash; random by default (a fixed one makes tests exact).
    """
    salt = salt if salt is not None else secrets.token_hex(8)
    program = f"{record.program_name} {record.program_version}"
    criteria = f"Completed every requirement of {record.stage_title} ({program}):"
    criteria += "".join(f"\n- {line}" for line in record.criteria)
    achievement: dict[str, Any] = {
        "id": achievement_id(record, issuer),
        "type": ["Achievement"],
        "achievementType": "CertificateOfCompletion",
        "name": record.title,
        "description": f"{record.stage_title}: {record.program_name}, as {record.organisation} defines it.",
        "criteria": {"narrative": criteria},
        "version": record.program_version,
        "tag": [record.program, record.stage],
    }
    credential: dict[str, Any] = {
        "@context": list(CONTEXT),
        "id": credential_id(record, issuer),
        "type": ["VerifiableCredential", "AchievementCredential"],
        "name": record.title,
        "description": f"{record.display_name} completed {record.stage_title} of {record.program_name}.",
        "issuer": profile(issuer),
        "validFrom": _midnight(record.issued),
        "awardedDate": _midnight(record.issued),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": _identifiers(record, salt),
            "achievement": achievement,
        },
        "credentialSchema": [{"id": SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }
    if record.expires:  # the first day it is no longer valid: valid until that day begins
        credential["validUntil"] = _midnight(record.expires)
    if record.evidence:
        credential["evidence"] = [
            {"type": ["Evidence"], "name": line.title, "narrative": line.narrative}
            for line in record.evidence
        ]
    return credential
