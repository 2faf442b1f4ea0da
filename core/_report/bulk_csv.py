"""The bulk-issue CSV badge platforms take: one row per certificate to issue.

Columns, and the platforms' own names for them (each platform's bulk-issue help, 2025):

| column | Credly | Canvas Credentials (Badgr) | Accredible |
|---|---|---|---|
| Badge Template ID | Badge Template ID (required) | Badge Class ID | the group (chosen on upload) |
| Recipient Email | Recipient Email (required) | Identifier (required) | Recipient Email |
| First Name | First Name (required) | First Name | - |
| Last Name | Last Name (required) | Last Name | - |
| Issued at date | Issued at date (required; mm/dd/yy) | Issue Date | Issued on |
| Recipient Name | - | Recipient Name | Recipient Name |
| Expiration Date | Expiration Date | Expiration Date | Expiry date |
| Issuer Earner ID | Issuer Earner ID | - | - |
| Narrative | - | Narrative | - |

Badgr and Accredible map columns on upload; Credly wants its template's headers, so copy these
columns into a freshly downloaded Credly template. Dates are ISO (2026-06-30) unless
``date_style="us"`` (mm/dd/yy, as Credly requires). The Expiration Date is the first day the
certificate is no longer valid, empty for one that does not expire. A cell a spreadsheet would
run as a formula (``=``, ``+``, ``-``, ``@``, tab or CR first) starts with a single quote instead
(`facilitrack._text.spreadsheet_safe`, as in every CSV facilitrack writes).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Literal

from .._text import spreadsheet_safe
from .certificates import CertificateRecord

COLUMNS = (
    "Badge Template ID", "Recipient Email", "First Name", "Last Name", "Issued at date",
    "Recipient Name", "Expiration Date", "Issuer Earner ID", "Narrative",
)
DateStyle = Literal["iso", "us"]


def template_key(record: CertificateRecord) -> str:
    """The default badge template: ``program.stage`` (map it with ``templates``)."""
    return f"{record.program}.{record.stage}"


def split_name(record: CertificateRecord) -> tuple[str, str, bool]:
    """First and last name: the given and family names, else `name` split at its first space.

    The flag says the name was split (the coordinator should check it).
    """
    if record.given_name or record.family_name:
        return record.given_name or "", record.family_name or "", False
    name = record.name or ""
    first, _, last = name.strip().partition(" ")
    return first, last.strip(), bool(name)


def render_bulk_csv(
    records: Sequence[CertificateRecord],
    *,
    templates: Mapping[str, str] | None = None,
    date_style: DateStyle = "iso",
) -> str:
    """One row per record, in `COLUMNS`.

    :param templates: the platform's template id by ``program.stage`` or ``stage`` key.
    """
    templates = templates or {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for r in records:
        key = template_key(r)
        first, last, _ = split_name(r)
        issued = _date(r.issued, date_style)
        expires = _date(r.expires, date_style) if r.expires else ""
        narrative = f"Completed {r.stage_title} ({r.program_name} {r.program_version})."
        writer.writerow([spreadsheet_safe(v) for v in (
            templates.get(key, templates.get(r.stage, key)), r.email or "", first, last, issued,
            r.display_name, expires, r.trainee, narrative,
        )])
    return out.getvalue()


def _date(day: date, style: DateStyle) -> str:
    return day.strftime("%m/%d/%y") if style == "us" else day.isoformat()
