"""网站可用性: home-page probes and broken links."""

from __future__ import annotations

from govinspect.checks.base import CheckContext
from govinspect.model import Finding, SiteModel


def availability_summary(site: SiteModel, ctx: CheckContext) -> dict:
    failures = sum(1 for p in site.probes if not p.ok)
    required = int(ctx.rubric.threshold("probes_required"))
    return {
        "probes": len(site.probes),
        "failures": failures,
        "required": required,
        "provisional": len(site.probes) < required,
    }


def check_unreachable(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    summary = availability_summary(site, ctx)
    if not summary["probes"]:
        return []
    ratio = summary["failures"] / summary["probes"]
    if ratio < ctx.rubric.threshold("unreachable_ratio"):
        return []
    failed = [p for p in site.probes if not p.ok]
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
                "errors": [f"{p.at:%Y-%m-%d %H:%M:%S} {p.error or p.status}" for p in failed[:10]],
            },
        )
    ]


def check_broken_links(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    home_urls = {site.url}
    if site.home:
        home_urls.add(site.home.final_url)
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
                url=link.url,
                column=column,
                evidence={"text": link.anchor, "reason": reason, "found_on": link.found_on[:5]},
            )
        )
    return findings
