"""The groups of a cohort file, judged: composition, parents' completion, trainees' credit."""

from __future__ import annotations

from collections.abc import Callable

from .._model.group_results import GroupReport
from .._text import clean, display_width, pad, terminal_safe, truncate, wrap
from .models import _Out

_GAP = 2


class GroupsReport(_Out):
    """Every ``[[groups]]`` table of a cohort file, judged (`facilitrack groups`)."""

    cohort: str
    file: str
    program: str
    version: str
    groups: list[GroupReport]


_PARENT_HEADERS = ("ID", "PARENT", "MISSED", "STATUS", "FIRST", "LAST")
_STATUS = {"completed": "completed", "not_completed": "not completed", "in_progress": "in progress"}


def _parent_rows(group: GroupReport, width: int) -> list[str]:
    """The parents' table: one line each, indented by two, at most `width` columns."""
    rows = [
        [p.id, clean(p.parent), f"{p.missed} of {p.sessions}", _STATUS[p.status],
         p.first_attended.isoformat() if p.first_attended else "-",
         p.last_attended.isoformat() if p.last_attended else "-"]
        for p in group.participants
    ]
    widths = [max(display_width(r[i]) for r in [list(_PARENT_HEADERS), *rows]) for i in range(6)]
    widths[0] = min(widths[0], 12)
    room = width - 2 - _GAP * 5 - sum(widths[i] for i in (0, 2, 3, 4, 5))
    widths[1] = max(min(widths[1], room), 6)
    gap = " " * _GAP
    return [
        "  " + gap.join(pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [list(_PARENT_HEADERS), *rows]
    ]


def _hanging(text: str, width: int, first: str, rest: str) -> list[str]:
    """`text` wrapped with `first` before its first line and `rest` (no narrower) before the others."""
    lines = wrap(text, width, indent=rest)
    return [first + lines[0][len(rest):], *lines[1:]]


def _problem_lines(group: GroupReport, width: int, place: Callable[[str], str]) -> list[str]:
    """Each rule the group breaks: what, where in the file, the rule's source and note."""
    if not group.problems:
        return ["  composition: no rule broken"]
    out = [f"  problems ({len(group.problems)}):"]
    for problem in group.problems:
        out += _hanging(f"{problem.rule}: {problem.message}", width, "    ", "      ")
        for label, value in (("at", problem.where and place(problem.where)),
                             ("source", problem.source), ("note", problem.note)):
            if value:
                out += _hanging(f"{label}: {value}", width, "      ", "        ")
    return out


def _completion_lines(group: GroupReport, width: int) -> list[str]:
    """The parents' table, why those who did not complete did not, and the records."""
    if not group.participants:
        return []
    out = ["", *_parent_rows(group, width)]
    for p in group.participants:
        if p.status == "not_completed":
            out += _hanging(f"{p.id}: {p.reason}", width, "  ", "      ")
    ordered = [p.id for p in group.participants if p.court_ordered]
    if ordered:
        out += _hanging(f"court-ordered: {', '.join(ordered)}", width, "  ", "    ")
    records = [p.certificate for p in group.participants if p.certificate is not None]
    if records:
        issuer = records[0].issued_by or "the delivering agency (name it in `agency`)"
        out += _hanging(
            f"completion records: {len(records)}, dated {records[0].on.isoformat()};"
            f" certificates are issued by {issuer}", width, "  ", "    ",
        )
    return out


def _group_block(group: GroupReport, width: int, place: Callable[[str], str]) -> list[str]:
    kind = group.kind.replace("_", "-")
    track = f" · {group.track} track" if group.track else ""
    track += f" · {group.format} format" if group.format else ""
    state = "the series is over" if group.series_over else "the series is in progress"
    out = wrap(f"{group.id} · {kind} group{track}", width)
    out += wrap(f"sessions: {group.sessions} held; {state}", width, indent="  ")
    out += wrap(f"facilitators: {', '.join(group.facilitators) or '(none)'}", width, indent="  ")
    if group.trainees:
        out += wrap(f"trainees: {', '.join(group.trainees)}", width, indent="  ")
    if group.agency:
        out += wrap(f"agency: {group.agency}", width, indent="  ")
    out += _problem_lines(group, width, place)
    out += _completion_lines(group, width)
    if group.credits:
        credited = ", ".join(f"{c.trainee} {c.sessions} x {c.activity}" for c in group.credits)
        out += ["", *_hanging(f"credits: {credited}", width, "  ", "    ")]
    return out


def render_groups_table(
    report: GroupsReport, width: int = 80, *, place: Callable[[str], str] | None = None
) -> str:
    """Each group: its composition check, a table of its parents' completion, its credits.

    :param place: turns a place in the file (``groups[0].facilitators``) into what to print,
        such as ``cohort.toml: groups[0].facilitators (line 80)``; by default, as it is.
    """
    place = place or (lambda where: where)
    n = len(report.groups)
    head = f"{report.cohort} · {report.program} {report.version} · {n} group{'s' * (n != 1)}"
    out = [truncate(clean(head), width)]
    if not report.groups:
        out.append("(no [[groups]] tables in this file)")
    for group in report.groups:
        out += ["", *_group_block(group, width, place)]
    return terminal_safe("\n".join(out) + "\n", multiline=True)
