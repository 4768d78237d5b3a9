"""The monitor daemon: the pure monitor pieces wired to the store and the service core.

    daemon = MonitorDaemon(store, sites, MonitorSettings(...))
    await daemon.run(run_for_s=None)        # until cancelled

Every `tick_s` it probes the sites whose slot fell due (scheduler.run_cycle; a lease row per
(site, job, slot) in the database, so two daemons on one database never probe a site twice in a
slot), and stores each result with its alert-state step and its outbox items in ONE unit of work:
a daemon killed at any moment leaves either all of it or none. A separate loop sends the due
outbox items (claimed in the database, retried with backoff, never dropped). Daily light checks
and weekly full inspections go through the service core on the same slot scheme.

Vantage protection: when most probes of a cycle fail at the network level (DNS, refused, timeout),
the probing machine is the likely cause; those probes are stored `held` (not counted in the
window, not fed to the alert state) and the problem is logged instead of alerting every site.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import socket
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.exc import IntegrityError, OperationalError

from govinspect.monitor.alerts import (
    CHINA_TZ,
    AlertSettings,
    Issue,
    SiteMonitorState,
    issues_from_inspection,
    observe,
    step,
)
from govinspect.monitor.notify import AppriseSender, Sender, deliver, digest_items, route
from govinspect.monitor.probe import DEFAULT_TIMEOUT_S, HomeProber, ProbeResult
from govinspect.monitor.scheduler import (
    DEFAULT_INTERVAL_S,
    Lease,
    MonitoredSite,
    due_sites,
    run_cycle,
    vantage_suspect,
)
from govinspect.monitor.warnings import SECTION_9D, WarningThresholds, pre_veto_warnings, unreachable_issue
from govinspect.monitor.window import Availability, availability, in_windows
from govinspect.store import Store, StoreError
from govinspect.store.monitor import Schedule

log = logging.getLogger(__name__)

DAY_S = 24 * 3600.0
# What a light check may report, and what it re-checks (forgets when no longer found).
LIGHT_KEYS = (
    "spam:",
    "defacement:",
    "warning:warning.unreachable",
    "warning:warning.home_stale",
    "veto:site.unreachable",
)


@dataclass(frozen=True)
class MonitorSettings:
    probe_interval_s: float = DEFAULT_INTERVAL_S  # 48 a day; the rubric asks ≥ 20
    probe_timeout_s: float = DEFAULT_TIMEOUT_S
    light_interval_s: float = DAY_S  # home freshness, spam (search-engine view), defacement; 0 = off
    full_interval_s: float = 7 * DAY_S  # full inspection through the service core; 0 = off
    light_max_pages: int = 30
    tick_s: float = 10.0  # the loop wakes this often (never longer than the shortest interval)
    concurrency: int = 200  # probes at once
    check_concurrency: int = 1  # light/full inspections at once
    vantage: str = "local"
    alert: AlertSettings = field(default_factory=AlertSettings)
    vantage_min_probes: int = 20
    vantage_share: float = 0.8
    delivery_every_s: float = 5.0
    delivery_attempts: int = 3
    delivery_backoff_s: float = 2.0
    delivery_claim_s: float = 300.0  # an item being sent is not sent by another daemon meanwhile
    window_days: int = 7
    min_per_day: int = 20  # the rubric: 140 probes a week
    veto_share: float = 0.05
    warnings: WarningThresholds = SECTION_9D
    # A lease only matters while its slot is in some daemon's current window (a restarted daemon
    # never looks back); a day is plenty.
    keep_leases_s: float = DAY_S


def daemon_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class StoredSite:
    """A monitored site with its store id."""

    site_id: int
    site: MonitoredSite


def _retrying(fn: Callable[[], Any], attempts: int = 5) -> Any:
    """Run one unit of work, again when it collided with another daemon's."""
    for k in range(attempts):
        try:
            return fn()
        except StoreError as exc:
            # Locked (SQLite), or a row another daemon inserted at the same instant: try again.
            if not isinstance(exc.__cause__, OperationalError | IntegrityError) or k == attempts - 1:
                raise
            time.sleep(0.05 * 2**k)
    return None


class StoreLease(Lease):
    """A unique row per (site, job, slot): inserting it is winning it; a conflict = another has it."""

    def __init__(self, store: Store, site_ids: dict[str, int], owner: str, job: str = "probe") -> None:
        self.store, self.site_ids, self.owner, self.job = store, site_ids, owner, job

    def try_lease(self, site_id: str, slot: int) -> bool:
        def take() -> bool:
            try:
                with self.store.unit_of_work("领取监测任务") as uow:
                    uow.monitor.add_lease(self.site_ids[site_id], self.job, slot, self.owner)
                return True
            except StoreError as exc:
                if isinstance(exc.__cause__, IntegrityError):
                    return False
                raise

        return bool(_retrying(take))


def in_maintenance_result(
    result: ProbeResult, windows: Iterable[tuple[dt.datetime, dt.datetime]]
) -> ProbeResult:
    """A probe inside a declared maintenance window is recorded as maintenance (what it saw kept
    in the reason)."""
    if result.outcome == "maintenance" or not in_windows(result.at, windows):
        return result
    return replace(
        result, outcome="maintenance", ok=True, reason=f"处于报备的维护时段（实际监测结果：{result.reason}）"
    )


@dataclass
class TickReport:
    probed: int = 0
    held: bool = False
    alerts: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)


class MonitorDaemon:
    def __init__(
        self,
        store: Store,
        sites: list[StoredSite],
        settings: MonitorSettings | None = None,
        *,
        app_settings: Any = None,  # govinspect.settings.Settings for the light/full inspections
        sender: Sender | None = None,
        prober: HomeProber | None = None,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        owner: str | None = None,
    ) -> None:
        self.store = store
        self.settings = settings or MonitorSettings()
        self.app_settings = app_settings
        self.sender = sender or AppriseSender()
        self._prober = prober
        self.clock = clock
        self.owner = owner or daemon_id()
        self.sites = sites
        self.by_key = {s.site.id: s for s in sites}
        self.site_ids = {s.site.id: s.site_id for s in sites}
        self.lease = StoreLease(store, self.site_ids, self.owner)
        self._check_gate = asyncio.Semaphore(max(1, self.settings.check_concurrency))
        self._checks: set[asyncio.Task] = set()
        self._digest_day: dt.date | None = None
        self._run_id: int | None = None
        self._recent: deque[str] = deque(maxlen=max(50, self.settings.vantage_min_probes))

    # -- probes ---------------------------------------------------------------------------------

    def _tick_s(self) -> float:
        shortest = min((s.site.interval_s for s in self.sites), default=self.settings.tick_s)
        return max(0.05, min(self.settings.tick_s, shortest))

    def _take_leases(self, sites: list[MonitoredSite], start: dt.datetime, end: dt.datetime, job: str) -> set:
        lease = self.lease if job == "probe" else StoreLease(self.store, self.site_ids, self.owner, job)
        return {
            (d.site.id, d.slot) for d in due_sites(sites, start, end) if lease.try_lease(d.site.id, d.slot)
        }

    async def probe_window(self, prober: HomeProber, start: dt.datetime, end: dt.datetime) -> TickReport:
        """Probe the sites due in [start, end) whose lease this daemon wins, then store them."""
        sites = [s.site for s in self.sites]
        won = await asyncio.to_thread(self._take_leases, sites, start, end, "probe")

        class Granted(Lease):
            """The leases already won in the database (taken off the event loop)."""

            def try_lease(self, site_id: str, slot: int) -> bool:
                return (site_id, slot) in won

        results: list[tuple[MonitoredSite, ProbeResult]] = []

        async def probe(site: MonitoredSite) -> ProbeResult:
            return await prober.probe(site.url, timeout_s=site.timeout_s)

        async def buffer(site: MonitoredSite, _slot: int, result: ProbeResult) -> None:
            results.append((site, result))

        cycle = await run_cycle(
            sites,
            start,
            probe,
            Granted(),
            buffer,
            tick_s=(end - start).total_seconds(),
            concurrency=self.settings.concurrency,
        )
        # Judged over the recent probes, not this tick alone: a 10-second tick of a 2,000-site
        # registry holds about a dozen probes, fewer than the share needs to mean anything.
        self._recent.extend(cycle.outcomes.elements())
        held = bool(cycle.outcomes) and vantage_suspect(
            Counter(self._recent),
            min_probes=self.settings.vantage_min_probes,
            share=self.settings.vantage_share,
        )
        if held:
            log.warning(
                "vantage problem: %d of %d probes failed at the network level; held, no alerts (%s)",
                sum(cycle.outcomes.values()) - cycle.outcomes.get("ok", 0),
                sum(cycle.outcomes.values()),
                dict(cycle.outcomes),
            )
        report = TickReport(probed=len(results), held=held, outcomes=cycle.outcomes)
        for site, result in results:
            try:
                report.alerts += await asyncio.to_thread(self.record_probe, site, result, held)
            except Exception:  # noqa: BLE001 - one site's storage problem must not stop the others
                log.exception("storing the probe of %s failed", site.id)
        return report

    def record_probe(self, site: MonitoredSite, result: ProbeResult, held: bool = False) -> int:
        """Probe row, alert-state step, alert log and outbox items: one unit of work. Returns the
        number of alerts raised."""
        site_id = self.site_ids[site.id]

        def write() -> int:
            with self.store.unit_of_work(f"保存“{site.name or site.url}”的监测结果") as uow:
                m = uow.monitor
                windows = m.maintenance(site_id)
                stored = in_maintenance_result(result, windows)
                m.add_probe(site_id, stored, held=held)
                if held:
                    return 0
                raw = m.state(site_id, for_update=True)
                state = (
                    SiteMonitorState.from_dict(raw)
                    if raw
                    else SiteMonitorState(site=site.id, name=site.name, url=site.url)
                )
                state, alerts = step(state, stored, settings=self.settings.alert)
                m.save_state(site_id, state.to_dict())
                m.add_alerts(site_id, alerts)
                subscriptions = [r.subscription for r in m.subscriptions()]
                m.enqueue(route(alerts, subscriptions, now=result.at))
                return len(alerts)

        return _retrying(write)

    # -- delivery -------------------------------------------------------------------------------

    async def deliver_due(self) -> int:
        """Send the due outbox items this daemon claims; returns how many were sent."""
        now = self.clock()
        claim = self.settings.delivery_claim_s

        def claim_items():
            with self.store.unit_of_work("领取待发送告警") as uow:
                return uow.monitor.claim_due(now, claim)

        items = await asyncio.to_thread(_retrying, claim_items)
        if not items:
            return 0
        updated = await deliver(
            [replace(i, next_attempt=None) for i in items],
            self.sender,
            now=now,
            attempts=self.settings.delivery_attempts,
            backoff_s=self.settings.delivery_backoff_s,
        )

        def save() -> None:
            with self.store.unit_of_work("保存告警发送结果") as uow:
                for item in updated:
                    uow.monitor.save_delivery(item)

        await asyncio.to_thread(_retrying, save)
        return sum(1 for i in updated if i.status == "sent")

    def enqueue_digest(self, day: dt.date) -> int:
        """The daily digest of `day` (China time) for digest subscriptions; idempotent per day."""
        start = dt.datetime.combine(day, dt.time(), CHINA_TZ)
        with self.store.unit_of_work("生成监测日报") as uow:
            subs = [r.subscription for r in uow.monitor.subscriptions()]
            if not any(s.digest for s in subs):
                return 0
            alerts = uow.monitor.alerts(start, start + dt.timedelta(days=1))
            open_problems = [
                f"{st.get('name') or st.get('site')} 首页仍无法访问"
                for st in uow.monitor.states().values()
                if st.get("status") == "down"
            ]
            items = digest_items(day, alerts, subs, now=self.clock(), open_problems=open_problems)
            return uow.monitor.enqueue(items)

    # -- light and full checks ------------------------------------------------------------------

    def window(self, site_id: int, now: dt.datetime) -> Availability:
        s = self.settings
        with self.store.unit_of_work("读取监测记录") as uow:
            probes = uow.monitor.probes(site_id, since=now - dt.timedelta(days=s.window_days))
            windows = uow.monitor.maintenance(site_id)
        return availability(
            probes,
            now=now,
            window_days=s.window_days,
            min_per_day=s.min_per_day,
            max_failure_share=s.veto_share,
            maintenance=windows,
        )

    def _check_sites(self, job: str) -> list[MonitoredSite]:
        default = self.settings.light_interval_s if job == "light" else self.settings.full_interval_s
        with self.store.unit_of_work() as uow:
            schedules = uow.monitor.schedules()
        sites = []
        for s in self.sites:
            override = schedules.get(s.site_id, Schedule())
            interval = override.light_interval_s if job == "light" else override.full_interval_s
            interval = interval if interval is not None else default
            if interval and interval > 0:
                sites.append(replace(s.site, interval_s=interval))
        return sites

    async def schedule_checks(self, start: dt.datetime, end: dt.datetime) -> int:
        """Start the light/full checks due in [start, end) whose lease this daemon wins."""
        if self.app_settings is None:
            return 0
        started = 0
        for job in ("full", "light"):
            sites = await asyncio.to_thread(self._check_sites, job)
            won = await asyncio.to_thread(self._take_leases, sites, start, end, job)
            for key, _slot in sorted(won):
                task = asyncio.create_task(self.run_check(self.by_key[key], job))
                self._checks.add(task)
                task.add_done_callback(self._checks.discard)
                started += 1
        return started

    async def run_check(self, stored: StoredSite, job: str) -> list[Issue]:
        """One light or full inspection through the service core; its issues step the alert state."""
        from govinspect import service
        from govinspect.registry import SiteTarget

        settings = replace(self.app_settings, out_dir=None)  # the store keeps the reports
        if job == "light":
            settings = settings.with_options(max_pages=self.settings.light_max_pages, probes=1)
        async with self._check_gate:
            run_id = await asyncio.to_thread(self._full_run) if job == "full" else None
            outcome = await service.inspect_site(
                SiteTarget(url=stored.site.url, name=stored.site.name),
                repo=self.store,
                settings=settings,
                run_id=run_id,
                save=job == "full",  # a light check's partial crawl is not an inspection of record
            )
        insp = outcome.inspection
        if insp.verdict == "error":
            log.warning("%s check of %s failed: %s", job, stored.site.url, insp.error)
            return []
        now = self.clock()
        avail = await asyncio.to_thread(self.window, stored.site_id, now)
        issues = issues_from_inspection(insp)
        warnings = pre_veto_warnings(
            thresholds=self.settings.warnings,
            as_of=now.astimezone(CHINA_TZ).date(),
            url=stored.site.url,
            availability=avail,
            inspection=insp,
        )
        issues += [w.issue() for w in warnings]
        veto = unreachable_issue(avail, stored.site.url, veto_share=self.settings.veto_share)
        issues = [i for i in issues if i.key != "veto:site.unreachable"]  # the window's verdict only
        if veto:
            issues.append(veto)
        scope = None
        if job == "light":
            issues = [i for i in issues if i.key.startswith(LIGHT_KEYS)]
            scope = LIGHT_KEYS
        await asyncio.to_thread(self.record_issues, stored, issues, now, scope)
        return issues

    def _full_run(self) -> int:
        """The run (kind 监测) this daemon's weekly inspections are saved in, started on first use."""
        if self._run_id is None:
            from govinspect import service

            started_by = getattr(self.app_settings, "started_by", "monitor")
            self._run_id = service.start_run(self.store, "monitor", started_by, {"daemon": self.owner})
        return self._run_id

    def record_issues(
        self, stored: StoredSite, issues: list[Issue], at: dt.datetime, scope: tuple[str, ...] | None
    ) -> int:
        site = stored.site

        def write() -> int:
            with self.store.unit_of_work(f"保存“{site.name or site.url}”的检查告警") as uow:
                m = uow.monitor
                raw = m.state(stored.site_id, for_update=True)
                state = (
                    SiteMonitorState.from_dict(raw)
                    if raw
                    else SiteMonitorState(site=site.id, name=site.name, url=site.url)
                )
                state, alerts = observe(
                    state,
                    issues,
                    at=at,
                    in_maintenance=in_windows(at, m.maintenance(stored.site_id)),
                    scope=scope,
                )
                m.save_state(stored.site_id, state.to_dict())
                m.add_alerts(stored.site_id, alerts)
                m.enqueue(route(alerts, [r.subscription for r in m.subscriptions()], now=at))
                return len(alerts)

        return _retrying(write)

    # -- the loops ------------------------------------------------------------------------------

    def _prepare(self) -> None:
        """Per-site rows to lock, and the pending alerts due now (the channel may be fixed)."""

        def ensure() -> None:
            with self.store.unit_of_work("准备监测记录") as uow:
                uow.monitor.ensure_sites(self.site_ids.values())

        _retrying(ensure)
        with self.store.unit_of_work("重试待发送告警") as uow:
            retried = uow.monitor.retry_pending_now()
        if retried:
            log.warning("%d alerts were still pending: retrying them now", retried)

    async def _delivery_loop(self) -> None:
        while True:
            try:
                await self.deliver_due()
            except Exception:  # noqa: BLE001 - the next round tries again; nothing is lost
                log.exception("alert delivery round failed")
            await asyncio.sleep(self.settings.delivery_every_s)

    def _housekeeping(self, now: dt.datetime) -> None:
        day = now.astimezone(CHINA_TZ).date()
        if self._digest_day != day:
            # Yesterday's digest, also on start: a daemon restarted after midnight still sends it
            # (once: the digest's outbox id is per day and channel).
            self.enqueue_digest(day - dt.timedelta(days=1))
            self._digest_day = day
        with self.store.unit_of_work("清理过期的监测任务") as uow:
            uow.monitor.prune_leases(now - dt.timedelta(seconds=self.settings.keep_leases_s))

    async def run(self, run_for_s: float | None = None) -> None:
        """Probe, store, check and deliver until cancelled or `run_for_s` seconds have passed."""
        deadline = None if run_for_s is None else time.monotonic() + run_for_s
        tick = self._tick_s()
        prober = self._prober or HomeProber(
            timeout_s=self.settings.probe_timeout_s,
            vantage=self.settings.vantage,
            concurrency=self.settings.concurrency,
        )
        await asyncio.to_thread(self._prepare)
        delivery = asyncio.create_task(self._delivery_loop())
        start = self.clock()
        last_housekeeping = 0.0
        try:
            async with prober:
                while deadline is None or time.monotonic() < deadline:
                    end = max(start + dt.timedelta(seconds=tick), self.clock())
                    wait = (end - self.clock()).total_seconds()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    await self.probe_window(prober, start, end)
                    await self.schedule_checks(start, end)
                    if time.monotonic() - last_housekeeping > 60:
                        await asyncio.to_thread(self._housekeeping, end)
                        last_housekeeping = time.monotonic()
                    start = end
                await self.deliver_due()  # what this run raised goes out before it stops
        finally:
            delivery.cancel()
            for task in list(self._checks):
                task.cancel()
            await asyncio.gather(delivery, *self._checks, return_exceptions=True)
            if self._run_id is not None:
                from govinspect import service

                await asyncio.to_thread(service.finish_run, self.store, self._run_id)
