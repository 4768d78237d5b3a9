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
    """Every guide missing an element or leaving one empty is a deduction; only guides missing
    `guide_missing_elements` (4) or more count toward the rubric's veto (evidence.veto_counted)."""
    limit = _threshold(ctx, "guide_missing_elements")
    findings = []
    for guide in site.guides:
        if not guide.is_guide:
            continue
        missing = missing_elements(guide)
        if not missing:
            continue
        empty = [n for n in missing if guide.elements.get(n) == ""]
        absent = [n for n in missing if n not in empty]
        parts = [f"缺失{len(absent)}类要素：{'、'.join(absent)}"] if absent else []
        parts += [f"{len(empty)}类要素内容为空：{'、'.join(empty)}"] if empty else []
        findings.append(
            Finding(
                check="service.guide_incomplete",
                message=f"办事指南“{guide.title or guide.url}”{'，'.join(parts)}",
                url=guide.url,
                column=guide.column,
                evidence={"missing": missing, "empty": empty, "veto_counted": len(missing) >= limit},
            )
        )
    # 2019: fewer than 5 items in all, each missing >= 4 element kinds, is a veto of its own.
    guides = [g for g in site.guides if g.is_guide]
    heavy = [f for f in findings if len(f.evidence["missing"]) >= limit]
    if guides and len(guides) < _threshold(ctx, "guide_incomplete_items") and len(heavy) == len(guides):
        findings.append(
            Finding(
                check="service.guides_all_incomplete",
                message=f"办事事项总数不足{_threshold(ctx, 'guide_incomplete_items')}个，且每个事项办事指南要素均缺失{limit}类及以上",
                url=guides[0].url,
                column=guides[0].column,
                evidence={"guides": len(guides)},
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
                    message=f"{'办事指南' if guide.is_guide else '页面'}“{guide.title or guide.url}”的附件无法下载（{reason}）",
                    url=url,
                    column=guide.column,
                    evidence={"guide": guide.url, "reason": reason},
                )
            )
    return findings
