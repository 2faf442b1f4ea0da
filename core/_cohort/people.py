"""``--issuer FILE.toml`` and ``--people FILE.toml``: who issues, and who the trainees are.

A store keeps events, not names: the commands that print certificates or exports from a store
read the issuer and the trainees' names from a TOML file instead — the cohort file the store was
imported from will do (its ``[issuer]`` table and ``[[trainees]]`` rows; every other table is
ignored), or a small file with just those.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .._errors import UserError
from .._model.issuer import EMAIL_PATTERN, Contact, Issuer
from .._model.program import format_loc
from .._toml import read_toml

#: The fields of a ``[[trainees]]`` row a certificate uses; the rest of a cohort row is ignored.
CONTACT_FIELDS = ("id", "name", "given_name", "family_name", "email")


def read_issuer(path: Path) -> Issuer:
    """The ``[issuer]`` table of the TOML file at `path`."""
    data = read_toml(path)
    table = data.get("issuer")
    if not isinstance(table, dict):
        raise UserError(
            "no [issuer] table", where=path,
            fix='add one: [issuer] with name = "...", url = "https://..." and optionally id, email',
        )
    try:
        return Issuer.model_validate(table)
    except ValidationError as exc:
        raise _invalid(exc, path, "issuer") from None


def read_contacts(path: Path) -> dict[str, Contact]:
    """Names and e-mail addresses from the ``[[trainees]]`` rows of the TOML file at `path`."""
    data = read_toml(path)
    rows = data.get("trainees", [])
    if not isinstance(rows, list):
        raise UserError("`trainees` must be an array of tables ([[trainees]])", where=path)
    out: dict[str, Contact] = {}
    for i, row in enumerate(rows):
        wanted: dict[str, Any] = {k: row[k] for k in CONTACT_FIELDS if isinstance(row, dict) and k in row}
        try:
            contact = Contact.model_validate(wanted)
        except ValidationError as exc:
            raise _invalid(exc, path, f"trainees[{i}]") from None
        if contact.email is not None and not re.match(EMAIL_PATTERN, contact.email):
            raise UserError(
                f"trainees[{i}].email: not an e-mail address: {contact.email!r}", where=path,
                fix="write it as name@example.org",
            )
        out[contact.id] = contact
    return out


def _invalid(exc: ValidationError, path: Path, prefix: str) -> UserError:
    lines = [f"{prefix}.{format_loc(err['loc'])}: {err['msg']}".rstrip(".:") for err in exc.errors()]
    return UserError("invalid " + "; ".join(lines), where=path, fix="correct the fields named")
