"""Printable certificates of completion: one per page, in one self-contained HTML file.

Each certificate names the trainee (in their own script's direction), the level completed, the
program and its requirements, the date (and the day it expires, if it does), the issuer, and
the credential id its Open Badges version carries, so paper and credential refer to each other.
CSS page breaks put one certificate on each landscape A4 page; on screen they stack, and shrink
to a phone's width.
"""

from __future__ import annotations

from collections.abc import Sequence

from .._model.issuer import Issuer
from .certificates import CertificateRecord
from .html import e, name_html, page
from .ob3 import credential_id

CERTIFICATE_CSS = """
body { background: #e9ecf1; }
.sheet { background: #fff; width: min(100%, 277mm); margin: 1rem auto; padding: clamp(1rem, 4vw, 14mm);
  border: 2px solid #2b5c99; outline: 6px double #c9d5e6; outline-offset: -14px; text-align: center;
  min-width: 0; }
.sheet .issuer { font-size: clamp(1rem, 3.2vw, 1.35rem); font-weight: 600; letter-spacing: .02em; }
.sheet .kind { font-size: clamp(1.5rem, 6vw, 2.6rem); margin: .6rem 0 .2rem; color: #2b5c99;
  font-family: Georgia, "Noto Serif", "Noto Serif Hebrew", "DejaVu Serif", serif; }
.sheet .lead { color: var(--muted); margin: .8rem 0 .2rem; }
.sheet .recipient { font-size: clamp(1.4rem, 6vw, 2.4rem); font-weight: 700; margin: .1rem 0;
  font-family: Georgia, "Noto Serif", "Noto Serif Hebrew", "DejaVu Serif", serif;
  border-bottom: 1px solid var(--line); display: inline-block; padding: 0 1rem .2rem; max-width: 100%; }
.sheet .title { font-size: clamp(1.1rem, 4vw, 1.6rem); font-weight: 600; margin: .2rem 0; }
.sheet .program { margin: .2rem 0 .8rem; }
.sheet .criteria { display: inline-block; text-align: start; margin: .3rem auto; font-size: .95rem; }
.sheet .criteria li { margin: .1rem 0; }
.sheet .meta { display: flex; flex-wrap: wrap; justify-content: space-between; gap: .5rem 2rem;
  margin-top: 1.2rem; font-size: .85rem; color: var(--muted); text-align: start; }
.sheet .meta b { color: var(--ink); }
@media print {
  @page { size: A4 landscape; margin: 10mm; }
  body { background: #fff; }
  main { padding: 0; max-width: none; }
  .sheet { margin: 0 auto; width: 100%; min-height: 180mm; break-inside: avoid; break-after: page;
    page-break-after: always; }
  .sheet:last-child { break-after: auto; page-break-after: auto; }
  .screen-only { display: none; }
}
"""


def render_certificates_html(records: Sequence[CertificateRecord], issuer: Issuer | None) -> str:
    """One printable certificate per record, each on its own page (records not issuable are left out)."""
    sheets = [_sheet(r, issuer) for r in records]
    n = len(sheets)
    head = (
        f'<p class="screen-only muted small">{n} certificate{"s" if n != 1 else ""}; print this page to'
        " get one per sheet (landscape A4).</p>\n"
    )
    if not sheets:
        head = '<p class="muted">No certificates to print.</p>\n'
    title = f"Certificates of Completion — {issuer.name}" if issuer else "Certificates of Completion"
    return page(title, f"<main>\n{head}{''.join(sheets)}</main>\n", CERTIFICATE_CSS)


def _sheet(record: CertificateRecord, issuer: Issuer | None) -> str:
    by = issuer.name if issuer else record.organisation
    criteria = "".join(f"<li>{e(line)}</li>" for line in record.criteria)
    meta = [f"<span>Issued <b><time datetime=\"{record.issued.isoformat()}\">"
            f"{e(record.issued.strftime('%-d %B %Y'))}</time></b></span>"]
    if record.expires:
        meta.append(f"<span>Expires <b><time datetime=\"{record.expires.isoformat()}\">"
                    f"{e(record.expires.strftime('%-d %B %Y'))}</time></b></span>")
    if issuer is not None:
        url = f" · {e(issuer.url)}" if issuer.url else ""
        meta.append(f"<span>{name_html(issuer.name)}{url}</span>")
        meta.append(f'<span class="small">Certificate {e(credential_id(record, issuer))}</span>')
    return (
        f'<section class="sheet" data-trainee="{e(record.trainee)}" data-stage="{e(record.stage)}"'
        f' aria-label="Certificate: {e(record.title)}, {e(record.display_name)}">\n'
        f"{name_html(by, 'div', 'issuer')}\n"
        '<div class="kind">Certificate of Completion</div>\n'
        '<p class="lead">This certifies that</p>\n'
        f"{name_html(record.display_name, 'div', 'recipient')}\n"
        '<p class="lead">has completed every training task and assignment of</p>\n'
        f'<div class="title" dir="auto">{e(record.title)}</div>\n'
        f'<p class="program" dir="auto">{e(record.stage_title)} · {e(record.program_name)}'
        f" {e(record.program_version)}</p>\n"
        f'<ul class="criteria small" aria-label="Requirements completed">{criteria}</ul>\n'
        f'<div class="meta">{"".join(meta)}</div>\n</section>\n'
    )
