"""A cohort's status as a coordinator reads it: table, JSON, TOML or CSV; one explanation; groups.

The report is a JSON-ready pydantic model (`CohortReport`) that the cohort runner fills from the
engine's answers; this module only renders it. The table fits a terminal of `width` columns
(80 by default) and measures text by how wide it shows, not by how many code points it has:
East Asian wide characters take two columns, combining marks and format characters none, so
names in Hebrew, with accents (composed or not) or in CJK line up. Cells that do not fit are
cut with ``…``; problems, which must be read in full, wrap instead.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from enum import Enum
from typing import Any, Literal

import tomli_w
from pydantic import BaseModel, ConfigDict, Field

from .._groups import GroupReport
from .._text import one_line, spreadsheet_safe, terminal_safe

Format = Literal["table", "json", "toml", "csv"]
FORMATS: tuple[Format, ...] = ("table", "json", "toml", "csv")
ELLIPSIS = "…"


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class CertificateRow(_Out):
    """A certificate the trainee holds."""

    stage: str
    title: str
    on: date


class MissingRow(_Out):
    """A requirement of the current stage that is not met yet."""

    stage: str
    requirement: str
    title: str
    have: int
    need: int


class ProblemRow(_Out):
    """Something a coordinator must look at: where in the file, when, and why."""

    where: str | None = Field(None, description="The place in the cohort file (`events[3]`).")
    event: str | None = Field(None, description="The engine's id of the event concerned.")
    on: date
    reason: str


class TraineeReport(_Out):
    """One trainee's line of the report."""

    id: str
    name: str | None = None
    credential: str
    trainer: str | None = None
    co_leader: str | None = None
    program: str | None
    version: str | None
    track: str | None
    stage: str = Field(description="A stage key, or certified, on_hold, withdrawn, not_enrolled.")
    stage_title: str
    certified: bool
    certificates: list[CertificateRow]
    missing: list[MissingRow]
    problems: list[ProblemRow]


class CohortSummary(_Out):
    """The cohort the report is about."""

    name: str
    file: str
    program: str
    program_name: str
    version: str
    track: str | None = None
    as_of: date | None = None
    trainees: int
    certified: int
    with_problems: int


class CohortReport(_Out):
    """Every trainee of a cohort: stage, certificates, what is missing, problems."""

    cohort: CohortSummary
    trainees: list[TraineeReport]

    @property
    def problems(self) -> list[tuple[TraineeReport, ProblemRow]]:
        """Every problem of the cohort with its trainee, in trainee order."""
        return [(t, p) for t in self.trainees for p in t.problems]


class RequirementRow(_Out):
    """One requirement of the current stage, met or not, with the dates that counted."""

    requirement: str
    kind: str
    title: str
    have: int
    need: int
    met: bool
    waived: bool
    dates: list[date]
    source: str | None = None
    note: str | None = None


class TraineeExplanation(_Out):
    """Why a trainee is where they are, and what comes next."""

    cohort: str
    trainee: TraineeReport
    as_of: date | None = None
    stage: str | None = Field(None, description="The stage the requirements belong to.")
    requirements: list[RequirementRow]
    next_stage: str | None = None
    next_title: str | None = None
    next_certificate: str | None = None


# -- measuring text --------------------------------------------------------------------------


def char_width(ch: str) -> int:
    """Columns one code point takes in a terminal: 0, 1 or 2."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal."""
    return sum(char_width(ch) for ch in text)


def clean(text: str) -> str:
    """`text` on one line, safe to print: tabs and newlines become spaces, other control
    characters and bidi overrides visible escapes (`facilitrack._text.one_line`)."""
    return one_line(text)


def truncate(text: str, width: int) -> str:
    """`text` cut to at most `width` columns, ending in ``…`` when cut."""
    if display_width(text) <= width:
        return text
    if width <= 0:
        return ""
    out: list[str] = []
    used = 0
    for ch in text:
        w = char_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + ELLIPSIS


def pad(text: str, width: int) -> str:
    """`text` cut or filled with spaces to exactly `width` columns."""
    cut = truncate(text, width)
    return cut + " " * (width - display_width(cut))


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """`text` broken at spaces into lines of at most `width` columns (longer words are cut)."""
    room = max(width - display_width(indent), 1)
    lines: list[str] = []
    line = ""
    for whole in clean(text).split():
        word = truncate(whole, room)
        candidate = f"{line} {word}" if line else word
        if display_width(candidate) <= room:
            line = candidate
        else:
            lines.append(indent + line)
            line = word
    lines.append(indent + line)
    return lines


# -- the table -------------------------------------------------------------------------------

_HEADERS = ("ID", "NAME", "STAGE", "CERTIFICATES", "MISSING")
_MIN = (4, 6, 8, 6, 8)
_SOFT = (8, 12, 13, 11, 24)
_GIVE_WAY = (1, 3, 0)  # NAME, CERTIFICATES, ID
_GAP = 2


def _stage_lines(trainee: TraineeReport) -> list[str]:
    """The STAGE cell: the stage key, where a hold stands, and a problem count."""
    if trainee.stage == "on_hold":
        held = trainee.missing[0].stage if trainee.missing else None
        lines = ["on hold:", held] if held else ["on hold"]
    else:
        lines = [trainee.stage.replace("not_enrolled", "not enrolled")]
    if trainee.problems:
        n = len(trainee.problems)
        lines.append(f"! {n} problem{'s' if n != 1 else ''}")
    return lines


def _cells(trainee: TraineeReport) -> list[list[str]]:
    """One trainee's cells, each a list of lines: certificates and missing items one a line."""
    missing = [f"{m.requirement} {m.have}/{m.need}" for m in trainee.missing]
    if not missing and trainee.stage in ("certified", "withdrawn"):
        missing = ["-"]
    return [
        [trainee.id],
        [trainee.name or ""],
        _stage_lines(trainee),
        [c.stage for c in trainee.certificates] or ["-"],
        missing,
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
    parts = [f"{c.program} {c.version}"]
    if c.track:
        parts.append(f"{c.track} track")
    parts.append(f"as of {c.as_of.isoformat()}" if c.as_of else "all events")
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
    on_hold, withdrawn = by_stage.get("on_hold", 0), by_stage.get("withdrawn", 0)
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
    rows = [[[clean(line) for line in cell] for cell in _cells(t)] for t in report.trainees]
    natural = [
        max((display_width(line) for row in rows for line in row[i]), default=0)
        for i in range(len(_HEADERS))
    ]
    widths = _fit(natural, width)
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


# -- machine formats -------------------------------------------------------------------------


def render_json(model: BaseModel) -> str:
    """Any report model as indented JSON (UTF-8, not escaped)."""
    return model.model_dump_json(indent=2) + "\n"


def toml_ready(data: Any) -> Any:
    """`data` as tomli-w writes it: None dropped (TOML has no null), enums as their values."""
    if isinstance(data, Mapping):
        return {str(k): toml_ready(v) for k, v in data.items() if v is not None}
    if isinstance(data, list | tuple):
        return [toml_ready(v) for v in data if v is not None]
    if isinstance(data, Enum):
        return data.value
    return data


def render_toml(model: BaseModel) -> str:
    """Any report model as TOML, dates as TOML dates."""
    return tomli_w.dumps(toml_ready(model.model_dump()))


CSV_COLUMNS = (
    "id", "name", "credential", "trainer", "program", "version", "track", "stage", "stage_title",
    "certified", "certificates", "missing", "problems",
)


def render_csv(report: CohortReport) -> str:
    """One row per trainee; lists are joined with ``; ``.

    A cell a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) starts with
    a single quote instead (`facilitrack._text.spreadsheet_safe`).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for t in report.trainees:
        writer.writerow(spreadsheet_safe(cell) for cell in [
            t.id, t.name or "", t.credential, t.trainer or "", t.program or "", t.version or "",
            t.track or "", t.stage, t.stage_title, "yes" if t.certified else "no",
            "; ".join(f"{c.stage} {c.on.isoformat()}" for c in t.certificates),
            "; ".join(f"{m.requirement} {m.have}/{m.need}" for m in t.missing),
            "; ".join(
                f"{p.where or p.event} {p.on.isoformat()}: {p.reason}" for p in t.problems
            ),
        ])
    return buffer.getvalue()


def render(report: CohortReport, fmt: Format = "table", *, width: int = 80) -> str:
    """The report in one of `FORMATS`."""
    if fmt == "table":
        return render_table(report, width)
    if fmt == "json":
        return render_json(report)
    if fmt == "toml":
        return render_toml(report)
    return render_csv(report)


# -- explanation -----------------------------------------------------------------------------


def _mark(req: RequirementRow) -> str:
    if req.waived:
        return "waived"
    return "done" if req.met else "missing"


def render_explanation(expl: TraineeExplanation, width: int = 80) -> str:
    """What a trainee has, what they need and what comes next, as text."""
    t = expl.trainee
    who = f"{t.name} ({t.id})" if t.name else t.id
    when = f"as of {expl.as_of.isoformat()}" if expl.as_of else "all events"
    track = f", {t.track} track" if t.track else ""
    out = [clean(f"{who} · {expl.cohort} · {t.program} {t.version}{track} · {when}")]
    out.append(f"stage: {t.stage_title}")
    for cert in t.certificates:
        out.extend(wrap(f"holds: {cert.title} (since {cert.on.isoformat()})", width))
    if expl.requirements:
        out += ["", f"requirements of {expl.stage}:"]
        counts = [f"{r.have}/{r.need}" for r in expl.requirements]
        count_width = max(len(c) for c in counts)
        hang = " " * (2 + 9 + 2 + count_width + 2)
        for req, count in zip(expl.requirements, counts, strict=True):
            head = f"  [{_mark(req):7}]  {count:<{count_width}}  "
            plain = req.title in (req.requirement, req.requirement.replace("_", " "))
            title = clean(req.requirement if plain else f"{req.title} ({req.requirement})")
            lines = wrap(title, width - len(head))
            out.append(head + lines[0])
            out.extend(hang + more for more in lines[1:])
            if req.dates:
                dates = ", ".join(d.isoformat() for d in req.dates)
                out.extend(wrap(f"counted: {dates}", width, indent=hang))
            if req.source:
                out.extend(wrap(f"source: {req.source}", width, indent=hang))
            if req.note:
                out.extend(wrap(f"note: {req.note}", width, indent=hang))
    if expl.next_title:
        issuing = f"; completing {expl.stage} issues {expl.next_certificate}" if expl.next_certificate else ""
        out += ["", *wrap(f"next: {expl.next_title}{issuing}", width)]
    elif t.stage == "certified":
        out += ["", "next: nothing; every stage is complete"]
    if t.problems:
        out += ["", "problems:"]
        for p in t.problems:
            where = f"{p.where} " if p.where else ""
            out.extend(wrap(f"{where}{p.on.isoformat()}: {p.reason}", width, indent="  "))
    return terminal_safe("\n".join(out) + "\n", multiline=True)


# -- groups ----------------------------------------------------------------------------------


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
    kind = group.kind.value.replace("_", "-")
    track = f" · {group.track} track" if group.track else ""
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
