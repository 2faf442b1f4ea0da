"""Reports for people: a cohort's status and explanations as table, JSON, TOML and CSV; the
coordinator's HTML report; certificates as printable pages, Open Badges 3.0 credentials and
bulk-issue CSV; xAPI statements.

The report models are JSON-ready pydantic models — the engine's own `TraineeStatus` and
`Explanation` under a `CohortReport` — and each renderer takes one and returns text (or
JSON-ready data). Signing and checking credentials (`sign`, `check_credential`,
`generate_key`, `read_key`, `read_credentials`, `IssuerKey`, `Verification`) need the
``credentials`` extra: they load when first named, so importing this module never loads a
cryptography library. Every other name loads when first named too (PEP 562).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._lazy import load

if TYPE_CHECKING:
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
    from ._report.signing import (
        IssuerKey,
        Verification,
        check_credential,
        generate_key,
        read_credentials,
        read_key,
        sign,
    )
    from ._report.view import CoordinatorReport, coordinator_report
    from ._report.xapi import journal_statements, xapi_statements

#: Public name → the private module that defines it (the signing names: the ``credentials``
#: extra, loaded only when named).
_NAMES: dict[str, str] = {
    "achievement_credential": "._report.ob3",
    "certificate_records": "._report.certificates",
    "CertificateRecord": "._report.certificates",
    "CertificateStatus": "._engine.status",
    "check_credential": "._report.signing",
    "CohortReport": "._report",
    "CohortSummary": "._report",
    "Contact": "._model.issuer",
    "coordinator_report": "._report.view",
    "CoordinatorReport": "._report.view",
    "credential_id": "._report.ob3",
    "EvidenceLine": "._report.certificates",
    "Explanation": "._engine.status",
    "Format": "._report",
    "FORMATS": "._report",
    "generate_key": "._report.signing",
    "GroupsReport": "._report",
    "Issuer": "._model.issuer",
    "IssuerKey": "._report.signing",
    "journal_statements": "._report.xapi",
    "read_credentials": "._report.signing",
    "read_key": "._report.signing",
    "render": "._report",
    "render_bulk_csv": "._report.bulk_csv",
    "render_certificates_html": "._report.certificates_html",
    "render_csv": "._report",
    "render_explanation": "._report",
    "render_groups_table": "._report",
    "render_html": "._report.html",
    "render_json": "._report",
    "render_table": "._report",
    "render_toml": "._report",
    "requirement_progress": "._report.progress",
    "sign": "._report.signing",
    "summarise": "._report",
    "TraineeStatus": "._engine.status",
    "Verification": "._report.signing",
    "xapi_statements": "._report.xapi",
}

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
    """Import a name's module when the name is first used."""
    return load(globals(), _NAMES, name)


def __dir__() -> list[str]:
    return __all__
