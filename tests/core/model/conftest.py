"""The model tests' fixtures: the demo program with group rules, as the groups tests judge it."""

from __future__ import annotations

import pytest
from facilitrack import Program

from tests.core.groups.conftest import _program


@pytest.fixture
def program() -> Program:
    """The demo program with MPG/RPP-shaped group rules."""
    return _program()
