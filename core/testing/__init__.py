"""Test kits for people who extend facilitrack: program authors and store authors.

`check_program` (`programs`) runs the conformance check on a program definition; it needs no
pytest. This package is also a pytest plugin offering fixtures (`fixtures`). It is opt-in:
``pytest_plugins = ["facilitrack.testing"]`` in a conftest, or ``pytest -p facilitrack.testing``.
"""

import contextlib

from .programs import ConformanceError, Finding, check_program, conformance, programs_of

with contextlib.suppress(ImportError):  # without pytest there are no fixtures to offer
    from .fixtures import CliResult, FacilitrackProject, facilitrack_check, facilitrack_project

__all__ = [
    "CliResult",
    "ConformanceError",
    "FacilitrackProject",
    "Finding",
    "check_program",
    "conformance",
    "facilitrack_check",
    "facilitrack_project",
    "programs_of",
]
