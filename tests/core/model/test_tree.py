"""Combinations of requirements (all_of, any_of, n_of) as the engine measures them: what each
reports as had and needed, and when it is met (docs/semantics.md, "Stages and requirements")."""

from __future__ import annotations

from datetime import date, timedelta

from facilitrack import Attended, Engine, ProgramRegistry, load_plugins, parse_program

START = date(2026, 1, 5)


def att(key: str, count: int = 1) -> dict[str, object]:
    return {"kind": "attendance", "key": key, "count": count}


PROGRAM = parse_program(
    {"key": "combo", "name": "Combinations", "version": "1.0", "organisation": "Tests", "stages": [
        {"key": "first", "title": "First", "requirements": [
            {"kind": "any_of", "key": "either", "requirements": [att("a"), att("b", 2)]},
            {"kind": "n_of", "key": "two", "n": 2, "requirements": [att("c"), att("d"), att("e")]},
        ]},
        {"key": "second", "title": "Second", "requirements": [
            {"kind": "all_of", "key": "both", "requirements": [att("f"), att("g")]},
        ]},
    ]},
    origin="tests",
)


def test_combinations_report_what_they_have_and_need_and_complete_when_met() -> None:
    registry = ProgramRegistry()
    registry.add(PROGRAM, source="tests")
    engine = Engine(registry, hooks=load_plugins(entry_points_group=None).hooks)
    engine.enrol("ana", "combo", on=START, credential="licensed")
    day = iter(START + timedelta(days=n) for n in range(1, 30))

    def attend(key: str) -> list[tuple[str, int, int]]:
        engine.record(Attended(trainee="ana", on=next(day), activity=key))
        status = engine.status("ana")
        return [(status.stage or "", 0, 0)] + [(m.requirement, m.have, m.need) for m in status.missing]

    assert [("first", 0, 0), ("either", 0, 1), ("two", 1, 2)] == attend("c")
    assert [("first", 0, 0), ("either", 0, 1), ("two", 1, 2)] == attend("b")  # one of two: not yet
    assert [("first", 0, 0), ("two", 1, 2)] == attend("b")  # any one child met is enough
    assert [("second", 0, 0), ("both", 0, 2)] == attend("e")  # two of three: exactly n
    assert [("second", 0, 0), ("both", 1, 2)] == attend("g")
    assert [("certified", 0, 0)] == attend("f")  # all of them


def test_a_plugins_kind_inside_combinations_is_read_with_the_plugins_kinds() -> None:
    """A kind registered by a plugin, nested in any_of inside n_of, is found at every depth —
    in a program read with those kinds, and by `RequirementKinds.parse` alone."""
    from typing import ClassVar, Literal

    from facilitrack.plugin import Requirement, RequirementKinds

    class Visits(Requirement):
        kind: Literal["visits"] = "visits"
        credited_by: ClassVar[str | None] = "attended"

    kinds = RequirementKinds()
    kinds.register(Visits)
    nested = {"kind": "n_of", "key": "outer", "n": 1, "requirements": [
        {"kind": "any_of", "key": "inner", "requirements": [{"kind": "visits", "key": "visit"}, att("a")]}]}
    program = parse_program(
        {"key": "nested", "name": "Nested", "version": "1.0", "organisation": "Tests",
         "stages": [{"key": "only", "title": "Only", "requirements": [nested]}]},
        origin="tests", kinds=kinds,
    )
    for outer in (program.stages[0].requirements[0], kinds.parse(nested)):
        [inner] = outer.children()
        assert ["visits", "attendance"] == [leaf.kind for leaf in inner.children()]
