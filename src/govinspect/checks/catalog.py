"""The check catalogue: every check id, its indicator family, its Chinese label and the evidence
keys its findings carry. Read by rubric validation (an unknown id is an error with file and line),
the report labels, re-scoring and the demo farm's truth. Ids are stable (DESIGN.md): add, never rename.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckInfo:
    id: str
    family: str  # indicator family (report grouping), Chinese
    label: str  # short Chinese name
    evidence: tuple[str, ...] = ()  # keys of Finding.evidence
    info_only: bool = False  # never scored: a note for a person


AVAILABILITY, UPDATES, INTERACT, SERVICE, CONTENT, SECURITY, NORMS = (
    "网站可用性",
    "信息更新",
    "互动回应",
    "服务实用",
    "内容准确",
    "安全",
    "规范",
)
NEWMEDIA, ENGINE = "政务新媒体", "其他"
# The website indicator families, in the order reports show them (new media are reported apart).
FAMILIES: tuple[str, ...] = (AVAILABILITY, UPDATES, INTERACT, SERVICE, CONTENT, SECURITY, NORMS)

_STALE = ("latest", "title", "item_url", "window_days")
_LINK = ("target", "text", "reason", "found_on")
_TEXT = ("wrong", "correct", "context")
_DEFACE = (
    "verdict",
    "structure_similarity",
    "text_kept",
    "text_simhash_distance",
    "name_kept",
    "nav_kept",
    "new_terms",
    "new_hosts",
    "maintenance",
    "baseline_title",
    "title",
)
_NEWMEDIA = (
    "account",
    "platform",
    "latest",
    "reason",
    "window_days",
    "status",
    "source",
    "post_title",
    "post_time",
    "post_url",
    "terms",
    "context",
    "subject",
    "organiser",
    "screenshots",
)
# A text finding on a new-media post (newmedia/checks.py) also says which account and post.
_POST = ("account", "platform", "post_title", "post_time", "post_url")

CHECKS: tuple[CheckInfo, ...] = (
    CheckInfo(
        "site.unreachable", AVAILABILITY, "站点无法访问", ("probes", "failures", "provisional", "errors")
    ),
    CheckInfo("links.broken_home", AVAILABILITY, "首页链接不可用", _LINK),
    CheckInfo("links.broken_other", AVAILABILITY, "其他页面链接不可用", _LINK),
    CheckInfo("home.stale", UPDATES, "首页不更新", _STALE),
    CheckInfo("home.unreadable", UPDATES, "首页信息日期未能读取（待人工核实）", ("url",), info_only=True),
    CheckInfo("column.stale_dynamic", UPDATES, "动态要闻栏目不更新", _STALE),
    CheckInfo("column.stale_policy", UPDATES, "通知公告/政策文件栏目不更新", _STALE),
    CheckInfo("column.stale_long", UPDATES, "应更新栏目长期未更新", _STALE),
    CheckInfo("column.empty", UPDATES, "空白栏目", ("text",)),
    CheckInfo(
        "column.unreadable", UPDATES, "栏目列表无法识别（待人工核实）", ("reason", "url"), info_only=True
    ),
    CheckInfo("content.serious_error", CONTENT, "严重表述错误", (*_TEXT, "role", "holder", "period", *_POST)),
    CheckInfo("content.typo", CONTENT, "错别字", (*_TEXT, *_POST)),
    CheckInfo(
        "content.typo_suspect",
        CONTENT,
        "疑似错别字（待人工核实）",
        (*_TEXT, "confidence", *_POST),
        info_only=True,
    ),
    CheckInfo("content.duplicate", CONTENT, "重复报道", ("other_url", "other_title", "similarity")),
    CheckInfo(
        "content.fake_date",
        CONTENT,
        "发布日期异常",
        ("date", "list_date", "dates", "date_source", "list_date_source", *_POST),
    ),
    CheckInfo("security.spam_injection", SECURITY, "被植入违规内容", ("terms", "how", *_POST)),
    CheckInfo(
        "security.content_injection", SECURITY, "文章中被植入推广内容", ("context", "terms", "reason", *_POST)
    ),
    CheckInfo("security.defacement", SECURITY, "首页被篡改", _DEFACE),
    CheckInfo("security.home_redesign", SECURITY, "首页疑似改版（待人工确认）", _DEFACE, info_only=True),
    CheckInfo("security.tls", SECURITY, "HTTPS证书问题", ("reason",)),
    CheckInfo("interact.no_channel", INTERACT, "无可用互动渠道", ("dead_entries",)),
    CheckInfo(
        "interact.channel_not_found", INTERACT, "未发现互动渠道（待人工核实）", ("columns",), info_only=True
    ),
    CheckInfo("interact.unanswered", INTERACT, "留言超期未回复", ("asked", "waited_days")),
    CheckInfo("interact.slow_reply", INTERACT, "留言答复偏慢", ("asked", "replied", "days")),
    CheckInfo("interact.canned_reply", INTERACT, "答复内容雷同", ("same", "replies", "reply", "example_url")),
    CheckInfo("service.guide_incomplete", SERVICE, "办事指南要素不全", ("missing", "empty", "veto_counted")),
    CheckInfo("service.guides_all_incomplete", SERVICE, "办事指南普遍要素不全", ("guides", "missing")),
    CheckInfo("service.attachment_broken", SERVICE, "表格附件无法下载", ("guide", "reason")),
    CheckInfo("service.none", SERVICE, "未提供办事服务", ("columns",)),
    CheckInfo("norms.site_code_missing", NORMS, "未展示网站标识码", ("mark", "declared")),
    CheckInfo("norms.icp_missing", NORMS, "未展示ICP备案编号", ("mark",)),
    CheckInfo("norms.psb_missing", NORMS, "未展示公安机关备案标识", ("mark",)),
    CheckInfo("norms.conac_missing", NORMS, "未展示党政机关网站标识", ("mark",)),
    CheckInfo("norms.jiucuo_missing", NORMS, "未展示“我为政府网站找错”入口", ("mark",)),
    CheckInfo(
        "norms.jiucuo_site_code_mismatch",
        NORMS,
        "找错入口标识码与本站不一致",
        ("jiucuo", "jiucuo_site_code", "site_code"),
    ),
    CheckInfo("norms.domain", NORMS, "未使用gov.cn域名", ("host",)),
    CheckInfo("newmedia.stale", NEWMEDIA, "政务新媒体不更新", _NEWMEDIA),
    CheckInfo("newmedia.zombie", NEWMEDIA, "政务新媒体“僵尸”账号", _NEWMEDIA),
    CheckInfo("newmedia.no_interaction", NEWMEDIA, "政务新媒体互动功能缺失", _NEWMEDIA),
    CheckInfo("newmedia.advert", NEWMEDIA, "政务新媒体发布商业广告", _NEWMEDIA),
    CheckInfo(
        "newmedia.unverified", NEWMEDIA, "政务新媒体未能完整检查（待人工核实）", _NEWMEDIA, info_only=True
    ),
    CheckInfo("newmedia.unregistered", NEWMEDIA, "政务新媒体未备案", _NEWMEDIA),
    CheckInfo("newmedia.subject_mismatch", NEWMEDIA, "政务新媒体认证主体不符", _NEWMEDIA),
    CheckInfo("engine.error", ENGINE, "检查项运行出错（待人工复核）", ("check", "error"), info_only=True),
)

CATALOG: dict[str, CheckInfo] = {c.id: c for c in CHECKS}
# Rubric items that are not checks: 加分 items a rubric defines itself (`bonus.<name>`).
RUBRIC_ONLY_PREFIXES = ("bonus.",)


def check_info(check_id: str) -> CheckInfo | None:
    return CATALOG.get(check_id)


def is_known(check_id: str) -> bool:
    return check_id in CATALOG or check_id.startswith(RUBRIC_ONLY_PREFIXES)
