"""Weibo's public mobile JSON: the container index (`/api/container/getIndex?containerid=107603<uid>`).

Shape: {"ok": 1, "data": {"cards": [{"card_type": 9, "mblog": {...}}, ...]}}; a pinned post has
`isTop: 1` or `title.text == "置顶"`; a repost carries `retweeted_status`. Parsing is pure.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from govinspect.newmedia.feeds import assemble, blocked_page, html_text, looks_like_web_page
from govinspect.newmedia.model import CHINA_TZ, FetchResult, Post, to_china

CONTAINER_URL = "https://m.weibo.cn/api/container/getIndex?containerid=107603{uid}"
_RELATIVE = re.compile(r"^(\d+)\s*(分钟|小时)前$")


def container_url(uid: str) -> str:
    return CONTAINER_URL.format(uid=uid)


def parse_created_at(value: str, now: dt.datetime) -> dt.datetime | None:
    """Weibo's times: "Sat Nov 21 10:00:00 +0800 2026" (API), or the mobile page's 刚刚 / 5分钟前 /
    昨天 12:00 / 11-20 / 2025-11-20."""
    value = (value or "").strip()
    if not value:
        return None
    now = to_china(now)
    try:
        return to_china(dt.datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y"))
    except ValueError:
        pass
    if value == "刚刚":
        return now
    match = _RELATIVE.match(value)
    if match:
        unit = dt.timedelta(minutes=1) if match.group(2) == "分钟" else dt.timedelta(hours=1)
        return now - int(match.group(1)) * unit
    if value.startswith("昨天"):
        clock = value.removeprefix("昨天").strip() or "00:00"
        try:
            hour, minute = (int(x) for x in clock.split(":"))
        except ValueError:
            return None
        day = (now - dt.timedelta(days=1)).date()
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=CHINA_TZ)
    for fmt in ("%Y-%m-%d", "%m-%d"):
        try:
            parsed = dt.datetime.strptime(value, fmt)
        except ValueError:
            continue
        if fmt == "%m-%d":
            parsed = parsed.replace(year=now.year)
        return parsed.replace(tzinfo=CHINA_TZ)
    return None


def _is_pinned(card: dict[str, Any], mblog: dict[str, Any]) -> bool:
    title = mblog.get("title") if isinstance(mblog.get("title"), dict) else {}
    return (
        str(mblog.get("isTop", "0")) == "1"
        or title.get("text") == "置顶"
        or str(card.get("profile_type_id", "")).startswith("proweibotop")
    )


def _mblogs(cards: list[Any]) -> list[tuple[dict, dict]]:
    """(card, mblog) pairs, also from card groups (card_type 11)."""
    out = []
    for card in cards:
        if not isinstance(card, dict):
            continue
        if isinstance(card.get("mblog"), dict):
            out.append((card, card["mblog"]))
        for inner in card.get("card_group") or []:
            if isinstance(inner, dict) and isinstance(inner.get("mblog"), dict):
                out.append((inner, inner["mblog"]))
    return out


def _post(card: dict, mblog: dict, now: dt.datetime) -> Post:
    post_id = str(mblog.get("id") or mblog.get("mid") or "")
    text = html_text(str(mblog.get("text") or ""))
    if _is_pinned(card, mblog):
        kind = "置顶"
    elif mblog.get("retweeted_status"):
        kind = "转发"
    else:
        kind = "原创"
    return Post(
        post_id=post_id,
        title=text.replace("\n", " ")[:40],
        url=f"https://m.weibo.cn/detail/{post_id}" if post_id else "",
        published_at=parse_created_at(str(mblog.get("created_at") or ""), now),
        kind=kind,
        text=text,
    )


def parse_weibo(body: bytes, *, source: str, fetched_at: dt.datetime) -> FetchResult:
    if looks_like_web_page(body):
        return blocked_page(body, source, fetched_at)
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return FetchResult(
            "partial",
            detail=f"微博接口返回内容无法解析（{exc.__class__.__name__}）",
            fetched_at=fetched_at,
            source=source,
        )
    if not isinstance(data, dict):
        return FetchResult("partial", detail="微博接口返回内容格式异常", fetched_at=fetched_at, source=source)
    if str(data.get("ok")) != "1":
        msg = str(data.get("msg") or "")
        if str(data.get("ok")) == "-100" or "登录" in msg:
            return FetchResult(
                "auth_expired",
                detail=f"微博接口要求登录（{msg or data.get('ok')}）",
                fetched_at=fetched_at,
                source=source,
            )
        if "没有内容" in msg:
            return FetchResult("empty", detail=f"微博接口：{msg}", fetched_at=fetched_at, source=source)
        return FetchResult(
            "partial",
            detail=f"微博接口返回错误（{msg or data.get('ok')}）",
            fetched_at=fetched_at,
            source=source,
        )
    cards = (data.get("data") or {}).get("cards") or []
    posts = [_post(card, mblog, fetched_at) for card, mblog in _mblogs(cards)]
    # The API is live: it is current at the time of the fetch.
    return assemble(posts, source=source, fetched_at=fetched_at, built_at=None)
