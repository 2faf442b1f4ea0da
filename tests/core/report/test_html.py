"""The coordinator's report page: what it says of certificates, names and the cohort."""

from __future__ import annotations

from facilitrack._report.certificates import CertificateRecord
from facilitrack._report.html import render_html
from facilitrack._report.view import CoordinatorReport, TraineeView

from tests.core.report.conftest import D, report, trainee


def _record(**kw: object) -> CertificateRecord:
    fields: dict[str, object] = {
        "trainee": "ana", "program": "demo", "program_name": "Demo", "program_version": "1.0",
        "organisation": "Org", "stage": "level1", "stage_title": "Level 1", "title": "Level 1",
        "issued": D("2025-07-25"), "criteria": [], "event": "ev-0",
    }
    return CertificateRecord.model_validate({**fields, **kw})


def _page(*views: TraineeView, **cohort: object) -> str:
    base = report(*(v.trainee for v in views))
    summary = base.cohort.model_copy(update=cohort)
    return render_html(CoordinatorReport(cohort=summary, strips=[], trainees=list(views)))


def test_a_certificate_not_held_says_how_it_stands_in_the_tables_words() -> None:
    """Expired and revoked certificates carry the date, as the table and the CSV write it."""
    expired = _record(expires=D("2027-07-25"), status="expired")
    revoked = _record(stage="level2", status="revoked", revoked_on=D("2026-01-11"))
    page = _page(TraineeView(trainee=trainee("ana", "Ana"), requirements=[], certificates=[expired, revoked]))
    assert '<span class="stage expired">expired 2027-07-25</span>' in page
    assert '<span class="stage revoked">revoked 2026-01-11</span>' in page


def test_a_forgotten_person_is_named_by_their_id() -> None:
    """A card whose trainee has no name left is headed by the id."""
    page = _page(TraineeView(trainee=trainee("ana", None), requirements=[], certificates=[]))
    assert '<h3 class="name" dir="auto">ana</h3>' in page


def test_header_leaves_out_a_program_not_known_yet() -> None:
    """Before any enrolment is known the page names no program, rather than ``- (- -)``."""
    page = _page(program="-", program_name="-", version="-", track="infant")
    assert '<p class="muted">infant track · all events recorded</p>' in page
    assert "(- -)" not in page
