"""Chinese labels for check ids, indicator families, column kinds and verdicts.

Shared by every renderer (HTML, XLSX, DOCX, the web app) so the wording is the same everywhere.
"""

from __future__ import annotations

from govinspect.checks.catalog import CATALOG, FAMILIES

OTHER_FAMILY = "其他"

# Check id prefix (before the first dot) → indicator family, for ids the catalogue does not know.
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

# Short Chinese names of the check ids (checks/catalog.py).
CHECK_LABELS: dict[str, str] = {c.id: c.label for c in CATALOG.values()}

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
    info = CATALOG.get(check_id)
    if info is not None:
        return info.family if info.family in FAMILIES else OTHER_FAMILY
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
    "confidence": "置信度",
    "suggestion": "建议改为",
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
    "passage": "可疑段落",
    "paragraph": "所在段落",
    "offset": "字符位置",
    "signals": "判断依据",
    "person": "涉及人物",
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
