"""Places in a cohort file: a table, row or field named with its line."""

from __future__ import annotations

import tomllib
from pathlib import Path


def test_places_resolve_nested_tables_and_fall_back_to_their_parent(tmp_path: Path) -> None:
    """[[groups.sessions]] belong to the last [[groups]]; inline tables resolve to the table they are in."""
    from facilitrack._cohort.places import Places

    text = """\
[cohort]
name = "x"

[[groups]]
id = "a"

[[groups.sessions]]
on = 2026-02-02

[[groups.sessions]]
on = 2026-02-09

[[groups]]
id = "b"
sessions = [{ on = 2026-02-02 }]

[[ events ]]
trainee = "ana"
"""
    data = tomllib.loads(text)
    places = Places.scan(tmp_path / "c.toml", text, data)

    locs = ("groups[0].sessions[0].on", "groups[0].sessions[1]", "groups[1].sessions[0]",
            "groups[0].participants[0]", "events[0] (week 2)", "cohort.name")
    assert [7, 10, 13, 4, 17, 1] == [places.line(loc) for loc in locs]
    assert places.line("groups[2]") is None
