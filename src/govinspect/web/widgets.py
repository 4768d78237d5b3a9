"""总览 widgets and the site page's availability history: 合格率 over time, problems by region, what
needs action today (overdue 找错, 整改 due soon, pre-veto warnings, sites down now), and probes of
the last days. Everything is limited to what the user may see (web/access.py, web/inbox.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from govinspect.monitor.alerts import CHINA_TZ
from govinspect.service import workflow as wf
from govinspect.settings import Settings
from govinspect.store import SiteRow, Store
from govinspect.store.models import FindingRecord, InspectionRecord
from govinspect.web import accounts
from govinspect.web import inbox as ib
from govinspect.web.access import may_see, site_statuses
from govinspect.workflow.calendar import working_days_between

TREND_MONTHS = 12
RECTIFY_SOON_DAYS = 3  # 整改 due within this many working days is listed
AVAILABILITY_DAYS = 7
LIST_LIMIT = 10


@dataclass(frozen=True)
class MonthRate:
    month: str  # YYYY-MM
    passed: int
    inspected: int  # pass + fail (errors are not judged)

    @property
    def rate(self) -> float | None:
        return round(100 * self.passed / self.inspected, 1) if self.inspected else None


def _month_start(day: dt.date, back: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def pass_rate_by_month(store: Store, sites: list[SiteRow], today: dt.date, months: int = TREND_MONTHS):
    """Per month: each visible site's last inspection of that month, 合格 / (合格 + 不合格)."""
    start = _month_start(today, months - 1)
    ids = {s.id for s in sites}
    with store.unit_of_work() as uow:
        rows = uow.session.execute(
            select(InspectionRecord.site_id, InspectionRecord.as_of, InspectionRecord.verdict)
            .where(InspectionRecord.as_of >= start, InspectionRecord.as_of <= today)
            .order_by(InspectionRecord.as_of, InspectionRecord.id)
        ).all()
    last: dict[tuple[str, int], str] = {}
    for site_id, as_of, verdict in rows:
        if site_id in ids:
            last[(f"{as_of:%Y-%m}", site_id)] = verdict  # later rows win
    out = []
    for back in range(months - 1, -1, -1):
        month = f"{_month_start(today, back):%Y-%m}"
        verdicts = [v for (m, _s), v in last.items() if m == month]
        out.append(MonthRate(month, verdicts.count("pass"), sum(v in ("pass", "fail") for v in verdicts)))
    return out


def problems_by_region(store: Store, user: accounts.User) -> list[dict[str, Any]]:
    """Per region: sites, inspected, failing, and problems (veto and deduct findings) of the newest
    inspections; the most problems first."""
    statuses = site_statuses(store, user)
    ids = [s.inspection_id for s in statuses if s.inspection_id is not None]
    with store.unit_of_work() as uow:
        counts = dict(
            uow.session.execute(
                select(FindingRecord.inspection_id, func.count(FindingRecord.id))
                .where(FindingRecord.inspection_id.in_(ids), FindingRecord.severity.in_(("veto", "deduct")))
                .group_by(FindingRecord.inspection_id)
            ).all()
        )
    regions: dict[str, Counter[str]] = defaultdict(Counter)
    for s in statuses:
        r = regions[s.site.region or "未填写地区"]
        r["sites"] += 1
        r["inspected"] += s.verdict in ("pass", "fail")
        r["failing"] += s.verdict == "fail"
        r["problems"] += counts.get(s.inspection_id, 0)
    rows = [
        {"region": name, **{k: c[k] for k in ("sites", "inspected", "failing", "problems")}}
        for name, c in regions.items()
    ]
    return sorted(rows, key=lambda r: (-r["problems"], -r["failing"], r["region"]))


def _down_sites(uow, visible: dict[int, SiteRow]) -> list[dict[str, Any]]:
    out = []
    for site_id, state in uow.monitor.states().items():
        if state.get("status") == "down" and site_id in visible:
            failure = state.get("last_failure") or {}
            since = state.get("status_since") or ""
            if since:  # stored as ISO (UTC); shown in China time
                since = f"{dt.datetime.fromisoformat(since).astimezone(CHINA_TZ):%Y-%m-%d %H:%M}"
            out.append(
                {
                    "site": visible[site_id],
                    "since": state.get("status_since") or "",
                    "reason": failure.get("reason", ""),
                }
            )
    return sorted(out, key=lambda d: (d["since"], d["site"].name))


def _warnings(uow, visible: dict[int, SiteRow], now: dt.datetime) -> list[dict[str, Any]]:
    """Pre-veto warnings (预警) the monitor holds open now, with the reason of their alert."""
    open_keys = {
        (site_id, key)
        for site_id, state in uow.monitor.states().items()
        if site_id in visible
        for key, issue in (state.get("issues") or {}).items()
        if issue.get("kind") == "warning"
    }
    if not open_keys:
        return []
    reasons: dict[tuple[int, str], str] = {}
    for alert in uow.monitor.alerts(since=now - dt.timedelta(days=60)):
        if alert.kind == "warning" and str(alert.site).isdigit():
            reasons[(int(alert.site), alert.key)] = alert.reason  # newest wins
    return [
        {"site": visible[site_id], "reason": reasons.get((site_id, key), key.removeprefix("warning:"))}
        for site_id, key in sorted(open_keys, key=lambda k: (visible[k[0]].name, k[1]))
    ]


def _rectify_due(store: Store, visible: dict[int, SiteRow], today: dt.date) -> list[dict[str, Any]]:
    out = []
    for row in wf.list_rectify(store):
        if not row.task.is_open or row.site_id not in visible:
            continue
        left = working_days_between(today, row.task.deadline.date).days
        if left <= RECTIFY_SOON_DAYS:
            out.append({"row": row, "site": visible[row.site_id], "left": left})
    return sorted(out, key=lambda d: (d["row"].task.deadline.date, d["site"].name))


def action_today(
    store: Store, user: accounts.User, settings: Settings, now: dt.datetime | None = None
) -> dict[str, Any]:
    """What needs action today (each list capped at LIST_LIMIT, with its full count)."""
    now = now or dt.datetime.now(dt.UTC)
    today = now.astimezone(CHINA_TZ).date()
    with store.unit_of_work() as uow:
        visible = {s.id: s for s in uow.sites.list() if may_see(user, s)}
        down = _down_sites(uow, visible)
        warnings = _warnings(uow, visible, now)
    overdue = ib.inbox(store, user, settings, overdue_only=True, today=today)
    rectify = _rectify_due(store, visible, today)
    return {
        "jiucuo": overdue[:LIST_LIMIT],
        "jiucuo_total": len(overdue),
        "rectify": rectify[:LIST_LIMIT],
        "rectify_total": len(rectify),
        "warnings": warnings[:LIST_LIMIT],
        "warnings_total": len(warnings),
        "down": down[:LIST_LIMIT],
        "down_total": len(down),
    }


def overview_widgets(store: Store, user: accounts.User, settings: Settings) -> dict[str, Any]:
    from govinspect.web.trend_charts import pass_rate_svg

    today = dt.datetime.now(CHINA_TZ).date()
    with store.unit_of_work() as uow:
        sites = [s for s in uow.sites.list() if may_see(user, s)]
    trend = pass_rate_by_month(store, sites, today)
    return {
        "trend": trend,
        "trend_chart": pass_rate_svg(trend),
        "regions": problems_by_region(store, user),
        "today": action_today(store, user, settings),
    }


# -- the site page: availability history ------------------------------------------------------------


@dataclass(frozen=True)
class DayUptime:
    day: dt.date
    probes: int  # counted (maintenance left out)
    failures: int

    @property
    def uptime(self) -> float | None:
        return round(100 * (self.probes - self.failures) / self.probes, 1) if self.probes else None


def site_availability(
    store: Store, site_id: int, days: int = AVAILABILITY_DAYS, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Home-page probes of the last `days` days (China time): uptime per day and overall, and the
    failures by reason. Maintenance notices are not counted, as in the availability window."""
    from govinspect.web.trend_charts import uptime_svg

    now = now or dt.datetime.now(dt.UTC)
    today = now.astimezone(CHINA_TZ).date()
    first = today - dt.timedelta(days=days - 1)
    since = dt.datetime.combine(first, dt.time(), CHINA_TZ)
    with store.unit_of_work() as uow:
        probes = uow.monitor.probes(site_id, since=since)
    per_day: dict[dt.date, list[int]] = {first + dt.timedelta(days=i): [0, 0] for i in range(days)}
    reasons: Counter[str] = Counter()
    maintenance = 0
    for p in probes:
        if p.outcome == "maintenance":
            maintenance += 1
            continue
        day = per_day.get(p.at.astimezone(CHINA_TZ).date())
        if day is None:
            continue
        day[0] += 1
        if not p.ok:  # a WAF challenge counts as open: the site is up
            day[1] += 1
            reasons[p.reason] += 1
    daily = [DayUptime(d, n, f) for d, (n, f) in per_day.items()]
    counted = sum(d.probes for d in daily)
    failed = sum(d.failures for d in daily)
    return {
        "days": days,
        "daily": daily,
        "probes": counted,
        "failures": failed,
        "maintenance": maintenance,
        "uptime": round(100 * (counted - failed) / counted, 1) if counted else None,
        "reasons": reasons.most_common(),
        "last": probes[-1] if probes else None,
        "last_at": probes[-1].at.astimezone(CHINA_TZ).replace(tzinfo=None) if probes else None,
        "chart": uptime_svg(daily),
    }
