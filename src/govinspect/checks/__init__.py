"""Checks: small pure functions SiteModel -> findings, one module per indicator family."""

from __future__ import annotations

from govinspect.checks.availability import availability_summary, check_broken_links, check_unreachable
from govinspect.checks.base import Check, CheckContext
from govinspect.checks.norms import check_domain, check_footer_marks
from govinspect.checks.updates import check_columns, check_home_stale
from govinspect.model import Finding, SiteModel

ALL_CHECKS: list[Check] = [
    check_unreachable,
    check_home_stale,
    check_columns,
    check_broken_links,
    check_footer_marks,
    check_domain,
]


def run_checks(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    findings: list[Finding] = []
    for check in ALL_CHECKS:
        findings.extend(check(site, ctx))
    return findings


__all__ = ["ALL_CHECKS", "CheckContext", "availability_summary", "run_checks"]
