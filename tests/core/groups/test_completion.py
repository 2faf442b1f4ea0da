"""Parents' completion: who finished the series, who missed too many sessions, and their record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from facilitrack import Program
from facilitrack._groups import parent_completions
from hypothesis import given, settings

from tests import strategies
from tests.core.groups.conftest import START, _group, _program, _with_sessions


@pytest.mark.parametrize(("missed", "completed"), [(2, True), (3, False)])
def test_parent_absent_from_three_of_twelve_has_not_completed(
    program: Program, missed: int, completed: bool
) -> None:
    """Absent from 2 of 12 sessions completes; from 3 does not (crc-faq.txt)."""
    group = _group(absent={i: ["p1"] for i in (1, 5, 9)[:missed]}, agency="Family Centre")
    record = parent_completions(group, program)[0]
    assert (completed, missed) == (record.completed, record.missed)
    if completed:
        assert record.certificate is not None
        assert ("Family Centre", START, START + timedelta(weeks=11)) == (
            record.certificate.issued_by, record.certificate.first_session, record.certificate.last_session
        )
    else:
        assert ("not_completed", None) == (record.status, record.certificate)
        assert "crc-faq.txt: more than two sessions" == record.source


def test_completion_record_dates_and_court_order(program: Program) -> None:
    """The record holds the first and last session attended and notes a court order."""
    group = _group(absent={0: ["p2"], 11: ["p2"]}, agency="Family Centre")
    group = group.model_copy(update={"participants": (
        group.participants[0], group.participants[1].model_copy(update={"court_ordered": True}),
        *group.participants[2:],
    )})
    record = parent_completions(group, program)[1]
    assert record.certificate is not None
    assert (START + timedelta(weeks=1), START + timedelta(weeks=10), True) == (
        record.certificate.first_session, record.certificate.last_session, record.certificate.court_ordered
    )
    assert START + timedelta(weeks=11) == record.certificate.on


def test_series_in_progress_gives_no_record_yet(program: Program) -> None:
    """Before the series is over a parent is in progress, unless already past the limit."""
    group = _group(sessions=6, absent={0: ["p1"], 1: ["p1"], 2: ["p1", "p2"]})
    p1, p2 = parent_completions(group, program)[:2]
    assert ("not_completed", "in_progress") == (p1.status, p2.status)
    assert p2.certificate is None


def test_allowed_make_up_session_offsets_one_absence() -> None:
    """Where a program offers make-ups, attending one makes up one missed session."""
    program = _program(attendance={"max_missed": 2, "makeup": True, "note": "Assumption: test"})
    group = _with_sessions(_group(absent={i: ["p1"] for i in (1, 2, 3)}),
                           {"on": START + timedelta(days=10), "makeup": True, "participants": ["p1"]})
    record = parent_completions(group, program)[0]
    assert (True, 2) == (record.completed, record.missed)


@settings(max_examples=150, deadline=None)
@given(absences=strategies.absences(12))
def test_completion_depends_only_on_the_number_of_absences(absences: set[int]) -> None:
    """Over a full 12-session series a parent completes iff they missed at most 2."""
    program = _program()
    record = parent_completions(_group(absent={i: ["p3"] for i in absences}), program)[2]
    assert (len(absences) <= 2, len(absences), 12 - len(absences)) == (
        record.completed, record.missed, record.attended
    )
    assert (record.certificate is not None) == record.completed


def test_parent_record_lists_the_sessions_missed(program: Program) -> None:
    """`absences` holds the dates of the regular sessions a parent missed, in date order."""
    record = parent_completions(_group(absent={4: ["p2"], 1: ["p2"]}), program)[1]
    assert [START + timedelta(weeks=1), START + timedelta(weeks=4)] == record.absences
