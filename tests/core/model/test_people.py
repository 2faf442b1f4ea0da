"""Who a group may name: the cohort's trainees and its staff, one id each."""

from __future__ import annotations

import pytest
from facilitrack._model.groups import GroupError
from facilitrack._model.people import people_index
from facilitrack.plugin import StaffMember

from tests.core.groups.conftest import TRAINEES


def test_a_staff_id_used_by_a_trainee_is_refused() -> None:
    """One id names one person: a staff entry reusing a trainee id is an error."""
    with pytest.raises(GroupError) as info:
        people_index(TRAINEES, [StaffMember(id="ana", name="Ana", credential="licensed")])
    assert "staff[0].id" == info.value.where
