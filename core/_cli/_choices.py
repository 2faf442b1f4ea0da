"""The fixed choices the parser offers, spelt out so building it imports no model.

Each mirrors a library constant (tests/cli/test_choices.py keeps them equal): `--help` and shell
completion then cost no more than argparse itself, and a command loads the library when it runs.
"""

from __future__ import annotations

#: `facilitrack._report.FORMATS`: how a cohort report is printed.
REPORT_FORMATS = ("table", "json", "toml", "csv")

#: The values of `facilitrack.ArtifactStatus`, in their order.
ARTIFACT_STATUSES = ("submitted", "presented", "approved")

#: `facilitrack._stores.EXPORT_FORMATS`: what ``facilitrack export`` writes of a store.
EXPORT_FORMATS = ("json", "jsonl", "toml")
