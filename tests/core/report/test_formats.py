"""A report in the formats other tools read: JSON, TOML and CSV."""

from __future__ import annotations

import csv
import io
import json
import tomllib

from facilitrack import Problem
from facilitrack._report import render, render_csv, toml_ready

from tests.core.report.conftest import MIXED, D, report, trainee


def test_json_has_the_contract_keys() -> None:
    """JSON: cohort, and per trainee id, name, program, stage, certified, certificates, missing, problems."""
    data = json.loads(render(MIXED, "json"))
    first = data["trainees"][0]
    keys = {"id", "name", "program", "stage", "certified", "certificates", "missing", "problems"}
    assert keys <= set(first)
    assert {"stage": "level1", "title": "Level 1", "on": "2026-01-11", "status": "valid"}.items() <= first[
        "certificates"][0].items()
    assert "נועה כהן" == data["trainees"][2]["name"]


def test_toml_reads_back_without_nulls() -> None:
    """TOML output parses, with None fields left out and dates as TOML dates."""
    data = tomllib.loads(render(report(trainee("ana", None)), "toml"))
    assert "name" not in data["trainees"][0]
    assert "as_of" not in data["cohort"]
    assert D("2026-01-11") == data["trainees"][0]["certificates"][0]["on"]


def test_toml_ready_drops_none_everywhere() -> None:
    """None is dropped from nested tables and lists alike."""
    assert {"a": {"c": [1]}} == toml_ready({"a": {"b": None, "c": [1, None]}, "d": None})


def test_csv_has_one_row_per_trainee() -> None:
    """CSV: a header and one row per trainee, lists joined with '; '."""
    problem = Problem(where="events[1]", event="ev-1", on=D("2026-03-01"), reason="on hold")
    text = render_csv(report(trainee("ana", "Ana Gómez", problems=[problem])))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert 1 == len(rows)
    assert ("Ana Gómez", "level1 2026-01-11", "demo_session 1/3", "events[1] 2026-03-01: on hold") == (
        rows[0]["name"], rows[0]["certificates"], rows[0]["missing"], rows[0]["problems"]
    )
