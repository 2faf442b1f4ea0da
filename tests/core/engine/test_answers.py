"""From a folded state to the answers: an explanation lists what counted and what is next."""

from __future__ import annotations

from facilitrack import Engine

from tests.core.engine.conftest import D, attend, enrol, finish_level1


def test_explain_lists_dates_that_counted(engine: Engine) -> None:
    """Explain shows each requirement of the current stage with the dates credited."""
    enrol(engine)
    finish_level1(engine)
    attend(engine, "demo_session", "2026-02-01", "2026-02-08")
    explanation = engine.explain("ana")
    by_key = {r.requirement: r for r in explanation.requirements}
    assert [D("2026-02-01"), D("2026-02-08")] == by_key["demo_session"].dates
    assert "trainee_led" == explanation.next_stage
    text = explanation.text()
    assert "[missing]  2/3  demo_session" in text
    assert "counted: 2026-02-01, 2026-02-08" in text
