"""URL helpers: which links can be checked, and the key a checked link is cached under."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\t\r\n]")  # browsers drop these anywhere in an href


def clean_href(url: str | None) -> str:
    return _INVISIBLE.sub("", url or "").strip()


def is_checkable_link(url: str | None) -> bool:
    """True for links worth an HTTP check: http(s) URLs, and relative ones the caller resolves.

    False for javascript:, mailto:, tel:, data: (and any other non-web scheme), "#..." links
    that only move inside the page, and empty hrefs.
    """
    href = clean_href(url)
    if not href or href.startswith("#"):
        return False
    match = _SCHEME.match(href)
    if match is None:
        return True  # relative or protocol-relative ("//host/path")
    return match.group(1).lower() in ("http", "https")


def is_absolute_http(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def normalize_url(url: str) -> str:
    """Cache key of a link: fragment dropped, scheme and host lower-cased."""
    parts = urlsplit(clean_href(url))
    netloc = parts.netloc
    if parts.hostname:
        userinfo, _, hostport = netloc.rpartition("@")
        netloc = (userinfo + "@" if userinfo else "") + hostport.lower()
    path = parts.path or ("/" if parts.netloc else "")
    return urlunsplit((parts.scheme.lower(), netloc, path, parts.query, ""))


def host_key(url: str) -> str:
    """What politeness limits are kept per: host and port."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:  # malformed port; the request itself will report it
        port = None
    return f"{(parts.hostname or '').lower()}:{port or ''}"
