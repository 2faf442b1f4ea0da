"""MPG: the pathway's numbers, their sources, and who may enter and advance — 1.0, then 2.0."""

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
    InvalidEventError,
    PersonRecorded,
    Program,
    Waived,
    load_plugins,
)

from tests.plugins.conftest import cites

START = date(2024, 9, 2)
DEMO = START + timedelta(weeks=2)  # after both workshop days


def _requirements(data: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(s["key"], r["key"]): r for s in data["stages"] for r in s["requirements"]}


def test_show_json_carries_each_number_on_its_stage_with_a_source(cli: Callable[..., Any]) -> None:
    """`show mpg --format json` has 2, 12, 14, 1, 18, 20, 2 and 1 where the sources put them."""
    result = cli("show", "mpg", "--version", "1.0", "--format", "json")
    reqs = _requirements(json.loads(result.out))

    expected = {
        ("level1", "workshop_day"): 2,
        ("demonstration", "demonstration_session"): 12,
        ("demonstration", "supervision"): 14,
        ("demonstration", "process_recording"): 1,
        ("trainee_led", "group_session"): 18,
        ("trainee_led", "consultation"): 20,
        ("trainee_led", "process_recording"): 2,
        ("trainee_led", "videotape"): 1,
    }
    assert expected == {k: reqs[k]["count"] for k in expected}
    for key in expected:
        assert reqs[key]["source"].startswith("mpg-trainings.txt: '"), key


def test_stages_tracks_and_version(bundled: Callable[[str], Program]) -> None:
    """MPG 1.0 runs level1 → demonstration → trainee_led, on an infant or a toddler track."""
    mpg = bundled("mpg")

    assert ("1.0", ["level1", "demonstration", "trainee_led"]) == (
        mpg.version, [s.key for s in mpg.stages]
    )
    assert ["infant", "toddler"] == [t.key for t in mpg.tracks]


def test_artifacts_must_be_presented_in_supervision(bundled: Callable[[str], Program]) -> None:
    """Process recordings and the videotape count only once presented, as the source says."""
    mpg = bundled("mpg")
    statuses = {
        (s.key, r.key): getattr(r, "status", None) for s in mpg.stages for r in s.requirements
    }

    assert ArtifactStatus.presented == statuses["demonstration", "process_recording"]
    assert ArtifactStatus.presented == statuses["trainee_led", "process_recording"]
    assert ArtifactStatus.presented == statuses["trainee_led", "videotape"]


def test_early_childhood_trainee_needs_a_mental_health_co_leader(
    bundled: Callable[[str], Program], engine_for: Callable[[Program], Engine],
    weekly: Callable[..., list[Attended]],
) -> None:
    """A non-MH professional stays in level1 alone, and advances beside an MH co-leader."""
    engine = engine_for(bundled("mpg"))
    engine.enrol("ana", "mpg", on=START, credential="early_childhood", track="infant")
    engine.enrol("ben", "mpg", on=START, credential="early_childhood", co_leader="cara",
                 track="toddler")
    engine.record(weekly("ana", "workshop_day", 2, START), weekly("ben", "workshop_day", 2, START))

    assert [("credential", 0, 1)] == [
        (p.requirement, p.have, p.need) for p in engine.status("ana").missing
    ]
    assert "demonstration" == engine.status("ben").stage


def test_demonstration_needs_a_certified_trainer(
    bundled: Callable[[str], Program], engine_for: Callable[[Program], Engine],
    weekly: Callable[..., list[Attended]],
) -> None:
    """Without a paired trainer the demonstration stage cannot complete, whatever is attended."""
    engine = engine_for(bundled("mpg"))
    engine.enrol("dana", "mpg", on=START, credential="licensed", track="infant")
    engine.record(
        weekly("dana", "workshop_day", 2, START),
        weekly("dana", "demonstration_session", 12, DEMO),
        weekly("dana", "supervision", 14, DEMO),
        ArtifactRecorded(trainee="dana", artifact="process_recording", on=DEMO,
                         status=ArtifactStatus.presented),
    )

    status = engine.status("dana")

    assert "demonstration" == status.stage
    assert ["certified_trainer"] == [p.requirement for p in status.missing]


def test_supervision_can_be_waived(
    bundled: Callable[[str], Program], engine_for: Callable[[Program], Engine],
    weekly: Callable[..., list[Attended]],
) -> None:
    """A coordinator's waiver of supervision completes the demonstration stage without it."""
    engine = engine_for(bundled("mpg"))
    engine.enrol("eli", "mpg", on=START, credential="pre_licensed", trainer="tova", track="toddler")
    engine.record(
        weekly("eli", "workshop_day", 2, START),
        weekly("eli", "demonstration_session", 12, DEMO),
        ArtifactRecorded(trainee="eli", artifact="process_recording", on=DEMO,
                         status=ArtifactStatus.presented),
        Waived(trainee="eli", on=DEMO, stage="demonstration", requirement="supervision",
               reason="supervision given in-house", approver="coordinator"),
    )

    assert "trainee_led" == engine.status("eli").stage


# == MPG 2.0: the pathway as the sources say it ================================================

#: Each constant quotes the sentence of a source a 2.0 test follows.
CO_LEADER = (
    "crc-faq.txt: 'In some circumstances, non-mental health professionals can train in our RPP and"
    " MPG programs, however, they would always be required to lead groups with a mental health"
    " professional.'"
)
SUPERVISION = (
    "mpg-trainings.txt: 'Demonstration Groups last 12 weeks and are supported with 14 weeks of"
    " weekly hour long supervision of the group experience.'"
)
UPON_COMPLETION = (
    "mpg-trainings.txt: 'Upon completion of the MPG Demonstration Group, Trainees prepare for and"
    " lead a MPG Group at their own agency or private practice setting.'"
)
CONCURRENT = (
    "mpg-trainings.txt: 'Mindful Parenting Groups training staff will provide 20 weeks of"
    " supervisory consultation concurrent to the Trainee-led group experience'"
)
PARTICIPATION = (
    "mpg-trainings.txt: 'Level 2: Mindful Parenting Groups (Infant or Toddler Group Facilitation)"
    " consists of Trainee participation in a MPG Demonstration Group with concurrent group"
    " supervision.'"
)
PAIRED = (
    "crc-faq.txt: 'In all of our Level 2 trainings for both RPP and MPG, trainee-facilitators are"
    " paired with a certified trainer.'"
)
AGES = (
    "mpg-trainings.txt: 'Children are grouped developmentally in MPGs, with no more than six months’"  # noqa: RUF001
    " difference in age between infants and toddlers up to age two, or no more than eight months’"  # noqa: RUF001
    " difference for those over age two.'"
)
FACILITATED_BY = (
    "crc-faq.txt: 'Our groups are facilitated by pre-licensed and licensed mental health"
    " professionals and early childhood specialists.'"
)
LEVELS = (
    "crc-faq.txt: 'There are Certificates of Completion for our Level 1, 2, 3 trainings for both"
    " RPP and MPG.'"
)
TRACKS = "mpg-trainings.txt: 'Level 2: Mindful Parenting Groups (Infant or Toddler Group Facilitation)'"
NO_MAKEUP = (
    "crc-faq.txt: 'For this reason, it is mandatory to follow the stipulated workshops schedule."
    " Lastly, make-up sessions are not offered.'"
)


def _people(engine: Engine) -> None:
    """Staff the journal knows: two certified trainers, a licensed co-leader who is not a
    trainer, an early-childhood specialist."""
    engine.record(
        PersonRecorded(trainee="dr-miller", on=START, credential="licensed", roles=("certified_trainer",)),
        PersonRecorded(trainee="ortiz", on=START, credential="licensed"),
        PersonRecorded(trainee="eli", on=START, credential="early_childhood"),
    )


def _mpg2(bundled: Callable[..., Program], engine_for: Callable[[Program], Engine]) -> Engine:
    engine = engine_for(bundled("mpg", "2.0"))
    _people(engine)
    return engine


def _through_demonstration(trainee: str, weekly: Callable[..., list[Attended]]) -> list[Any]:
    """Level 1, then the whole demonstration stage: 12 sessions, 14 supervision weeks, a recording."""
    return [
        *weekly(trainee, "workshop_day", 2, START),
        *weekly(trainee, "demonstration_session", 12, DEMO),
        *weekly(trainee, "supervision", 14, DEMO),
        ArtifactRecorded(trainee=trainee, artifact="process_recording", on=DEMO + timedelta(weeks=13),
                         ref=f"{trainee}-demo", status=ArtifactStatus.presented),
    ]


@pytest.mark.parametrize("credential", ["early_childhood", "other"])
def test_v2_level1_certifies_a_non_mental_health_trainee_without_a_co_leader(
    bundled: Callable[..., Program], engine_for: Callable[[Program], Engine],
    weekly: Callable[..., list[Attended]], credential: str,
) -> None:
    """2.0: two workshop days give anyone the Level 1 certificate; the co-leader rule is for leading."""
    mpg = bundled("mpg", "2.0")
    assert [] == [leaf.kind for leaf in mpg.stages[0].leaves() if leaf.kind in ("credential", "role")]
    assert cites(_node(mpg, "trainee_led", "mental_health").source, CO_LEADER)
    engine = _mpg2(bundled, engine_for)
    engine.enrol("ana", "mpg", on=START, credential=credential, track="infant", trainer="dr-miller")
    engine.record(weekly("ana", "workshop_day", 2, START))

    status = engine.status("ana")

    assert ("demonstration", ["level1"]) == (status.stage, [c.stage for c in status.certificates])
    assert [] == status.problems


@pytest.mark.parametrize(
    ("co_leader", "leads"),
    [(None, False), ("no-such-person", False), ("eli", False), ("ortiz", True), ("tova", True)],
)
def test_v2_a_non_mental_health_trainee_leads_only_beside_a_known_mental_health_co_leader(
    bundled: Callable[..., Program], engine_for: Callable[[Program], Engine],
    weekly: Callable[..., list[Attended]], co_leader: str | None, leads: bool,
) -> None:
    """2.0: in the trainee-led stage the co-leader is someone the journal knows, counted mental-health."""
    assert cites(_node(bundled("mpg", "2.0"), "trainee_led", "mental_health").source, CO_LEADER)
    engine = _mpg2(bundled, engine_for)
    engine.enrol("tova", "mpg", on=START, credential="pre_licensed", track="infant", trainer="dr-miller")
    engine.enrol("ana", "mpg", on=START, credential="other", track="infant", trainer="dr-miller",
                 co_leader=co_leader)
    engine.record(_through_demonstration("ana", weekly))

    status = engine.status("ana")

    assert "trainee_led" == status.stage
    blocked = [p.requirement for p in status.missing if p.requirement == "mental_health"]
    assert ([] if leads else ["mental_health"]) == blocked
    assert leads != any(p.field == "co_leader" for p in status.problems)


def test_v2_nothing_can_be_waived(
    bundled: Callable[..., Program], engine_for: Callable[[Program], Engine],
    weekly: Callable[..., list[Attended]],
) -> None:
    """2.0: no source allows waiving supervision or consultation; a waiver of either is refused."""
    mpg = bundled("mpg", "2.0")
    assert cites(_node(mpg, "demonstration", "supervision").source, SUPERVISION)
    assert [] == [(s.key, n.node_key) for s in mpg.stages for n in s.nodes() if n.waivable]
    engine = _mpg2(bundled, engine_for)
    engine.enrol("eli2", "mpg", on=START, credential="licensed", track="toddler", trainer="dr-miller")
    engine.record(weekly("eli2", "workshop_day", 2, START))

    with pytest.raises(InvalidEventError, match="mpg does not allow waiving 'supervision'"):
        engine.record(Waived(trainee="eli2", on=DEMO, stage="demonstration", requirement="supervision",
                             reason="supervision given in-house", approver="coordinator"))
    assert "demonstration" == engine.status("eli2").stage


def test_v2_own_group_opens_when_the_demonstration_group_ends_while_supervision_goes_on(
    bundled: Callable[..., Program], engine_for: Callable[[Program], Engine],
    weekly: Callable[..., list[Attended]],
) -> None:
    """2.0: after the 12th group session, own-group weeks and consultation count; supervision ends it."""
    mpg = bundled("mpg", "2.0")
    assert cites(mpg.stages[2].source, UPON_COMPLETION)
    assert cites(_node(mpg, "trainee_led", "consultation").source, CONCURRENT)
    engine = _mpg2(bundled, engine_for)
    engine.enrol("ana", "mpg", on=START, credential="licensed", track="toddler", trainer="dr-miller")
    own = DEMO + timedelta(weeks=12)  # the week after the 12th group session
    engine.record(
        *weekly("ana", "workshop_day", 2, START),
        *weekly("ana", "demonstration_session", 12, DEMO),
        *weekly("ana", "supervision", 12, DEMO),
        Attended(trainee="ana", activity="group_session", on=own),
        Attended(trainee="ana", activity="consultation", on=own),
        Attended(trainee="ana", activity="consultation", on=own + timedelta(days=2)),  # the same week
    )

    before = engine.explain("ana")
    engine.record(
        *weekly("ana", "supervision", 2, own),
        ArtifactRecorded(trainee="ana", artifact="process_recording", on=own,
                         status=ArtifactStatus.presented),
    )
    after = engine.explain("ana")

    assert "demonstration" == before.status.stage
    assert [("supervision", 12, 14), ("process_recording", 0, 1)] == [
        (p.requirement, p.have, p.need) for p in before.status.missing
    ]
    upcoming = {p.requirement: p.have for p in before.upcoming}
    assert (1, 1) == (upcoming["group_session"], upcoming["consultation"])
    assert [] == before.status.problems
    assert "trainee_led" == after.status.stage
    counted = {p.requirement: p.have for p in after.requirements}
    assert (1, 1) == (counted["group_session"], counted["consultation"])


def test_v2_consultation_before_the_own_group_opens_is_not_credited(
    bundled: Callable[..., Program], engine_for: Callable[[Program], Engine],
    weekly: Callable[..., list[Attended]],
) -> None:
    """2.0: consultation is concurrent to the trainee's own group: a week before it opens does not count."""
    assert cites(_node(bundled("mpg", "2.0"), "trainee_led", "consultation").source, CONCURRENT)
    engine = _mpg2(bundled, engine_for)
    engine.enrol("ana", "mpg", on=START, credential="licensed", track="toddler", trainer="dr-miller")
    engine.record(
        *weekly("ana", "workshop_day", 2, START),
        *weekly("ana", "demonstration_session", 6, DEMO),
        Attended(trainee="ana", activity="consultation", on=DEMO + timedelta(weeks=6)),
    )

    [problem] = engine.status("ana").problems

    assert "consultation" in problem.reason


@pytest.mark.parametrize(("missed", "takes_part"), [(1, True), (2, True), (3, False)])
def test_v2_taking_part_in_the_demonstration_group_counts_its_sessions_attended_or_missed(
    bundled: Callable[..., Program], engine_for: Callable[[Program], Engine],
    weekly: Callable[..., list[Attended]], missed: int, takes_part: bool,
) -> None:
    """2.0: a trainee absent from one of the 12 sessions still took part; more than two is not taking part."""
    assert cites(bundled("mpg", "2.0").stages[1].source, PARTICIPATION)
    engine = _mpg2(bundled, engine_for)
    engine.enrol("ana", "mpg", on=START, credential="licensed", track="toddler", trainer="dr-miller")
    sessions = weekly("ana", "demonstration_session", 12, DEMO)
    engine.record(
        *weekly("ana", "workshop_day", 2, START),
        *sessions[missed:],
        *(Absent(trainee="ana", activity="demonstration_session", on=s.on) for s in sessions[:missed]),
    )

    [progress] = [p for p in engine.explain("ana").requirements if p.requirement == "demonstration_session"]

    assert (12, takes_part) == (progress.have, progress.met)
    if not takes_part:
        assert "missed 3 sessions; at most 2 may be missed" == progress.reason


def test_v2_a_demonstration_groups_absences_reach_the_trainee(
    cli: Callable[..., Any], cohort_file: Callable[[dict[str, Any]], Any],
) -> None:
    """2.0 cohort file: a trainee absent from one group session has 12 of 12, the series taken part in."""
    assert cites(bundled_program().stages[1].source, PARTICIPATION)
    path = cohort_file(_cohort(_demo_group(absent={3: ["ana"]})))

    data = json.loads(cli("explain", str(path), "ana", "--format", "json").out)
    [progress] = [r for r in data["requirements"] if r["requirement"] == "demonstration_session"]

    assert (12, 12, True) == (progress["have"], progress["need"], progress["met"])


@pytest.mark.parametrize(
    ("trainer", "paired"),
    [(None, False), ("anyone at all", False), ("ortiz", False), ("dr-miller", True)],
)
def test_v2_pairing_is_with_someone_known_to_be_a_certified_trainer(
    bundled: Callable[..., Program], engine_for: Callable[[Program], Engine],
    weekly: Callable[..., list[Attended]], trainer: str | None, paired: bool,
) -> None:
    """2.0: a name, or staff who is not a certified trainer, does not pair; a certified trainer does."""
    assert cites(_node(bundled("mpg", "2.0"), "demonstration", "certified_trainer").source, PAIRED)
    engine = _mpg2(bundled, engine_for)
    engine.enrol("ana", "mpg", on=START, credential="licensed", track="toddler", trainer=trainer)
    engine.record(_through_demonstration("ana", weekly))

    status = engine.status("ana")

    assert ("trainee_led" if paired else "demonstration") == status.stage
    assert paired != ("certified_trainer" in [p.requirement for p in status.missing])


def test_v2_pairing_in_a_group_file_needs_staff_listed_as_certified(
    cli: Callable[..., Any], cohort_file: Callable[[dict[str, Any]], Any],
) -> None:
    """2.0 cohort file: a staff member with certified_trainer = false does not pair a trainee."""
    assert cites(_node(bundled_program(), "demonstration", "certified_trainer").source, PAIRED)
    data = _cohort(_demo_group())
    data["trainees"][0]["trainer"] = "ortiz"

    report = json.loads(cli("run", str(cohort_file(data)), "--format", "json").out)
    [ana] = [t for t in report["trainees"] if t["id"] == "ana"]

    assert "demonstration" == ana["stage"]
    assert ["trainees[0].trainer"] == [p["where"] for p in ana["problems"]]
    assert "trainer ortiz is not a certified_trainer" in ana["problems"][0]["reason"]


@pytest.mark.parametrize("start", [date(2026, 2, 2), date(2026, 2, 27), date(2026, 3, 1)])
@pytest.mark.parametrize(
    ("youngest", "flagged"),
    [(date(2025, 3, 15), False), (date(2025, 3, 16), True), (date(2025, 4, 12), True)],
)
def test_v2_age_difference_is_read_from_birth_dates_whatever_day_the_group_starts(
    cli: Callable[..., Any], cohort_file: Callable[[dict[str, Any]], Any],
    start: date, youngest: date, flagged: bool,
) -> None:
    """2.0: born 15 September, the youngest may be born up to 15 March for six months; a day later is not."""
    rules = bundled_program().groups
    assert rules is not None
    assert rules.ages is not None
    assert cites(rules.ages.source, AGES)
    oldest = date(2024, 9, 15)
    born = [oldest, date(2024, 11, 1), date(2025, 1, 1), youngest]
    path = cohort_file(_cohort(_demo_group(born=born, start=start, track="infant"), track="infant"))

    [report] = _groups(cli, path)
    spreads = [p for p in report["problems"] if p["rule"] == "age_spread"]

    assert flagged == bool(spreads)
    if flagged:
        assert "born at most 6 months after the oldest (by 2025-03-15)" in spreads[0]["message"]
        assert spreads[0]["source"].startswith("mpg-trainings.txt: '(ages three months to three+ years)'")


@pytest.mark.parametrize(
    ("facilitators", "flagged"),
    [(["eli", "sam"], True), (["eli", "lee"], False), (["sam", "lee"], False)],
)
def test_v2_an_early_childhood_specialist_leads_beside_a_mental_health_professional(
    cli: Callable[..., Any], cohort_file: Callable[[dict[str, Any]], Any],
    facilitators: list[str], flagged: bool,
) -> None:
    """2.0: one reading for MPG and RPP: an early-childhood specialist is not the mental-health co-leader."""
    words = bundled_program().words
    early_childhood = words.credentials[2]
    assert cites(early_childhood.source, FACILITATED_BY)
    assert (early_childhood.note or "").startswith("Assumption: ")
    assert ["licensed", "pre_licensed"] == words.credentials_with("mental_health")
    community = {"id": "mpg-community", "kind": "community", "facilitators": facilitators, "trainees": []}
    path = cohort_file(_cohort(_demo_group(**community)))

    [report] = _groups(cli, path)

    assert flagged == ("mental_health_co_leader" in [p["rule"] for p in report["problems"]])


def test_v2_certified_is_level2_and_level3_is_labelled(bundled: Callable[..., Program]) -> None:
    """2.0: the Level 3 certificate the FAQ names, undescribed, is an assumption on the definition."""
    mpg = bundled("mpg", "2.0")
    assert mpg.stages[0].certificate is not None
    assert cites(mpg.stages[0].certificate.source, LEVELS)

    assert ["MPG Level 1 Certificate of Completion", "MPG Level 2 Certificate of Completion"] == [
        s.certificate.title for s in mpg.stages if s.certificate
    ]
    assert (mpg.note or "").startswith("Assumption: ")
    assert "Level 3" in (mpg.note or "")


def test_v2_an_infant_group_crediting_a_toddler_track_trainee_is_flagged(
    cli: Callable[..., Any], cohort_file: Callable[[dict[str, Any]], Any],
) -> None:
    """2.0: a trainee's groups run their track; an infant group crediting a toddler trainee is flagged."""
    group = _demo_group(track="infant", born=[date(2025, 9, 1)] * 4)
    path = cohort_file(_cohort(group, track="infant"))  # Ana infant (the cohort's), Noa toddler

    [report] = _groups(cli, path)

    assert [("track", "groups[0].trainees")] == [(p["rule"], p["where"]) for p in report["problems"]]
    assert "trainee noa is on the toddler track" in report["problems"][0]["message"]
    assert TRACKS == report["problems"][0]["source"]


def test_v2_a_parents_record_is_dated_by_the_regular_group_sessions(
    cli: Callable[..., Any], cohort_file: Callable[[dict[str, Any]], Any],
) -> None:
    """2.0: a make-up session after the series (refused, as none are offered) never dates a record."""
    rules = bundled_program().groups
    assert rules is not None
    assert rules.completion is not None
    assert cites(rules.completion.source, NO_MAKEUP)
    group = _demo_group()
    last = group["sessions"][-1]["on"]
    group["sessions"].append({"on": last + timedelta(days=3), "makeup": True, "participants": ["p1"]})
    path = cohort_file(_cohort(group))

    [report] = _groups(cli, path)
    [p1] = [p for p in report["participants"] if p["id"] == "p1"]

    assert ["makeup_session"] == [p["rule"] for p in report["problems"]]
    record = p1["certificate"]
    assert (last.isoformat(), last.isoformat()) == (record["last_session"], record["on"])


# -- a 2.0 cohort file -------------------------------------------------------------------------

GROUP_START = date(2026, 2, 2)  # a Monday


def bundled_program() -> Program:
    """MPG 2.0, as the installed plugin registers it."""
    return load_plugins().programs.get("mpg", "2.0")


def _node(program: Program, stage: str, key: str) -> Any:
    found = program.stage(stage)
    node = found.requirement(key) if found is not None else None
    assert node is not None, (stage, key)
    return node


def _demo_group(
    *, absent: dict[int, list[str]] | None = None, born: list[date] | None = None,
    start: date = GROUP_START, track: str = "toddler", **fields: Any,
) -> dict[str, Any]:
    """A toddler Demonstration Group: a certified trainer and a licensed co-leader; Ana and Noa take part."""
    born = born or [date(2023, 9, 1), date(2023, 10, 1), date(2023, 11, 1), date(2024, 1, 1)]
    return {
        "id": "mpg-demo", "kind": "demonstration", "track": track,
        "agency": "Westside Family Resource Center",
        "facilitators": ["dr-miller", "lee"], "trainees": ["ana", "noa"], **fields,
        "participants": [{"id": f"p{i + 1}", "parent": f"Parent {i + 1}", "child_born": b}
                         for i, b in enumerate(born)],
        "sessions": [{"on": start + timedelta(weeks=i), "absent": (absent or {}).get(i, [])}
                     for i in range(12)],
    }


def _cohort(*groups: dict[str, Any], track: str = "toddler") -> dict[str, Any]:
    """An MPG 2.0 cohort: Ana and Noa through Level 1, staff, and these groups."""
    enrolled = date(2026, 1, 5)
    return {
        "cohort": {"name": "Spring 2026", "program": "mpg", "version": "2.0", "track": track},
        "trainees": [
            {"id": "ana", "credential": "licensed", "enrolled": enrolled, "trainer": "dr-miller"},
            {"id": "noa", "credential": "pre_licensed", "enrolled": enrolled, "trainer": "dr-miller",
             "track": "toddler"},
        ],
        "staff": [
            {"id": "dr-miller", "name": "Dr. R. Miller", "credential": "licensed", "certified_trainer": True},
            {"id": "lee", "name": "J. Lee", "credential": "licensed"},
            {"id": "ortiz", "name": "L. Ortiz", "credential": "licensed"},
            {"id": "sam", "name": "S. Sam", "credential": "other"},
            {"id": "eli", "name": "E. Eli", "credential": "early_childhood"},
        ],
        "events": [{"trainee": t, "attended": "workshop_day", "dates": [date(2026, 1, 10), date(2026, 1, 11)]}
                   for t in ("ana", "noa")],
        "groups": list(groups),
    }


def _groups(cli: Callable[..., Any], path: Any) -> list[dict[str, Any]]:
    result = cli("groups", str(path), "--format", "json")
    assert 0 == result.code, result.err
    groups: list[dict[str, Any]] = json.loads(result.out)["groups"]
    return groups
