"""发展指引 norms: footer identification marks and the .gov.cn domain."""

from __future__ import annotations

from govinspect.checks.base import CheckContext
from govinspect.model import Finding, SiteModel

_MARKS = [
    ("site_code", "norms.site_code_missing", "网站标识码"),
    ("icp", "norms.icp_missing", "ICP备案编号"),
    ("psb", "norms.psb_missing", "公安机关备案标识"),
    ("conac", "norms.conac_missing", "党政机关网站标识"),
    ("jiucuo", "norms.jiucuo_missing", "“我为政府网站找错”入口"),
]


def check_footer_marks(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    if site.home is None or not site.home.ok or not site.home.has_body:
        return []
    findings = []
    for attr, check, label in _MARKS:
        if getattr(site.footer, attr):
            continue
        message, evidence = f"首页未展示{label}", {"mark": label}
        declared = site.footer.site_code_declared if attr == "site_code" else None
        if declared:
            # Declared in the head only (INDICATORS §9f): a visitor does not see it.
            message = f"首页未展示{label}（仅在页面元数据SiteIDCode中声明为{declared}，页面上不可见）"
            evidence["declared"] = declared
        findings.append(Finding(check=check, message=message, url=site.home.final_url, evidence=evidence))
    return findings


def check_jiucuo_site_code(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    """The 找错 entry must file citizens' reports under this site's own 标识码 (INDICATORS §8)."""
    footer = site.footer
    # The declared code (meta SiteIDCode) is the reference when the page has one (INDICATORS §9f).
    own = footer.site_code_declared or footer.site_code
    if not (own and footer.jiucuo_site_code) or own == footer.jiucuo_site_code:
        return []
    return [
        Finding(
            check="norms.jiucuo_site_code_mismatch",
            message=(
                f"“我为政府网站找错”入口的网站标识码（{footer.jiucuo_site_code}）"
                f"与本站标识码（{own}）不一致，网民留言会转给其他网站"
            ),
            url=site.home.final_url if site.home else site.url,
            evidence={
                "jiucuo": footer.jiucuo,
                "jiucuo_site_code": footer.jiucuo_site_code,
                "site_code": own,
                "site_code_shown": footer.site_code,
                "site_code_declared": footer.site_code_declared,
            },
        )
    ]


def check_domain(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    host = site.host.split(":")[0].lower().rstrip(".")
    if host.endswith(".gov.cn") or host == "gov.cn" or host.endswith(".政务"):
        return []
    return [
        Finding(
            check="norms.domain",
            message=f"网站域名“{host}”不是 .gov.cn 政府网站域名",
            url=site.url,
            evidence={"host": host},
        )
    ]
