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

# 内容准确 / 安全 / 互动回应 / 服务实用 (issue 4).
from govinspect.checks.content import (  # noqa: E402
    check_duplicate,
    check_fake_date,
    check_serious_error,
    check_typo,
)
from govinspect.checks.defacement import check_defacement  # noqa: E402
from govinspect.checks.interact import (  # noqa: E402
    check_canned_reply,
    check_no_channel,
    check_slow_reply,
    check_unanswered,
)
from govinspect.checks.security import check_spam_injection  # noqa: E402
from govinspect.checks.service import check_attachment_broken, check_guide_incomplete  # noqa: E402

ALL_CHECKS += [
    check_serious_error,
    check_typo,
    check_duplicate,
    check_fake_date,
    check_spam_injection,
    check_defacement,
    check_no_channel,
    check_unanswered,
    check_slow_reply,
    check_canned_reply,
    check_guide_incomplete,
    check_attachment_broken,
]
