"""Test kits for people who extend facilitrack: program authors and store authors.

`check_program` (`programs`) runs the conformance check on a program definition; it needs no
pytest. As a pytest plugin this module also offers fixtures (`fixtures`).
"""

import contextlib

from .programs import ConformanceError, Finding, check_program, conformance, programs_of

with contextlib.suppress(ImportError):  # without pytest there are no fixtures to offer
    from .fixtures import facilitrack_check

__all__ = [
    "ConformanceError",
    "Finding",
    "check_program",
    "conformance",
    "facilitrack_check",
    "programs_of",
]
