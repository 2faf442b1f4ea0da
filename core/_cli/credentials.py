"""``facilitrack certificates | keygen | verify-credential``: handing over what was earned.

`certificates` reads a cohort file or a store (`_source`) and writes every issued certificate
as printable HTML, as signed Open Badges 3.0 credentials, or as a badge platform's bulk-issue
CSV; revoked certificates are never issued, only listed. Signing and verifying need the
``credentials`` extra, imported only here and only when used.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import UserError
from .._text import counted, display_path, one_line
from . import EXIT_BAD_INPUT, EXIT_OK, EXIT_RULES_BROKEN, add_command, emit, say
from ._source import add_source_args, not_over, opened_source

if TYPE_CHECKING:
    from .._model.issuer import Issuer
    from .._report.certificates import CertificateRecord

FORMATS = ("html", "ob3", "csv")


def add_commands(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``certificates``, ``keygen`` and ``verify-credential``."""
    p = add_command(
        sub, "certificates", "every issued certificate: printable HTML, Open Badges 3.0 or bulk-issue CSV",
        "Write every certificate of completion the cohort's trainees hold. --format html: one"
        " printable certificate per page (self-contained). --format ob3: one signed Open Badges"
        " 3.0 AchievementCredential per certificate (needs --key and an issuer), one file each"
        " in the --out directory, or JSON Lines on stdout. --format csv: the columns badge"
        " platforms' bulk issue takes (Credly, Canvas Credentials/Badgr, Accredible). Expired or revoked"
        " certificates are not issued: they are listed on stderr.",
        "facilitrack certificates examples/mpg/cohort.toml --format ob3 --key issuer.key --out credentials/",
    )
    add_source_args(p)
    p.add_argument("--format", choices=FORMATS, required=True, help="html, ob3 or csv")
    p.add_argument("--out", type=Path, metavar="PATH",
                   help="a file (html, csv) or a directory (ob3); default: stdout")
    p.add_argument("--trainee", action="append", metavar="ID", help="only this trainee (repeatable)")
    p.add_argument("--key", type=Path, metavar="FILE", help="ob3: the issuer key (`facilitrack keygen`)")
    p.add_argument("--template", action="append", default=[], metavar="KEY=ID",
                   help="csv: the platform's badge template id for a stage (`level1=...` or"
                   " `mpg.level1=...`; repeatable; default: program.stage)")
    p.add_argument("--date-style", choices=("iso", "us"), default="iso",
                   help="csv: dates as 2026-06-30 (iso, default) or 06/30/26 (us, as Credly wants)")
    p.set_defaults(handler=_certificates)

    k = add_command(
        sub, "keygen", "make an issuer signing key (Ed25519) for Open Badges credentials",
        "Make a new Ed25519 key for signing credentials and write it, owner-only, to --out. It"
        " prints the key's did:key: publish it with your issuer profile, or use it as the"
        " [issuer] id. Keep the file secret and backed up: whoever has it can issue in your name.",
        "facilitrack keygen --out issuer.key",
    )
    k.add_argument("--out", type=Path, required=True, metavar="FILE", help="where to write the key")
    k.add_argument("--force", action="store_true", help="replace an existing key file")
    k.set_defaults(handler=_keygen)

    v = add_command(
        sub, "verify-credential", "check the signature of Open Badges credentials, offline",
        "Check each credential in the files (one JSON credential, a JSON array, or JSON Lines):"
        " its eddsa-jcs-2022 proof must verify against the did:key it names. With --key (a key"
        " file or a did:key), the signer must also be that key; an issuer whose id is a did:key"
        " must have signed its own credentials. Exit 0 when every credential verifies, 1"
        " otherwise.",
        "facilitrack verify-credential credentials/ana-mpg-level1.json --key did:key:z6Mk...",
    )
    v.add_argument("files", nargs="+", type=Path, metavar="FILE", help="credential files")
    v.add_argument("--key", metavar="FILE|DID", help="the issuer key the credentials must be signed with")
    v.set_defaults(handler=_verify)


# -- certificates ------------------------------------------------------------------------------


def _certificates(args: argparse.Namespace) -> int:
    from .._report.certificates import ISSUABLE, certificate_records

    out: Path | None = None if args.out is None or str(args.out) == "-" else args.out
    not_over(out, args)
    templates = _templates(args.template)
    key = None
    if args.format == "ob3":
        if args.key is None:
            raise UserError("signing credentials needs the issuer key", where="certificates --format ob3",
                            fix="give --key FILE (make one with `facilitrack keygen --out issuer.key`)")
        from .._report.signing import read_key

        key = read_key(args.key)
    with opened_source(args, "certificates") as source:
        wanted = args.trainee or [t.id for t in source.report.trainees]
        known = {t.id for t in source.report.trainees}
        for trainee in wanted:
            if trainee not in known:
                from .._errors import UnknownKeyError, did_you_mean

                raise UnknownKeyError(f"no trainee {trainee!r}", where=source.location,
                                      fix=did_you_mean(trainee, sorted(known)))
        records = certificate_records(source.engine, source.contacts, as_of=args.as_of, trainees=wanted)
        issuer = source.issuer
    issued = [r for r in records if r.status in ISSUABLE]
    for r in records:
        if r.status not in ISSUABLE:
            when = f" on {r.revoked_on.isoformat()}" if r.revoked_on else ""
            say(one_line(f"{r.status}{when}, not issued: {r.trainee} {r.title} ({r.issued.isoformat()})"),
                err=True)
    if args.format == "html":
        from .._report.certificates_html import render_certificates_html

        emit(render_certificates_html(issued, issuer), out, counted(len(issued), "certificate"), private=True)
    elif args.format == "csv":
        _csv(issued, templates, args.date_style, out)
    else:
        assert key is not None
        _ob3(issued, _need_issuer(issuer), key, out)
    return EXIT_OK


def _templates(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key or not value:
            raise UserError(f"--template {pair!r}: write STAGE=ID", where="certificates",
                            fix="for example --template level1=8f3c2a61-...")
        out[key] = value
    return out


def _need_issuer(issuer: Issuer | None) -> Issuer:
    if issuer is None:
        raise UserError(
            "Open Badges credentials name their issuer, and none is given",
            where="certificates --format ob3",
            fix='add an [issuer] table to the cohort file (name = "...", url = "https://...")'
            " or give --issuer FILE.toml",
        )
    return issuer


def _csv(records: list[CertificateRecord], templates: dict[str, str], style: str, out: Path | None) -> None:
    from .._report.bulk_csv import render_bulk_csv, split_name

    for r in records:
        if not r.email:
            say(one_line(f"warning: {r.trainee} has no email; platforms need one to issue"), err=True)
        elif split_name(r)[2]:
            say(one_line(f"warning: {r.trainee}: first and last name split from {r.name!r}; give"
                         " given_name and family_name to be sure"), err=True)
    text = render_bulk_csv(records, templates=templates, date_style="us" if style == "us" else "iso")
    emit(text, out, f"csv, {counted(len(records), 'certificate')}", private=True)


def _ob3(records: list[CertificateRecord], issuer: Issuer, key: Any, out: Path | None) -> None:
    from .._files import write_atomic
    from .._report.ob3 import achievement_credential
    from .._report.signing import sign

    signed = [(r, sign(achievement_credential(r, issuer), key)) for r in records]
    if out is None:
        sys.stdout.write("".join(json.dumps(c, ensure_ascii=False) + "\n" for _, c in signed))
        return
    if out.exists() and not out.is_dir():
        raise UserError("--out must be a directory for ob3 (one file per credential)", where=out,
                        fix="give a directory; it is created if missing")
    out.mkdir(parents=True, exist_ok=True)
    for r, credential in signed:
        write_atomic(out / f"{r.trainee}-{r.program}-{r.stage}.json",
                     json.dumps(credential, indent=2, ensure_ascii=False) + "\n", private=True)
    say(f"wrote {display_path(out)}/ ({counted(len(signed), 'signed credential')}, signed by {key.did})")


# -- keygen ------------------------------------------------------------------------------------


def _keygen(args: argparse.Namespace) -> int:
    from .._files import write_atomic
    from .._report.signing import generate_key

    out: Path = args.out
    if out.exists() and not args.force:
        raise UserError("the key file already exists", where=out,
                        fix="keep it (credentials signed with it stay verifiable), or pass --force")
    key = generate_key()
    write_atomic(out, json.dumps(key.to_json(), indent=2) + "\n", private=True)
    say(f"wrote {display_path(out)} (owner-only; keep it secret and backed up)")
    say(f"public key: {key.did}")
    say("publish it with your issuer profile, or use it as the [issuer] id")
    return EXIT_OK


# -- verify-credential -------------------------------------------------------------------------


def _verify(args: argparse.Namespace) -> int:
    from .._report.signing import check_credential, read_credentials, read_key

    expected: str | None = None
    if args.key:
        given: str = args.key
        expected = given.split("#", 1)[0] if given.startswith("did:key:") else read_key(Path(given)).did
    bad = total = 0
    for path in args.files:
        for where, credential in read_credentials(path):
            total += 1
            result = check_credential(credential, expected)
            name = one_line(f"{credential.get('id', '?')} {credential.get('name', '')}")
            say(f"{'ok' if result.verified else 'FAILED'}  {display_path(where)}: {name}")
            signed = f"; signed by {result.signer}" if result.verified else ""
            say(one_line(f"    {result.reason}{signed}"))
            bad += not result.verified
    if not total:
        say("no credentials found", err=True)
        return EXIT_BAD_INPUT
    say(f"{total - bad} of {counted(total, 'credential')} verified")
    return EXIT_RULES_BROKEN if bad else EXIT_OK
