"""The conformance check: every bundled and example program passes; broken ones are caught."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, ClassVar, Literal

import pytest
from facilitrack import PluginError, Program, hookimpl, load_plugins, load_program, parse_program
from facilitrack.plugin import Context, Measure, Requirement, RequirementKinds
from facilitrack.testing import ConformanceError, check_program, conformance, programs_of

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ["mpg", "rpp", "duet", "strong_roots"]


@pytest.mark.parametrize("version", ["1.0", "2.0"])
@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_program_conforms(bundled: Callable[..., Program], name: str, version: str) -> None:
    """Each bundled program, each version, is valid, cited, completable, and every requirement holds back."""
    check_program(bundled(name, version))


def test_example_package_program_conforms(monkeypatch: pytest.MonkeyPatch) -> None:
    """The example adaptation, with its own `rounds` kind, passes the same check."""
    monkeypatch.syspath_prepend(str(ROOT / "examples" / "adaptation" / "src"))
    [circle] = programs_of(importlib.import_module("facilitrack_circle"))

    assert ["course", "video_review", "facilitation", "endorsement"] == [s.key for s in circle.stages]
    check_program(circle)


def test_example_toml_program_conforms() -> None:
    """The data-only adaptation passes the check."""
    check_program(load_program(ROOT / "examples" / "adaptation-toml" / "program.toml"))


def test_the_kit_offers_the_check_as_a_fixture(facilitrack_check: Callable[..., None]) -> None:
    """With the kit loaded (tests/conftest.py asks for it), tests get the `facilitrack_check` fixture."""
    assert check_program is facilitrack_check


KIT_TEST = """
def test_check(facilitrack_check):
    assert callable(facilitrack_check)
"""


def test_the_kit_is_opt_in(pytester: pytest.Pytester) -> None:
    """Installing facilitrack adds nothing to other pytest runs; `-p` or `pytest_plugins` loads the kit."""
    assert [] == [ep.value for ep in entry_points(group="pytest11") if ep.value.startswith("facilitrack")]
    pytester.makepyfile(test_kit=KIT_TEST)
    lean = ("-p", "no:hypothesispytest", "-p", "no:cacheprovider")  # other plugins, slow to load

    pytester.runpytest(*lean).assert_outcomes(errors=1)
    pytester.runpytest(*lean, "-p", "facilitrack.testing").assert_outcomes(passed=1)
    pytester.makeconftest('pytest_plugins = ["facilitrack.testing"]\n')
    pytester.runpytest(*lean).assert_outcomes(passed=1)


# -- broken definitions are caught -------------------------------------------------------------


class Stuck(Requirement):
    """A kind no trainee can ever meet."""

    kind: Literal["stuck"] = "stuck"
    credited_by: ClassVar[str | None] = "attended"

    def measure(self, acc: Any, context: Context) -> Measure:
        return Measure(0, self.count, False)


class Lenient(Requirement):
    """A kind that is met before anything happens: it never holds a trainee back."""

    kind: Literal["lenient"] = "lenient"
    credited_by: ClassVar[str | None] = "attended"

    def measure(self, acc: Any, context: Context) -> Measure:
        return Measure(self.count, self.count, True)


class Unsynthesisable(Requirement):
    """A kind credited by an event kind the default protocol does not know."""

    kind: Literal["unsynthesisable"] = "unsynthesisable"
    credited_by: ClassVar[str | None] = "note"


def _program(*second_stage: dict[str, Any], **first_requirement: Any) -> Program:
    kinds = RequirementKinds()
    for cls in (Stuck, Lenient, Unsynthesisable):
        kinds.register(cls)
    first = {"kind": "attendance", "key": "day", "count": 2, "source": "test"}
    return parse_program(
        {
            "key": "broken", "name": "Broken", "version": "1.0", "organisation": "Tests",
            "stages": [
                {"key": "one", "title": "One", "source": "test",
                 "requirements": [first | first_requirement]},
                {"key": "two", "title": "Two", "source": "test", "requirements": list(second_stage)},
                {"key": "three", "title": "Three", "source": "test",
                 "requirements": [{"kind": "attendance", "key": "end", "source": "test"}]},
            ],
        },
        origin="tests", kinds=kinds,
    )


def _findings(program: Program, **options: Any) -> list[tuple[str, str]]:
    return [(f.check, f.where) for f in conformance(program, **options)]


def test_a_requirement_nobody_can_meet_makes_later_stages_unreachable() -> None:
    """A stage that never completes: not certified, and the stage after it is unreachable."""
    program = _program({"kind": "stuck", "key": "session", "count": 3, "source": "test"})

    findings = _findings(program)

    assert ("certifies", "broken@1.0") in findings
    assert ("reachable", "stage three") in findings


def test_a_requirement_that_never_holds_back_is_caught() -> None:
    """A trainee one short of a requirement must be stuck at its stage; its events must count."""
    program = _program({"kind": "lenient", "key": "session", "count": 3, "source": "test"})

    assert [
        ("certifies", "broken@1.0"), ("one_short", "stage two, lenient session"),
    ] == _findings(program)


def test_a_credential_rule_letting_everyone_in_is_caught() -> None:
    """A credential rule that allows every credential can never hold anyone back."""
    program = _program(
        {"kind": "credential", "source": "test",
         "allowed": ["licensed", "pre_licensed", "early_childhood", "other"]},
    )

    findings = conformance(program)

    assert [("one_short", "stage two, credential credential")] == [(f.check, f.where) for f in findings]
    assert "never holds anyone back" in findings[0].message


def test_a_kind_without_synthetic_events_says_what_to_override() -> None:
    """The check names `synthetic_events` when a kind's events cannot be made by default."""
    program = _program({"kind": "unsynthesisable", "key": "session", "source": "test"})

    findings = conformance(program)

    assert "override synthetic_events" in findings[0].message
    assert "stage two, unsynthesisable session" == findings[0].where


def test_uncited_requirements_are_reported_unless_not_asked() -> None:
    """A count with neither source nor note is a finding; `cited=False` skips that check."""
    program = _program(
        {"kind": "attendance", "key": "session", "count": 2, "source": "test"}, source=None,
    )

    assert [("cited", "stage one, attendance day")] == _findings(program)
    assert [] == _findings(program, cited=False)


def test_one_short_checks_pairing_and_artifact_status() -> None:
    """Built-in kinds pass: the trainer and the artifact status are what the short trainee lacks."""
    program = _program(
        {"kind": "pairing", "source": "test"},
        {"kind": "artifact", "key": "video", "count": 2, "status": "approved", "source": "test"},
        {"kind": "credential", "source": "test", "allowed": ["licensed"],
         "with_co_leader": ["other"]},
    )

    assert [] == _findings(program)


def test_check_program_raises_an_assertion_listing_every_finding() -> None:
    """`check_program` fails a test with one line per finding, naming the program."""
    program = _program({"kind": "lenient", "key": "session", "count": 3, "source": "test"})

    with pytest.raises(AssertionError) as info:
        check_program(program)

    assert isinstance(info.value, ConformanceError)
    assert (
        "broken@1.0 does not conform:\n"
        "  [certifies] broken@1.0: a synthetic event was not credited: session belongs to stage"
        " two, already completed; not credited\n"
        "  [one_short] stage two, lenient session: a trainee one short of it should be stuck at"
        " two, but is three"
    ) == str(info.value)


class _BrokenPlugin:
    @hookimpl
    def facilitrack_programs(self, register: Callable[[str], None]) -> None:
        register("no/such/program.toml")


def test_programs_of_raises_the_plugins_failure() -> None:
    """A plugin that cannot register its program fails loudly, not with an empty list."""
    with pytest.raises(PluginError, match="file not found"):
        programs_of(_BrokenPlugin())


def test_uncited_group_rule_is_a_finding() -> None:
    """A group rule with neither a source nor an assumption note fails the citation check."""
    mpg = load_plugins().programs.get("mpg", "1.0")
    assert mpg.groups is not None
    assert mpg.groups.facilitators is not None
    bare = mpg.groups.facilitators.model_copy(update={"source": None, "note": None})
    program = mpg.model_copy(update={"groups": mpg.groups.model_copy(update={"facilitators": bare})})
    findings = conformance(program)
    assert [("cited", "mpg@1.0 groups.facilitators")] == [(f.check, f.where) for f in findings]



def test_an_uncited_renewal_requirement_is_a_finding() -> None:
    """The hours that renew a certificate are a number like any other: cite them or label them."""
    program = parse_program({
        "key": "renewed", "name": "Renewed", "version": "1.0", "organisation": "Tests",
        "stages": [{"key": "s1", "title": "Stage 1", "source": "test",
                    "certificate": {"title": "Done", "valid_for": {"years": 2},
                                    "renewal": [{"kind": "attendance", "key": "refresher", "count": 3}]},
                    "requirements": [{"kind": "attendance", "key": "course", "source": "test"}]}],
    }, origin="tests")

    assert [("cited", "renewed@1.0 renewal, attendance refresher")] == _findings(program)
    assert [] == _findings(program, cited=False)

# -- trees, gates and prerequisites ------------------------------------------------------------


def _define(key: str, *stages: list[dict[str, Any]], **fields: Any) -> Program:
    """A program of one stage per list of requirements (stage keys s1, s2...), every node cited."""
    return parse_program(
        {
            "key": key, "name": key, "version": "1.0", "organisation": "Tests", **fields,
            "stages": [
                {"key": f"s{i}", "title": f"Stage {i}", "source": "test", "requirements": reqs}
                for i, reqs in enumerate(stages, start=1)
            ],
        },
        origin="tests",
    )


VOCABULARY = {
    "credentials": [{"key": "licensed", "roles": ["clinician"]}, {"key": "other"}],
    "roles": [{"key": "clinician"}, {"key": "trainer"}, {"key": "senior_trainer"}],
}


def test_a_leaf_waiting_for_another_may_be_missed_with_it() -> None:
    """One short of a leaf others wait for (opens_when, a met: window), they may be missed too."""
    program = _define(
        "gated",
        [
            {"kind": "artifact", "key": "letter", "source": "test"},
            {"kind": "attendance", "key": "quiz", "opens_when": "letter", "source": "test"},
            {"kind": "all_of", "key": "follow_up", "source": "test", "requirements": [
                {"kind": "attendance", "key": "call", "count": 2, "source": "test",
                 "window": {"from": "met:quiz", "months": 1}},
            ]},
        ],
    )

    assert [] == _findings(program)


def test_a_prerequisite_that_expires_is_earned_just_before_enrolling() -> None:
    """A prerequisite's journal ends the day before enrolling: valid, and later work counts."""
    first = parse_program({
        "key": "first", "name": "First", "version": "1.0", "organisation": "Tests",
        "stages": [
            {"key": "s1", "title": "Stage 1", "source": "test",
             "requirements": [{"kind": "attendance", "key": "course", "count": 3, "source": "test"}]},
            {"key": "s2", "title": "Stage 2", "source": "test",
             "requirements": [{"kind": "attendance", "key": "exam", "source": "test"}]},
            {"key": "s3", "title": "Stage 3", "source": "test",
             "certificate": {"title": "First", "valid_for": {"years": 1}},
             "requirements": [{"kind": "attendance", "key": "review", "source": "test"}]},
        ],
    }, origin="tests")
    second = _define(
        "second",
        [{"kind": "certificate", "program": "first", "source": "test"}],
        [{"kind": "attendance", "key": "practice", "count": 2, "source": "test"}],
    )

    assert [] == _findings(second, programs=[first])


def test_a_trainer_asked_for_two_roles_holds_both() -> None:
    """A synthetic trainer two pairings ask for with different roles holds both."""
    first = _define(
        "first", [{"kind": "pairing", "role": "trainer", "source": "test"}], vocabulary=VOCABULARY,
    )
    second = _define(
        "second",
        [{"kind": "certificate", "program": "first", "source": "test"}],
        [{"kind": "pairing", "role": "senior_trainer", "source": "test"}],
        vocabulary=VOCABULARY,
    )

    assert [] == _findings(second, programs=[first])



def test_one_short_of_a_route_by_credential_takes_no_other_route() -> None:
    """One short of an `any_of`'s first role, the trainee gets no credential opening another route."""
    vocabulary = {
        "credentials": [{"key": "licensed", "roles": ["clinician"]},
                        {"key": "student", "roles": ["advanced_student"]},
                        {"key": "other"}],
        "roles": [{"key": "clinician"}, {"key": "advanced_student"}],
    }
    program = _define(
        "routes",
        [{"kind": "any_of", "key": "route", "source": "test", "requirements": [
            {"kind": "role", "role": "clinician", "source": "test"},
            {"kind": "role", "role": "advanced_student", "source": "test"},
        ]}],
        [{"kind": "attendance", "key": "course", "source": "test"}],
        vocabulary=vocabulary,
    )

    assert [] == _findings(program)
