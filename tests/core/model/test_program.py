"""Program definitions: validation on load, TOML files, JSON round trips, the key vocabulary."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from facilitrack import DefinitionError, Program, load_program, parse_program

from tests.builders import demo_with


def test_definition_round_trips_through_json(demo_program: Program) -> None:
    """A definition dumped to JSON reads back equal, requirement kinds included."""
    dumped = demo_program.model_dump(mode="json")
    assert demo_program == parse_program(dumped, origin="round-trip")
    kinds = [r["kind"] for r in dumped["stages"][0]["requirements"]]
    assert ["credential", "attendance"] == kinds


def test_dump_carries_kind_key_and_count(demo_program: Program) -> None:
    """Every requirement dumps kind, key and count, as tools reading the JSON expect."""
    for stage in demo_program.model_dump(mode="json")["stages"]:
        for req in stage["requirements"]:
            assert {"kind", "key", "count", "source", "waivable"} <= set(req)


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d["stages"].append(copy.deepcopy(d["stages"][0])), "stage key 'level1' is used twice"),
        (lambda d: d["stages"][0].update(requirements=[]), "stages[0].requirements"),
        (lambda d: d["stages"][0]["requirements"][1].update(count=0), "stages[0].requirements[1].count"),
        (lambda d: d["stages"][1]["requirements"].append({"kind": "attendance", "key": "demo_session"}),
         "names 'demo_session' twice"),
        (lambda d: d["stages"][0]["requirements"].append({"kind": "hours", "key": "x"}),
         "unknown requirement kind 'hours'"),
        (lambda d: d.update(colour="blue"), "colour"),
        (lambda d: d["stages"][0].update(key="certified"), "reserved"),
        (lambda d: d.update(stages=[]), "stages"),
        (lambda d: d.update(version="one"), "version"),
    ],
)
def test_invalid_definitions_name_the_field(mutate: Any, field: str) -> None:
    """Duplicate or unknown keys, empty stages and non-positive counts are refused by name."""
    data = demo_with()
    mutate(data)
    with pytest.raises(DefinitionError) as info:
        parse_program(data, origin="plugin demo")
    assert "plugin demo" == info.value.where
    assert field in info.value.what


def test_load_program_reads_toml(tmp_path: Path, demo_program: Program) -> None:
    """A program TOML file loads to the same definition as the mapping."""
    path = tmp_path / "program.toml"
    path.write_text(tomli_w.dumps(demo_program.model_dump(mode="json", exclude_none=True)))
    assert demo_program == load_program(path)


def test_toml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    """A syntax error in a program file reports FILE:LINE:COL."""
    path = tmp_path / "bad.toml"
    path.write_text('key = "x"\nname = \n')
    with pytest.raises(DefinitionError) as info:
        load_program(path)
    assert f"{path}:2:8" == info.value.where


def test_missing_program_file_is_a_user_error(tmp_path: Path) -> None:
    """A program file that does not exist is named, with a fix."""
    with pytest.raises(DefinitionError, match="file not found"):
        load_program(tmp_path / "nope.toml")


def test_first_stage_of_maps_the_key_vocabulary(demo_program: Program) -> None:
    """Each activity or artifact key maps to the first stage that credits it."""
    assert 1 == demo_program.first_stage_of[("artifact", "process_recording")]
    assert 2 == demo_program.first_stage_of[("artifact", "videotape")]
    assert ["demo_session", "group_session", "workshop_day"] == demo_program.keys_of("attended")


def test_a_kept_definition_without_the_defaults_is_the_same_definition(demo_program: Program) -> None:
    """A copy kept by an earlier release (defaults left out) matches; a changed count does not."""
    from facilitrack._model.program import same_definition

    def without_nones(data: Any) -> Any:  # what an earlier release, without these fields, kept
        if isinstance(data, dict):
            return {k: without_nones(v) for k, v in data.items() if v is not None}
        return [without_nones(v) for v in data] if isinstance(data, list) else data

    kept = without_nones(demo_program.model_dump(mode="json"))
    assert kept != demo_program.model_dump(mode="json")
    assert same_definition(kept, demo_program)
    changed = demo_program.model_dump(mode="json")
    changed["stages"][0]["requirements"][-1]["count"] = 3
    assert not same_definition(changed, demo_program)
    assert not same_definition({"key": "demo"}, demo_program)


def _nested(levels: int, demo: Program) -> dict[str, Any]:
    """The demo definition with its first stage's attendance `levels` combinations deep."""
    data = demo.model_dump(mode="json", exclude_none=True)
    node = data["stages"][0]["requirements"][1]
    for i in range(levels):
        node = {"kind": "all_of", "key": f"level_{i}", "requirements": [node],
                "note": "Assumption: a test of nesting"}
    data["stages"][0]["requirements"][1] = node
    return data


def test_a_requirement_tree_too_deep_is_refused_naming_where(demo_program: Program, tmp_path: Path) -> None:
    """Thirteen levels of combinations load; hundreds are one clear error, never a RecursionError."""
    assert parse_program(_nested(13, demo_program), origin="ok").stages[0].requirements[1].kind == "all_of"
    header, lines = "stages.requirements", [tomli_w.dumps(demo_program.model_dump(
        mode="json", exclude_none=True, exclude={"stages": {0: {"requirements"}}}))]
    for i in range(400):  # as a hostile file writes it: table headers, each one deeper
        lines += [f"[[{header}]]", 'kind = "all_of"', f'key = "level_{i}"', 'note = "Assumption: t"']
        header += ".requirements"
    path = tmp_path / "deep.toml"
    path.write_text("\n".join(lines))
    with pytest.raises(DefinitionError, match="nested more than 32") as err:
        load_program(path)
    assert err.value.where == str(path)
    assert re.search(r"stages\[\d\]\.requirements\[\d\]\.requirements\[0\]", str(err.value))


@pytest.mark.parametrize(
    ("opens", "cycle"),
    [
        ({"demo_session": "demo_session"}, "demonstration.demo_session waits for demonstration.demo_session"),
        ({"demo_session": "process_recording", "process_recording": "demo_session"},
         "waits for demonstration.process_recording waits for"),
    ],
)
def test_requirements_waiting_for_themselves_are_refused(opens: dict[str, str], cycle: str) -> None:
    """A requirement that opens when it (or one waiting for it) is met could never be met."""
    data = demo_with()
    for req in data["stages"][1]["requirements"]:
        if req.get("key") in opens:
            req["opens_when"] = opens[req["key"]]
    with pytest.raises(DefinitionError, match="can never be met") as err:
        parse_program(data, origin="loop.toml")
    assert cycle in str(err.value)
    assert "Value error" not in str(err.value)


def test_a_requirement_opening_after_another_is_kept() -> None:
    """One requirement waiting for another, without a loop, is a definition like any other."""
    data = demo_with()
    data["stages"][1]["requirements"][2]["opens_when"] = "demo_session"
    assert parse_program(data, origin="ok").stages[1].requirements[2].opens_when == "demo_session"


def test_a_window_start_misspelt_is_told_in_words_alone() -> None:
    """A bad `from =` says what a window's start may be, not a regular expression, and only once."""
    data = demo_with()
    data["stages"][0]["requirements"][1]["window"] = {"from": "met:Day"}
    with pytest.raises(DefinitionError) as err:
        parse_program(data, origin="w.toml")
    text = str(err.value)
    assert "stages[0].requirements[1].window.from: 'met:Day' is not a window's start: enrolment," in text
    assert "^(" not in text
    assert "should have at least 1 item" not in text
