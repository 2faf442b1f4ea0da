"""Strong Roots: the group's facts with sources, and a facilitator pathway of labelled assumptions."""

from __future__ import annotations

from collections.abc import Callable

from facilitrack import Program


def test_group_facts_are_in_the_description_with_their_sources(
    bundled: Callable[[str], Program],
) -> None:
    """13 sessions (3 individual, 10 group), 2 facilitators and the Child Team, each sourced."""
    program = bundled("strong_roots")

    for fact in ("13 sessions", "3 individual and 10 group", "2 facilitators", "Child Team",
                 "reflective supervision"):
        assert fact in program.description, fact
    assert "'the Child Team which provides each child" in (program.source or "")
    assert "registry entry for Mom Power: 13 sessions" in " ".join((program.source or "").split())


def test_facilitator_pathway_stages(bundled: Callable[[str], Program]) -> None:
    """level1 → demonstration (with a certified trainer) → trainee_led."""
    program = bundled("strong_roots")

    assert ["level1", "demonstration", "trainee_led"] == [s.key for s in program.stages]
    assert ["pairing"] == [
        r.kind for r in program.stages[1].requirements if r.kind == "pairing"
    ]


def test_unpublished_training_counts_are_labelled_assumptions(
    bundled: Callable[[str], Program],
) -> None:
    """Every count not taken from the group's 13 sessions says it is an assumption."""
    program = bundled("strong_roots")
    group_counts = {"group_session", "individual_session"}

    unlabelled = [
        (s.key, r.key) for s in program.stages for r in s.requirements
        if r.key not in group_counts and not (r.note or "").startswith("Assumption: ")
    ]

    assert [] == unlabelled
    assert {10, 3} == {
        r.count for s in program.stages for r in s.requirements if r.key in group_counts
    }
