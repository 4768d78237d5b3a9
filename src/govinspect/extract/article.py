"""The publication date of an article page."""

from __future__ import annotations

import datetime as dt
import re

from govinspect.extract.dates import iter_dates, parse_meta_date
from govinspect.extract.html import clean_text, never_raise, node_text, parse, visible_text

# The page's own label, strongest first: 发布时间 is the publication; 成文日期/更新时间 are not quite.
_STRONG_LABEL_RE = re.compile(r"(?:发布|发表|发稿|发文|公开|刊发|上传|添加|录入)\s{0,2}(?:时间|日期|于)|发布")
_WEAK_LABEL_RE = re.compile(r"日\s{0,2}期|时\s{0,2}间|date|成文|更新|修改", re.I)
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


def _labelled(text: str, label_re: re.Pattern, reference: dt.date) -> dt.date | None:
    for m in label_re.finditer(text):
        window = text[m.end() : m.end() + _AFTER_LABEL]
        window = window.lstrip(" \t\n:：】]")
        for value, start, _ in iter_dates(window, reference, need_year=True):
            if start <= 6 and value <= reference:
                return value
            break
        value = _us_date(window, reference)
        if value:
            return value
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


def _from_meta(tree, reference: dt.date) -> dt.date | None:
    found: dict[str, dt.date] = {}
    for meta in tree.css("meta"):
        attrs = meta.attributes
        key = (attrs.get("name") or attrs.get("property") or attrs.get("itemprop") or "").lower()
        if key in _META_NAMES and key not in found:
            value = parse_meta_date(attrs.get("content") or "", reference)
            if value and value <= reference:
                found[key] = value
    for name in _META_NAMES:
        if name in found:
            return found[name]
    for node in tree.css("time[datetime]"):
        value = parse_meta_date(node.attributes.get("datetime") or "", reference)
        if value and value <= reference:
            return value
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


def _plausible(text: str, reference: dt.date) -> dt.date | None:
    for value, start, _ in iter_dates(text, reference, need_year=True):
        if value <= reference and not _TODAY_RE.search(text[max(0, start - 12) : start]):
            return value
    return None


@never_raise(lambda: None)
def extract_article_date(html: str, reference: dt.date) -> dt.date | None:
    """发布时间/发布日期/日期 label, else meta tags (PubDate, publishdate …), else the first
    plausible date after the title, else the first plausible date of the page."""
    meta_tree = parse(html)
    text = visible_text(parse(html))
    title = _title_of(meta_tree)
    after_title = ""
    if title:
        at = text.find(title[:20])
        if at >= 0:
            after_title = text[at : at + 600]
    for region in (after_title, text):
        if region:
            found = _labelled(region, _STRONG_LABEL_RE, reference)
            if found:
                return found
    found = _from_meta(meta_tree, reference)
    if found:
        return found
    for region in (after_title, text):
        if region:
            found = _labelled(region, _WEAK_LABEL_RE, reference)
            if found:
                return found
    return _plausible(after_title[:300], reference) or _plausible(text, reference)
