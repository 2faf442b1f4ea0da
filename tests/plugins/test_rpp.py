"""RPP: its facts, its credential rule, and the counts it assumes, labelled as assumptions — 1.0, then 2.0."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from facilitrack import (
    Absent,
    ArtifactRecorded,
    ArtifactStatus,
    Attended,
    Engine,
    PersonRecorded,
    Program,
    load_plugins,
)

from tests.plugins.conftest import cites

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
    data = json.loads(cli("show", "rpp", "--version", "1.0", "--format", "json").out)
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


# == RPP 2.0: the pathway as crc-faq.txt says it ================================================

#: Each constant quotes the sentence of crc-faq.txt a 2.0 test follows.
CO_LEADER = (
    "crc-faq.txt: 'In some circumstances, non-mental health professionals can train in our RPP and"
    " MPG programs, however, they would always be required to lead groups with a mental health"
    " professional.'"
)
LEVEL2 = (
    "crc-faq.txt: 'Following the completion of this training, trainees are eligible to enroll in a"
    " Level 2 facilitator training, which entails leading a group with an experienced facilitator,"
    " weekly supervision, and case presentations and other related tasks.'"
)
PAIRED = (
    "crc-faq.txt: 'In all of our Level 2 trainings for both RPP and MPG, trainee-facilitators are"
    " paired with a certified trainer.'"
)
SERIES = "crc-faq.txt: 'RPP is a 12-week workshop series.'"
GROUP_MODEL = "crc-faq.txt: 'RPP is a group model and therefore cannot be practiced individually.'"
FACILITATED_BY = (
    "crc-faq.txt: 'Our groups are facilitated by pre-licensed and licensed mental health"
    " professionals and early childhood specialists.'"
)
LEVELS = (
    "crc-faq.txt: 'There are Certificates of Completion for our Level 1, 2, 3 trainings for both"
    " RPP and MPG.'"
)
NO_MAKEUP = (
    "crc-faq.txt: 'For this reason, it is mandatory to follow the stipulated workshops schedule."
    " Lastly, make-up sessions are not offered.'"
)
LEVEL2_START = START + timedelta(weeks=2)
STAFF = (
    PersonRecorded(trainee="dr-ruiz", on=START, credential="licensed", roles=("certified_trainer",)),
    PersonRecorded(trainee="dr-mock", on=START, credential="licensed"),
    PersonRecorded(trainee="kim", on=START, credential="early_childhood"),
)


def _rpp2(bundled: Callable[..., Program], engine_for: Callable[[Program], Engine]) -> Engine:
    engine = engine_for(bundled("rpp", "2.0"))
    engine.record(STAFF)
    return engine


def _node(program: Program, stage: str, key: str) -> Any:
    found = program.stage(stage)
    node = found.requirement(key) if found is not None else None
    assert node is not None, (stage, key)
    return node


def _level2(trainee: str, weekly: Callable[..., list[Attended]], cases: int = 2) -> list[Any]:
    return [
        *weekly(trainee, "workshop_day", 2, START),
        *weekly(trainee, "group_session", 12, LEVEL2_START),
        *weekly(trainee, "supervision", 12, LEVEL2_START),
        *(ArtifactRecorded(trainee=trainee, artifact="case_presentation", on=LEVEL2_START, ref=f"case-{n}",
                           status=ArtifactStatus.presented) for n in range(cases)),
    ]


@pytest.mark.parametrize(
    "case",
    [
        ("licensed", None, True),
        ("other", None, False),
        ("other", "someone-unknown", False),
        ("other", "kim", False),            # known, but an early-childhood specialist
        ("early_childhood", "dr-mock", True),
        ("other", "maria", True),           # a licensed trainee the journal knows
    ],
)
def test_v2_level1_admits_everyone_and_level2_needs_a_known_mental_health_co_leader(
    bundled: Callable[..., Program], engine_for: Callable[[Program], Engine],
    weekly: Callable[..., list[Attended]], case: tuple[str, str | None, bool],
) -> None:
    """2.0: anyone earns Level 1; leading the Level 2 group needs MH, or a known MH co-leader."""
    credential, co_leader, certified = case
    rpp = bundled("rpp", "2.0")
    assert cites(_node(rpp, "demonstration", "mental_health").source, CO_LEADER)
    engine = _rpp2(bundled, engine_for)
    engine.enrol("maria", "rpp", on=START, credential="licensed", trainer="dr-ruiz")
    engine.enrol("t1", "rpp", on=START, credential=credential, co_leader=co_leader, trainer="dr-ruiz")
    engine.record(_level2("t1", weekly))

    status = engine.status("t1")

    assert "level1" in [c.stage for c in status.certificates]
    assert certified == status.certified
    assert certified != ("mental_health" in [p.requirement for p in status.missing])


def test_v2_supervision_cannot_be_waived(bundled: Callable[..., Program]) -> None:
    """2.0: weekly supervision and the rest: no requirement is waivable, as no source allows it."""
    rpp = bundled("rpp", "2.0")

    assert cites(_node(rpp, "demonstration", "supervision").source, LEVEL2)
    assert [] == [n.node_key for s in rpp.stages for n in s.nodes() if n.waivable]


@pytest.mark.parametrize(("trainer", "paired"), [("dr-mock", False), ("dr-nobody", False), ("dr-ruiz", True)])
def test_v2_the_trainer_is_a_known_certified_trainer(
    bundled: Callable[..., Program], engine_for: Callable[[Program], Engine],
    weekly: Callable[..., list[Attended]], trainer: str, paired: bool,
) -> None:
    """2.0: a staff member not listed as a certified trainer, or an unknown name, does not pair."""
    assert cites(_node(bundled("rpp", "2.0"), "demonstration", "certified_trainer").source, PAIRED)
    engine = _rpp2(bundled, engine_for)
    engine.enrol("t1", "rpp", on=START, credential="licensed", trainer=trainer)
    engine.record(_level2("t1", weekly))

    assert paired == engine.status("t1").certified


def test_v2_leading_the_series_counts_its_sessions_attended_or_missed(
    bundled: Callable[..., Program], engine_for: Callable[[Program], Engine],
    weekly: Callable[..., list[Attended]],
) -> None:
    """2.0: a trainee who missed one of the 12 sessions has still led the series."""
    assert cites(_node(bundled("rpp", "2.0"), "demonstration", "group_session").source, SERIES)
    engine = _rpp2(bundled, engine_for)
    engine.enrol("t1", "rpp", on=START, credential="licensed", trainer="dr-ruiz")
    events = _level2("t1", weekly)
    missed = next(e for e in events if getattr(e, "activity", None) == "group_session")
    events.remove(missed)
    engine.record([*events, Absent(trainee="t1", activity="group_session", on=missed.on)])

    assert engine.status("t1").certified


def test_v2_case_presentations_are_plural_and_the_pathway_ends_with_level2(
    bundled: Callable[..., Program], engine_for: Callable[[Program], Engine],
    weekly: Callable[..., list[Attended]],
) -> None:
    """2.0: two case presentations ('presentations' is plural); Level 3, named only, is an assumption."""
    rpp = bundled("rpp", "2.0")
    cases = _node(rpp, "demonstration", "case_presentation")
    assert cites(cases.source, LEVEL2)
    assert (2, True) == (cases.count, (cases.note or "").startswith("Assumption: "))
    assert rpp.stages[0].certificate is not None
    assert cites(rpp.stages[0].certificate.source, LEVELS)
    assert ["level1", "demonstration"] == [s.key for s in rpp.stages]
    assert "Level 3" in (rpp.note or "")
    assert "mpg-trainings.txt places in Level 2" in " ".join((rpp.note or "").split())
    engine = _rpp2(bundled, engine_for)
    engine.enrol("t1", "rpp", on=START, credential="licensed", trainer="dr-ruiz")
    engine.record(_level2("t1", weekly, cases=1))

    missing = engine.status("t1").missing
    assert [("case_presentation", 1, 2)] == [(p.requirement, p.have, p.need) for p in missing]


def test_v2_an_individual_session_is_a_problem_and_never_a_parents_last_session(
    cli: Callable[..., Any], cohort_file: Callable[[dict[str, Any]], Any],
) -> None:
    """2.0: RPP is a group model only: an individual session is flagged, and dates no completion."""
    rules = load_plugins().programs.get("rpp", "2.0").groups
    assert rules is not None
    assert rules.individual is not None
    assert cites(rules.individual.source, GROUP_MODEL)
    group = _series()
    last = group["sessions"][-1]["on"]
    group["sessions"].append({"on": last + timedelta(days=2), "kind": "individual", "participants": ["p1"]})

    [report] = _groups(cli, cohort_file(_cohort(group)))
    [p1, *_] = report["participants"]

    assert [("individual_session", "groups[0].sessions[12].kind")] == [
        (p["rule"], p["where"]) for p in report["problems"]
    ]
    assert report["problems"][0]["source"] == GROUP_MODEL
    assert (last.isoformat(), last.isoformat(), last.isoformat()) == (
        p1["last_attended"], p1["certificate"]["last_session"], p1["certificate"]["on"]
    )


@pytest.mark.parametrize(("version", "flagged"), [("1.0", False), ("2.0", True)])
def test_v2_an_early_childhood_specialist_is_not_the_mental_health_co_leader(
    cli: Callable[..., Any], cohort_file: Callable[[dict[str, Any]], Any], version: str, flagged: bool,
) -> None:
    """2.0, as MPG: an early-childhood specialist and a parent educator alone are flagged; 1.0 passed it."""
    rpp = load_plugins().programs.get("rpp", "2.0")
    assert cites(rpp.words.credentials[2].source, FACILITATED_BY)
    assert (rpp.words.credentials[2].note or "").startswith("Assumption: ")
    community = _series(id="rpp-community", kind="community", facilitators=["kim", "sam"], trainees=[])

    [report] = _groups(cli, cohort_file(_cohort(community, version=version)))

    assert flagged == ("mental_health_co_leader" in [p["rule"] for p in report["problems"]])


def test_v2_a_parents_record_is_dated_by_the_regular_group_sessions(
    cli: Callable[..., Any], cohort_file: Callable[[dict[str, Any]], Any],
) -> None:
    """2.0: a make-up session (refused: none are offered) does not become a parent's last session."""
    rules = load_plugins().programs.get("rpp", "2.0").groups
    assert rules is not None
    assert rules.completion is not None
    assert cites(rules.completion.source, NO_MAKEUP)
    group = _series()
    last = group["sessions"][-1]["on"]
    group["sessions"].append({"on": last + timedelta(days=3), "makeup": True, "participants": ["p2"]})

    [report] = _groups(cli, cohort_file(_cohort(group)))
    [p2] = [p for p in report["participants"] if p["id"] == "p2"]

    assert ["makeup_session"] == [p["rule"] for p in report["problems"]]
    record = p2["certificate"]
    assert (last.isoformat(), last.isoformat()) == (record["last_session"], record["on"])


# -- a 2.0 cohort file -------------------------------------------------------------------------

SERIES_START = date(2025, 9, 8)  # a Monday


def _series(**fields: Any) -> dict[str, Any]:
    """A Level 2 series: Dr Ruiz with Maria leading, four parents, twelve weekly sessions."""
    return {
        "id": "rpp-autumn", "kind": "demonstration", "agency": "Eastside Family Center",
        "facilitators": ["dr-ruiz", "maria"], "trainees": ["maria"], **fields,
        "participants": [{"id": f"p{i}", "parent": f"Parent {i}", "child_born": date(2020, i, 1)}
                         for i in range(1, 5)],
        "sessions": [{"on": SERIES_START + timedelta(weeks=i)} for i in range(12)],
    }


def _cohort(*groups: dict[str, Any], version: str = "2.0") -> dict[str, Any]:
    return {
        "cohort": {"name": "RPP 2025", "program": "rpp", "version": version},
        "trainees": [
            {"id": "maria", "credential": "licensed", "enrolled": date(2025, 8, 1), "trainer": "dr-ruiz"},
        ],
        "staff": [
            {"id": "dr-ruiz", "name": "Dr. C. Ruiz", "credential": "licensed", "certified_trainer": True},
            {"id": "kim", "name": "K. Kim", "credential": "early_childhood"},
            {"id": "sam", "name": "S. Sam", "credential": "other"},
        ],
        "events": [
            {"trainee": "maria", "attended": "workshop_day", "dates": [date(2025, 8, 21), date(2025, 8, 22)]},
        ],
        "groups": list(groups),
    }


def _groups(cli: Callable[..., Any], path: Any) -> list[dict[str, Any]]:
    result = cli("groups", str(path), "--format", "json")
    assert 0 == result.code, result.err
    groups: list[dict[str, Any]] = json.loads(result.out)["groups"]
    return groups
