"""Accounts, posts and what a connector saw (FetchResult)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "+08:00")

# Platforms as the registry names them; 其他 for anything else.
PLATFORMS = ("微信公众号", "微博", "头条号", "抖音", "快手", "视频号", "百家号", "其他")
ACCOUNT_STATUSES = ("运行", "关停", "注销", "合并")
KINDS = ("原创", "转发", "置顶", "群发")
STATUSES = ("ok", "empty", "blocked", "auth_expired", "not_found", "partial")
Status = Literal["ok", "empty", "blocked", "auth_expired", "not_found", "partial"]

STATUS_LABELS = {
    "ok": "正常读取",
    "empty": "未读到内容",
    "blocked": "被拦截或无法访问",
    "auth_expired": "授权失效",
    "not_found": "账号或订阅源不存在",
    "partial": "仅部分读取",
}


@dataclass(frozen=True)
class Account:
    platform: str  # one of PLATFORMS
    account_id: str  # the platform's native id (微信号, 微博 uid ...)
    name: str
    organiser: str = ""  # 开办单位 (the site's organiser, or the account's own unit)
    feed_url: str = ""  # RSS/Atom/JSON Feed, Weibo container JSON, or a manual-evidence CSV
    subject: str = ""  # 认证主体 as the platform shows it
    record_no: str = ""  # 备案编号
    record_date: str = ""  # 备案日期 (YYYY-MM-DD)
    status: str = "运行"  # one of ACCOUNT_STATUSES
    connector: str = ""  # feed | weibo | manual; empty: guessed from feed_url
    registered: bool = True  # False: found (e.g. linked from a site) but not in the registry

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.account_id}"


@dataclass(frozen=True)
class Post:
    post_id: str
    title: str
    url: str
    published_at: dt.datetime | None  # aware, +08:00; None when the source gives no time
    kind: str = "原创"  # one of KINDS
    text: str = ""

    @property
    def pinned(self) -> bool:
        return self.kind == "置顶"


@dataclass
class FetchResult:
    status: Status
    posts: list[Post] = field(default_factory=list)
    # The span the source is known to show completely: from its oldest dated post to the time the
    # source was current (its build time, else the fetch time). None when nothing was read.
    coverage: tuple[dt.datetime, dt.datetime] | None = None
    detail: str = ""  # Chinese: what the connector saw
    fetched_at: dt.datetime | None = None
    source: str = ""  # the URL or file read
    # What the connector can see of the interaction functions (menus, comments); None: cannot see.
    interaction: dict[str, Any] | None = None

    @property
    def readable(self) -> bool:
        return self.status == "ok"


def to_china(value: dt.datetime) -> dt.datetime:
    """An aware time in +08:00; a naive time is taken as Beijing time (what Chinese sources mean)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=CHINA_TZ)
    return value.astimezone(CHINA_TZ)


def end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=CHINA_TZ)
