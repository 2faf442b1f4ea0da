"""Certificates handed over: Open Badges 3.0 credentials, their proofs, printable pages, bulk CSV."""

from __future__ import annotations

import csv
import io
import json
import re
import stat
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from facilitrack._cohort import load_cohort
from facilitrack._model.issuer import Issuer
from facilitrack._report import certificates as certificates_module
from facilitrack._report import signing
from facilitrack._report.certificates import CertificateRecord, certificate_records
from facilitrack._report.jcs import canonicalize
from facilitrack._report.ob3 import achievement_credential, credential_id
from facilitrack.testing import CliResult

Cli = Callable[..., CliResult]
ROOT = Path(__file__).parents[2]
DATA = ROOT / "tests" / "data"
MPG = ROOT / "examples" / "mpg" / "cohort.toml"
ISSUER = Issuer(name="Center for Reflective Communities", url="https://crc.example.org",
                email="t@crc.example.org")


def _schema_validator() -> jsonschema.Draft201909Validator:
    schema = json.loads((DATA / "ob3" / "achievementcredential.schema.json").read_text(encoding="utf-8"))
    formats = jsonschema.Draft201909Validator.FORMAT_CHECKER
    return jsonschema.Draft201909Validator(schema, format_checker=formats)


def _records(path: Path = MPG) -> list[CertificateRecord]:
    cohort = load_cohort(path)
    return certificate_records(cohort.engine, cohort.doc.contacts())


def _keygen(cli: Cli, tmp_path: Path) -> Path:
    key = tmp_path / "issuer.key"
    assert 0 == cli("keygen", "--out", str(key)).code
    return key


# -- the cryptosuite against W3C's test vectors ------------------------------------------------


def test_jcs_matches_the_w3c_canonical_document() -> None:
    """JCS of the W3C unsigned credential is byte for byte the suite's canonical document."""
    unsigned = json.loads((DATA / "vc-di-eddsa" / "unsigned.json").read_text())
    assert (DATA / "vc-di-eddsa" / "canonDocJCS.txt").read_text().strip() == canonicalize(unsigned).decode()


@pytest.mark.parametrize(("value", "text"), [
    (1e21, "1e+21"), (1e-7, "1e-7"), (333333333.3333333, "333333333.3333333"), (100.0, "100"),
    (5e-324, "5e-324"), (0.000001, "0.000001"), (-1.5, "-1.5"),
    (295147905179352830000.0, "295147905179352830000"),
])
def test_jcs_writes_numbers_as_ecmascript_does(value: float, text: str) -> None:
    """Numbers serialise as RFC 8785 requires (ECMAScript's Number.toString)."""
    assert text.encode() == canonicalize(value)


def test_jcs_sorts_members_by_utf16_and_escapes_minimally() -> None:
    """Members sort by UTF-16 code units; only quotes, backslashes and controls are escaped."""
    assert '{"\\n":1,"a":"é\\"\\u001f","\U0001f600":2,"\ufb33":3}'.encode() == canonicalize(
        {"\ufb33": 3, "a": 'é"\x1f', "\U0001f600": 2, "\n": 1}
    )


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


# -- Open Badges 3.0 credentials ---------------------------------------------------------------


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


# -- the commands ------------------------------------------------------------------------------


def test_keygen_writes_an_owner_only_key_and_refuses_to_overwrite(cli: Cli, tmp_path: Path) -> None:
    """keygen's key file is readable by its owner only, and is never replaced without --force."""
    key = _keygen(cli, tmp_path)
    assert 0o600 == stat.S_IMODE(key.stat().st_mode)
    assert "did:key:z6Mk" in key.read_text()
    again = cli("keygen", "--out", str(key))
    assert 2 == again.code
    assert "already exists" in again.err


def test_certificates_ob3_writes_signed_files_that_verify(cli: Cli, tmp_path: Path) -> None:
    """certificates --format ob3 writes one credential per certificate; verify-credential accepts all."""
    key = _keygen(cli, tmp_path)
    result = cli("certificates", str(MPG), "--format", "ob3", "--key", str(key), "--out", "creds")
    assert 0 == result.code, result.err
    files = sorted((tmp_path / "creds").glob("*.json"))
    assert len(_records()) == len(files)
    assert 0o600 == stat.S_IMODE(files[0].stat().st_mode)
    verified = cli("verify-credential", *map(str, files), "--key", str(key))
    assert 0 == verified.code, verified.out
    assert f"{len(files)} of {len(files)} credentials verified" in verified.out


def test_a_tampered_credential_fails_verification(cli: Cli, tmp_path: Path) -> None:
    """Changing any signed value (here the level's name) makes verify-credential exit 1."""
    key = _keygen(cli, tmp_path)
    cli("certificates", str(MPG), "--format", "ob3", "--key", str(key), "--out", "creds", "--trainee", "ana")
    path = tmp_path / "creds" / "ana-mpg-level1.json"
    credential = json.loads(path.read_text())
    credential["credentialSubject"]["achievement"]["name"] = "MPG Level 3 Certificate of Completion"
    path.write_text(json.dumps(credential))
    result = cli("verify-credential", str(path))
    assert 1 == result.code
    assert "FAILED" in result.out
    assert "does not match" in result.out


def test_verify_credential_refuses_another_issuers_key(cli: Cli, tmp_path: Path) -> None:
    """A valid signature by a key other than --key is refused."""
    key = _keygen(cli, tmp_path)
    cli("certificates", str(MPG), "--format", "ob3", "--key", str(key), "--trainee", "sam", "--out", "c")
    other = signing.generate_key()
    result = cli("verify-credential", str(tmp_path / "c" / "sam-mpg-level1.json"), "--key", other.did)
    assert 1 == result.code
    assert f"not by {other.did}" in result.out


def test_ob3_on_stdout_is_json_lines(cli: Cli, tmp_path: Path) -> None:
    """Without --out, ob3 prints one credential per line; verify-credential reads JSON Lines."""
    key = _keygen(cli, tmp_path)
    result = cli("certificates", str(MPG), "--format", "ob3", "--key", str(key))
    lines = result.out.splitlines()
    assert len(_records()) == len(lines)
    (tmp_path / "all.jsonl").write_text(result.out)
    assert 0 == cli("verify-credential", "all.jsonl").code


def test_ob3_needs_a_key_and_an_issuer(cli: Cli, tmp_path: Path) -> None:
    """Without --key, or without an issuer, ob3 exits 2 saying what to add."""
    no_key = cli("certificates", str(MPG), "--format", "ob3")
    assert (2, True) == (no_key.code, "facilitrack keygen" in no_key.err)
    key = _keygen(cli, tmp_path)
    bare = tmp_path / "bare.toml"
    text = re.sub(r"\[issuer\]\n(?:\w+ = .*\n)+", "", MPG.read_text(encoding="utf-8"))
    bare.write_text(text, encoding="utf-8")
    no_issuer = cli("certificates", str(bare), "--format", "ob3", "--key", str(key))
    assert 2 == no_issuer.code, no_issuer.err
    assert "[issuer]" in no_issuer.err


def test_revoked_certificates_are_listed_not_issued(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A revoked certificate gets no credential, page or CSV row; stderr lists it as revoked."""
    real = certificates_module.certificate_records

    def with_one_revoked(*args: Any, **kwargs: Any) -> list[CertificateRecord]:
        records = real(*args, **kwargs)
        return [
            r.model_copy(update={"status": "revoked", "revoked_on": date(2026, 6, 1)})
            if (r.trainee, r.stage) == ("ana", "level1") else r
            for r in records
        ]

    monkeypatch.setattr(certificates_module, "certificate_records", with_one_revoked)
    key = _keygen(cli, tmp_path)
    result = cli("certificates", str(MPG), "--format", "ob3", "--key", str(key), "--out", "creds")
    assert 0 == result.code
    assert "revoked on 2026-06-01, not issued: ana MPG Level 1 Certificate of Completion" in result.err
    assert not (tmp_path / "creds" / "ana-mpg-level1.json").exists()
    assert (tmp_path / "creds" / "ana-mpg-trainee_led.json").exists()
    page = cli("certificates", str(MPG), "--format", "html")
    assert 1 == page.out.count('data-trainee="ana"')
    rows = list(csv.DictReader(io.StringIO(cli("certificates", str(MPG), "--format", "csv").out)))
    assert ["mpg.trainee_led"] == [r["Badge Template ID"] for r in rows if r["Issuer Earner ID"] == "ana"]


# -- printable certificates and the bulk-issue CSV ---------------------------------------------


def test_printable_certificates_one_per_page_self_contained(cli: Cli) -> None:
    """The HTML has a sheet per certificate, a page break after each, and nothing to fetch."""
    page = cli("certificates", str(MPG), "--format", "html").out
    assert len(_records()) == page.count('<section class="sheet"')
    assert "break-after: page" in page
    assert "Content-Security-Policy" in page
    for fetch in ("<script", "<link", "src=", "@import", "url("):
        assert fetch not in page


def test_bulk_csv_has_the_platform_columns(cli: Cli) -> None:
    """The CSV carries template, email, first and last name and issue date, with --template mapped."""
    result = cli("certificates", str(MPG), "--format", "csv", "--template", "level1=tmpl-L1",
                 "--date-style", "us")
    rows = list(csv.DictReader(io.StringIO(result.out)))
    ana = rows[0]
    assert {"Badge Template ID": "tmpl-L1", "Recipient Email": "ana@example.org", "First Name": "Ana",
            "Last Name": "Gómez", "Issued at date": "09/13/25"}.items() <= ana.items()
    assert "mpg.trainee_led" == rows[1]["Badge Template ID"]


def test_bulk_csv_keeps_names_from_being_read_as_formulas() -> None:
    """A name starting with = is written so a spreadsheet shows it as text."""
    from facilitrack._report.bulk_csv import render_bulk_csv

    record = _records()[0].model_copy(update={"given_name": "=HYPERLINK(1)", "family_name": "X"})
    row = next(csv.DictReader(io.StringIO(render_bulk_csv([record]))))
    assert "'=HYPERLINK(1)" == row["First Name"]


def test_signing_timestamps_are_utc_seconds() -> None:
    """A proof's created time is UTC to the second, written with Z."""
    moment = datetime(2026, 6, 30, 9, 15, 7, 123, tzinfo=UTC)
    assert "2026-06-30T09:15:07Z" == signing.timestamp(moment)
