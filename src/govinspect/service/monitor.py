"""The monitor as the CLI (and any other door) calls it: which sites, run the daemon, its status,
alert subscriptions."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from govinspect.monitor.alerts import KIND_NAMES
from govinspect.monitor.daemon import MonitorDaemon, MonitorSettings, StoredSite
from govinspect.monitor.notify import AppriseSender, DeliveryError, Sender, Subscription, redact
from govinspect.monitor.scheduler import MonitoredSite
from govinspect.monitor.window import Availability, availability
from govinspect.registry import normalize_url, read_sites
from govinspect.rules import load_rubric
from govinspect.settings import Settings
from govinspect.store import InputError, Store
from govinspect.store.monitor import Schedule, SubscriptionRow


class MonitorInputError(InputError, ValueError):
    """A subscription or site list the monitor cannot use (Chinese message)."""


def monitor_settings(settings: Settings, probe_interval_s: float | None = None) -> MonitorSettings:
    """The daemon's settings from the app settings and the rubric (timeout, probes a week, veto share)."""
    rubric = load_rubric(settings.rubric)
    required = int(rubric.threshold("probes_required"))
    timeout = settings.probe_timeout_s or float(rubric.threshold("probe_timeout_s"))
    interval = probe_interval_s or settings.monitor_probe_interval_s
    return MonitorSettings(
        probe_interval_s=interval,
        delivery_every_s=min(5.0, interval),
        probe_timeout_s=timeout,
        light_interval_s=settings.monitor_light_interval_s,
        full_interval_s=settings.monitor_full_interval_s,
        vantage=settings.vantage,
        min_per_day=max(1, required // 7),
        veto_share=float(rubric.threshold("unreachable_ratio")),
    )


def monitored_sites(
    store: Store, msettings: MonitorSettings, sites_file: Path | None = None
) -> list[StoredSite]:
    """The registry's sites, or those of `sites_file` (added to the registry first), each with its
    own probe interval when one is set."""
    if sites_file is not None:
        targets, _errors = read_sites(sites_file)
        for t in targets:
            store.upsert_site(t.name or None, t.url, t.site_code, **t.meta)
        urls = {t.url for t in targets}
        rows = [r for r in store.list_sites() if r.url in urls]
    else:
        rows = store.list_sites()
    with store.unit_of_work() as uow:
        schedules = uow.monitor.schedules()
    sites = []
    for r in rows:
        own = schedules.get(r.id)
        interval = own.probe_interval_s if own and own.probe_interval_s else msettings.probe_interval_s
        sites.append(
            StoredSite(r.id, MonitoredSite(r.url, r.url, r.name, interval, msettings.probe_timeout_s))
        )
    return sites


def run_monitor(
    store: Store,
    sites: list[StoredSite],
    msettings: MonitorSettings,
    *,
    app_settings: Settings | None = None,
    run_for_s: float | None = None,
    sender: Sender | None = None,
) -> None:
    daemon = MonitorDaemon(store, sites, msettings, app_settings=app_settings, sender=sender)
    asyncio.run(daemon.run(run_for_s))


@dataclass(frozen=True)
class SiteStatus:
    site_id: int
    name: str
    url: str
    status: str  # unknown | up | down
    flapping: bool
    since: str | None
    last_probe: dt.datetime | None
    last_outcome: str
    last_reason: str
    window: Availability
    open_issues: list[str]


def monitor_status(store: Store, msettings: MonitorSettings, now: dt.datetime | None = None) -> dict:
    """Per-site state and window, pending alerts, held (vantage) probes."""
    now = now or dt.datetime.now(dt.UTC)
    since = now - dt.timedelta(days=msettings.window_days)
    sites = []
    with store.unit_of_work("读取监测状态") as uow:
        states = uow.monitor.states()
        for row in uow.sites.list():
            probes = uow.monitor.probes(row.id, since=since)
            state = states.get(row.id)
            if not probes and state is None:
                continue
            window = availability(
                probes,
                now=now,
                window_days=msettings.window_days,
                min_per_day=msettings.min_per_day,
                max_failure_share=msettings.veto_share,
                maintenance=uow.monitor.maintenance(row.id),
            )
            last = probes[-1] if probes else None
            state = state or {}
            sites.append(
                SiteStatus(
                    row.id,
                    row.name,
                    row.url,
                    state.get("status", "unknown"),
                    bool(state.get("flapping")),
                    state.get("status_since"),
                    last.at if last else None,
                    last.outcome if last else "",
                    last.reason if last else "",
                    window,
                    sorted(state.get("issues", {})),
                )
            )
        pending = uow.monitor.outbox("pending")
        held = uow.monitor.held_count(since)
    return {"sites": sites, "pending": pending, "held": held}


def add_subscription(
    store: Store,
    channel: str,
    *,
    sites: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    digest: bool = False,
) -> int:
    from govinspect.monitor.notify import apprise

    if apprise.Apprise.instantiate(channel) is None:
        raise MonitorInputError(
            f"无法识别的通知地址：{redact(channel)}（支持钉钉、企业微信、邮件、JSON webhook 等 apprise 地址）"
        )
    kinds = [k.strip() for k in kinds or [] if k.strip()]
    unknown = [k for k in kinds if k not in KIND_NAMES]
    if unknown:
        raise MonitorInputError(
            f"未知的告警类型：{'、'.join(unknown)}（可用：{'、'.join(f'{k}（{v}）' for k, v in KIND_NAMES.items())}）"
        )
    urls = []
    for s in sites or []:
        if s.strip():
            try:
                urls.append(normalize_url(s.strip()))
            except ValueError as exc:
                raise MonitorInputError(str(exc)) from exc
    subscription = Subscription(
        channel, frozenset(urls) if urls else None, frozenset(kinds) if kinds else None, digest
    )
    with store.unit_of_work("保存告警订阅") as uow:
        return uow.monitor.add_subscription(subscription)


def list_subscriptions(store: Store) -> list[SubscriptionRow]:
    with store.unit_of_work() as uow:
        return uow.monitor.subscriptions()


async def _send_tests(
    rows: list[SubscriptionRow], sender: Sender
) -> list[tuple[SubscriptionRow, str | None]]:
    results = []
    for row in rows:
        try:
            await sender.send(
                row.subscription.channel,
                "【测试】政府网站监测告警",
                "这是一条测试消息：govinspect 监测告警通道工作正常。",
            )
            results.append((row, None))
        except DeliveryError as exc:
            results.append((row, str(exc)))
    return results


def send_test_messages(
    store: Store, sender: Sender | None = None
) -> list[tuple[SubscriptionRow, str | None]]:
    """Send a test message to every subscription; (row, Chinese error or None) each."""
    return asyncio.run(_send_tests(list_subscriptions(store), sender or AppriseSender()))


def add_maintenance(store: Store, url: str, start: dt.datetime, end: dt.datetime, note: str = "") -> int:
    """Declare a maintenance window (or a 临时关停 with 报备) for a registered site."""
    if end <= start:
        raise MonitorInputError("维护时段的结束时间应晚于开始时间")
    with store.unit_of_work("保存维护时段") as uow:
        site = uow.sites.by_url(normalize_url(url))
        if site is None:
            raise MonitorInputError(f"名录中没有这个网站：{url}（请先用 govinspect sites import 导入）")
        return uow.monitor.add_maintenance(site.id, start, end, note)


def set_schedule(
    store: Store,
    url: str,
    *,
    probe_interval_s: float | None = None,
    light_interval_s: float | None = None,
    full_interval_s: float | None = None,
) -> Schedule:
    """A site's own intervals (None keeps the current override; 0 for light/full turns it off)."""
    with store.unit_of_work("保存监测计划") as uow:
        site = uow.sites.by_url(normalize_url(url))
        if site is None:
            raise MonitorInputError(f"名录中没有这个网站：{url}（请先用 govinspect sites import 导入）")
        current = uow.monitor.schedule(site.id)
        given = {
            "probe_interval_s": probe_interval_s,
            "light_interval_s": light_interval_s,
            "full_interval_s": full_interval_s,
        }
        schedule = replace(current, **{k: v for k, v in given.items() if v is not None})
        uow.monitor.set_schedule(site.id, schedule)
        return schedule
