"""URL helpers: which links can be checked, and the key a checked link is cached under."""

from __future__ import annotations

import re
from functools import lru_cache
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


# Pure and called for every link on every page (the same nav links on every page of a site):
# memoised, bounded.
@lru_cache(maxsize=16384)
def link_key(url: str) -> str:
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


# Query parameters and path parameters that only carry a session: they make one page look like
# endless distinct URLs, so they are dropped from the de-duplication key.
_SESSION_PARAMS = frozenset(
    {"jsessionid", "phpsessid", "sid", "sessionid", "session_id", "aspsessionid", "cfid", "cftoken"}
)
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def link_scheme(url: str | None) -> str | None:
    """The lower-cased scheme of an href ("mailto", "javascript" ...), None when relative."""
    match = _SCHEME.match(clean_href(url))
    return match.group(1).lower() if match else None


def remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4, as browsers do: "/a/../../b" -> "/b" (never above the root)."""
    output: list[str] = []
    segments = path.split("/")
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
        elif segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
        else:
            output.append(segment)
    result = "/".join(output)
    return result if result.startswith("/") or not path.startswith("/") else "/" + result


def _is_session_param(pair: str) -> bool:
    name = pair.split("=", 1)[0].lower()
    return name in _SESSION_PARAMS or name.startswith("aspsessionid")


@lru_cache(maxsize=16384)
def canonical_url(url: str) -> str:
    """De-duplication key of a page: `link_key` plus default port dropped, dot segments
    resolved and session ids removed. Query order is kept: some servers care about it."""
    parts = urlsplit(clean_href(url))
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = remove_dot_segments(_PATH_SESSION.sub("", parts.path)) or "/"
    query = "&".join(p for p in parts.query.split("&") if p and not _is_session_param(p))
    return urlunsplit((scheme, netloc, path, query, ""))
