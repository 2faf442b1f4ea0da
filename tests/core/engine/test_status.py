"""What the engine answers, as people read it: an explanation's text."""

from __future__ import annotations

from facilitrack import Explanation, Progress
from facilitrack._report import render_explanation
from facilitrack._text import display_width

from tests.core.report.conftest import D, trainee


def test_explanation_text_shows_have_need_dates_and_next() -> None:
    """The explanation lists each requirement's mark, have/need and counted dates, then what is next."""
    expl = Explanation(
        cohort="Demo Spring",
        status=trainee("ana", "Ana Gómez"),
        stage="demonstration",
        requirements=[
            Progress(stage="demonstration", requirement="demo_session", kind="attendance",
                     title="demo session", have=1, need=3, met=False, waived=False, dates=[D("2026-02-01")]),
            Progress(stage="demonstration", requirement="process_recording", kind="artifact",
                     title="process recording", have=0, need=1, met=True, waived=True, dates=[]),
        ],
        next_stage="trainee_led", next_title="Trainee-led group",
    )
    text = render_explanation(expl)
    assert "Ana Gómez (ana) · Demo Spring · demo 1.0, toddler track · all events" in text
    assert "  [missing]  1/3  demo_session" in text
    assert "counted: 2026-02-01" in text
    assert "  [waived ]  0/1  process_recording" in text
    assert "next: Trainee-led group" in text
    assert all(display_width(line) <= 80 for line in text.splitlines())


def test_explanation_header_wraps_like_its_body() -> None:
    """A long first line (name, cohort, program, track, date) breaks between its parts to fit
    the width, as the rest of the explanation does; a short one stays one line."""
    olu = trainee("olu", "Oluwaseun Adeyemi-Okafor")
    expl = Explanation(cohort="Strong Roots Pilot Cohort 2025/26", status=olu, requirements=[])
    lines = render_explanation(expl).splitlines()
    assert all(display_width(line) <= 80 for line in lines)
    assert "Oluwaseun Adeyemi-Okafor (olu) · Strong Roots Pilot Cohort 2025/26" == lines[0]
    assert "  demo 1.0, toddler track · all events" == lines[1]
    assert "stage: Demonstration group" == lines[2]
    for width in (40, 60):
        assert all(display_width(line) <= width for line in render_explanation(expl, width).splitlines())
