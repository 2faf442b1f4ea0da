"""The PCIT package as a plugin: both programs conform, it installs, and it guards the modes."""

from __future__ import annotations

from collections.abc import Callable

import facilitrack_pcit
import pytest
from facilitrack import Attended, Engine, InvalidEventError, Program, load_plugins
from facilitrack.testing import check_program, programs_of
from pcit_journeys import MODULES, engine, enrolment


@pytest.fixture
def programs() -> dict[str, Program]:
    """The two programs as the plugin registers them, loaded without other plugins, by key."""
    return {p.key: p for p in programs_of(facilitrack_pcit)}


def test_the_therapist_program_conforms(programs: dict[str, Program]) -> None:
    """pcit_therapist is valid, cited, completable, renewable, and each requirement holds back."""
    check_program(programs["pcit_therapist"])


def test_the_trainer_program_conforms_given_the_therapist_program(programs: dict[str, Program]) -> None:
    """pcit_trainer passes once the check knows the program its prerequisite names."""
    check_program(programs["pcit_trainer"], programs=[programs["pcit_therapist"]], plugins=[facilitrack_pcit])


def test_conforms_through_the_pytest_fixture(
    programs: dict[str, Program], facilitrack_check: Callable[..., None]
) -> None:
    """The `facilitrack_check` fixture, from facilitrack's pytest plugin, runs the same check."""
    facilitrack_check(programs["pcit_therapist"], plugins=[facilitrack_pcit])


def test_installed_plugin_registers_both_programs() -> None:
    """Installed, the package is found through its `facilitrack` entry point, named `pcit`."""
    host = load_plugins()

    assert ("plugin pcit", "plugin pcit") == (
        host.programs.source("pcit_therapist"), host.programs.source("pcit_trainer"),
    )


@pytest.mark.parametrize("mode", ["in_person", "live_virtual", "asynchronous", None])
def test_training_hours_in_a_known_mode_are_recorded(mode: str | None) -> None:
    """The three modes of delivery, or none (counted as synchronous), are accepted."""
    pcit: Engine = engine()
    pcit.record(enrolment("ana"))

    pcit.record(Attended(trainee="ana", activity="initial_training", on=MODULES, quantity=2, mode=mode))

    assert [("initial_training", 2, 40)] == [(m.requirement, m.have, m.need)
                                             for m in pcit.status("ana", today=MODULES).missing]


def test_a_misspelt_mode_is_refused_before_it_escapes_the_limit() -> None:
    """`asynchronus` is no known mode: the plugin refuses the event, and nothing is recorded."""
    pcit = engine()
    pcit.record(enrolment("ana"))

    with pytest.raises(InvalidEventError, match="'asynchronus' is none of these"):
        pcit.record(Attended(trainee="ana", activity="initial_training", on=MODULES, quantity=12,
                             mode="asynchronus"))

    assert [] == pcit.status("ana", today=MODULES).problems
    assert 3 == len(list(pcit.journal.events()))
