"""The JSON Canonicalization Scheme (RFC 8785), checked against W3C's test vector."""

from __future__ import annotations

import json

import pytest
from facilitrack._report.jcs import canonicalize

from tests.core.report.conftest import DATA


def test_jcs_matches_the_w3c_canonical_document() -> None:
    """JCS of the W3C unsigned credential is byte for byte the suite's canonical document."""
    unsigned = json.loads((DATA / "vc-di-eddsa" / "unsigned.json").read_text())
    assert (DATA / "vc-di-eddsa" / "canonDocJCS.txt").read_text().strip() == canonicalize(unsigned).decode()


@pytest.mark.parametrize(("value", "text"), [
    (1e21, "1e+21"), (1e-7, "1e-7"), (333333333.3333333, "333333333.3333333"), (100.0, "100"),
    (5e-324, "5e-324"), (0.000001, "0.000001"), (-1.5, "-1.5"),
    (295147905179352830000.0, "295147905179352830000"),
])
def test_jcs_writes_numbers_as_ecmascript_does(value: float, text: str) -> None:
    """Numbers serialise as RFC 8785 requires (ECMAScript's Number.toString)."""
    assert text.encode() == canonicalize(value)


def test_jcs_sorts_members_by_utf16_and_escapes_minimally() -> None:
    """Members sort by UTF-16 code units; only quotes, backslashes and controls are escaped."""
    assert '{"\\n":1,"a":"é\\"\\u001f","\U0001f600":2,"\ufb33":3}'.encode() == canonicalize(
        {"\ufb33": 3, "a": 'é"\x1f', "\U0001f600": 2, "\n": 1}
    )
