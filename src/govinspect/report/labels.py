"""Chinese labels for check ids, indicator families, column kinds and verdicts.

Shared by every renderer (HTML, XLSX, DOCX, the web app) so the wording is the same everywhere.
"""

from __future__ import annotations

# Indicator families in the order reports show them.
FAMILIES: tuple[str, ...] = ("网站可用性", "信息更新", "互动回应", "服务实用", "内容准确", "安全", "规范")
OTHER_FAMILY = "其他"

# Check id prefix (before the first dot) → indicator family.
FAMILY_BY_PREFIX: dict[str, str] = {
    "site": "网站可用性",
    "links": "网站可用性",
    "home": "信息更新",
    "column": "信息更新",
    "interact": "互动回应",
    "service": "服务实用",
    "content": "内容准确",
    "security": "安全",
    "norms": "规范",
}

# Short Chinese names of the check ids of DESIGN.md.
CHECK_LABELS: dict[str, str] = {
    "site.unreachable": "站点无法访问",
    "home.stale": "首页不更新",
    "column.stale_dynamic": "动态要闻栏目不更新",
    "column.stale_policy": "通知公告/政策文件栏目不更新",
    "column.stale_long": "应更新栏目长期未更新",
    "column.empty": "空白栏目",
    "column.unreadable": "栏目列表未能读取（待人工核实）",
    "home.unreadable": "首页信息日期未能读取（待人工核实）",
    "links.broken_home": "首页链接不可用",
    "links.broken_other": "其他页面链接不可用",
    "content.serious_error": "严重表述错误",
    "content.typo": "错别字",
    "content.duplicate": "重复报道",
    "content.fake_date": "发布日期异常",
    "security.spam_injection": "被植入违规内容",
    "security.defacement": "首页被篡改",
    "interact.no_channel": "无可用互动渠道",
    "interact.channel_not_found": "未发现互动渠道（待人工核实）",
    "interact.unanswered": "留言超期未回复",
    "interact.canned_reply": "答复内容雷同",
    "service.guide_incomplete": "办事指南要素不全",
    "service.attachment_broken": "表格附件无法下载",
    "norms.site_code_missing": "未展示网站标识码",
    "norms.icp_missing": "未展示ICP备案编号",
    "norms.psb_missing": "未展示公安机关备案标识",
    "norms.conac_missing": "未展示党政机关网站标识",
    "norms.jiucuo_missing": "未展示“我为政府网站找错”入口",
    "norms.jiucuo_site_code_mismatch": "找错入口标识码与本站不一致",
    "norms.domain": "未使用gov.cn域名",
}

# Column kinds of model.ColumnKind → Chinese.
KIND_LABELS: dict[str, str] = {
    "dynamic": "动态要闻",
    "policy": "通知公告政策文件",
    "notice": "通知公告政策文件",  # the name DESIGN.md's example uses
    "long": "人事规划",
    "interact": "互动交流",
    "service": "办事服务",
    "other": "其他",
}

VERDICT_LABELS: dict[str, str] = {"pass": "合格", "fail": "不合格", "error": "无法检查"}

SEVERITY_LABELS: dict[str, str] = {"veto": "单项否决", "deduct": "扣分", "info": "提示"}


def family_of(check_id: str) -> str:
    """The indicator family of a check id; 其他 for ids no family claims."""
    return FAMILY_BY_PREFIX.get(check_id.split(".", 1)[0], OTHER_FAMILY)


def check_label(check_id: str) -> str:
    return CHECK_LABELS.get(check_id, check_id)


def kind_label(kind: str | None) -> str:
    return KIND_LABELS.get(kind or "other", kind or "其他")


def verdict_label(verdict: str) -> str:
    return VERDICT_LABELS.get(verdict, verdict)


# Evidence keys the checks use → Chinese; other keys are shown as they are.
EVIDENCE_LABELS: dict[str, str] = {
    "text": "文字",
    "reason": "原因",
    "url": "页面地址",
    "required": "要求监测次数",
    "provisional": "暂定结论",
    "errors": "错误信息",
    "latest": "最新日期",
    "title": "最新信息标题",
    "item_url": "信息链接",
    "window_days": "更新时限（天）",
    "status": "HTTP状态码",
    "error": "错误",
    "probes": "监测次数",
    "failures": "失败次数",
    "ratio": "失败比例",
    "mark": "标识",
    "host": "域名",
    "found_on": "所在页面",
    "target": "失效链接",
    "anchor": "链接文字",
    "date": "日期",
    "dates": "日期",
    # 内容准确
    "wrong": "错误写法",
    "correct": "正确写法",
    "context": "原文",
    "list_date": "列表日期",
    "date_source": "发布日期来源",
    "list_date_source": "列表日期来源",
    "other_url": "相似报道链接",
    "other_title": "相似报道标题",
    "similarity": "相似度",
    # 安全
    "terms": "违规词",
    "how": "植入方式",
    "verdict": "判断",
    "structure_similarity": "页面结构相似度",
    "text_kept": "文字保留比例",
    "text_simhash_distance": "文字指纹差异",
    "name_kept": "网站名称仍在",
    "nav_kept": "导航栏目保留比例",
    "new_terms": "新出现的违规词",
    "new_hosts": "新出现的外部链接域名",
    "maintenance": "维护公告",
    "baseline_title": "基线页面标题",
    # 互动回应
    "asked": "留言日期",
    "replied": "答复日期",
    "days": "答复用时（天）",
    "waited_days": "已等待（天）",
    "dead_entries": "失效的互动入口",
    "example_url": "示例页面",
    "same": "相同答复条数",
    "replies": "答复总数",
    "reply": "答复内容",
    # 服务实用
    "missing": "缺失要素",
    "empty": "内容为空的要素",
    "guide": "办事指南页面",
    "guides": "办事指南数",
    "veto_counted": "计入否决项",
    "declared": "元数据声明的标识码",
    "site_code_shown": "页面展示的标识码",
    "site_code_declared": "元数据声明的标识码",
    # 引擎
    "check": "检查项",
    "columns": "识别到的栏目数",
    "jiucuo": "找错入口",
    "jiucuo_site_code": "找错入口的标识码",
    "site_code": "本站标识码",
}


def evidence_label(key: str) -> str:
    return EVIDENCE_LABELS.get(key, key)
