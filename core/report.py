"""Reports for people: a cohort's status and explanations as table, JSON, TOML and CSV; the
coordinator's HTML report; certificates as printable pages, Open Badges 3.0 credentials and
bulk-issue CSV; xAPI statements.

The report models are JSON-ready pydantic models — the engine's own `TraineeStatus` and
`Explanation` under a `CohortReport` — and each renderer takes one and returns text (or
JSON-ready data). Signing and checking credentials (`sign`, `check_credential`,
`generate_key`, `read_key`, `read_credentials`, `IssuerKey`, `Verification`) need the
``credentials`` extra: they load when first named, so importing this module never loads a
cryptography library.
"""

from typing import TYPE_CHECKING, Any

from ._engine.status import CertificateStatus, Explanation, TraineeStatus
from ._model.issuer import Contact, Issuer
from ._report import (
    FORMATS,
    CohortReport,
    CohortSummary,
    Format,
    GroupsReport,
    render,
    render_csv,
    render_explanation,
    render_groups_table,
    render_json,
    render_table,
    render_toml,
    summarise,
)
from ._report.bulk_csv import render_bulk_csv
from ._report.certificates import CertificateRecord, EvidenceLine, certificate_records
from ._report.certificates_html import render_certificates_html
from ._report.html import render_html
from ._report.ob3 import achievement_credential, credential_id
from ._report.progress import requirement_progress
from ._report.view import CoordinatorReport, coordinator_report
from ._report.xapi import journal_statements, xapi_statements

if TYPE_CHECKING:
    from ._report.signing import (
        IssuerKey,
        Verification,
        check_credential,
        generate_key,
        read_credentials,
        read_key,
        sign,
    )

#: Names of `facilitrack._report.signing`, loaded when first asked for (the extra).
_SIGNING = ("IssuerKey", "Verification", "check_credential", "generate_key", "read_credentials",
            "read_key", "sign")

__all__ = [
    "FORMATS",
    "CertificateRecord",
    "CertificateStatus",
    "CohortReport",
    "CohortSummary",
    "Contact",
    "CoordinatorReport",
    "EvidenceLine",
    "Explanation",
    "Format",
    "GroupsReport",
    "Issuer",
    "IssuerKey",
    "TraineeStatus",
    "Verification",
    "achievement_credential",
    "certificate_records",
    "check_credential",
    "coordinator_report",
    "credential_id",
    "generate_key",
    "journal_statements",
    "read_credentials",
    "read_key",
    "render",
    "render_bulk_csv",
    "render_certificates_html",
    "render_csv",
    "render_explanation",
    "render_groups_table",
    "render_html",
    "render_json",
    "render_table",
    "render_toml",
    "requirement_progress",
    "sign",
    "summarise",
    "xapi_statements",
]


def __getattr__(name: str) -> Any:
    """The signing names load the ``credentials`` extra: only when asked for."""
    if name in _SIGNING:
        from ._report import signing

        return getattr(signing, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
