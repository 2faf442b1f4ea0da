"""RPP: its facts, its credential rule, and the counts it assumes, labelled as assumptions."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from facilitrack import Attended, Engine, Program

START = date(2025, 2, 3)


def test_pathway_shape_with_a_certificate_per_level(bundled: Callable[[str], Program]) -> None:
    """level1 → demonstration → trainee_led issue the Level 1, 2 and 3 certificates."""
    rpp = bundled("rpp")

    assert [
        ("level1", "RPP Level 1 Certificate of Completion"),
        ("demonstration", "RPP Level 2 Certificate of Completion"),
        ("trainee_led", "RPP Level 3 Certificate of Completion"),
    ] == [(s.key, s.certificate.title if s.certificate else None) for s in rpp.stages]


def test_sourced_facts(cli: Callable[..., Any]) -> None:
    """Two-day Level 1, the 12-week series and the trainer pairing cite crc-faq.txt."""
    data = json.loads(cli("show", "rpp", "--format", "json").out)
    reqs = {(s["key"], r["kind"], r["key"]): r for s in data["stages"] for r in s["requirements"]}

    assert 2 == reqs["level1", "attendance", "workshop_day"]["count"]
    assert 12 == reqs["demonstration", "attendance", "group_session"]["count"]
    assert "12-week workshop series" in reqs["demonstration", "attendance", "group_session"]["source"]
    pairing = reqs["demonstration", "pairing", "certified_trainer"]
    assert "paired with a certified trainer" in pairing["source"]


@pytest.mark.parametrize(
    ("stage", "key"),
    [
        ("demonstration", "supervision"),
        ("demonstration", "case_presentation"),
        ("trainee_led", "consultation"),
        ("trainee_led", "case_presentation"),
    ],
)
def test_counts_the_source_does_not_give_are_labelled_assumptions(
    bundled: Callable[[str], Program], stage: str, key: str
) -> None:
    """Weekly supervision and case presentations have no number in crc-faq.txt: say so."""
    found = bundled("rpp").stage(stage)
    requirement = found.requirement(key) if found else None

    assert requirement is not None
    assert (requirement.note or "").startswith("Assumption: ")


@pytest.mark.parametrize(
    ("credential", "co_leader", "stage"),
    [
        ("licensed", None, "demonstration"),
        ("early_childhood", None, "demonstration"),
        ("other", None, "level1"),
        ("other", "miriam", "demonstration"),
    ],
)
def test_who_may_lead(
    bundled: Callable[[str], Program], engine_for: Callable[[Program], Engine],
    credential: str, co_leader: str | None, stage: str,
) -> None:
    """MH and early-childhood professionals lead; anyone else only with an MH co-leader."""
    engine = engine_for(bundled("rpp"))
    engine.enrol("t1", "rpp", on=START, credential=credential, co_leader=co_leader)
    engine.record(Attended(trainee="t1", activity="workshop_day", on=START + timedelta(days=d))
                  for d in (0, 1))

    assert stage == engine.status("t1").stage
