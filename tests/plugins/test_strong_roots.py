"""Strong Roots: the group's facts with sources, and a pathway of labelled assumptions — 1.0, then 2.0."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from facilitrack import (
    ArtifactRecorded,
    ArtifactStatus,
    Attended,
    Engine,
    PersonRecorded,
    Program,
    load_plugins,
)

from tests.plugins.conftest import cites


def test_group_facts_are_in_the_description_with_their_sources(
    bundled: Callable[[str], Program],
) -> None:
    """13 sessions (3 individual, 10 group), 2 facilitators and the Child Team, each sourced."""
    program = bundled("strong_roots")

    for fact in ("13 sessions", "3 individual and 10 group", "2 facilitators", "Child Team",
                 "reflective supervision"):
        assert fact in program.description, fact
    assert "'the Child Team which provides each child" in (program.source or "")
    assert "registry entry for Mom Power: 13 sessions" in " ".join((program.source or "").split())


def test_facilitator_pathway_stages(bundled: Callable[[str], Program]) -> None:
    """level1 → demonstration (with a certified trainer) → trainee_led."""
    program = bundled("strong_roots")

    assert ["level1", "demonstration", "trainee_led"] == [s.key for s in program.stages]
    assert ["pairing"] == [
        r.kind for r in program.stages[1].requirements if r.kind == "pairing"
    ]


def test_unpublished_training_counts_are_labelled_assumptions(
    bundled: Callable[[str], Program],
) -> None:
    """Every count not taken from the group's 13 sessions says it is an assumption."""
    program = bundled("strong_roots")
    group_counts = {"group_session", "individual_session"}

    unlabelled = [
        (s.key, r.key) for s in program.stages for r in s.requirements
        if r.key not in group_counts and not (r.note or "").startswith("Assumption: ")
    ]

    assert [] == unlabelled
    assert {10, 3} == {
        r.count for s in program.stages for r in s.requirements if r.key in group_counts
    }


# == Strong Roots 2.0: one declared format among the "multiple formats" ===========================

#: Each constant quotes the sentence of a source a 2.0 test follows.
FORMATS = (
    "strong-roots.txt: 'Offered in multiple formats, including a multifamily group designed to"
    " provide a safe, trusting, and nurturing environment for families to connect, grow, and learn"
    " news skills'"
)
MOM_POWER = (
    "Public program registry entry for Mom Power: 13 sessions, 3 individual and 10 group, delivered"
    " by 2 facilitators"
)
SUPERVISION = (
    "strong-roots.txt: 'Reflective practice model that incorporates reflective supervision and"
    " attention to the experiences of providers and agencies'"
)
COURT = (
    "crc-faq.txt: 'Even though these groups have been approved as eligible for a court ordered"
    " parenting group, it is up to each agency providing the group to issue a certificate.'"
)
START = date(2026, 1, 5)


def _v2() -> Program:
    return load_plugins().programs.get("strong_roots", "2.0")


def test_v2_the_mom_power_structure_is_one_declared_format_from_outside_the_sources(
    bundled: Callable[..., Program],
) -> None:
    """2.0: 13 sessions and 2 facilitators belong to the `mom_power` format, cited to the registry entry."""
    rules = bundled("strong_roots", "2.0").groups
    assert rules is not None
    formats = {f.key: f for f in rules.formats}

    assert ["mom_power", "multifamily"] == list(formats)
    mom_power = formats["mom_power"]
    assert (2, MOM_POWER) == (mom_power.facilitators, " ".join((mom_power.source or "").split()))
    assert cites(formats["multifamily"].source, FORMATS)
    assert {("mom_power",)} == {r.formats for r in rules.series}
    assert rules.facilitators is not None
    assert 1 == rules.facilitators.count


@pytest.mark.parametrize(
    ("group_format", "judged"), [("multifamily", False), (None, False), ("mom_power", True)]
)
def test_v2_a_group_of_another_format_is_neither_flagged_nor_its_parents_not_completed(
    cli: Callable[..., Any], cohort_file: Callable[[dict[str, Any]], Any],
    group_format: str | None, judged: bool,
) -> None:
    """2.0: a six-session group led by one facilitator is a problem only in the Mom Power format."""
    assert cites(_v2().groups.formats[1].source, FORMATS)  # type: ignore[union-attr]
    group = _group(sessions=6, ended=True, facilitators=["rosa"])
    if group_format:
        group["format"] = group_format

    [report] = _groups(cli, cohort_file(_cohort(group)))
    statuses = {p["status"] for p in report["participants"]}

    if judged:
        rules = [p["rule"] for p in report["problems"]]
        assert ["facilitators", "sessions", *["individual_sessions"] * 3] == rules
        assert all(MOM_POWER.startswith(" ".join(p["source"].split())) for p in report["problems"])
        assert {"not_completed"} == statuses
    else:
        assert [] == report["problems"]
        assert {"completed"} == statuses


@pytest.mark.parametrize(("version", "flagged"), [("1.0", True), ("2.0", False)])
def test_v2_court_orders_are_recorded_not_flagged(
    cli: Callable[..., Any], cohort_file: Callable[[dict[str, Any]], Any], version: str, flagged: bool,
) -> None:
    """2.0: strong-roots.txt says nothing of court orders (the FAQ's sentence is about RPP and MPG)."""
    rules = _v2().groups
    assert rules is not None
    assert rules.court_ordered is not None
    court = rules.court_ordered
    assert (False, True) == (court.judged, (court.note or "").startswith("Assumption: "))
    mpg_rules = load_plugins().programs.get("mpg", "2.0").groups
    assert mpg_rules is not None
    assert mpg_rules.court_ordered is not None
    assert cites(mpg_rules.court_ordered.source, COURT)  # said of RPP and MPG, not of Strong Roots
    assert None is court.source
    group = {**_group(sessions=10, format="mom_power"), "court_ordered": True}
    data = _cohort(group, version=version)
    if version == "1.0":
        del group["format"]

    [report] = _groups(cli, cohort_file(data))

    assert flagged == ("court_ordered" in [p["rule"] for p in report["problems"]])
    assert all(p["court_ordered"] for p in report["participants"])


def test_v2_reflective_supervision_cannot_be_waived_and_counts_weeks(bundled: Callable[..., Program]) -> None:
    """2.0: no waiver of reflective supervision; its ten sessions are ten different weeks (an assumption)."""
    program = bundled("strong_roots", "2.0")
    supervision = [n for s in program.stages for n in s.nodes() if n.node_key == "reflective_supervision"]

    assert 2 == len(supervision)
    for node in supervision:
        assert cites(node.source, SUPERVISION)
        assert (False, "week") == (node.waivable, node.per)
        assert (node.note or "").startswith("Assumption: ")
    assert [] == [n.node_key for s in program.stages for n in s.nodes() if n.waivable]


@pytest.mark.parametrize(("trainer", "paired"), [("rosa", True), ("dr-unknown", False), ("ct-lee", False)])
def test_v2_a_facilitator_certified_in_strong_roots_is_a_certified_trainer(
    bundled: Callable[..., Program], engine_for: Callable[[Program], Engine],
    weekly: Callable[..., list[Attended]], trainer: str, paired: bool,
) -> None:
    """2.0: pairing is with someone the journal knows to be a certified trainer, by certification too."""
    program = bundled("strong_roots", "2.0")
    role = program.words.role("certified_trainer")
    assert role is not None
    assert role.by_certification
    engine = engine_for(program)
    engine.record(PersonRecorded(trainee="ct-lee", on=START, credential="early_childhood"))
    engine.enrol("rosa", "strong_roots", on=START, credential="licensed", trainer="dr-adams")
    engine.record(PersonRecorded(trainee="dr-adams", on=START, credential="licensed",
                                 roles=("certified_trainer",)))
    engine.record(_all_stages("rosa", weekly, START))
    assert engine.status("rosa").certified

    later = START + timedelta(weeks=40)
    engine.enrol("hana", "strong_roots", on=later, credential="licensed", trainer=trainer)
    engine.record(_all_stages("hana", weekly, later)[:-24])  # through co-facilitating

    assert ("trainee_led" if paired else "demonstration") == engine.status("hana").stage


def test_v2_training_admits_everyone_and_facilitating_needs_a_mental_health_co_leader(
    bundled: Callable[..., Program], engine_for: Callable[[Program], Engine],
    weekly: Callable[..., list[Attended]],
) -> None:
    """2.0: an early-childhood specialist trains; to co-facilitate they name a known MH co-leader."""
    program = bundled("strong_roots", "2.0")
    engine = engine_for(program)
    engine.enrol("kai", "strong_roots", on=START, credential="early_childhood", co_leader="nobody")
    engine.record(weekly("kai", "workshop_day", 2, START))

    status = engine.status("kai")

    assert "demonstration" == status.stage
    assert "mental_health" in [p.requirement for p in status.missing]
    assert "co_leader" in [p.field for p in status.problems]


# -- helpers -------------------------------------------------------------------------------------


def _all_stages(trainee: str, weekly: Callable[..., list[Attended]], start: date) -> list[Any]:
    """Every stage of Strong Roots 2.0, in order; the last 24 events are leading one's own group."""
    demo, led = start + timedelta(weeks=2), start + timedelta(weeks=16)
    return [
        *weekly(trainee, "workshop_day", 2, start),
        *weekly(trainee, "individual_session", 3, demo),
        *weekly(trainee, "group_session", 10, demo),
        *weekly(trainee, "reflective_supervision", 10, demo),
        *weekly(trainee, "individual_session", 3, led),
        *weekly(trainee, "group_session", 10, led),
        *weekly(trainee, "reflective_supervision", 10, led),
        ArtifactRecorded(trainee=trainee, artifact="session_log", on=led + timedelta(weeks=10),
                         ref=f"{trainee}-log", status=ArtifactStatus.approved),
    ]


def _group(*, sessions: int, **fields: Any) -> dict[str, Any]:
    """A community group Rosa and Jamal lead, three families, weekly sessions with a Child Team."""
    first = date(2026, 3, 2)
    return {
        "id": "sr-group", "kind": "community", "agency": "Northside Family Center",
        "facilitators": ["rosa", "jamal"], **fields,
        "participants": [{"id": f"f{i}", "parent": f"Parent {i}", "child_born": date(2023, i, 1)}
                         for i in range(1, 4)],
        "sessions": [{"on": first + timedelta(weeks=i), "child_team": ["ct-1", "ct-2", "ct-3"]}
                     for i in range(sessions)],
    }


def _cohort(*groups: dict[str, Any], version: str = "2.0") -> dict[str, Any]:
    enrolled = date(2025, 6, 2)
    return {
        "cohort": {"name": "Strong Roots 2026", "program": "strong_roots", "version": version},
        "trainees": [{"id": t, "credential": "licensed", "enrolled": enrolled, "trainer": "dr-adams"}
                     for t in ("rosa", "jamal")],
        "staff": [
            {"id": "dr-adams", "name": "Dr. M. Adams", "credential": "licensed", "certified_trainer": True},
            *({"id": f"ct-{i}", "name": f"Child Team {i}", "credential": "other"} for i in (1, 2, 3)),
        ],
        "groups": list(groups),
    }


def _groups(cli: Callable[..., Any], path: Any) -> list[dict[str, Any]]:
    result = cli("groups", str(path), "--format", "json")
    assert 0 == result.code, result.err
    groups: list[dict[str, Any]] = json.loads(result.out)["groups"]
    return groups
