"""Alert delivery through apprise, via an outbox that never loses an alert.

Alerts are first turned into `OutboxItem`s, one per (alert, channel) (`route`); the daemon stores
them, then `deliver` sends the due ones. A failed send is retried with exponential backoff within
the call; an item that still fails stays pending with its error and the time of its next attempt,
and is logged. Nothing is dropped: an item only leaves the pending state by being sent.

Channels are apprise URLs:
* DingTalk robot, signed: ``dingtalk://{secret}@{access_token}/`` (`dingtalk_url`)
* WeCom (企业微信) group robot: ``wecombot://{key}`` (`wecom_url`)
* e-mail over SMTP: ``mailtos://user:password@smtp.example.gov.cn?to=duty@example.gov.cn``
* generic JSON webhook: ``json://host:port/path`` or ``jsons://…`` (HTTPS); the body is apprise's
  JSON: {"version", "title", "message", "type", "attachments"}.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal, Protocol

import apprise

from govinspect.monitor.alerts import KIND_NAMES, Alert, china_time

log = logging.getLogger(__name__)

TITLES = {
    "down": "网站无法访问",
    "recovered": "网站恢复访问",
    "flapping": "网站访问不稳定",
    "spam": "发现违规内容",
    "defacement": "首页疑似被篡改",
    "veto": "出现单项否决问题",
    "warning": "单项否决预警",
}


def dingtalk_url(access_token: str, secret: str | None = None) -> str:
    """A DingTalk robot; with `secret` apprise signs every message (加签)."""
    return f"dingtalk://{secret}@{access_token}/" if secret else f"dingtalk://{access_token}/"


def wecom_url(key: str) -> str:
    """A WeCom (企业微信) group robot, by the key of its webhook address."""
    return f"wecombot://{key}"


def redact(channel: str) -> str:
    """The channel as apprise prints it with secrets hidden, for logs and error messages."""
    plugin = apprise.Apprise.instantiate(channel)
    if plugin is None:
        return channel.split(":", 1)[0] + "://…"
    return plugin.url(privacy=True).split("?", 1)[0]  # the query is apprise's defaults: noise


@dataclass(frozen=True)
class Subscription:
    """Where alerts go: one channel, optionally only some sites and kinds, now or as a daily digest."""

    channel: str
    sites: frozenset[str] | None = None  # site ids; None = all
    kinds: frozenset[str] | None = None  # alert kinds; None = all
    digest: bool = False  # only in the daily digest, not one message per alert

    def wants(self, alert: Alert) -> bool:
        return (self.sites is None or alert.site in self.sites) and (
            self.kinds is None or alert.kind in self.kinds
        )


@dataclass(frozen=True)
class OutboxItem:
    id: str  # alert id + channel digest: routing the same alert twice gives the same id
    channel: str
    title: str
    body: str
    created: dt.datetime
    status: Literal["pending", "sent"] = "pending"
    attempts: int = 0
    last_error: str | None = None
    next_attempt: dt.datetime | None = None  # None = due now
    sent_at: dt.datetime | None = None

    def due(self, now: dt.datetime) -> bool:
        return self.status == "pending" and (self.next_attempt is None or self.next_attempt <= now)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("created", "next_attempt", "sent_at"):
            data[key] = data[key].isoformat() if data[key] else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutboxItem:
        times = {
            key: dt.datetime.fromisoformat(data[key]) if data.get(key) else None
            for key in ("created", "next_attempt", "sent_at")
        }
        return cls(**{**data, **times})


def _item_id(source_id: str, channel: str) -> str:
    return f"{source_id}|{hashlib.sha256(channel.encode()).hexdigest()[:12]}"


def alert_title(alert: Alert) -> str:
    return f"【{TITLES[alert.kind]}】{alert.site_name}"


def route(
    alerts: Iterable[Alert], subscriptions: Sequence[Subscription], *, now: dt.datetime
) -> list[OutboxItem]:
    """One outbox item per alert and immediate subscription that wants it."""
    return [
        OutboxItem(_item_id(a.id, s.channel), s.channel, alert_title(a), a.message, now)
        for a in alerts
        for s in subscriptions
        if not s.digest and s.wants(a)
    ]


class DeliveryError(Exception):
    """A channel refused or could not be reached; the message is Chinese and secret-free."""


class Sender(Protocol):
    async def send(self, channel: str, title: str, body: str) -> None:
        """Deliver one message or raise DeliveryError."""


class AppriseSender:
    """Sends through apprise; apprise's own retries stay off (the outbox retries)."""

    def __init__(self, timeout_s: float = 30.0) -> None:
        self.timeout_s = timeout_s

    async def send(self, channel: str, title: str, body: str) -> None:
        notifier = apprise.Apprise()
        if not notifier.add(channel):
            raise DeliveryError(f"无效的通知地址（{redact(channel)}）")
        problems: list[str] = []

        def collect(entry: Any, plugin: Any = None) -> None:
            if entry.level in ("WARNING", "ERROR", "CRITICAL"):
                problems.append(entry.message)

        result = await notifier.async_notify(
            body=body, title=title, timeout=self.timeout_s, log_callback=collect, log_level=logging.WARNING
        )
        if not result:
            detail = "；".join(dict.fromkeys(problems)) or "通知服务未接受消息"
            raise DeliveryError(f"发送失败（{redact(channel)}）：{detail}")


async def deliver(
    items: Sequence[OutboxItem],
    sender: Sender,
    *,
    now: dt.datetime | None = None,
    attempts: int = 3,
    backoff_s: float = 2.0,
    max_backoff_s: float = 3600.0,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
) -> list[OutboxItem]:
    """Send the due pending items; returns every item, updated, in the same order.

    Each due item gets up to `attempts` tries, `backoff_s × 2^k` apart. An item still failing stays
    pending, keeps its last error, and is next due after `backoff_s × 2^(total attempts)` (at most
    `max_backoff_s`), so a channel that is down for a day is tried less and less often but forever.
    """
    now = now or dt.datetime.now(dt.UTC)
    updated = []
    for item in items:
        if not item.due(now):
            updated.append(item)
            continue
        error = None
        for k in range(attempts):
            if k:
                await sleep(backoff_s * 2 ** (k - 1))
            item = replace(item, attempts=item.attempts + 1)
            try:
                await sender.send(item.channel, item.title, item.body)
            except Exception as exc:  # noqa: BLE001 - any failure keeps the item pending
                error = (
                    str(exc) if isinstance(exc, DeliveryError) else f"发送失败（{type(exc).__name__}：{exc}）"
                )
                continue
            item = replace(item, status="sent", last_error=None, next_attempt=None, sent_at=now)
            error = None
            break
        if error is not None:
            wait = min(max_backoff_s, backoff_s * 2**item.attempts)
            item = replace(item, last_error=error, next_attempt=now + dt.timedelta(seconds=wait))
            log.warning("alert %s not delivered after %d attempts: %s", item.id, item.attempts, error)
        updated.append(item)
    return updated


def build_digest(
    day: dt.date, alerts: Sequence[Alert], *, open_problems: Sequence[str] = ()
) -> tuple[str, str]:
    """(title, body) of the daily digest: the day's alerts by kind, then each one, then what is
    still wrong (`open_problems`, Chinese lines given by the daemon, e.g. sites still down)."""
    title = f"政府网站监测日报（{day.isoformat()}）"
    if not alerts and not open_problems:
        return title, f"{day.isoformat()} 无告警，所有监测网站状态未发生变化。"
    counts = Counter(a.kind for a in alerts)
    lines = []
    if alerts:
        summary = "、".join(f"{KIND_NAMES[k]}{n}次" for k, n in counts.most_common())
        lines.append(f"当日告警{len(alerts)}条：{summary}。")
        for a in sorted(alerts, key=lambda a: a.at):
            detail = f"：{a.reason}" if a.reason else ""
            lines.append(f"· {china_time(a.at)} {a.site_name} {KIND_NAMES[a.kind]}{detail}")
    if open_problems:
        lines.append(f"仍未解决的问题{len(open_problems)}项：")
        lines += [f"· {p}" for p in open_problems]
    return title, "\n".join(lines)


def digest_items(
    day: dt.date,
    alerts: Sequence[Alert],
    subscriptions: Sequence[Subscription],
    *,
    now: dt.datetime,
    open_problems: Sequence[str] = (),
) -> list[OutboxItem]:
    """One digest item per digest subscription, with only the alerts it wants."""
    items = []
    for s in subscriptions:
        if not s.digest:
            continue
        title, body = build_digest(day, [a for a in alerts if s.wants(a)], open_problems=open_problems)
        items.append(
            OutboxItem(_item_id(f"digest|{day.isoformat()}", s.channel), s.channel, title, body, now)
        )
    return items
