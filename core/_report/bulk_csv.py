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
``date_style="us"`` (mm/dd/yy, as Credly requires).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Literal

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
        issued = r.issued.strftime("%m/%d/%y") if date_style == "us" else r.issued.isoformat()
        narrative = f"Completed {r.stage_title} ({r.program_name} {r.program_version})."
        writer.writerow([_cell(v) for v in (
            templates.get(key, templates.get(r.stage, key)), r.email or "", first, last, issued,
            r.display_name, "", r.trainee, narrative,
        )])
    return out.getvalue()


def _cell(value: str) -> str:
    """`value`, kept from being read as a formula by a spreadsheet (names come from users)."""
    return "'" + value if value[:1] in ("=", "+", "@", "\t", "\r") else value
