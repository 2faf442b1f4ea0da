"""`facilitrack init`'s starter cohort file: clean, and showing every kind of row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w
from facilitrack import PluginHost, parse_program
from facilitrack._cohort import ROW_KINDS, load_cohort, starter_cohort

from tests.builders import DEMO, demo_with


def _starter_check(tmp_path: Path, host: PluginHost, program: dict[str, Any]) -> str:
    (tmp_path / "demo.toml").write_text(tomli_w.dumps(program), encoding="utf-8")
    text = starter_cohort(
        parse_program(program, origin="test"), path=tmp_path / "cohort.toml",
        program_file="demo.toml", host=host,
    )
    (tmp_path / "cohort.toml").write_text(text, encoding="utf-8")
    assert [] == load_cohort(tmp_path / "cohort.toml", host=host).report().problems
    return text


def test_starter_is_clean_and_shows_every_kind(tmp_path: Path, host: PluginHost) -> None:
    """The starter passes check and has a live row of each event kind for the demo program."""
    text = _starter_check(tmp_path, host, DEMO)
    live = [line.split(" = ")[0] for line in text.splitlines() if not line.startswith("#")]
    assert set(ROW_KINDS) <= set(live)
    assert "# attended" not in text


def test_starter_for_a_one_stage_program_is_clean(tmp_path: Path, host: PluginHost) -> None:
    """With one stage, kinds that would fall after certification are commented out, not broken."""
    program = demo_with()
    program["stages"] = program["stages"][:1]
    program["stages"][0]["requirements"][1]["count"] = 1
    text = _starter_check(tmp_path, host, program)
    assert "(commented out" in text


def test_starter_lists_keys_in_comments(tmp_path: Path, host: PluginHost) -> None:
    """The starter's comments list the activity and artifact keys and the tracks."""
    text = _starter_check(tmp_path, host, DEMO)
    assert "one of: demo_session, group_session, workshop_day" in text
    assert "one of: process_recording, videotape" in text
    assert "one of: infant, toddler" in text


def test_the_event_kinds_comment_names_what_the_program_takes(tmp_path: Path, host: PluginHost) -> None:
    """The comment lists every row kind (absences too), and waivers only where one is allowed."""
    kinds_line = next(line for line in _starter_check(tmp_path, host, DEMO).splitlines()
                      if line.startswith("# Events: each row is one of "))
    assert kinds_line == "# Events: each row is one of " + ", ".join(ROW_KINDS) + "."
    strict = demo_with()
    strict["stages"][1]["requirements"][2]["waivable"] = False
    kinds_line = next(line for line in _starter_check(tmp_path, host, strict).splitlines()
                      if line.startswith("# Events: each row is one of "))
    assert "absent" in kinds_line
    assert "waived" not in kinds_line
