"""`facilitrack certificates | keygen | verify-credential` as a user runs them: certificates handed over."""

from __future__ import annotations

import csv
import io
import json
import re
import stat
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from facilitrack._report import certificates as certificates_module
from facilitrack._report import signing
from facilitrack._report.certificates import CertificateRecord
from facilitrack.testing import CliResult

from tests.core.report.conftest import MPG, _records

Cli = Callable[..., CliResult]


def _keygen(cli: Cli, tmp_path: Path) -> Path:
    key = tmp_path / "issuer.key"
    assert 0 == cli("keygen", "--out", str(key)).code
    return key


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


def test_an_expiring_certificate_is_issued_with_its_expiry_in_every_format(cli: Cli, tmp_path: Path) -> None:
    """The bulk CSV's Expiration Date, the credential's validUntil (still verifying) and the printed
    sheet all carry the day the certificate expires, as `run --format json` does."""
    from tests.builders import ANA_WORKSHOP_DAYS, DEMO, cohort_table, demo_with, trainee_row, write_cohort

    stages = [{**DEMO["stages"][0], "certificate": {"title": "Level 1", "valid_for": {"years": 2}}},
              *DEMO["stages"][1:]]
    issuer = '\n[issuer]\nname = "Test Clinic"\nurl = "https://clinic.example.org"\n'
    write_cohort(tmp_path, cohort_table(track="infant") + issuer
                 + trainee_row("ana", "licensed", name="Ana Gómez", trainer="dr-lee") + ANA_WORKSHOP_DAYS,
                 demo_with(stages=stages))
    when = ("--as-of", "2026-12-01")
    expires = json.loads(cli("run", "cohort.toml", "--format", "json", *when).out)["trainees"][0][
        "certificates"][0]["expires"]
    assert "2028-01-11" == expires
    rows = list(csv.DictReader(io.StringIO(cli("certificates", "cohort.toml", "--format", "csv", *when).out)))
    assert [expires] == [r["Expiration Date"] for r in rows]
    key = _keygen(cli, tmp_path)
    assert 0 == cli("certificates", "cohort.toml", "--format", "ob3", "--key", str(key), "--out", "creds",
                    *when).code
    [path] = (tmp_path / "creds").glob("*.json")
    assert f"{expires}T00:00:00Z" == json.loads(path.read_text())["validUntil"]
    assert 0 == cli("verify-credential", str(path), "--key", str(key)).code
    page = cli("certificates", "cohort.toml", "--format", "html", *when).out
    assert f'Expires <b><time datetime="{expires}">11 January 2028</time></b>' in page


def test_bulk_csv_neutralises_formulas_in_names_and_templates(cli: Cli, tmp_path: Path) -> None:
    """A family name or a --template value starting with - (or =, +, @) is written as text."""
    text = MPG.read_text(encoding="utf-8").replace('family_name = "Gómez"',
                                                   "family_name = \"-2+3+cmd|' /C calc'!A0\"", 1)
    assert "-2+3+cmd" in text
    (tmp_path / "cohort.toml").write_text(text, encoding="utf-8")
    result = cli("certificates", "cohort.toml", "--format", "csv", "--template", "level1=-1+1")
    assert 0 == result.code, result.err
    ana = next(r for r in csv.DictReader(io.StringIO(result.out)) if r["Issuer Earner ID"] == "ana")
    assert ("'-1+1", "'-2+3+cmd|' /C calc'!A0") == (ana["Badge Template ID"], ana["Last Name"])
