"""fetch_recent: read an account through its connector and say honestly how much was seen.

Connector choice: `account.connector` (feed | weibo | manual), else from `feed_url`: a `.csv`
path is manual evidence, a Weibo container URL (or a 微博 account without a feed) is Weibo, any
other URL is a generic feed. Per-host politeness comes from the Fetcher (delay_s between request
starts on one host, retries with backoff), so one platform is never hammered.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

from govinspect.fetch.client import Fetcher
from govinspect.newmedia.feeds import parse_feed
from govinspect.newmedia.manual import read_manual
from govinspect.newmedia.model import CHINA_TZ, Account, FetchResult, Post, end_of_day, to_china
from govinspect.newmedia.weibo import container_url, parse_weibo

# A post dated more than this after the fetch is in the future: it cannot prove an update.
FUTURE_TOLERANCE = dt.timedelta(days=1)

_XML_ENCODING = re.compile(r"""(<\?xml[^>]*?encoding=["'])[^"']*(["'])""")

# HTTP answers that mean "a gate, not the account": Weibo's 432, rate limits, WAF refusals.
_BLOCKED_STATUS = {403, 412, 418, 429, 432, 503}


def connector_of(account: Account) -> str:
    if account.connector:
        return account.connector
    url = account.feed_url.strip()
    if url.lower().endswith(".csv") or url.startswith("manual:"):
        return "manual"
    if "containerid=" in url or (not url and account.platform == "微博"):
        return "weibo"
    return "feed"


def source_url(account: Account) -> str:
    if connector_of(account) == "weibo" and not account.feed_url:
        return container_url(account.account_id)
    return account.feed_url.strip()


def is_future(post: Post, now: dt.datetime) -> bool:
    return post.published_at is not None and post.published_at > now + FUTURE_TOLERANCE


def proving_posts(result: FetchResult) -> list[Post]:
    """Posts that can prove an update: dated, not pinned, not in the future."""
    now = result.fetched_at or dt.datetime.now(CHINA_TZ)
    return [p for p in result.posts if p.published_at is not None and not p.pinned and not is_future(p, now)]


def settle(result: FetchResult, *, as_of: dt.date, window_days: int) -> FetchResult:
    """An `ok` result stays ok only when it shows the whole window before `as_of`: the source was
    current on the as-of day, and either a post inside the window proves an update or every post
    the source could hold in the window was seen (no undated posts, something older than the
    window). Otherwise it is `partial`, with the reason."""
    if result.status != "ok":
        return result
    window_start = as_of - dt.timedelta(days=window_days)
    if result.coverage is None or result.coverage[1].date() < as_of:
        seen = f"{result.coverage[1]:%Y-%m-%d}" if result.coverage else "未知"
        return replace(
            result, status="partial", detail=f"{result.detail}；来源最后更新于{seen}，未覆盖检查日{as_of}"
        )
    proving = [p for p in proving_posts(result) if p.published_at.date() <= as_of]
    if any(p.published_at.date() > window_start for p in proving):
        return result
    undated = [p for p in result.posts if p.published_at is None and not p.pinned]
    if undated:
        return replace(
            result,
            status="partial",
            detail=f"{result.detail}；{len(undated)}条内容没有发布时间，无法确认是否更新",
        )
    if not proving:
        return replace(
            result,
            status="partial",
            detail=f"{result.detail}；检查日及以前只有置顶或日期异常的内容，无法确认更新情况",
        )
    return result


def _status_result(
    status: int | None, error: str | None, source: str, now: dt.datetime
) -> FetchResult | None:
    if status in (401,):
        return FetchResult(
            "auth_expired", detail=f"HTTP {status}，来源要求重新登录或授权", fetched_at=now, source=source
        )
    if status in (404, 410):
        return FetchResult("not_found", detail=f"HTTP {status}", fetched_at=now, source=source)
    if status in _BLOCKED_STATUS:
        return FetchResult(
            "blocked",
            detail=f"HTTP {status}，可能为验证码或访问频率限制",
            fetched_at=now,
            source=source,
        )
    if error is not None or status is None or status >= 400:
        return FetchResult(
            "blocked", detail=f"无法读取来源：{error or f'HTTP {status}'}", fetched_at=now, source=source
        )
    return None


async def fetch_recent(
    account: Account,
    *,
    as_of: dt.date,
    window_days: int = 14,
    fetcher: Fetcher | None = None,
    now: dt.datetime | None = None,
) -> FetchResult:
    """Read `account`'s recent posts. Never raises for a bad source: the status says what happened.
    `now` is the time of the fetch (default: the clock); a demo farm built for a past day passes
    its own."""
    now = to_china(now) if now is not None else dt.datetime.now(CHINA_TZ)
    kind = connector_of(account)
    source = source_url(account)
    if kind == "manual":
        result = read_manual(Path(source.removeprefix("manual:")), account, fetched_at=now)
        return settle(result, as_of=as_of, window_days=window_days)
    if not source:
        return FetchResult("not_found", detail="名录中未填写订阅源（feed_url），无法自动读取", fetched_at=now)
    if fetcher is None:
        async with Fetcher() as own:
            return await fetch_recent(account, as_of=as_of, window_days=window_days, fetcher=own, now=now)
    page = await fetcher.get(source, headers=_headers(kind))
    failed = _status_result(page.status, page.error, source, now)
    if failed is not None:
        return failed
    # The fetcher decoded the body (declared charset, gb18030 for gbk): say so to the XML parser.
    body = _XML_ENCODING.sub(r"\1utf-8\2", page.text, count=1).encode("utf-8")
    if kind == "weibo":
        result = parse_weibo(body, source=source, fetched_at=now)
    else:
        mime = page.content_type.split(";")[0]
        result = parse_feed(
            body, source=source, fetched_at=now, content_type=f"{mime or 'application/xml'}; charset=utf-8"
        )
    return settle(result, as_of=as_of, window_days=window_days)


def _headers(kind: str) -> dict[str, str] | None:
    if kind == "weibo":
        return {"Accept": "application/json, text/plain, */*", "X-Requested-With": "XMLHttpRequest"}
    return {
        "Accept": "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5"
    }


def as_of_noon(day: dt.date) -> dt.datetime:
    """The fetch time a simulation of `day` uses (the demo farm's pages date from that day)."""
    return end_of_day(day).replace(hour=12, minute=0, second=0)
