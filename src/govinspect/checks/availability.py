"""网站可用性: home-page probes and broken links.

With the monitor's stored probes (source "monitor") the rubric's week is judged by the monitor's
window rules (monitor/window.py): the week before the newest probe, maintenance probes left out,
final only when every day holds its share of the required probes. Without them (a single run's
few probes) every probe counts and the result stays provisional below the required number.
"""

from __future__ import annotations

import datetime as dt

from govinspect.checks.base import CheckContext
from govinspect.model import Finding, Probe, SiteModel
from govinspect.monitor.probe import ProbeResult
from govinspect.monitor.window import availability

WINDOW_DAYS = 7


def _naive(at: dt.datetime) -> dt.datetime:
    return at.astimezone().replace(tzinfo=None) if at.tzinfo is not None else at


def _as_result(p: Probe, url: str) -> ProbeResult:
    outcome = p.outcome or ("ok" if p.ok else "error")
    return ProbeResult(_naive(p.at), url, outcome, p.ok, p.status, p.elapsed_s, p.error or "")  # type: ignore[arg-type]


def _counted(site: SiteModel, ctx: CheckContext) -> tuple[list[Probe], list[Probe], dict]:
    """(counted probes, failed probes, window facts) under the rule that applies."""
    required = int(ctx.rubric.threshold("probes_required"))
    if not any(p.source == "monitor" for p in site.probes):
        failed = [p for p in site.probes if not p.ok]
        return list(site.probes), failed, {"provisional": len(site.probes) < required}
    now = max(_naive(p.at) for p in site.probes) + dt.timedelta(microseconds=1)
    results = [_as_result(p, site.url) for p in site.probes]
    window = availability(
        results, now=now, window_days=WINDOW_DAYS, min_per_day=max(1, required // WINDOW_DAYS)
    )
    excluded = {id(r) for r in window.excluded}
    start = now - dt.timedelta(days=WINDOW_DAYS)
    counted = [
        p for p, r in zip(site.probes, results, strict=True) if start <= r.at and id(r) not in excluded
    ]
    facts = {
        "provisional": not window.final,
        "excluded": len(window.excluded),
        "per_day": window.per_day,
        "window": "monitor",
    }
    return counted, [p for p in counted if not p.ok], facts


def availability_summary(site: SiteModel, ctx: CheckContext) -> dict:
    """Every request for the home page is a probe: the probe loop's, the crawl's
    own fetch and each of its retries, the search-engine view, and the monitor's stored probes;
    `by_source` counts the counted ones."""
    counted, failed, facts = _counted(site, ctx)
    by_source: dict[str, list[int]] = {}
    for probe in counted:
        counts = by_source.setdefault(getattr(probe, "source", "probe"), [0, 0])
        counts[0] += 1
        counts[1] += not probe.ok
    return {
        "probes": len(counted),
        "failures": len(failed),
        "required": int(ctx.rubric.threshold("probes_required")),
        **facts,
        "by_source": {k: {"probes": n, "failures": f} for k, (n, f) in sorted(by_source.items())},
    }


_SOURCE_LABELS = {
    "probe": "监测",
    "crawl": "抓取",
    "crawler_view": "搜索引擎视角抓取",
    "monitor": "持续监测",
}


def check_unreachable(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    summary = availability_summary(site, ctx)
    if not summary["probes"]:
        return []
    ratio = summary["failures"] / summary["probes"]
    if ratio < ctx.rubric.threshold("unreachable_ratio"):
        return []
    failed = _counted(site, ctx)[1]
    note = "（监测次数不足，结果为暂定）" if summary["provisional"] else ""
    return [
        Finding(
            check="site.unreachable",
            message=(
                f"首页在{summary['probes']}次监测中{summary['failures']}次无法打开，占比{ratio:.0%}{note}"
            ),
            url=site.url,
            evidence={
                "probes": summary["probes"],
                "failures": summary["failures"],
                "provisional": summary["provisional"],
                "errors": [
                    f"{p.at:%Y-%m-%d %H:%M:%S} {_SOURCE_LABELS.get(p.source, p.source)} {p.error or p.status}"
                    for p in failed[:10]
                ],
            },
        )
    ]


def _carrier(link_found_on: list[str], home_urls: set[str], on_home: bool, fallback: str) -> str:
    """The page a person opens to see the dead link: the home page when it carries it, else the
    first page that does (DESIGN.md: `url` is the page carrying the link)."""
    if on_home:
        return next((u for u in link_found_on if u in home_urls), fallback)
    return link_found_on[0] if link_found_on else fallback


def check_broken_links(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    home_urls = {site.url}
    if site.home:
        home_urls.add(site.home.final_url)
    home_page = site.home.final_url if site.home else site.url
    findings = []
    for link in site.links:
        if not link.broken:
            continue
        on_home = bool(home_urls & set(link.found_on)) or link.url in site.home_links
        check = "links.broken_home" if on_home else "links.broken_other"
        where = "首页" if on_home else "页面"
        reason = link.error or f"HTTP {link.status}"
        column = (
            ""
            if on_home
            else next((site.page_columns[p] for p in link.found_on if p in site.page_columns), "")
        )
        in_column = f"栏目“{column}”中的" if column else ""
        findings.append(
            Finding(
                check=check,
                message=f"{in_column}{where}链接“{link.anchor or link.url}”无法访问（{reason}）",
                url=_carrier(link.found_on, home_urls, on_home, home_page),
                column=column,
                evidence={
                    "target": link.url,
                    "text": link.anchor,
                    "reason": reason,
                    "found_on": list(link.found_on),
                },
            )
        )
    return findings
