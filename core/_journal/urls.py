"""Naming a store: a file path, or a URL (``postgresql://...``) shown without its password."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def url_scheme(target: str) -> str | None:
    """The scheme of a store URL (lower case), or None for a path."""
    match = _SCHEME.match(target)
    return match.group(1).lower() if match else None


def is_url(target: str) -> bool:
    """Whether `target` names a store by URL (``scheme://...``) rather than by path."""
    return url_scheme(target) is not None


def redact(url: str) -> str:
    """`url` without its password, for messages."""
    if not is_url(url):
        return url
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        cred, host = netloc.rsplit("@", 1)
        if ":" in cred:
            netloc = f"{cred.split(':', 1)[0]}:***@{host}"
    query = re.sub(r"(?i)(password=)[^&]*", r"\1***", parts.query)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
