"""A cohort file read and run: its report, explanations, problems placed on rows, and any row order."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from facilitrack import (
    Attended,
    Engine,
    InvalidEventError,
    PluginHost,
    Program,
    UnknownKeyError,
    hookimpl,
    load_plugins,
)
from facilitrack._cohort import Located, load_cohort, read_cohort, run_cohort
from facilitrack._model.events import EventBase
from hypothesis import given, settings

from tests.builders import DEMO
from tests.core.cohort.conftest import (
    GROUP,
    HEADER,
    LEVEL1,
    NOA_LEVEL1,
    D,
    cohort_with,
    error_of,
    grouped,
    rows,
    write,
)
from tests.strategies import orders

# -- the report ------------------------------------------------------------------------------


def test_two_workshop_days_complete_level1(tmp_path: Path, host: PluginHost) -> None:
    """The contract's example: attended rows credit the trainee, who gets the certificate."""
    report = run_cohort(cohort_with(tmp_path, LEVEL1), host=host)
    ana = report.trainees[0]
    assert ("ana", "Ana Gómez", "demonstration") == (ana.id, ana.name, ana.stage)
    assert [("level1", D("2026-01-11"))] == [(c.stage, c.on) for c in ana.certificates]
    assert [("demo_session", 0, 3), ("process_recording", 0, 1)] == [
        (m.requirement, m.have, m.need) for m in ana.missing
    ]
    assert ("demo", "1.0", "toddler") == (ana.program, ana.version, ana.track)


def test_report_as_of_counts_only_events_until_then(tmp_path: Path, host: PluginHost) -> None:
    """--as-of: the second workshop day lies after the date, so level 1 is still open."""
    report = run_cohort(cohort_with(tmp_path, LEVEL1), D("2026-01-10"), host=host)
    assert "level1" == report.trainees[0].stage
    assert D("2026-01-10") == report.cohort.as_of


def test_report_is_json_serialisable_with_the_contract_keys(tmp_path: Path, host: PluginHost) -> None:
    """The report dumps to JSON with cohort and each trainee's contract keys."""
    data = json.loads(run_cohort(cohort_with(tmp_path, LEVEL1), host=host).model_dump_json())
    assert {"cohort", "trainees"} == set(data)
    keys = {"id", "name", "program", "stage", "certified", "certificates", "missing", "problems"}
    assert keys <= set(data["trainees"][0])
    assert {"stage", "on"} <= set(data["trainees"][0]["certificates"][0])
    assert {"requirement", "have", "need"} <= set(data["trainees"][0]["missing"][0])


def test_trainee_track_overrides_the_cohort_track(tmp_path: Path, host: PluginHost) -> None:
    """A trainee's own `track` wins over [cohort] track."""
    text = HEADER.replace('trainer = "dr-miller"\n', 'trainer = "dr-miller"\ntrack = "infant"\n')
    report = run_cohort(write(tmp_path, text), host=host)
    assert "infant" == report.trainees[0].track


def test_explain_lists_requirements_dates_and_next(tmp_path: Path, host: PluginHost) -> None:
    """explain: each requirement of the current stage, the dates that counted, what is next."""
    path = cohort_with(tmp_path, [LEVEL1[0]])
    expl = load_cohort(path, host=host).explain("ana")
    assert "level1" == expl.stage
    workshop = next(r for r in expl.requirements if r.requirement == "workshop_day")
    assert (1, 2, [D("2026-01-10")], False) == (workshop.have, workshop.need, workshop.dates, workshop.met)
    assert ("demonstration", "Level 1 Certificate of Completion") == (expl.next_stage, expl.next_certificate)


def test_explain_unknown_trainee_suggests_the_nearest(tmp_path: Path, host: PluginHost) -> None:
    """An unknown trainee id in explain is named with the nearest one."""
    cohort = load_cohort(cohort_with(tmp_path, []), host=host)
    with pytest.raises(UnknownKeyError, match="did you mean 'ana'"):
        cohort.explain("anna")


def test_void_removes_the_event(tmp_path: Path, host: PluginHost) -> None:
    """A voided session no longer counts; the report shows level 1 one day short."""
    events = [*LEVEL1[:1], {**LEVEL1[1], "id": "ws-2"},
              {"trainee": "ana", "on": D("2026-01-12"), "voided": "ws-2", "reason": "wrong trainee"}]
    ana = run_cohort(cohort_with(tmp_path, events), host=host).trainees[0]
    missing = [(m.requirement, m.have, m.need) for m in ana.missing]
    assert ("level1", [("workshop_day", 1, 2)]) == (ana.stage, missing)


def test_a_row_may_void_an_enrolment_as_the_engine_allows(tmp_path: Path, host: PluginHost) -> None:
    """The engine's one void rule holds in files too: voiding an enrolment is allowed, and the
    trainee is then as if never enrolled (their sessions are kept as problems)."""
    first = load_cohort(cohort_with(tmp_path, LEVEL1), host=host)
    enrolment = next(x.event.id for x in first.located if x.where == "trainees[0]")
    void = {"trainee": "ana", "on": D("2026-01-12"), "voided": enrolment, "reason": "wrong program"}
    events = [*LEVEL1, void]
    ana = run_cohort(cohort_with(tmp_path, events), host=host).trainees[0]
    assert ("not_enrolled", 2) == (ana.stage, len(ana.problems))


def test_plugin_refusal_is_placed_on_its_row(tmp_path: Path) -> None:
    """An event a plugin refuses is reported at the row that produced it."""

    class NoVideos:
        @hookimpl
        def facilitrack_validate_event(self, event: EventBase, program: Program, stage: str) -> str | None:
            if getattr(event, "artifact", None) == "videotape":
                return "videotapes are reviewed elsewhere"
            return None

    host = load_plugins([NoVideos()], entry_points_group=None)
    video = {"trainee": "ana", "on": D("2026-03-01"), "artifact": "videotape", "status": "approved"}
    events = [*LEVEL1, video]
    message = error_of(cohort_with(tmp_path, events), host, InvalidEventError)
    assert "cohort.toml: events[2] (line 23): videotapes are reviewed elsewhere" in message


# -- problems --------------------------------------------------------------------------------


def test_event_while_on_hold_is_a_problem_at_its_row(tmp_path: Path, host: PluginHost) -> None:
    """A session during a hold is kept, not credited, and the problem names its row."""
    events = [{"trainee": "ana", "on": D("2026-01-08"), "held": True, "reason": "leave"}, *LEVEL1]
    ana = run_cohort(cohort_with(tmp_path, events), host=host).trainees[0]
    assert "on_hold" == ana.stage
    assert ["events[1]", "events[2]"] == [p.where for p in ana.problems]
    assert "on hold" in ana.problems[0].reason


def test_non_mh_credential_without_co_leader_is_a_problem(tmp_path: Path, host: PluginHost) -> None:
    """An early-childhood trainee with no co_leader cannot enter level 1: a problem at the row."""
    text = HEADER + '\n[[trainees]]\nid = "noa"\ncredential = "early_childhood"\nenrolled = 2026-01-05\n'
    noa = run_cohort(write(tmp_path, text), host=host).trainees[1]
    assert ["trainees[1].co_leader"] == [p.where for p in noa.problems]
    with_co = text + 'co_leader = "ana"\n'
    assert [] == run_cohort(write(tmp_path, with_co), host=host).trainees[1].problems


def test_missing_trainer_is_a_problem_once_the_stage_needs_one(tmp_path: Path, host: PluginHost) -> None:
    """No trainer: fine in level 1, a problem at the trainee row once demonstration needs pairing."""
    path = cohort_with(tmp_path, LEVEL1[:1])
    path.write_text(path.read_text(encoding="utf-8").replace('trainer = "dr-miller"\n', ""), encoding="utf-8")
    assert [] == run_cohort(path, host=host).trainees[0].problems
    path = cohort_with(tmp_path, LEVEL1)
    path.write_text(path.read_text(encoding="utf-8").replace('trainer = "dr-miller"\n', ""), encoding="utf-8")
    assert ["trainees[0].trainer"] == [p.where for p in run_cohort(path, host=host).trainees[0].problems]


# -- order does not matter -------------------------------------------------------------------

SHUFFLED_ROWS: list[dict[str, Any]] = [
    *LEVEL1,
    {"trainee": "ana", "on": D("2026-02-01"), "attended": "demo_session"},
    {"trainee": "ana", "on": D("2026-02-01"), "attended": "demo_session"},
    {"trainee": "ana", "on": D("2026-02-08"), "attended": "demo_session", "id": "d-3"},
    {"trainee": "ana", "on": D("2026-02-09"), "voided": "d-3", "reason": "wrong day"},
    {"trainee": "ana", "on": D("2026-02-10"), "held": True},
    {"trainee": "ana", "on": D("2026-02-12"), "attended": "demo_session"},
    {"trainee": "ana", "on": D("2026-02-20"), "resumed": True},
    {"trainee": "ana", "on": D("2026-02-21"), "attended": "demo_session"},
    {"trainee": "ana", "on": D("2026-02-22"), "artifact": "process_recording", "status": "presented"},
    {"trainee": "noa", "on": D("2026-01-10"), "attended": "workshop_day"},
    {"trainee": "noa", "on": D("2026-01-10"), "attended": "workshop_day"},
    {"trainee": "noa", "on": D("2026-01-20"), "waived": "process_recording", "stage": "demonstration",
     "reason": "prior training", "approver": "director"},
    {"trainee": "noa", "on": D("2026-03-01"), "withdrawn": True},
    {"trainee": "noa", "on": D("2026-03-02"), "attended": "demo_session"},
]
NOA = '\n[[trainees]]\nid = "noa"\nname = "נועה"\ncredential = "pre_licensed"\nenrolled = 2026-01-05\n'


def _comparable(report: Any) -> Any:
    data = report.model_dump(mode="json")
    for trainee in data["trainees"]:
        for problem in trainee["problems"]:
            problem.pop("where")  # the row number moves with the row; the fact does not
    return data


@settings(max_examples=40, deadline=None, derandomize=True)
@given(order=orders(len(SHUFFLED_ROWS)))
def test_shuffling_event_rows_gives_the_same_report(
    order: list[int], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Any order of the [[events]] rows gives the same report (row numbers aside)."""
    directory = tmp_path_factory.getbasetemp() / "shuffle"
    directory.mkdir(exist_ok=True)
    (directory / "demo.toml").write_text(tomli_w.dumps(DEMO), encoding="utf-8")
    host = load_plugins(entry_points_group=None)
    baseline = read_cohort(HEADER + NOA + rows("events", SHUFFLED_ROWS), directory / "c.toml", host=host)
    shuffled = HEADER + NOA + rows("events", [SHUFFLED_ROWS[i] for i in order])
    again = read_cohort(shuffled, directory / "c.toml", host=host)
    assert _comparable(baseline.report()) == _comparable(again.report())
    assert _comparable(baseline.report(D("2026-02-15"))) == _comparable(again.report(D("2026-02-15")))
    assert sorted(e.id for e in baseline.events) == sorted(e.id for e in again.events)


def test_engine_sees_the_same_events_as_the_cohort(tmp_path: Path, host: PluginHost) -> None:
    """The cohort's engine is an ordinary Engine: its journal holds exactly the file's events."""
    cohort = load_cohort(cohort_with(tmp_path, LEVEL1), host=host)
    assert isinstance(cohort.engine, Engine)
    assert sorted(e.id for e in cohort.events) == sorted(e.id for e in cohort.engine.journal.events())



def test_engine_refusals_without_an_event_are_placed_by_id(demo_program: Program, tmp_path: Path) -> None:
    """An engine error that names its event only as ``event ID`` is still placed on the row."""
    from facilitrack._cohort.places import Places
    from facilitrack._cohort.run import record
    from facilitrack._host.registry import ProgramRegistry

    registry = ProgramRegistry()
    registry.add(demo_program, source="tests")
    engine = Engine(registry, hooks=load_plugins(entry_points_group=None).hooks)
    ghost = Attended(trainee="ghost", on=D("2026-01-10"), activity="workshop_day")
    places = Places(tmp_path / "c.toml", {"events": [3, 7, 9, 12, 20]})
    with pytest.raises(UnknownKeyError) as caught:
        record(engine, [Located(ghost, "events[4]")], places)
    assert f"{tmp_path / 'c.toml'}: events[4] (line 20)" == caught.value.where


def test_group_reports_judge_each_group_in_place(tmp_path: Path, host: PluginHost) -> None:
    """`Cohort.group_reports()` places problems as groups[i]... and reports each parent."""
    report = load_cohort(grouped(tmp_path, GROUP.replace('["dr-miller", "ana"]', '["dr-miller"]')),
                         host=host).group_reports()
    [group] = report.groups

    assert ("Demo Spring", "demo", "1.0") == (report.cohort, report.program, report.version)
    assert [("facilitators", "groups[0].facilitators")] == [(p.rule, p.where) for p in group.problems]
    assert [("p1", 1, "in_progress")] == [(p.id, p.missed, p.status) for p in group.participants]


def test_a_row_repeating_a_group_credit_is_a_problem_only_as_of_its_day(
    tmp_path: Path, host: PluginHost
) -> None:
    """An `attended` row repeating the group's session of 2026-02-02 is reported from that day on:
    as of the day before, neither counted yet."""
    repeated = {"trainee": "noa", "on": D("2026-02-02"), "attended": "demo_session"}
    cohort = load_cohort(grouped(tmp_path, events=(*LEVEL1, *NOA_LEVEL1, repeated)), host=host)

    def twice(as_of: date | None) -> list[str]:
        [noa] = [t for t in cohort.report(as_of).trainees if t.id == "noa"]
        return [str(p.on) for p in noa.problems if "also credited by groups[0]" in p.reason]

    assert ([], ["2026-02-02"], ["2026-02-02"]) == (
        twice(D("2026-02-01")), twice(D("2026-02-02")), twice(None))
