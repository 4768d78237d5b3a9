"""Checks: small pure functions SiteModel -> findings, one module per indicator family."""

from __future__ import annotations

import logging

from govinspect.checks.availability import availability_summary, check_broken_links, check_unreachable
from govinspect.checks.base import Check, CheckContext
from govinspect.checks.content import check_duplicate, check_fake_date, check_serious_error, check_typo
from govinspect.checks.defacement import check_defacement
from govinspect.checks.guides import check_attachment_broken, check_guide_incomplete
from govinspect.checks.injection import check_content_injection
from govinspect.checks.interact import (
    check_canned_reply,
    check_no_channel,
    check_slow_reply,
    check_unanswered,
)
from govinspect.checks.norms import check_domain, check_footer_marks, check_jiucuo_site_code
from govinspect.checks.security import check_spam_injection
from govinspect.checks.updates import check_columns, check_home_stale
from govinspect.model import Finding, SiteModel

log = logging.getLogger(__name__)

ALL_CHECKS: list[Check] = [
    # 网站可用性, 信息更新, 规范
    check_unreachable,
    check_home_stale,
    check_columns,
    check_broken_links,
    check_footer_marks,
    check_jiucuo_site_code,
    check_domain,
    # 内容准确, 安全
    check_serious_error,
    check_typo,
    check_duplicate,
    check_fake_date,
    check_spam_injection,
    check_content_injection,
    check_defacement,
    # 互动回应, 服务实用
    check_no_channel,
    check_unanswered,
    check_slow_reply,
    check_canned_reply,
    check_guide_incomplete,
    check_attachment_broken,
]


def run_checks(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    """Every check over the site. A check that fails on odd input is recorded as an `engine.error`
    info finding (never a deduction), so the other checks' findings are not lost with it."""
    findings: list[Finding] = []
    for check in ALL_CHECKS:
        try:
            findings.extend(check(site, ctx))
        except Exception as exc:  # noqa: BLE001 - one check must not sink the inspection
            log.exception("check %s failed on %s", check.__name__, site.url)
            findings.append(
                Finding(
                    check="engine.error",
                    message=f"检查项 {check.__name__} 运行出错，该项结果缺失，请人工复核：{type(exc).__name__}",
                    url=site.url,
                    evidence={"check": check.__name__, "error": str(exc)[:500]},
                )
            )
    return findings


def warm_checks() -> None:
    """Load the tables the text checks read (content.typo's dictionaries and character model, the
    near-miss lexicon), so the first site checked does not pay for them: a batch calls it in the
    check worker while its first sites are still being crawled."""
    from govinspect.checks.near_miss import near_miss_lexicon
    from govinspect.checks.spelling import warm

    near_miss_lexicon()
    warm()


__all__ = ["ALL_CHECKS", "CheckContext", "availability_summary", "run_checks", "warm_checks"]
