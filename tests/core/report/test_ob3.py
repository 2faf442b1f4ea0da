"""Open Badges 3.0 credentials: valid under 1EdTech's schema, saying what was completed, stable ids."""

from __future__ import annotations

import json

import jsonschema
import pytest
from facilitrack._model.issuer import Issuer
from facilitrack._report import signing
from facilitrack._report.ob3 import achievement_credential, credential_id

from tests.core.report.conftest import DATA, ISSUER, ROOT, _records


def _schema_validator() -> jsonschema.Draft201909Validator:
    schema = json.loads((DATA / "ob3" / "achievementcredential.schema.json").read_text(encoding="utf-8"))
    formats = jsonschema.Draft201909Validator.FORMAT_CHECKER
    return jsonschema.Draft201909Validator(schema, format_checker=formats)


@pytest.mark.parametrize("example", ["mpg", "rpp"])
def test_every_credential_validates_against_1edtech_schema_and_verifies(example: str) -> None:
    """Each certificate of an example becomes a credential valid under 1EdTech's schema, signed."""
    records = _records(ROOT / "examples" / example / "cohort.toml")
    key = signing.generate_key()
    validator = _schema_validator()
    assert records
    for record in records:
        credential = signing.sign(achievement_credential(record, ISSUER), key)
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(credential)]
        assert [] == errors
        assert signing.verify(credential).verified


def test_a_credential_says_what_was_completed_and_by_whom() -> None:
    """The achievement is the level (CertificateOfCompletion), with criteria, dates and evidence."""
    record = next(r for r in _records() if r.trainee == "ana" and r.stage == "level1")
    credential = achievement_credential(record, ISSUER, salt="00ff")
    achievement = credential["credentialSubject"]["achievement"]
    assert "CertificateOfCompletion" == achievement["achievementType"]
    assert "MPG Level 1 Certificate of Completion" == achievement["name"]
    assert "Workshop days: 2" in achievement["criteria"]["narrative"]
    assert "2025-09-13T00:00:00Z" == credential["validFrom"] == credential["awardedDate"]
    assert ["Workshop days"] == [e["name"] for e in credential["evidence"]]
    email, name = credential["credentialSubject"]["identifier"]
    assert {"identityType": "emailAddress", "hashed": True, "salt": "00ff"}.items() <= email.items()
    assert "ana@example.org" not in json.dumps(credential)
    assert "Ana Gómez" == name["identityHash"]


def test_credential_ids_are_stable_per_certificate_and_issuer() -> None:
    """The same certificate from the same issuer has one id; another issuer, another id."""
    record = _records()[0]
    other = Issuer(name="Other", id="did:web:other.example")
    assert credential_id(record, ISSUER) == achievement_credential(record, ISSUER)["id"]
    assert credential_id(record, ISSUER) == credential_id(record.model_copy(), ISSUER)
    assert credential_id(record, ISSUER) != credential_id(record, other)


def test_an_expiring_certificate_carries_valid_until_and_still_validates_and_verifies() -> None:
    """A certificate with an expiry date is valid until that day begins (``validUntil``); the
    credential stays valid under 1EdTech's schema and its signature verifies."""
    from datetime import date

    record = _records()[0].model_copy(update={"expires": date(2028, 9, 13)})
    credential = achievement_credential(record, ISSUER, salt="s")
    assert "2028-09-13T00:00:00Z" == credential["validUntil"]
    assert "validUntil" not in achievement_credential(_records()[0], ISSUER, salt="s")
    signed = signing.sign(credential, signing.generate_key())
    assert [] == [e.message for e in _schema_validator().iter_errors(signed)]
    assert signing.verify(signed).verified
