"""The publication date of an article page, and where it was read (label, meta, url, text).

Rank of what a person reads under the title: a 发布时间/发布日期 label > a plain 时间/日期 label next to
the title > the meta tags (PubDate …) > the date in the URL > an unlabelled date after the title.
成文日期, 生成日期, 更新/修改时间 and CMS stamps never count; CSS-hidden text is not read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from govinspect.extract.dates import date_from_url, iter_dates, parse_meta_date
from govinspect.extract.html import clean_text, never_raise, node_text, parse, visible_text
from govinspect.extract.visibility import remove_hidden

# What a person reads under the title, strongest first. A publication label (发布时间, 发布日期 …);
# then a plain 时间/日期/Date label standing alone (not the end of 成文日期, 更新时间, 页面生成时间,
# 会议时间 …: the character before it must not be a letter of a longer word).
_STRONG_LABEL_RE = re.compile(r"(?:发布|发表|发稿|发文|公开|刊发|上传|添加|录入)\s{0,2}(?:时间|日期|于)|发布")
_PLAIN_LABEL_RE = re.compile(
    r"(?<![\w\u4e00-\u9fff])(?:时\s{0,2}间|日\s{0,2}期)\s{0,2}[:：]|(?<![A-Za-z])date(?![A-Za-z])\s{0,2}[:：]?",
    re.I,
)
_AFTER_LABEL = 40  # characters between a label and its date

_META_NAMES = (
    "pubdate",
    "publishdate",
    "publish_date",
    "publishtime",
    "publish-date",
    "article:published_time",
    "og:article:published_time",
    "og:release_date",
    "datepublished",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "dcterms.issued",
    "firstpublishedtime",
    "weibo:article:create_at",
    "created",
    "date",
)
# Some ASP pages print "7/5/2005 9:23:57 PM" after the label. Read day/month/year first (the labelled
# pages measured in bench/date_accuracy.py read so 2 times out of 3), month/day when only it is valid.
_US_DATE_RE = re.compile(r"^\s{0,3}(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})(?!\d)")
_TODAY_RE = re.compile(r"(?:今天是|今日|当前日期|当前时间|现在是|today)\s*[:：]?\s*$", re.I)


def _labelled(text: str, label_re: re.Pattern, reference: dt.date) -> tuple[dt.date, str] | None:
    """The first date written right after a label: (date, "label … date" as printed)."""
    for m in label_re.finditer(text):
        window = text[m.end() : m.end() + _AFTER_LABEL]
        stripped = window.lstrip(" \t\n:：】]")
        skipped = len(window) - len(stripped)
        for value, start, end in iter_dates(stripped, reference, need_year=True):
            if start <= 6 and value <= reference:
                return value, clean_text(text[m.start() : m.end() + skipped + end])
            break
        value = _us_date(stripped, reference)
        if value:
            return value, clean_text(text[m.start() : m.end() + skipped + 12])
    return None


def _us_date(text: str, reference: dt.date) -> dt.date | None:
    m = _US_DATE_RE.match(text)
    if not m:
        return None
    first, second, year = int(m[1]), int(m[2]), int(m[3])
    for day, month in ((first, second), (second, first)):
        try:
            value = dt.date(year, month, day)
        except ValueError:
            continue
        return value if year >= 1990 and value <= reference else None
    return None


def _from_meta(tree, reference: dt.date) -> tuple[dt.date, str] | None:
    found: dict[str, tuple[dt.date, str]] = {}
    for meta in tree.css("meta"):
        attrs = meta.attributes
        key = (attrs.get("name") or attrs.get("property") or attrs.get("itemprop") or "").lower()
        if key in _META_NAMES and key not in found:
            content = attrs.get("content") or ""
            value = parse_meta_date(content, reference)
            if value and value <= reference:
                found[key] = (value, clean_text(f'<meta name="{key}" content="{content}">'))
    for name in _META_NAMES:
        if name in found:
            return found[name]
    for node in tree.css("time[datetime]"):
        content = node.attributes.get("datetime") or ""
        value = parse_meta_date(content, reference)
        if value and value <= reference:
            return value, clean_text(f'<time datetime="{content}">')
    return None


def _title_of(tree) -> str:
    for meta in tree.css("meta[name]"):
        if (meta.attributes.get("name") or "").lower() == "articletitle":
            title = clean_text(meta.attributes.get("content"))
            if title:
                return title
    for selector in ("h1", "h2", "title"):
        node = tree.css_first(selector)
        text = node_text(node)
        if len(text) >= 4:
            return text.split("_")[0].split(" - ")[0]
    return ""


def _plausible(text: str, reference: dt.date) -> tuple[dt.date, str] | None:
    for value, start, end in iter_dates(text, reference, need_year=True):
        if value <= reference and not _TODAY_RE.search(text[max(0, start - 12) : start]):
            return value, clean_text(text[start:end])
    return None


@dataclass(frozen=True)
class PublishedDate:
    """An article's own date and where it was read."""

    date: dt.date | None = None
    source: str = ""  # "label" | "meta" | "url" | "text" | "" (none found)
    text: str = ""  # what was read: "发布时间：2026-11-20 09:30", the meta tag, the URL …

    @property
    def is_publication(self) -> bool:
        """Printed under a publication label or declared in the page's meta: the publication date.
        A date read from the URL or from unlabelled text may be anything (an event, a deadline)."""
        return self.source in PUBLICATION_SOURCES


PUBLICATION_SOURCES = frozenset({"label", "meta"})


def _visible_text(html: str) -> str:
    return visible_text(remove_hidden(parse(html)))


@never_raise(PublishedDate)
def find_published_date(html: str, reference: dt.date, url: str = "", tree=None) -> PublishedDate:
    """The page's publication date with its source, by the rank in the module docstring.
    `tree`: the page already parsed (read only here), so the caller's parse is shared."""
    meta_tree = tree if tree is not None else parse(html)
    text = _visible_text(html)
    title = _title_of(meta_tree)
    after_title = ""
    if title:
        at = text.find(title[:20])
        if at >= 0:
            after_title = text[at : at + 600]
    steps = [
        ("label", lambda: _labelled(after_title, _STRONG_LABEL_RE, reference)),
        ("label", lambda: _labelled(text, _STRONG_LABEL_RE, reference)),
        ("label", lambda: _labelled(after_title, _PLAIN_LABEL_RE, reference)),
        ("meta", lambda: _from_meta(meta_tree, reference)),
        ("label", lambda: _labelled(text, _PLAIN_LABEL_RE, reference)),
        ("url", lambda: _from_url(url, reference)),
        ("text", lambda: _plausible(after_title[:300], reference)),
        ("text", lambda: _plausible(text, reference)),
    ]
    for source, step in steps:
        found = step()
        if found:
            return PublishedDate(date=found[0], source=source, text=found[1][:120])
    return PublishedDate()


def _from_url(url: str, reference: dt.date) -> tuple[dt.date, str] | None:
    value = date_from_url(url, reference) if url else None
    return (value, url) if value and value <= reference else None


def extract_article_date(html: str, reference: dt.date) -> dt.date | None:
    """The page's publication date (see find_published_date), or None."""
    return find_published_date(html, reference).date
