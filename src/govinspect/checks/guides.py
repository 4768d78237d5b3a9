"""服务实用: incomplete 办事指南 and form attachments that cannot be downloaded."""

from __future__ import annotations

from govinspect.checks.base import CheckContext
from govinspect.extract.guides import GUIDE_ELEMENTS
from govinspect.model import Finding, Guide, SiteModel


def _threshold(ctx: CheckContext, key: str) -> int:
    return int(ctx.threshold(key))


def missing_elements(guide: Guide) -> list[str]:
    """Elements absent or empty ("", 暂无, -); "无" is a value."""
    return [name for name in GUIDE_ELEMENTS if not guide.elements.get(name)]


def check_guide_incomplete(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    limit = _threshold(ctx, "guide_missing_elements")
    findings = []
    for guide in site.guides:
        missing = missing_elements(guide)
        empty = [n for n in missing if guide.elements.get(n) == ""]
        # Reported when >= 4 kinds are missing (the 2019 count) or when a labelled element is
        # left blank (DESIGN.md: "missing elements or with empty ones").
        if len(missing) < limit and not empty:
            continue
        findings.append(
            Finding(
                check="service.guide_incomplete",
                message=f"办事指南“{guide.title or guide.url}”缺失{len(missing)}类要素：{'、'.join(missing)}",
                url=guide.url,
                column=guide.column,
                evidence={"missing": missing, "empty": empty},
            )
        )
    # 2019: fewer than 5 items in all, each missing >= 4 element kinds, is a veto of its own.
    heavy = [f for f in findings if len(f.evidence["missing"]) >= limit]
    if (
        site.guides
        and len(site.guides) < _threshold(ctx, "guide_incomplete_items")
        and len(heavy) == len(site.guides)
    ):
        findings.append(
            Finding(
                check="service.guides_all_incomplete",
                message=f"办事事项总数不足{_threshold(ctx, 'guide_incomplete_items')}个，且每个事项办事指南要素均缺失{limit}类及以上",
                url=site.guides[0].url,
                column=site.guides[0].column,
                evidence={"guides": len(site.guides)},
            )
        )
    return findings


def check_attachment_broken(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    status = {link.url: link for link in site.links}
    findings = []
    reported: set[str] = set()
    for guide in site.guides:
        for url in guide.attachments:
            link = status.get(url)
            if link is None or not link.broken or url in reported:
                continue
            reported.add(url)
            reason = link.error or f"HTTP {link.status}"
            findings.append(
                Finding(
                    check="service.attachment_broken",
                    message=f"办事指南“{guide.title or guide.url}”的附件无法下载（{reason}）",
                    url=url,
                    column=guide.column,
                    evidence={"guide": guide.url, "reason": reason},
                )
            )
    return findings
