"""PCIT Therapist and Within Agency Trainer certification: an example facilitrack adaptation.

Two linked programs, modelled on PCIT International's public descriptions (README.md lists the
sources): ``pcit_therapist`` and ``pcit_trainer``, whose first stage asks for a valid therapist
certificate. Both are data (``therapist.toml``, ``trainer.toml``). The one rule data cannot say
is which modes initial-training hours may be held in: the 10-hour limit is keyed on the mode
``asynchronous``, so a misspelt mode would escape it. This plugin refuses such a session.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from facilitrack import Event, Program
from facilitrack.plugin import hookimpl

THERAPIST_FILE = Path(__file__).with_name("therapist.toml")
TRAINER_FILE = Path(__file__).with_name("trainer.toml")

#: How initial training may be held: in person, live online (both synchronous) or asynchronous
#: (recorded, self-paced). P1: "Ten hours can be provided via asynchronous formats".
TRAINING_MODES = ("in_person", "live_virtual", "asynchronous")


@hookimpl
def facilitrack_programs(register: Callable[[Program | Path | str], None]) -> None:
    """Offer PCIT Therapist 1.0 and PCIT Within Agency Trainer 1.0."""
    register(THERAPIST_FILE)
    register(TRAINER_FILE)


@hookimpl
def facilitrack_validate_event(event: Event, program: Program, stage: str) -> str | None:
    """Refuse initial-training hours held in a mode the per-mode limit does not know."""
    if program.key != "pcit_therapist":
        return None
    mode = getattr(event, "mode", None)
    if getattr(event, "activity", None) != "initial_training" or mode is None or mode in TRAINING_MODES:
        return None
    return (f"initial training is held {', '.join(TRAINING_MODES)}; {mode!r} is none of these"
            " (the 10-hour limit counts asynchronous hours by their mode)")
