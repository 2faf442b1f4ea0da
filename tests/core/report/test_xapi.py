"""xAPI export: statements an independent validator accepts, stable ids, voids as voiding statements."""

from __future__ import annotations

import json
import uuid
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from facilitrack._cohort import load_cohort
from facilitrack.testing import CliResult

Cli = Callable[..., CliResult]
ROOT = Path(__file__).parents[3]
MPG = ROOT / "examples" / "mpg" / "cohort.toml"
ATTENDED = "http://adlnet.gov/expapi/verbs/attended"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def _statements(cli: Cli, *args: str) -> list[dict[str, Any]]:
    result = cli("export", *args, "--format", "xapi")
    assert 0 == result.code, result.err
    return [json.loads(line) for line in result.out.splitlines()]


def _validate(statement: dict[str, Any]) -> None:
    """Validate with Ralph's xAPI 1.0.3 models (France Université Numérique's LRS), not ours."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the validator's own imports
        from ralph.models.xapi.base.statements import BaseXapiStatement
    BaseXapiStatement.model_validate(statement)


@pytest.mark.parametrize("example", ["mpg", "rpp", "duet", "strong_roots"])
def test_every_statement_passes_an_independent_xapi_validator(cli: Cli, example: str, tmp_path: Path) -> None:
    """Every exported statement of every example is a valid xAPI 1.0.3 statement."""
    path = ROOT / "examples" / example / "cohort.toml"
    args = [str(path)]
    if example in ("rpp", "strong_roots"):  # no [issuer] in these files: give one
        (tmp_path / "issuer.toml").write_text('[issuer]\nname = "Org"\nurl = "https://org.example"\n')
        args += ["--issuer", str(tmp_path / "issuer.toml")]
    statements = _statements(cli, *args)
    assert statements
    for statement in statements:
        _validate(statement)


def test_the_validator_rejects_what_is_not_xapi() -> None:
    """The validator used above does reject a malformed statement (an mbox without mailto:)."""
    from pydantic import ValidationError

    bad = {"actor": {"mbox": "ana@example.org"}, "verb": {"id": ATTENDED},
           "object": {"id": "https://org.example/x"}}
    with pytest.raises(ValidationError):
        _validate(bad)


def test_attendance_uses_adl_attended_and_the_trainees_mbox(cli: Cli) -> None:
    """A session is an `attended` statement whose actor is the trainee's mailbox."""
    statements = _statements(cli, str(MPG))
    ana = [s for s in statements if s["actor"].get("mbox") == "mailto:ana@example.org"]
    attended = [s for s in ana if s["verb"]["id"] == ATTENDED]
    assert attended
    activity = "https://crc.example.org/xapi/programs/mpg/2.0/activities/workshop_day"
    assert activity == attended[0]["object"]["id"]
    assert "2025-09-12T00:00:00Z" == attended[0]["timestamp"]


def test_statement_ids_are_uuid5_of_event_ids_and_stable(cli: Cli) -> None:
    """Each event's statement id is uuid5(issuer namespace, event id); a re-export is identical."""
    first = _statements(cli, str(MPG))
    assert first == _statements(cli, str(MPG))
    cohort = load_cohort(MPG)
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, "https://crc.example.org/issuer")
    ids = {s["id"] for s in first}
    attended = [e for e in cohort.events if e.kind == "attended"]
    assert all(str(uuid.uuid5(namespace, e.id)) in ids for e in attended)
    assert len(ids) == len(first)


def test_a_void_is_a_voiding_statement_referring_to_the_voided_one(cli: Cli) -> None:
    """A voided event becomes verb `voided` with a StatementRef to the statement it voids."""
    statements = _statements(cli, str(MPG))
    by_id = {s["id"]: s for s in statements}
    voids = [s for s in statements if s["verb"]["id"] == VOIDED]
    assert voids
    for void in voids:
        assert "StatementRef" == void["object"]["objectType"]
        assert void["object"]["id"] in by_id
        assert VOIDED != by_id[void["object"]["id"]]["verb"]["id"]


def test_completions_and_certificates_are_exported(cli: Cli) -> None:
    """A completed stage is `completed` (result completion), its certificate `earned`."""
    statements = _statements(cli, str(MPG))
    verbs = [
        (s["actor"].get("mbox"), s["verb"]["display"]["en-US"], s["object"]["definition"]["name"]["en-US"])
        for s in statements if s["object"].get("objectType") == "Activity"
    ]
    assert ("mailto:ana@example.org", "earned", "MPG Level 1 Certificate of Completion") in verbs
    completed = [s for s in statements if s["verb"]["display"]["en-US"] == "completed"]
    assert all(s["result"] == {"completion": True, "success": True} for s in completed)


def test_without_email_the_actor_is_an_account_on_the_issuers_home_page(cli: Cli, tmp_path: Path) -> None:
    """A trainee with no e-mail address is an account named by their id on the issuer's site."""
    text = MPG.read_text(encoding="utf-8").replace('email = "ana@example.org"\n', "")
    (tmp_path / "c.toml").write_text(text, encoding="utf-8")
    ana = [s for s in _statements(cli, "c.toml") if s["actor"].get("account", {}).get("name") == "ana"]
    assert ana
    assert "https://crc.example.org" == ana[0]["actor"]["account"]["homePage"]


def test_a_store_exports_what_its_cohort_file_does(cli: Cli) -> None:
    """Imported into a store, the same cohort exports the same statements (ids included)."""
    assert 0 == cli("import", str(MPG), "--store", "s.db").code
    from_store = _statements(cli, "--store", "s.db", "--issuer", str(MPG), "--people", str(MPG))
    assert _statements(cli, str(MPG)) == from_store


def test_xapi_needs_an_issuer_with_a_web_address(cli: Cli, tmp_path: Path) -> None:
    """From a store no cohort file with an [issuer] was imported into, and no --issuer, the
    export exits 2 and says to give one."""
    assert 0 == cli("record", "--store", "s.db", "enrol", "--trainee", "ana", "--on", "2026-01-05",
                    "--program", "mpg", "--credential", "licensed").code
    result = cli("export", "--store", "s.db", "--format", "xapi")
    assert 2 == result.code
    assert "--issuer" in result.err
