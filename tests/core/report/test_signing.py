"""Data Integrity proofs (eddsa-jcs-2022): W3C's key signs to W3C's proof, and a changed value fails."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from facilitrack._report import signing

from tests.core.report.conftest import DATA


def test_signing_reproduces_the_w3c_proof_value() -> None:
    """The W3C key and proof options sign the unsigned credential to the published proofValue."""
    pair = json.loads((DATA / "vc-di-eddsa" / "keyPair.json").read_text())
    key = signing.key_from_secret(pair["privateKeyMultibase"])
    config = json.loads((DATA / "vc-di-eddsa" / "proofConfigJCS.json").read_text())
    expected = json.loads((DATA / "vc-di-eddsa" / "signedJCS.json").read_text())
    unsigned = json.loads((DATA / "vc-di-eddsa" / "unsigned.json").read_text())
    signed = signing.sign(unsigned, key, created=datetime.fromisoformat(config["created"]))
    assert pair["publicKeyMultibase"] == key.public_multibase
    assert config["verificationMethod"] == signed["proof"][0]["verificationMethod"]
    assert expected["proof"]["proofValue"] == signed["proof"][0]["proofValue"]


def test_the_w3c_signed_credential_verifies_and_an_altered_one_does_not() -> None:
    """verify accepts W3C's signed credential and refuses it once one value changes."""
    signed = json.loads((DATA / "vc-di-eddsa" / "signedJCS.json").read_text())
    assert signing.verify(signed).verified
    signed["credentialSubject"]["alumniOf"] = "Another School"
    assert not signing.verify(signed).verified


def test_signing_timestamps_are_utc_seconds() -> None:
    """A proof's created time is UTC to the second, written with Z."""
    moment = datetime(2026, 6, 30, 9, 15, 7, 123, tzinfo=UTC)
    assert "2026-06-30T09:15:07Z" == signing.timestamp(moment)
