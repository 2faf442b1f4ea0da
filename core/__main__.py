"""``python -m facilitrack``: the command line."""

from ._cli import run

run()
