"""A group whose ids do not resolve, or whose sessions contradict themselves, is refused in place."""

from __future__ import annotations

from typing import Any

import pytest
from facilitrack import Program, UnknownKeyError
from facilitrack._groups import validate_group
from facilitrack._model.groups import GroupError
from facilitrack.plugin import Person

from tests.core.groups.conftest import START, _group, _with_sessions


@pytest.mark.parametrize(
    ("change", "where", "fix"),
    [
        ({"facilitators": ["dr-miler", "ana"]}, "groups[0].facilitators", "did you mean 'dr-miller'?"),
        ({"trainees": ["ana", "nao"]}, "groups[0].trainees", "did you mean 'noa'?"),
        ({"track": "todler"}, "groups[0].track", "did you mean 'toddler'?"),
    ],
)
def test_unknown_ids_name_the_place_and_the_nearest_id(
    program: Program, people: dict[str, Person], change: dict[str, Any], where: str, fix: str
) -> None:
    """An unknown facilitator, trainee or track is refused where it is, with a suggestion."""
    with pytest.raises(UnknownKeyError) as info:
        validate_group(_group(**change), program, people, where="groups[0]")
    assert where == info.value.where
    assert fix in (info.value.fix or "")


def test_unknown_absent_id_names_the_session(program: Program, people: dict[str, Person]) -> None:
    """An absent id that is no participant, trainee or facilitator names its session."""
    with pytest.raises(UnknownKeyError) as info:
        validate_group(_group(absent={3: ["p11"]}), program, people, where="groups[0]")
    assert ("groups[0].sessions[3].absent", "did you mean 'p1'?") == (info.value.where, info.value.fix)


def test_staff_listed_as_trainee_is_refused(program: Program, people: dict[str, Person]) -> None:
    """A staff member in `trainees` is named as staff, with where they belong."""
    with pytest.raises(UnknownKeyError) as info:
        validate_group(_group(trainees=["ana", "lee"]), program, people, where="groups[0]")
    assert "'lee' is staff, not a trainee" == info.value.what
    assert "groups[0].trainees" == info.value.where


@pytest.mark.parametrize(
    ("session", "what"),
    [
        ({"on": START, "kind": "individual"}, "an individual session names no participants"),
        ({"on": START, "participants": ["p1"]}, "expects every participant"),
        ({"on": START}, "are the same session"),
    ],
)
def test_contradictory_sessions_are_refused(
    program: Program, people: dict[str, Person], session: dict[str, Any], what: str
) -> None:
    """Individual sessions need participants, group sessions must not list them, no repeats."""
    with pytest.raises(GroupError, match=what):
        validate_group(_with_sessions(_group(sessions=1), session), program, people)
