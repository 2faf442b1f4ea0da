"""A group as the cohort file writes it: its dates read like every other date of the file."""

from __future__ import annotations

from datetime import date

import pytest
from facilitrack.plugin import Group

from tests.core.groups.conftest import START


def test_group_dates_read_like_the_rest_of_the_cohort_file() -> None:
    """ISO strings always read; other forms read through the context's `parse_date`."""
    data = {"id": "g", "kind": "community", "starts": "2026-02-02",
            "participants": [{"id": "p1", "parent": "P", "child_born": "14.9.2023"}]}
    with pytest.raises(ValueError, match=r"not a date: '14\.9\.2023'"):
        Group.model_validate(data)

    def day_first(text: str) -> date | None:
        d, m, y = (int(x) for x in text.split("."))
        return date(y, m, d)

    group = Group.model_validate(data, context={"parse_date": day_first})
    assert (START, date(2023, 9, 14)) == (group.starts, group.participants[0].child_born)
