"""Stores as the commands use them: opened from a URL, read into an engine, appended to safely.

`open_store` turns ``--store`` (a path, or a ``postgresql://`` URL) into a `Store`;
`store_engine` builds an engine over it knowing the installed programs and the ones the store
keeps; `append_batches` records with bounded retries; `import_cohort` and `import_export`
bring a cohort file, or another store's export, in; `source.open_source` opens a cohort file
or a store for the reports, the same way (imported by the commands that report). The CLI
parses and prints; this decides.
"""

from .append import RETRIES, append_batches, trainee_versions
from .exchange import EXPORT_FORMATS, Export, export_store, import_export, read_export
from .imports import CohortImport, import_cohort, void_command
from .open import is_url, open_store, redact
from .registry import pinned_programs, store_engine, store_registry
from .report import not_credited, store_report

__all__ = [
    "EXPORT_FORMATS",
    "RETRIES",
    "CohortImport",
    "Export",
    "append_batches",
    "export_store",
    "import_cohort",
    "import_export",
    "is_url",
    "not_credited",
    "open_store",
    "pinned_programs",
    "read_export",
    "redact",
    "store_engine",
    "store_registry",
    "store_report",
    "trainee_versions",
    "void_command",
]
