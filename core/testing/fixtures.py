"""pytest fixtures for plugin authors (``-p facilitrack.testing`` loads them)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .programs import check_program


@pytest.fixture
def facilitrack_check() -> Callable[..., None]:
    """`check_program`, for a plugin's tests: ``facilitrack_check(program)``."""
    return check_program
