"""Generic feeds: RSS 2.0 and Atom (feedparser) and JSON Feed 1.x (by hand: it is plain JSON).

RSSHub routes and WeChat bridges (Wechat2RSS, we-mp-rss, wewe-rss) all publish one of these, so
they plug in unchanged. Parsing is pure: bytes in, FetchResult out, never an exception.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
import time
from typing import Any

import feedparser
from selectolax.lexbor import LexborHTMLParser

from govinspect.newmedia.model import CHINA_TZ, FetchResult, Post, to_china

# Problems feedparser reports that do not make the entries doubtful (a charset label that lied,
# a feed served as text/plain).
_HARMLESS_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
_PINNED = re.compile(r"^\s*[\[【(（]?\s*置顶\s*[\]】)）]?")
_REPOST = re.compile(r"^\s*[\[【(（]?\s*(?:转发|转载)\s*[\]】)）:：]?")
_CHALLENGE = re.compile(r"验证码|人机验证|安全验证|访问频繁|captcha|access denied|请登录|扫码登录", re.I)


def html_text(markup: str) -> str:
    """Visible text of an HTML fragment (post bodies come as HTML)."""
    if not markup or "<" not in markup:
        return (markup or "").strip()
    tree = LexborHTMLParser(markup)
    for node in tree.css("script, style"):
        node.decompose()
    root = tree.body or tree.root
    return root.text(separator="\n").strip() if root is not None else ""


def looks_like_web_page(body: bytes) -> bool:
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:200]


def blocked_page(body: bytes, source: str, fetched_at: dt.datetime) -> FetchResult:
    """A web page where a feed was expected: a login, captcha or WAF page."""
    text = body[:20000].decode("utf-8", "replace")
    why = "验证码或访问拦截页面" if _CHALLENGE.search(text) else "网页而不是订阅源（可能为登录或拦截页面）"
    return FetchResult("blocked", detail=f"订阅源返回{why}", fetched_at=fetched_at, source=source)


def _struct_time(value: time.struct_time | None) -> dt.datetime | None:
    # feedparser normalises every date to UTC struct_time.
    if not value:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(value), dt.UTC).astimezone(CHINA_TZ)


def _kind(title: str, tags: list[str]) -> str:
    if _PINNED.match(title) or any("置顶" in t for t in tags):
        return "置顶"
    if _REPOST.match(title) or any(t in ("转发", "转载") for t in tags):
        return "转发"
    return "原创"


def _entry_post(entry: Any, index: int) -> Post:
    title = (entry.get("title") or "").strip()
    body = ""
    if entry.get("content"):
        body = entry["content"][0].get("value", "")
    body = body or entry.get("summary", "")
    tags = [t.get("term", "") for t in entry.get("tags") or []]
    published = _struct_time(entry.get("published_parsed") or entry.get("updated_parsed"))
    url = entry.get("link", "")
    return Post(
        post_id=str(entry.get("id") or url or index),
        title=title,
        url=url,
        published_at=published,
        kind=_kind(title, tags),
        text=html_text(body),
    )


def parse_xml_feed(
    body: bytes, *, source: str, fetched_at: dt.datetime, content_type: str = ""
) -> FetchResult:
    if looks_like_web_page(body):
        return blocked_page(body, source, fetched_at)
    try:
        parsed = feedparser.parse(body, response_headers={"content-type": content_type or "application/xml"})
    except Exception as exc:  # noqa: BLE001 - a parser failure is a status, never a crash
        return FetchResult(
            "partial", detail=f"订阅源无法解析（{type(exc).__name__}）", fetched_at=fetched_at, source=source
        )
    posts = [_entry_post(e, i) for i, e in enumerate(parsed.entries)]
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    feed = parsed.get("feed", {})
    built = _struct_time(feed.get("updated_parsed") or feed.get("published_parsed"))
    result = assemble(posts, source=source, fetched_at=fetched_at, built_at=built)
    if problem is not None and not isinstance(problem, _HARMLESS_BOZO):
        reason = str(problem).splitlines()[0].removeprefix("<unknown>:")[:80] or type(problem).__name__
        if posts:
            result.status = "partial"
            result.detail = f"订阅源XML格式错误（{reason}），仅读到{len(posts)}条，可能不完整"
        else:
            result.status = "partial"
            result.detail = f"订阅源XML格式错误（{reason}），未能读出任何内容"
    elif not parsed.get("version") and not posts:
        result.status = "partial"
        result.detail = "返回内容不是可识别的RSS/Atom订阅源"
    return result


def _iso_time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return to_china(dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
    except ValueError:
        return None


def parse_json_feed(body: bytes, *, source: str, fetched_at: dt.datetime) -> FetchResult:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1)."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return FetchResult(
            "partial",
            detail=f"JSON订阅源格式错误（{exc.__class__.__name__}）",
            fetched_at=fetched_at,
            source=source,
        )
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        return FetchResult(
            "partial", detail="返回内容不是JSON Feed订阅源（缺少items）", fetched_at=fetched_at, source=source
        )
    posts = []
    for i, item in enumerate(data["items"]):
        if not isinstance(item, dict):
            continue
        title = str(item.get("title") or "").strip()
        tags = [str(t) for t in item["tags"]] if isinstance(item.get("tags"), list) else []
        text = item.get("content_text") or html_text(str(item.get("content_html") or ""))
        posts.append(
            Post(
                post_id=str(item.get("id") or item.get("url") or i),
                title=title,
                url=str(item.get("url") or ""),
                published_at=_iso_time(item.get("date_published")) or _iso_time(item.get("date_modified")),
                kind=_kind(title, tags),
                text=str(text or "").strip(),
            )
        )
    return assemble(posts, source=source, fetched_at=fetched_at, built_at=None)


def is_json_feed(body: bytes, content_type: str) -> bool:
    return "json" in content_type.lower() or body.lstrip()[:1] == b"{"


def parse_feed(body: bytes, *, source: str, fetched_at: dt.datetime, content_type: str = "") -> FetchResult:
    if is_json_feed(body, content_type):
        return parse_json_feed(body, source=source, fetched_at=fetched_at)
    return parse_xml_feed(body, source=source, fetched_at=fetched_at, content_type=content_type)


def assemble(
    posts: list[Post], *, source: str, fetched_at: dt.datetime, built_at: dt.datetime | None
) -> FetchResult:
    """A result from parsed posts: empty when there are none; coverage from the oldest dated post
    to the time the source was current (its own build time when earlier than the fetch)."""
    if not posts:
        return FetchResult("empty", detail="订阅源中没有任何内容", fetched_at=fetched_at, source=source)
    dated = [p.published_at for p in posts if p.published_at is not None]
    current = min(built_at, fetched_at) if built_at is not None else fetched_at
    coverage = (min(dated), current) if dated else None
    return FetchResult(
        "ok",
        posts=posts,
        coverage=coverage,
        detail=f"读到{len(posts)}条内容",
        fetched_at=fetched_at,
        source=source,
    )
