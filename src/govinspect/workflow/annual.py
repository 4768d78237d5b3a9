"""The two annual reports (国办函〔2018〕12号; INDICATORS §6a, §6b) as plain data.

A report is a list of sections; each section a table of rows × columns (a single 数值 column for
plain fields, 第一季度…全年 for the quarterly blocks). Every cell has a key "区块/项目[/列]" (what
`annual-report set` takes), a value and where the value came from: 系统 (computed from stored data),
手工 (entered once by hand and kept) or 待填 (nobody knows it yet). A hand-entered value for a cell the
system computes is refused, as is a key the form does not have: nothing is silently ignored.

The field lists follow §6a/§6b. Only the 填写说明 fragments and the 工作年度报表 block names are
confirmed (S/V); the rest is recalled (I) and should be checked against a published 报表.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from govinspect.workflow.accountability import FORMS, Record, quarterly_counts, year_counts
from govinspect.workflow.jiucuo import Message, completion
from govinspect.workflow.results import Run, percent
from govinspect.workflow.sites import LEFT_STATUSES

QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")
YEAR = "全年"
VALUE = "数值"
AUTO, MANUAL, MISSING = "系统", "手工", "待填"
SITE_TYPES = {"门户": "政府门户网站", "部门": "部门网站", "专项": "专项网站"}


class AnnualReportError(ValueError):
    """Hand-entered values that cannot be used (message in Chinese)."""


@dataclass(frozen=True)
class Cell:
    key: str
    value: Any
    source: str  # 系统 | 手工 | 待填


@dataclass(frozen=True)
class Section:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Cell, ...]], ...]  # (row label, one cell per column)


@dataclass(frozen=True)
class AnnualReport:
    title: str
    year: int
    subject: str  # 填报单位 or the site's name
    sections: tuple[Section, ...]

    def cells(self) -> list[Cell]:
        return [c for s in self.sections for _, row in s.rows for c in row]

    def value(self, key: str) -> Any:
        return next(c.value for c in self.cells() if c.key == key)

    def missing(self) -> list[str]:
        """Keys still 待填."""
        return [c.key for c in self.cells() if c.source == MISSING]


# A form: (section title, columns, row labels).
Spec = tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]

QUARTER_COLUMNS = (*QUARTERS, YEAR)
SUPERVISION_SPEC: Spec = (
    ("网站总数", (VALUE,), ("网站总数", "政府门户网站", "部门网站")),
    ("网站抽查", QUARTER_COLUMNS, ("抽查次数", "抽查网站数量", "抽查比例（%）", "不合格网站数量")),
    ("问责人次", QUARTER_COLUMNS, (*FORMS, "合计")),
    ("安全检查", (VALUE,), ("检查次数", "发现问题数", "整改数")),
    ("网站开设整合", (VALUE,), ("新开设网站数", "整合迁移网站数", "关停网站数")),
    (
        "我为政府网站找错",
        (VALUE,),
        ("收到留言数", "有效留言数", "办结数", "办结率（%）", "按期办结数", "按期办结率（%）"),
    ),
    ("假冒政府网站处置", (VALUE,), ("发现数", "处置数")),
    ("人员培训", (VALUE,), ("培训次数", "培训人次")),
)
WORK_SPEC: Spec = (
    (
        "基本信息",
        (VALUE,),
        (
            "网站名称",
            "首页网址",
            "主办单位",
            "网站类型",
            "政府网站标识码",
            "ICP备案号",
            "公安机关备案号",
            "独立用户访问总量（个）",
            "网站总访问量（次）",
        ),
    ),
    (
        "信息发布（条）",
        (VALUE,),
        ("总数", "概况类信息更新量", "政务动态信息更新量", "信息公开目录信息更新量"),
    ),
    ("专栏专题（个）", (VALUE,), ("维护数量", "新开设数量")),
    (
        "解读回应",
        (VALUE,),
        (
            "解读信息发布总数",
            "解读材料数量",
            "解读产品数量",
            "媒体评论文章数量",
            "回应公众关注热点或重大舆情数量（次）",
        ),
    ),
    (
        "办事服务",
        (VALUE,),
        (
            "是否发布服务事项目录",
            "注册用户数",
            "政务服务事项数量",
            "可全程在线办理政务服务事项数量",
            "办件量总数",
            "办件量（自然人）",
            "办件量（法人）",
        ),
    ),
    (
        "互动交流",
        (VALUE,),
        (
            "是否使用统一平台",
            "收到留言数量",
            "办结留言数量",
            "平均办理时间（天）",
            "公开答复数量",
            "征集调查期数",
            "收到意见数量",
            "公布调查结果期数",
            "在线访谈期数",
            "网民留言数量",
            "答复网民提问数量",
            "是否提供智能问答",
        ),
    ),
    (
        "安全防护",
        (VALUE,),
        (
            "安全检测评估次数",
            "发现问题数量",
            "问题整改数量",
            "是否建立安全监测预警机制",
            "是否开展应急演练",
            "是否明确网站安全责任人",
        ),
    ),
    (
        "移动新媒体",
        (VALUE,),
        (
            "是否有移动新媒体",
            "微博名称",
            "微博信息发布量",
            "微博关注量",
            "微信名称",
            "微信信息发布量",
            "微信订阅数",
            "其他",
        ),
    ),
    ("创新发展", (VALUE,), ("搜索即服务", "多语言版本", "无障碍浏览", "千人千网", "其他")),
    ("填报信息", (VALUE,), ("单位负责人", "审核人", "填报人", "联系电话", "填报日期")),
)


def cell_key(section: str, row: str, column: str = VALUE) -> str:
    return f"{section}/{row}" if column == VALUE else f"{section}/{row}/{column}"


def build(
    title: str, year: int, subject: str, spec: Spec, auto: Mapping[str, Any], manual: Mapping[str, Any]
) -> AnnualReport:
    """Fill a form: computed values first, then the hand-entered ones; refuse unknown or clashing keys."""
    keys = [cell_key(s, r, c) for s, columns, rows in spec for r in rows for c in columns]
    known = set(keys)
    problems = [f"“{k}”不是本报表的项目" for k in manual if k not in known]
    problems += [f"“{k}”由系统统计，不能手工填写" for k in manual if k in auto]
    unknown_auto = [k for k in auto if k not in known]
    if unknown_auto:  # a programming error, not a user's
        raise KeyError(f"not in the form: {unknown_auto}")
    if problems:
        raise AnnualReportError("；".join(problems))

    def cell(key: str) -> Cell:
        if key in auto:
            return Cell(key, auto[key], AUTO)
        if key in manual and manual[key] not in (None, ""):
            return Cell(key, manual[key], MANUAL)
        return Cell(key, None, MISSING)

    sections = tuple(
        Section(s, columns, tuple((r, tuple(cell(cell_key(s, r, c)) for c in columns)) for r in rows))
        for s, columns, rows in spec
    )
    return AnnualReport(title, year, subject, sections)


def _quarter(day: dt.date) -> int:
    return (day.month - 1) // 3


def _in_year(day: dt.date | None, year: int) -> bool:
    return day is not None and day.year == year


def sampling_cells(runs: Iterable[Run], year: int) -> dict[str, Any]:
    """网站抽查 per quarter: runs, distinct sites sampled, share of running sites, distinct failing sites.

    The share uses the running sites of the quarter's last run; the year column sums the quarters
    (as the 填写说明 asks for 不合格网站数量) and leaves the share empty (a sum of shares means nothing).
    """
    by_quarter: list[list[Run]] = [[], [], [], []]
    for run in runs:
        if run.as_of.year == year:
            by_quarter[_quarter(run.as_of)].append(run)
    out: dict[str, Any] = {}
    totals = {"抽查次数": 0, "抽查网站数量": 0, "不合格网站数量": 0}
    for quarter, quarter_runs in zip(QUARTERS, by_quarter, strict=True):
        sampled = {r.site_id for run in quarter_runs for r in run.results}
        failing = {r.site_id for run in quarter_runs for r in run.results if r.verdict == "fail"}
        running = (
            sum(max(quarter_runs, key=lambda r: r.as_of).running_by_level.values()) if quarter_runs else 0
        )
        values = {"抽查次数": len(quarter_runs), "抽查网站数量": len(sampled), "不合格网站数量": len(failing)}
        for row, value in values.items():
            out[cell_key("网站抽查", row, quarter)] = value
            totals[row] += value
        out[cell_key("网站抽查", "抽查比例（%）", quarter)] = (
            percent(Fraction(len(sampled), running)) if running else None
        )
    for row, value in totals.items():
        out[cell_key("网站抽查", row, YEAR)] = value
    out[cell_key("网站抽查", "抽查比例（%）", YEAR)] = None
    return out


def accountability_cells(records: Iterable[Record], year: int) -> dict[str, Any]:
    quarters = quarterly_counts(records, year)
    out: dict[str, Any] = {}
    for name, q in zip(QUARTERS, quarters, strict=True):
        out.update({cell_key("问责人次", form, name): n for form, n in q.by_form.items()})
        out[cell_key("问责人次", "合计", name)] = q.total
    totals = year_counts(quarters)
    out.update({cell_key("问责人次", form, YEAR): n for form, n in totals.items()})
    out[cell_key("问责人次", "合计", YEAR)] = sum(totals.values())
    return out


def registry_cells(sites: Iterable[Any], year: int) -> dict[str, Any]:
    """网站总数 at the end of the year and the sites opened, migrated and closed during it."""
    sites = list(sites)
    year_end = dt.date(year, 12, 31)

    def running(site: Any) -> bool:
        opened = getattr(site, "opened", None)
        if opened is not None and opened > year_end:
            return False
        since = getattr(site, "status_since", None)
        return site.status not in LEFT_STATUSES or (since is not None and since > year_end)

    alive = [s for s in sites if running(s)]

    def left_in_year(status: str) -> int:
        return sum(s.status == status and _in_year(getattr(s, "status_since", None), year) for s in sites)

    return {
        cell_key("网站总数", "网站总数"): len(alive),
        cell_key("网站总数", "政府门户网站"): sum(s.kind == "门户" for s in alive),
        cell_key("网站总数", "部门网站"): sum(s.kind == "部门" for s in alive),
        cell_key("网站开设整合", "新开设网站数"): sum(
            _in_year(getattr(s, "opened", None), year) for s in sites
        ),
        cell_key("网站开设整合", "整合迁移网站数"): left_in_year("已迁移"),
        cell_key("网站开设整合", "关停网站数"): left_in_year("已关停"),
    }


def jiucuo_cells(messages: Iterable[Message], year: int, *, working_days: int = 3) -> dict[str, Any]:
    c = completion(messages, dt.date(year, 1, 1), dt.date(year, 12, 31), working_days=working_days)
    return {
        cell_key("我为政府网站找错", "收到留言数"): c.received,
        cell_key("我为政府网站找错", "有效留言数"): c.valid,
        cell_key("我为政府网站找错", "办结数"): c.closed,
        cell_key("我为政府网站找错", "办结率（%）"): c.rate,
        cell_key("我为政府网站找错", "按期办结数"): c.closed_on_time,
        cell_key("我为政府网站找错", "按期办结率（%）"): c.on_time_rate,
    }


def supervision_report(
    year: int,
    unit: str,
    *,
    runs: Sequence[Run] = (),
    sites: Sequence[Any] = (),
    accountability: Sequence[Record] = (),
    messages: Sequence[Message] = (),
    jiucuo_working_days: int = 3,
    auto: Mapping[str, Any] | None = None,
    manual: Mapping[str, Any] | None = None,
) -> AnnualReport:
    """《政府网站监管年度报表》 of `unit` for `year`.

    `auto`: further computed cells the store knows (e.g. 安全检查/发现问题数 from monitoring).
    """
    computed: dict[str, Any] = {
        **registry_cells(sites, year),
        **sampling_cells(runs, year),
        **accountability_cells(accountability, year),
        **jiucuo_cells(messages, year, working_days=jiucuo_working_days),
        **(auto or {}),
    }
    return build(f"{year}年政府网站监管年度报表", year, unit, SUPERVISION_SPEC, computed, manual or {})


def newmedia_cells(accounts: Iterable[Any], organiser: str) -> dict[str, Any]:
    """移动新媒体 names from the 政务新媒体 registry: the running accounts whose 开办单位 is the site's
    organiser. Nothing when the registry lists none for it: an incomplete registry must not make the
    report say 否 (the office fills it by hand). Post and follower counts stay hand-entered: the
    connectors see a recent window, not a year's totals."""
    if not organiser:
        return {}
    mine = [a for a in accounts if a.organiser == organiser and a.status == "运行"]
    if not mine:
        return {}

    def names(platform: str) -> str | None:
        return "、".join(a.name for a in mine if a.platform == platform) or None

    others = "、".join(f"{a.platform}：{a.name}" for a in mine if a.platform not in ("微博", "微信公众号"))
    cells = {
        cell_key("移动新媒体", "是否有移动新媒体"): True,
        cell_key("移动新媒体", "微博名称"): names("微博"),
        cell_key("移动新媒体", "微信名称"): names("微信公众号"),
        cell_key("移动新媒体", "其他"): others or None,
    }
    return {k: v for k, v in cells.items() if v is not None}


def work_report(
    year: int,
    site: Any,
    *,
    auto: Mapping[str, Any] | None = None,
    manual: Mapping[str, Any] | None = None,
) -> AnnualReport:
    """《政府网站工作年度报表》 of one site: the registry fills the header; `auto` what the store
    measured (e.g. 基本信息/ICP备案号 from the footer, 安全防护 counts); the rest is entered by hand."""
    computed = {
        cell_key("基本信息", "网站名称"): site.name,
        cell_key("基本信息", "首页网址"): site.url,
        cell_key("基本信息", "主办单位"): getattr(site, "organiser", "") or None,
        cell_key("基本信息", "网站类型"): SITE_TYPES.get(getattr(site, "kind", "")),
        cell_key("基本信息", "政府网站标识码"): getattr(site, "site_code", "") or None,
        **(auto or {}),
    }
    computed = {k: v for k, v in computed.items() if v is not None}
    return build(f"{year}年政府网站工作年度报表", year, site.name, WORK_SPEC, computed, manual or {})


def display(value: Any) -> str:
    """A cell as text: 是/否 for booleans, 2 decimals kept for rates, empty when unknown."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return f"{value}"
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)
