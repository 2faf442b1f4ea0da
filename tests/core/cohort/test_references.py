"""Every id and key a cohort file's rows use exists and is used once; errors name the row and the nearest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from facilitrack import InvalidEventError, PluginHost, UnknownKeyError
from facilitrack._cohort import load_cohort

from tests.core.cohort.conftest import (
    GROUP,
    HEADER,
    LEVEL1,
    NOA_LEVEL1,
    D,
    cohort_with,
    error_of,
    grouped,
    write,
)


def test_schema_error_names_path_and_allowed_values(tmp_path: Path, host: PluginHost) -> None:
    """A bad credential names trainees[i].credential and lists the allowed values."""
    text = HEADER + '\n[[trainees]]\nid = "noa"\ncredential = "licenced"\nenrolled = 2026-01-05\n'
    message = error_of(write(tmp_path, text), host)
    assert "trainees[1].credential (line 13): demo declares no credential 'licenced'" in message
    assert "did you mean 'licensed'?" in message


# -- references ------------------------------------------------------------------------------


def test_unknown_trainee_in_events(tmp_path: Path, host: PluginHost) -> None:
    """An event for a trainee with no [[trainees]] row names the row and the nearest id."""
    path = cohort_with(tmp_path, [{**LEVEL1[0], "trainee": "anna"}])
    message = error_of(path, host, UnknownKeyError)
    assert "cohort.toml: events[0].trainee (line 13): unknown trainee 'anna'" in message
    assert "did you mean 'ana'?" in message


@pytest.mark.parametrize(
    ("row", "place", "nearest"),
    [
        ({"attended": "workshop"}, "events[1].attended", "did you mean 'workshop_day'?"),
        ({"artifact": "video_tape", "status": "approved"}, "events[1].artifact", "did you mean 'videotape'?"),
        ({"waived": "proces_recording", "reason": "r", "approver": "x"}, "events[1].waived",
         "did you mean 'process_recording'?"),
        ({"waived": "demo_session", "stage": "demonstrate", "reason": "r", "approver": "x"},
         "events[1].stage", "did you mean 'demonstration'?"),
    ],
)
def test_unknown_program_keys_are_named_with_the_nearest(
    tmp_path: Path, host: PluginHost, row: dict[str, Any], place: str, nearest: str
) -> None:
    """Activity, artifact, requirement and stage keys the program lacks: place and nearest key."""
    path = cohort_with(tmp_path, [LEVEL1[0], {"trainee": "ana", "on": D("2026-01-12"), **row}])
    message = error_of(path, host, UnknownKeyError)
    assert f"cohort.toml: {place} (line 18)" in message
    assert nearest in message


def test_waiving_a_requirement_that_is_not_waivable(tmp_path: Path, host: PluginHost) -> None:
    """A waiver of a requirement the program does not let be waived names the waivable ones."""
    row = {"trainee": "ana", "on": D("2026-01-12"), "waived": "workshop_day", "reason": "r", "approver": "x"}
    message = error_of(cohort_with(tmp_path, [row]), host, InvalidEventError)
    assert "events[0].waived (line 13): demo does not allow waiving 'workshop_day'" in message
    assert "waivable: process_recording" in message


def test_unknown_track(tmp_path: Path, host: PluginHost) -> None:
    """A track the program does not have is named at cohort.track with the nearest."""
    path = write(tmp_path, HEADER.replace('track = "toddler"', 'track = "todler"'))
    message = error_of(path, host, UnknownKeyError)
    assert "cohort.track (line 1): demo has no track 'todler'" in message
    assert "did you mean 'toddler'?" in message


def test_duplicate_trainee_ids_name_both_rows(tmp_path: Path, host: PluginHost) -> None:
    """Two [[trainees]] rows with one id: the error names both rows."""
    text = HEADER + '\n[[trainees]]\nid = "ana"\ncredential = "licensed"\nenrolled = 2026-01-05\n'
    message = error_of(write(tmp_path, text), host)
    assert "trainees[1].id (line 13): trainee id 'ana' is used twice: by trainees[0] (line 6)" in message


def test_duplicate_event_ids_name_both_rows(tmp_path: Path, host: PluginHost) -> None:
    """Two rows giving one `id`: the error names both rows."""
    path = cohort_with(tmp_path, [{**LEVEL1[0], "id": "x"}, {**LEVEL1[1], "id": "x"}])
    message = error_of(path, host)
    assert "events[1].id (line 19): event id 'x' is used twice: by events[0] (line 13)" in message


def test_void_of_an_unknown_id(tmp_path: Path, host: PluginHost) -> None:
    """A void naming no event of the file is refused at its `voided` field, with the nearest id."""
    events = [{**LEVEL1[0], "id": "ws-1"},
              {"trainee": "ana", "on": D("2026-01-12"), "voided": "ws-2", "reason": "typo"}]
    message = error_of(cohort_with(tmp_path, events), host, UnknownKeyError)
    assert "events[1].voided (line 19): cannot void 'ws-2'" in message
    assert "did you mean 'ws-1'?" in message


def test_unknown_absent_id_is_placed_on_its_session_line(tmp_path: Path, host: PluginHost) -> None:
    """An unknown id in a session's `absent` names that session, its line and the nearest id."""
    path = grouped(tmp_path, GROUP.replace('absent = ["noa", "p1"]', 'absent = ["noa", "p2"]'))
    lines = path.read_text(encoding="utf-8").splitlines()
    line = [n for n, text in enumerate(lines, 1) if text == "[[groups.sessions]]"][1]

    message = error_of(path, host, UnknownKeyError)
    assert f"groups[0].sessions[1].absent (line {line}): unknown participant, trainee or" in message
    assert "did you mean 'p1'?" in message


def test_a_row_voiding_a_group_credit(tmp_path: Path, host: PluginHost) -> None:
    """A `voided` row may name a session's credit by its id; a credit id reused by a row is refused."""
    void = {"trainee": "noa", "on": D("2026-02-20"), "voided": "demo-spring:2026-02-02:noa", "reason": "left"}
    cohort = load_cohort(grouped(tmp_path, events=[*LEVEL1, *NOA_LEVEL1, void]), host=host)
    assert 0 == {r.requirement: r.have for r in cohort.engine.explain("noa").requirements}["demo_session"]

    clash = {"id": "demo-spring:2026-02-02:ana", "trainee": "ana", "on": D("2026-02-02"),
             "attended": "demo_session"}
    message = error_of(grouped(tmp_path, events=[*LEVEL1, *NOA_LEVEL1, clash]), host)
    assert "event id 'demo-spring:2026-02-02:ana' is used twice: by events[4] (line" in message
    assert ": groups[0].sessions[0] (line " in message
