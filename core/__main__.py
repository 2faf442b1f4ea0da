"""``python -m facilitrack``: the command line."""

from .cli import run

run()
