"""What the report tests build on: trainees' statuses and a cohort report over them; the MPG example's
certificates, an issuer, and the test vectors in tests/data."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

from facilitrack import Certificate, Progress, TraineeStatus
from facilitrack._cohort import load_cohort
from facilitrack._model.issuer import Issuer
from facilitrack._report import CohortReport, CohortSummary
from facilitrack._report.certificates import CertificateRecord, certificate_records

D = date.fromisoformat


def trainee(tid: str, name: str | None, **kw: Any) -> TraineeStatus:
    """A trainee line with defaults for what the test does not care about."""
    fields: dict[str, Any] = {
        "id": tid, "name": name, "credential": "licensed", "trainer": "dr-miller",
        "program": "demo", "version": "1.0", "track": "toddler", "stage": "demonstration",
        "stage_title": "Demonstration group", "certified": False,
        "certificates": [Certificate(stage="level1", title="Level 1", on=D("2026-01-11"), event="ev-0")],
        "missing": [Progress(stage="demonstration", requirement="demo_session", kind="attendance",
                             title="demo session", have=1, need=3, met=False)],
        "problems": [],
    }
    fields.update(kw)
    return TraineeStatus(**fields)


def report(*trainees: TraineeStatus, name: str = "Demo Spring") -> CohortReport:
    """A report over `trainees`."""
    return CohortReport(
        cohort=CohortSummary(
            name=name, file="cohort.toml", program="demo", program_name="Demo", version="1.0",
            track="toddler", as_of=None, trainees=len(trainees),
            certified=sum(t.certified for t in trainees),
            with_problems=sum(bool(t.problems) for t in trainees),
        ),
        trainees=list(trainees),
    )


NAMES = ["Ana Gómez", unicodedata.normalize("NFD", "Ana Gómez"), "נועה כהן", "שָׁלוֹם לוי", "李小龍", "Bo"]
MIXED = report(*(trainee(f"t{i}", name) for i, name in enumerate(NAMES)))


ROOT = Path(__file__).parents[3]
DATA = ROOT / "tests" / "data"
MPG = ROOT / "examples" / "mpg" / "cohort.toml"
ISSUER = Issuer(name="Center for Reflective Communities", url="https://crc.example.org",
                email="t@crc.example.org")


def _records(path: Path = MPG) -> list[CertificateRecord]:
    cohort = load_cohort(path)
    return certificate_records(cohort.engine, cohort.doc.contacts())
