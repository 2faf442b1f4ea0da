"""A cohort's report as a plain-text table that fits a terminal of `width` columns (80 by default).

Cells that do not fit are cut with ``…``; problems, how a certificate stands and why a
requirement is not met, which must be read in full, wrap instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from .._engine.status import TraineeStatus
from .._model.program import CERTIFIED, NOT_ENROLLED, ON_HOLD, WITHDRAWN
from .._text import clean, display_width, pad, terminal_safe, truncate, wrap
from .models import CohortReport, program_line, utc_minute
from .wording import display_name, requirement_count, standing, why_missing

_HEADERS = ("ID", "NAME", "STAGE", "CERTIFICATES", "MISSING")
_MIN = (4, 6, 8, 6, 8)
_SOFT = (8, 12, 13, 11, 24)
_GIVE_WAY = (1, 3, 0)  # NAME, CERTIFICATES, ID
_GAP = 2
#: How wide a wrapping line (`_wrapping`) may make its column: CERTIFICATES and MISSING.
_WRAP_WIDTH = {3: 22, 4: 32}
_INDENT = "  "


def _stage_lines(trainee: TraineeStatus) -> list[str]:
    """The STAGE cell: the stage key, where a hold stands, and a problem count."""
    if trainee.stage == ON_HOLD:
        held = trainee.missing[0].stage if trainee.missing else None
        lines = ["on hold:", held] if held else ["on hold"]
    else:
        lines = [trainee.stage.replace(NOT_ENROLLED, "not enrolled")]
    if trainee.problems:
        n = len(trainee.problems)
        lines.append(f"! {n} problem{'s' if n != 1 else ''}")
    return lines


def _cells(trainee: TraineeStatus) -> list[list[str]]:
    """One trainee's cells, each a list of lines: certificates and missing items one a line.

    Under a certificate not simply held stands how it stands (``expired 2027-07-25``); under a
    requirement whose count does not say why it is not met, why. Those lines (`_wrapping`) wrap to
    their column's width, indented; every other line is cut.
    """
    certificates: list[str] = []
    for c in trainee.certificates:
        certificates.append(c.stage)
        if how := standing(c):
            certificates.append(_wrapping(how))
    missing: list[str] = []
    for m in trainee.missing:
        missing.append(requirement_count(m))  # 38/40, 7.5/40
        if why := why_missing(m):
            missing.append(_wrapping(why))
    if not missing and trainee.stage in (CERTIFIED, WITHDRAWN):
        missing = ["-"]
    return [
        [trainee.id],
        [display_name(trainee)],
        _stage_lines(trainee),
        certificates or ["-"],
        missing,
    ]


#: Marks a line that wraps rather than being cut (no cleaned text holds it).
_WRAP = "\x00"


def _wrapping(text: str) -> str:
    """`text` as a line that wraps to its column's width instead of being cut."""
    return _WRAP + text


def _natural(rows: list[list[list[str]]]) -> list[int]:
    """Each column's natural width: its widest line, a wrapping one only up to `_WRAP_WIDTH`."""
    natural = []
    for i in range(len(_HEADERS)):
        lines = [line for row in rows for line in row[i]]
        cut = max((display_width(line) for line in lines if not line.startswith(_WRAP)), default=0)
        wraps = max((display_width(_INDENT + line[1:]) for line in lines if line.startswith(_WRAP)),
                    default=0)
        natural.append(max(cut, min(wraps, _WRAP_WIDTH.get(i, 0))))
    return natural


def _wrapped(rows: list[list[list[str]]], widths: list[int]) -> list[list[list[str]]]:
    """`rows` with each wrapping line wrapped, indented, to its column's width."""
    return [
        [
            [out for line in cell
             for out in (wrap(line[1:], w, indent=_INDENT) if line.startswith(_WRAP) else [line])]
            for cell, w in zip(row, widths, strict=True)
        ]
        for row in rows
    ]


def _fit(natural: list[int], width: int) -> list[int]:
    """Column widths summing (with gaps) to at most `width`.

    Names give way first (the id still tells trainees apart), then certificates and ids, down
    to a comfortable width; only then is the widest column cut, MISSING last of all.
    """
    widths = [max(n, len(h), 1) for n, h in zip(natural, _HEADERS, strict=True)]
    budget = width - _GAP * (len(widths) - 1)
    for i in _GIVE_WAY:
        while sum(widths) > budget and widths[i] > _SOFT[i]:
            widths[i] -= 1
    while sum(widths) > budget:
        shrinkable = [i for i, w in enumerate(widths) if w > _MIN[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: (widths[i], -i))
        widths[widest] -= 1
    return widths


def _summary_line(report: CohortReport, width: int) -> str:
    """``NAME · mpg 1.0 · infant track · as of 2026-06-30`` in `width` columns: the name gives
    way first, so the program and the date a report is as of are always whole."""
    c = report.cohort
    parts = [program] if (program := program_line(c)) else []
    if c.track:
        parts.append(f"{c.track} track")
    if c.as_of or not c.known_at:
        parts.append(f"as of {c.as_of.isoformat()}" if c.as_of else "all events")
    if c.known_at:
        parts.append(f"as known at {utc_minute(c.known_at)}")
    rest = clean(" · ".join(parts))
    room = width - display_width(rest) - len(" · ")
    if room < 8:  # too narrow for any of the name: cut the whole line instead
        return truncate(f"{clean(c.name)} · {rest}", width)
    return f"{truncate(clean(c.name), room)} · {rest}"


def _counts_line(report: CohortReport) -> str:
    c = report.cohort
    by_stage: dict[str, int] = {}
    for t in report.trainees:
        by_stage[t.stage] = by_stage.get(t.stage, 0) + 1
    on_hold, withdrawn = by_stage.get(ON_HOLD, 0), by_stage.get(WITHDRAWN, 0)
    parts = [f"{c.trainees} trainee{'s' if c.trainees != 1 else ''}", f"{c.certified} certified"]
    if on_hold:
        parts.append(f"{on_hold} on hold")
    if withdrawn:
        parts.append(f"{withdrawn} withdrawn")
    parts.append(f"{c.with_problems} with problems")
    return ", ".join(parts)


def render_table(report: CohortReport, width: int = 80) -> str:
    """The report as a plain-text table at most `width` columns wide, problems below it.

    A trainee takes as many lines as their longest cell: each certificate and each missing
    requirement has a line of its own, so nothing a coordinator needs is cut off.
    """
    rows = [
        [[_WRAP + clean(line[1:]) if line.startswith(_WRAP) else clean(line) for line in cell]
         for cell in _cells(t)]
        for t in report.trainees
    ]
    widths = _fit(_natural(rows), width)
    rows = _wrapped(rows, widths)
    gap = " " * _GAP

    def line(cells: Iterable[str]) -> str:
        return gap.join(pad(cell, w) for cell, w in zip(cells, widths, strict=True)).rstrip()

    out = [_summary_line(report, width), truncate(_counts_line(report), width), ""]
    out.append(line(_HEADERS))
    for row in rows:
        height = max(len(cell) for cell in row)
        for i in range(height):
            out.append(line(cell[i] if i < len(cell) else "" for cell in row))
    if not rows:
        out.append("(no trainees)")
    problems = report.problems
    if problems:
        out += ["", "problems:"]
        for trainee, problem in problems:
            where = f" {problem.where}" if problem.where else ""
            text = f"{trainee.id}{where} {problem.on.isoformat()}: {problem.reason}"
            out.extend(wrap(text, width, indent="  "))
    return terminal_safe("\n".join(out) + "\n", multiline=True)
