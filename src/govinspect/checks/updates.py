"""信息更新: home page and column staleness, empty columns (不及时)."""

from __future__ import annotations

import datetime as dt

from govinspect.checks.base import CheckContext
from govinspect.model import Column, Finding, SiteModel

# Which threshold and check id apply to a column kind.
_STALE_RULES = {
    "dynamic": ("column.stale_dynamic", "dynamic_stale_days", "动态要闻类"),
    "policy": ("column.stale_policy", "policy_stale_days", "通知公告政策文件类"),
    "long": ("column.stale_long", "long_stale_days", "应定期更新"),
}
_UPDATABLE = set(_STALE_RULES)


def check_home_stale(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    if site.home is None or not site.home.ok:
        return []
    window = ctx.days("home_stale_days")
    since = ctx.as_of - dt.timedelta(days=window)
    dated = [i for i in site.home_items if i.date and i.date <= ctx.as_of]
    if dated:
        newest = max(dated, key=lambda i: i.date)
        source = "首页"
    else:
        # A home page that is only a navigation portal: judge by its second-level pages (V, 2019).
        column_items = [i for c in site.columns for i in c.items if i.date and i.date <= ctx.as_of]
        if not column_items and not site.columns:
            newest, source = None, "首页"
        else:
            newest = max(column_items, key=lambda i: i.date) if column_items else None
            source = "首页及二级页面"
    if newest and newest.date >= since:
        return []
    latest = newest.date.isoformat() if newest else None
    text = f"最新信息“{newest.title}”发布于{latest}" if newest else "未找到注明发布日期的信息"
    return [
        Finding(
            check="home.stale",
            message=f"{source}超过{window}天无信息更新（{text}）",
            url=site.home.final_url,
            evidence={
                "latest": latest,
                "title": newest.title if newest else "",
                "item_url": newest.url if newest else "",
            },
        )
    ]


def _stale_finding(column: Column, ctx: CheckContext) -> Finding | None:
    rule = _STALE_RULES.get(column.kind)
    if rule is None or not column.items:
        return None
    check, key, label = rule
    # The 6-month rule is for top-level 通知公告/政策文件 columns only (2019: "一级栏目").
    if column.kind == "policy" and not column.top_level:
        check, key, label = _STALE_RULES["long"]
    window = ctx.days(key)
    latest = column.latest
    if latest is not None and (ctx.as_of - latest).days <= window:
        return None
    newest = max((i for i in column.items if i.date), key=lambda i: i.date, default=None)
    when = (
        f"最新信息发布于{latest.isoformat()}，距检查日{(ctx.as_of - latest).days}天"
        if latest
        else "信息均未注明发布日期"
    )
    return Finding(
        check=check,
        message=f"{label}栏目“{column.name}”超过{window}天未更新（{when}）",
        url=column.url,
        column=column.name,
        evidence={
            "latest": latest.isoformat() if latest else None,
            "title": newest.title if newest else "",
            "item_url": newest.url if newest else "",
            "window_days": window,
        },
    )


def check_columns(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    findings = []
    for column in site.columns:
        if column.error:
            continue
        if not column.items:
            # Only columns that should carry items, or that say so themselves, count as empty.
            if column.kind in _UPDATABLE or column.empty_text:
                findings.append(
                    Finding(
                        check="column.empty",
                        message=f"栏目“{column.name}”为空白栏目",
                        url=column.url,
                        column=column.name,
                        evidence={"text": column.empty_text or "栏目页面无任何信息条目"},
                    )
                )
            continue
        stale = _stale_finding(column, ctx)
        if stale:
            findings.append(stale)
    return findings
