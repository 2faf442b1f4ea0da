"""The coordinator's report as one self-contained HTML page (`render_html`).

Standard library only (`html.escape`): every value that came from a file or a user is
escaped where it is written. The page fetches nothing — its style is inline and a
Content-Security-Policy forbids every request — so it works offline and as an e-mail
attachment. Names are written with ``dir="auto"``, so Hebrew or Arabic names read right to
left inside an English page; the layout reflows down to a phone's width, and a print
stylesheet keeps each trainee's card on one page.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from .._engine.status import Progress
from .._groups import GroupReport
from .._model.program import CERTIFIED, ON_HOLD, WITHDRAWN
from .certificates import CertificateRecord
from .models import program_line, utc_minute
from .view import CoordinatorReport, StageStrip, TraineeView
from .wording import display_name, standing

#: Nothing may be fetched: no script, font, image or style from anywhere.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

BASE_CSS = """
:root { --ink: #1c2230; --muted: #5a6375; --line: #d8dde6; --panel: #fff; --bg: #f4f6f9;
  --accent: #2b5c99; --ok: #2c7a4b; --warn: #a3441c; color-scheme: light; }
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink); overflow-wrap: break-word;
  font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Hebrew",
  "Liberation Sans", Arial, sans-serif; }
main { max-width: 75rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.55rem; line-height: 1.2; margin: .25rem 0; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1.05rem; margin: 0; }
.muted { color: var(--muted); }
.small { font-size: .875rem; }
ul.plain, ol.plain { list-style: none; margin: 0; padding: 0; }
"""

REPORT_CSS = """
.summary { display: flex; flex-wrap: wrap; gap: .5rem; margin: .75rem 0; }
.summary li { background: var(--panel); border: 1px solid var(--line); border-radius: .5rem;
  padding: .35rem .75rem; }
.summary b { font-size: 1.15rem; }
.strip { display: flex; flex-wrap: wrap; gap: 3px; margin: .25rem 0 1rem; }
.strip li { flex: 1 1 7.5rem; min-width: 0; background: var(--panel); border: 1px solid var(--line);
  border-top: 4px solid var(--accent); padding: .4rem .6rem; }
.strip li.done { border-top-color: var(--ok); }
.strip li.paused { border-top-color: var(--warn); }
.strip .n { display: block; font-size: 1.5rem; font-weight: 700; line-height: 1.1; }
.cards { display: grid; gap: .75rem;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 21rem), 1fr)); }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: .6rem;
  padding: .75rem 1rem; min-width: 0; }
.card header { display: flex; flex-wrap: wrap; justify-content: space-between; gap: .25rem .75rem;
  align-items: baseline; }
.stage { display: inline-block; border-radius: 1rem; padding: 0 .6rem; background: #e7eef8;
  color: var(--accent); font-size: .85rem; font-weight: 600; }
.stage.certified { background: #e3f3ea; color: var(--ok); }
.stage.on_hold, .stage.withdrawn { background: #f9e9e1; color: var(--warn); }
.req { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 0 .5rem; margin: .45rem 0; }
.req .count { font-variant-numeric: tabular-nums; }
.req progress { grid-column: 1 / -1; width: 100%; height: .75rem; accent-color: var(--accent); }
.req.met progress { accent-color: var(--ok); }
.certs li { margin: .2rem 0; }
.certs li::before { content: "\\2713\\00a0"; color: var(--ok); }
.problems { margin: .5rem 0 0; padding: .4rem .6rem; border-left: 4px solid var(--warn);
  background: #fdf4ef; }
.problems li, .card p, td { margin: .2rem 0; overflow-wrap: anywhere; }
.group { background: var(--panel); border: 1px solid var(--line); border-radius: .6rem;
  padding: .75rem 1rem; margin: .75rem 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: start; padding: .3rem .4rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .85rem; color: var(--muted); font-weight: 600; }
.completed { color: var(--ok); }
.not_completed { color: var(--warn); }
footer { margin: 2rem 0 1rem; }
@media (max-width: 30rem) {
  main { padding: .6rem; }
  h1 { font-size: 1.3rem; }
  .strip li { flex-basis: 9.5rem; }
  th, td { padding: .25rem .2rem; font-size: .9rem; }
}
@media print {
  @page { margin: 14mm; }
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .card, .group, .strip li, .summary li { border-color: #999; break-inside: avoid; }
  .cards { grid-template-columns: 1fr 1fr; }
  h2 { break-after: avoid; }
}
"""


def e(value: object) -> str:
    """`value` as HTML text, quotes escaped too (safe in attributes)."""
    return escape(str(value), quote=True)


def page(title: str, body: str, css: str, *, lang: str = "en") -> str:
    """A complete, self-contained HTML document."""
    return (
        f'<!DOCTYPE html>\n<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{escape(CSP, quote=False)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f'<title dir="auto">{e(title)}</title>\n<style>{BASE_CSS}{css}</style>\n</head>\n'
        f"<body>\n{body}</body>\n</html>\n"
    )


def name_html(text: str, tag: str = "span", cls: str = "name") -> str:
    """A name or other user text, isolated and in its own direction (Hebrew reads right to left)."""
    return f'<{tag} class="{cls}" dir="auto">{e(text)}</{tag}>'


def plural(n: int, word: str) -> str:
    """``1 trainee``, ``2 trainees``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


# -- the report --------------------------------------------------------------------------------


def render_html(report: CoordinatorReport) -> str:
    """The coordinator's report page: summary, stage strips, a card per trainee, groups."""
    c = report.cohort
    when = f"as of {c.as_of.isoformat()}" if c.as_of else "all events recorded"
    if c.known_at:
        when += f", as known at {utc_minute(c.known_at)}"
    about = [f"{e(c.program_name)} ({e(program_line(c))})"] if program_line(c) else []
    about += [f"{e(c.track)} track"] if c.track else []
    about.append(e(when))
    about += [f"issued by {name_html(c.issuer.name)}"] if c.issuer else []
    parts = [
        "<main>\n<header>\n",
        name_html(c.name, "h1", "cohort"),
        f'\n<p class="muted">{" · ".join(about)}</p>\n',
        _summary(report),
        "</header>\n",
    ]
    for strip in report.strips:
        parts.append(_strip(strip, len(report.strips) > 1))
    parts.append(
        '<section aria-labelledby="trainees-h">\n<h2 id="trainees-h">Trainees</h2>\n<div class="cards">\n'
    )
    for i, view in enumerate(report.trainees):
        parts.append(_card(view, i))
    if not report.trainees:
        parts.append('<p class="muted">No trainees.</p>\n')
    parts.append("</div>\n</section>\n")
    if report.groups is not None and report.groups.groups:
        parts.append('<section aria-labelledby="groups-h">\n<h2 id="groups-h">Groups</h2>\n')
        parts.extend(_group(g) for g in report.groups.groups)
        parts.append("</section>\n")
    parts.append(
        f'<footer class="muted small">From {e(c.file)}. Made by facilitrack; this page fetches'
        " nothing and works offline.</footer>\n</main>\n"
    )
    return page(f"{c.name} — training report", "".join(parts), REPORT_CSS)


def _summary(report: CoordinatorReport) -> str:
    c = report.cohort
    states = [v.trainee.stage for v in report.trainees]
    held, gone = states.count(ON_HOLD), states.count(WITHDRAWN)
    counts = [f"<li><b>{c.trainees}</b> {'trainee' if c.trainees == 1 else 'trainees'}</li>",
              f"<li><b>{c.certified}</b> certified</li>"]
    if held:
        counts.append(f"<li><b>{held}</b> on hold</li>")
    if gone:
        counts.append(f"<li><b>{gone}</b> withdrawn</li>")
    counts.append(f"<li><b>{c.with_problems}</b> with problems</li>")
    return f'<ul class="plain summary" aria-label="Summary">{"".join(counts)}</ul>\n'


def _strip(strip: StageStrip, named: bool) -> str:
    head = f"{e(strip.program_name)} {e(strip.version)}: " if named else ""
    cells = []
    for cell in strip.stages:
        cls = {CERTIFIED: "done", ON_HOLD: "paused", WITHDRAWN: "paused"}.get(cell.stage, "")
        cells.append(
            f'<li class="{cls}" data-stage="{e(cell.stage)}"><span class="n">{cell.count}</span>'
            f"{e(cell.title)}</li>"
        )
    return (
        f'<section aria-label="{head}where everyone is">\n<h2>{head}Where everyone is</h2>\n'
        f'<ol class="plain strip">{"".join(cells)}</ol>\n</section>\n'
    )


def _card(view: TraineeView, index: int) -> str:
    t = view.trainee
    name = display_name(t)
    out = [
        f'<article class="card" id="trainee-{e(t.id)}" data-trainee="{e(t.id)}">\n<header>',
        name_html(name, "h3"),
        f'<span class="stage {e(t.stage)}">{e(t.stage_title)}</span></header>\n',
        f'<p class="muted small">{e(t.id)} · {e((t.credential or "").replace("_", " "))}',
    ]
    if t.trainer:
        out.append(f" · trainer {name_html(t.trainer)}")
    out.append("</p>\n")
    if view.requirements:
        stage = view.requirements[0].stage
        out.append(f'<div class="reqs" aria-label="Requirements of {e(stage)}">\n')
        rows = [(r, depth) for top in view.requirements for r, depth in _flatten(top)]
        out.extend(_requirement(r, index, j, depth) for j, (r, depth) in enumerate(rows))
        out.append("</div>\n")
    if view.certificates:
        out.append('<ul class="plain certs small" aria-label="Certificates">')
        out.extend(_certificate_item(c) for c in view.certificates)
        out.append("</ul>\n")
    if t.problems:
        out.append(f'<ul class="plain problems small" aria-label="{plural(len(t.problems), "problem")}">')
        for p in t.problems:
            where = f"{e(p.where)}, " if p.where else ""
            out.append(f"<li><b>{where}{e(p.on.isoformat())}</b>: {e(p.reason)}</li>")
        out.append("</ul>\n")
    out.append("</article>\n")
    return "".join(out)


def _flatten(req: Progress, depth: int = 0) -> list[tuple[Progress, int]]:
    """A requirement and those it combines, each with how deep it sits."""
    return [(req, depth), *(item for child in req.children for item in _flatten(child, depth + 1))]


def _requirement(req: Progress, card: int, row: int, depth: int = 0) -> str:
    """One requirement: its title, have/need, and a progress bar whose accessible name says both."""
    shown = min(req.have, req.need)
    state = "waived" if req.waived else ("done" if req.met else "missing")
    have, need = f"{req.have:g}", f"{req.need:g}"
    label = f"{req.title}: {have} of {need}" + (" (waived)" if req.waived else "")
    pid = f"req-{card}-{row}"
    nested = f' style="margin-inline-start:{depth * 1.25}rem"' if depth else ""
    return (
        f'<div class="req {"met" if req.met else "open"}" data-requirement="{e(req.requirement)}"{nested}>'
        f'<label for="{pid}" dir="auto">{e(req.title)}</label>'
        f'<span class="count">{have}/{need}{" waived" if req.waived else ""}</span>'
        f'<progress id="{pid}" value="{shown}" max="{req.need}" data-have="{req.have}"'
        f' data-need="{req.need}" data-state="{state}" aria-label="{e(label)}">'
        f"{have}/{need}</progress>"
        "</div>\n"
    )


def _certificate_item(cert: CertificateRecord) -> str:
    status = ""
    if how := standing(cert):
        status = f' <span class="stage {e(cert.status)}">{e(how)}</span>'
    return f"<li>{e(cert.title)} <span class=\"muted\">{e(cert.issued.isoformat())}</span>{status}</li>"


def _group(group: GroupReport) -> str:
    kind = group.kind.replace("_", "-")
    track = f" · {e(group.track)} track" if group.track else ""
    state = "series over" if group.series_over else "series in progress"
    out = [
        f'<article class="group" id="group-{e(group.id)}">\n<h3 dir="auto">{e(group.id)}</h3>\n',
        f'<p class="muted small">{e(kind)} group{track} · {group.sessions} sessions held · {state}',
    ]
    if group.agency:
        out.append(f" · agency {name_html(group.agency)}")
    out.append("</p>\n")
    out.append(f'<p class="small">Facilitators: {_names(group.facilitators)}')
    if group.trainees:
        out.append(f"; trainees: {_names(group.trainees)}")
    out.append("</p>\n")
    if group.problems:
        out.append(f'<ul class="plain problems small" aria-label="{plural(len(group.problems), "problem")}">')
        for p in group.problems:
            out.append(f"<li><b>{e(p.rule)}</b>: {e(p.message)}</li>")
        out.append("</ul>\n")
    if group.participants:
        done = sum(1 for p in group.participants if p.status == "completed")
        out.append(
            '<table><caption class="small muted">'
            f"Parents: {done} of {len(group.participants)} completed</caption>"
            '<thead><tr><th scope="col">Parent</th><th scope="col">Missed</th>'
            '<th scope="col">Status</th></tr></thead><tbody>'
        )
        for parent in group.participants:
            status = parent.status.replace("_", " ")
            out.append(
                f"<tr><td>{name_html(parent.parent)}</td><td>{parent.missed} of {parent.sessions}</td>"
                f'<td class="{e(parent.status)}">{e(status)}</td></tr>'
            )
        out.append("</tbody></table>\n")
    out.append("</article>\n")
    return "".join(out)


def _names(ids: Iterable[str]) -> str:
    return ", ".join(name_html(i) for i in ids) or "(none)"
