"""What the extractor understood of one page (`govinspect page`, schema govinspect.page/1 in DESIGN.md).

One pure function over decoded HTML: the same extractors an inspection runs, gathered for a person
asking "why did it decide this?" and for anyone measuring them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

from govinspect.extract.article import find_published_date
from govinspect.extract.article_body import body_text, page_title
from govinspect.extract.channels import find_channels
from govinspect.extract.footer import extract_footer
from govinspect.extract.guides import GUIDE_ELEMENTS, extract_guide, guide_labels_found
from govinspect.extract.html import parse
from govinspect.extract.links import classify_column, find_column_links
from govinspect.extract.lists import extract_home_items, extract_list_items, newest_item
from govinspect.extract.messages import extract_messages
from govinspect.model import Item

PAGE_SCHEMA = "govinspect.page/1"
# A page read from a file resolves its relative links against this stand-in; they are shown relative.
FILE_BASE = "http://file.invalid/"
_HOME_PATH_RE = re.compile(r"^/?(?:(?:index|default|main|home)\.(?:s?html?|aspx?|jsp|php))?$", re.I)
_MIN_GUIDE_LABELS = 3  # as extract/content_model.py
_MIN_LIST_ITEMS = 3
_MIN_ARTICLE_BODY = 60  # characters of body text under a labelled date


def _is_home(url: str) -> bool:
    parts = urlsplit(url)
    return bool(_HOME_PATH_RE.match(parts.path or "/")) and not parts.query


def _shown_url(url: str | None) -> str | None:
    """Links of a file page are shown as written relative to its root, not under the stand-in host."""
    if url and url.startswith(FILE_BASE):
        return "/" + url[len(FILE_BASE) :]
    return url


def _item(item: Item | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {
        "title": item.title,
        "url": _shown_url(item.url),
        "date": item.date.isoformat() if item.date else None,
        "date_source": item.date_source or None,
    }


def _kind(url: str, html: str, as_of: dt.date, published, list_items: list[Item], guide_labels: int) -> str:
    if _is_home(url):
        return "home"
    if guide_labels >= _MIN_GUIDE_LABELS:
        return "guide"
    messages = extract_messages(html, url, as_of)
    if len(messages) == 1 and (messages[0].reply_text or messages[0].url == url) and messages[0].asked:
        return "message"
    has_body = len(body_text(parse(html))) >= _MIN_ARTICLE_BODY
    if published.is_publication and has_body:
        return "article"
    if sum(1 for i in list_items if i.date) >= _MIN_LIST_ITEMS:
        return "list"
    if published.date and has_body:
        return "article"
    return "other"


def describe_page(html: str, url: str, as_of: dt.date, scripts: list[str] | None = None) -> dict[str, Any]:
    """The govinspect.page/1 object of one decoded page. `url` is where it was fetched (FILE_BASE +
    name for a file); `scripts` are its own script files' texts when fetched (找错 handlers)."""
    published = find_published_date(html, as_of, url)
    guide = extract_guide(html, url)
    labels = guide_labels_found(guide)
    list_items = extract_list_items(html, url, as_of)
    kind = _kind(url, html, as_of, published, list_items, labels)
    items = extract_home_items(html, url, as_of) if kind == "home" else list_items if kind == "list" else []
    footer = extract_footer(html, scripts=scripts)
    columns = find_column_links(html, url) if kind == "home" else []
    dated_page = kind in ("article", "guide", "message", "other")
    return {
        "schema": PAGE_SCHEMA,
        "url": _shown_url(url),
        "kind": kind,
        "title": guide.title if kind == "guide" else page_title(parse(html)),
        "published": {
            "date": published.date.isoformat() if dated_page and published.date else None,
            "source": published.source or None if dated_page else None,
            "text": published.text or None if dated_page else None,
        },
        "items": [_item(i) for i in items],
        "newest_item": _item(newest_item(items, as_of)),
        "columns": [
            {"name": c.name, "url": _shown_url(c.url), "kind": classify_column(c.name)} for c in columns
        ],
        "footer": {
            "site_code": {"shown": footer.site_code, "declared": footer.site_code_declared},
            "icp": footer.icp,
            "psb": footer.psb,
            "conac": footer.conac,
            "jiucuo": _shown_url(footer.jiucuo),
            "jiucuo_site_code": footer.jiucuo_site_code,
        },
        "channels": [
            {"label": c.label, "url": _shown_url(c.url), "working": c.working}
            for c in find_channels(html, url)
        ],
        "guide": _guide(guide) if kind == "guide" else None,
    }


def _guide(guide) -> dict[str, list[str]]:
    return {
        "present": [n for n in GUIDE_ELEMENTS if guide.elements.get(n)],
        "missing": [n for n in GUIDE_ELEMENTS if guide.elements.get(n) is None],
        "empty": [n for n in GUIDE_ELEMENTS if guide.elements.get(n) == ""],
    }
