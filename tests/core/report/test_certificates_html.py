"""Printable certificates: what each sheet says of the certificate."""

from __future__ import annotations

from datetime import date

from facilitrack._report.certificates_html import render_certificates_html

from tests.core.report.conftest import ISSUER, _records


def test_a_certificate_that_expires_prints_the_day_it_expires() -> None:
    """The sheet prints the expiry date beside the issue date; one that does not expire, none."""
    record = _records()[0]
    page = render_certificates_html([record.model_copy(update={"expires": date(2028, 9, 13)})], ISSUER)
    assert 'Expires <b><time datetime="2028-09-13">13 September 2028</time></b>' in page
    assert "Expires" not in render_certificates_html([record], ISSUER)
