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
    if newest is None:
        # No date could be read anywhere: unknown, not "not updated" (no veto from a parse failure).
        return [
            Finding(
                check="home.unreadable",
                message="未能从首页及栏目页读出任何信息的发布日期，首页更新情况请人工核实",
                url=site.home.final_url,
                evidence={"url": site.home.final_url},
            )
        ]
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


def _unreadable_finding(column: Column, reason: str) -> Finding:
    return Finding(
        check="column.unreadable",
        message=f"栏目“{column.name}”的信息列表未能读取，请人工核实（{reason}）",
        url=column.url,
        column=column.name,
        evidence={"reason": reason, "url": column.url},
    )


def check_columns(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    """Stale and empty columns; a list we could not read is reported as such (info), never judged.

    空白栏目 needs positive evidence (the page says 暂无信息, or shows an empty list): a list page
    the extractor got nothing from is column.unreadable, and so is a list whose entries carry no
    date we could read (staleness cannot be told from it).
    """
    findings = []
    for column in site.columns:
        if column.error or column.hub:
            continue
        if column.empty_text and not column.items:
            findings.append(
                Finding(
                    check="column.empty",
                    message=f"栏目“{column.name}”为空白栏目",
                    url=column.url,
                    column=column.name,
                    evidence={"text": column.empty_text},
                )
            )
            continue
        if column.kind not in _UPDATABLE:
            continue
        if not column.items:
            findings.append(_unreadable_finding(column, column.unreadable or "未能读出信息条目"))
            continue
        if column.latest is None:
            findings.append(_unreadable_finding(column, "未能读出信息条目的发布日期"))
            continue
        stale = _stale_finding(column, ctx)
        if stale:
            findings.append(stale)
    return findings
