"""Parsing helpers shared by the extractors: safe parsing, URL joining, node text, regions."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

log = logging.getLogger(__name__)

T = TypeVar("T")

_SPACE_RE = re.compile(r"\s+")
_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "vbscript:", "about:", "sms:", "ftp:", "file:")

# Class/id words of navigation menus (导航, 菜单, 栏目).
NAV_SELECTOR = ", ".join(
    ["nav", '[role="navigation"]']
    + [f'[{attr}*="{word}" i]' for attr in ("class", "id") for word in ("nav", "menu", "daohang")]
    + ['[class~="dh" i]', '[id="dh" i]']
)


def never_raise(default: Callable[[], T]) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Extraction must return what it can find: a bug or hostile markup yields the empty result."""

    def wrap(func: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(func)
        def inner(*args, **kwargs) -> T:
            try:
                return func(*args, **kwargs)
            except Exception:  # noqa: BLE001
                log.debug("%s failed", func.__name__, exc_info=True)
                return default()

        return inner

    return wrap


def parse(html: str) -> LexborHTMLParser:
    return LexborHTMLParser(html or "")


def clean_text(text: str | None) -> str:
    return _SPACE_RE.sub(" ", (text or "").replace("\xa0", " ").replace("\u3000", " ")).strip()


def node_text(node: LexborNode | None) -> str:
    if node is None:
        return ""
    return clean_text(node.text(deep=True, separator=" "))


def visible_text(tree: LexborHTMLParser) -> str:
    """Body text without scripts and styles (mutates the tree: parse a fresh one per use)."""
    tree.strip_tags(["script", "style", "noscript", "template"])
    root = tree.body or tree.root
    return root.text(deep=True, separator="\n") if root is not None else ""


def base_href(tree: LexborHTMLParser, page_url: str) -> str:
    """The URL relative links resolve against: <base href> when present."""
    base = tree.css_first("base[href]")
    if base is not None:
        href = (base.attributes.get("href") or "").strip()
        if href:
            try:
                return urljoin(page_url, href)
            except ValueError:
                pass
    return page_url


@functools.lru_cache(maxsize=4096)
def _origin(base: str) -> str | None:
    try:
        parts = urlsplit(base)
    except ValueError:
        return None
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def absolute_url(href: str | None, base: str) -> str | None:
    """Absolute http(s) URL without fragment, or None for javascript:, mailto: and the like."""
    if not href:
        return None
    if href[0] == "/" or "://" in href[:10]:
        # Root-relative and absolute hrefs depend on the base's origin only (as _resolve decides
        # too): the nav links repeated on every page of a site then share one answer.
        base = _origin(base) or base
    return _resolve(href, base)


@functools.lru_cache(maxsize=16384)
def _resolve(href: str, base: str) -> str | None:
    href = href.strip().replace("\n", "").replace("\r", "").replace("\t", "")
    if not href or href.startswith("#"):
        return None
    if href.lower().startswith(_SKIP_SCHEMES):
        return None
    if href.startswith("/") or "://" in href[:10]:
        base = _origin(base) or base  # again: an href with leading blanks is only clean here
    try:
        url = urljoin(base, href)
    except ValueError:
        return None
    url = url.split("#", 1)[0]
    lowered = url[:8].lower()
    if lowered.startswith("http://"):
        host_start = 7
    elif lowered.startswith("https://"):
        host_start = 8
    else:
        return None
    if len(url) <= host_start or url[host_start] in "/?":
        return None
    return url


def anchor_text(node: LexborNode) -> str:
    """The visible text of a link, else its title, else the alt of its image."""
    text = node_text(node)
    if text:
        return text
    attrs = node.attributes
    title = clean_text(attrs.get("title"))
    if title:
        return title
    img = node.css_first("img[alt]")
    return clean_text(img.attributes.get("alt")) if img is not None else ""


def registered_domain(host: str) -> str:
    """xxgk.xx.gov.cn -> xx.gov.cn; www.example.com -> example.com (no public-suffix list needed
    for the domains government sites use)."""
    host = host.lower().split(":")[0].rstrip(".")
    labels = host.split(".")
    if len(labels) <= 2 or re.fullmatch(r"[\d.]+", host):
        return host
    second = labels[-2]
    if labels[-1] in ("cn", "hk", "mo", "tw", "uk", "jp") and (
        second in ("gov", "com", "net", "org", "edu", "ac", "mil", "co") or len(second) == 2
    ):
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def nav_anchor_ids(tree: LexborHTMLParser) -> set[int]:
    """mem_ids of links inside navigation menus."""
    ids: set[int] = set()
    for container in tree.css(NAV_SELECTOR):
        for a in container.css("a"):
            ids.add(a.mem_id)
    return ids


def class_id(node: LexborNode) -> str:
    attrs = node.attributes
    return f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
