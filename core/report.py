"""Reports for people: a cohort's status and explanations as table, JSON, TOML and CSV; the
coordinator's HTML report; certificates as printable pages, Open Badges 3.0 credentials and
bulk-issue CSV; xAPI statements.

The report models are JSON-ready pydantic models — the engine's own `TraineeStatus` and
`Explanation` under a `CohortReport` — and each renderer takes one and returns text (or
JSON-ready data). Signing credentials needs the ``credentials`` extra and lives apart, in the
commands that sign, so importing this module never loads a cryptography library.
"""

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
from ._report.xapi import xapi_statements

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
    "TraineeStatus",
    "achievement_credential",
    "certificate_records",
    "coordinator_report",
    "credential_id",
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
    "summarise",
    "xapi_statements",
]
