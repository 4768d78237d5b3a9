"""Pre-veto warnings (预警, INDICATORS §9d): tell an office before a veto is reached.

A census-era platform warned at 首页不连通率超过3% (veto 5%), 首页超过10天未更新 (veto 14 days),
空白栏目超过2个 (veto 5), 基本信息不更新的栏目超过6个 (veto 10). The numbers are passed in (they come
from the rubric); `SECTION_9D` holds the values above. A warning is raised only while its veto is
not reached: once it is, the veto itself is reported. What cannot be measured raises nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from govinspect.model import Finding, Inspection
from govinspect.monitor.alerts import Issue
from govinspect.monitor.window import Availability

STALE_CHECKS = ("column.stale_dynamic", "column.stale_policy", "column.stale_long")


@dataclass(frozen=True)
class WarningThresholds:
    failure_share: float  # warn when the failure share is over this
    failure_share_veto: float  # the veto: share at or over this on a final window
    home_days: int  # warn when the newest home-page item is older than this many days
    home_days_veto: int  # the veto: older than this (home.stale)
    blank_columns: int  # warn when more blank columns than this
    blank_columns_veto: int  # the veto: this many or more
    stale_columns: int  # warn when more stale columns than this
    stale_columns_veto: int  # the veto: this many or more
    min_probes: int = 20  # fewer counted probes: the share says nothing yet
    stale_checks: tuple[str, ...] = STALE_CHECKS  # which findings count as stale columns


SECTION_9D = WarningThresholds(
    failure_share=0.03,
    failure_share_veto=0.05,
    home_days=10,
    home_days_veto=14,
    blank_columns=2,
    blank_columns_veto=5,
    stale_columns=6,
    stale_columns_veto=10,
)


@dataclass(frozen=True)
class PreVetoWarning:
    code: str  # warning.unreachable | warning.home_stale | warning.blank_columns | warning.stale_columns
    message: str  # Chinese
    value: float
    threshold: float
    veto_at: float
    url: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)

    def issue(self) -> Issue:
        """The alert-state-machine form: alerts once when it appears."""
        return Issue("warning", f"warning:{self.code}", self.message, self.url)


def _count(findings: list[Finding], checks: tuple[str, ...]) -> list[Finding]:
    return [f for f in findings if f.check in checks]


def _unreachable(avail: Availability, t: WarningThresholds, url: str) -> PreVetoWarning | None:
    if avail.probes < t.min_probes or avail.share <= t.failure_share:
        return None
    if avail.final and avail.share >= t.failure_share_veto:
        return None  # the veto itself
    note = "" if avail.final else "（监测未满一周，结果为暂定）"
    return PreVetoWarning(
        "warning.unreachable",
        f"首页不连通率{avail.share:.1%}，超过预警线{t.failure_share:.0%}"
        f"（达到{t.failure_share_veto:.0%}即单项否决）：{avail.probes}次监测中{avail.failures}次无法打开{note}",
        avail.share,
        t.failure_share,
        t.failure_share_veto,
        url,
        {
            "probes": avail.probes,
            "failures": avail.failures,
            "final": avail.final,
            "errors": avail.evidence(10),
        },
    )


def _home_latest(inspection: Inspection | None) -> dt.date | None:
    if inspection is None:
        return None
    for f in inspection.findings:
        if f.check == "home.stale" and f.evidence.get("latest"):
            return dt.date.fromisoformat(f.evidence["latest"])
    return None


def _home(latest: dt.date | None, as_of: dt.date, t: WarningThresholds, url: str) -> PreVetoWarning | None:
    if latest is None:
        return None  # unknown freshness is not a warning
    age = (as_of - latest).days
    if age <= t.home_days or age > t.home_days_veto:
        return None
    return PreVetoWarning(
        "warning.home_stale",
        f"首页已{age}天未更新（最新信息发布于{latest.isoformat()}），超过预警线{t.home_days}天"
        f"（超过{t.home_days_veto}天即单项否决）",
        age,
        t.home_days,
        t.home_days_veto,
        url,
        {"latest": latest.isoformat()},
    )


def _columns(
    findings: list[Finding], code: str, label: str, warn: int, veto: int, url: str
) -> PreVetoWarning | None:
    n = len(findings)
    if n <= warn or n >= veto:
        return None
    names = [f.column or f.url for f in findings]
    return PreVetoWarning(
        code,
        f"{label}{n}个，超过预警线{warn}个（达到{veto}个即单项否决）：{'、'.join(names[:10])}",
        n,
        warn,
        veto,
        url,
        {"columns": [{"name": f.column, "url": f.url} for f in findings]},
    )


def pre_veto_warnings(
    *,
    thresholds: WarningThresholds,
    as_of: dt.date,
    url: str = "",
    availability: Availability | None = None,
    inspection: Inspection | None = None,
    home_latest: dt.date | None = None,
) -> list[PreVetoWarning]:
    """Warnings from the probe window and/or an inspection. `home_latest` is the newest dated
    home-page item when the caller knows it (the daily light check); otherwise it is read from the
    inspection's home.stale finding, if any."""
    t = thresholds
    url = url or (inspection.url if inspection else "")
    vetoed = set(inspection.vetoes) if inspection else set()
    warnings: list[PreVetoWarning | None] = []
    if availability is not None and "site.unreachable" not in vetoed:
        warnings.append(_unreachable(availability, t, url))
    if "home.stale" not in vetoed:
        warnings.append(_home(home_latest or _home_latest(inspection), as_of, t, url))
    if inspection is not None:
        findings = inspection.findings
        if "column.empty" not in vetoed:
            blank = _count(findings, ("column.empty",))
            warnings.append(
                _columns(
                    blank, "warning.blank_columns", "空白栏目", t.blank_columns, t.blank_columns_veto, url
                )
            )
        if not vetoed & set(t.stale_checks):
            stale = _count(findings, t.stale_checks)
            warnings.append(
                _columns(
                    stale,
                    "warning.stale_columns",
                    "长期未更新栏目",
                    t.stale_columns,
                    t.stale_columns_veto,
                    url,
                )
            )
    return [w for w in warnings if w is not None]


def unreachable_issue(avail: Availability, url: str, *, veto_share: float) -> Issue | None:
    """The site.unreachable veto from the probe window, once the week is covered: a veto issue
    for the alert state machine (alerts once), or None."""
    if not (avail.final and avail.probes and avail.share >= veto_share):
        return None
    reason = (
        f"首页在{avail.probes}次监测中{avail.failures}次无法打开，占比{avail.share:.1%}"
        f"（达到{veto_share:.0%}即单项否决）"
    )
    return Issue("veto", "veto:site.unreachable", reason, url)
