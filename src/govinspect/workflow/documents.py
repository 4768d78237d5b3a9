"""The words and tables of the 通报 from a run's statistics (the files themselves: workflow/office.py).

The 通报 follows 国办函〔2016〕68号 (INDICATORS §9a): 一、总体情况 → 二、主要问题 → 三、工作要求, then
附件1 各地区抽查情况, 附件2 部门抽查情况, 附件3 突出问题网站名单; when 政务新媒体 were checked in the
run's period, a paragraph with their pass rate per platform and 附件4 分平台情况, 附件5 问题账号名单
(INDICATORS §9e). Every number comes from `RunStats`.
Crawled text (site names, problem text) goes in as text: never a formula, never markup.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from govinspect.workflow.results import Rate, RunStats
from govinspect.workflow.sites import LEVELS

LEVEL_NAMES = {"国务院部门": "国务院部门", "省": "省级", "市": "市级", "县": "县级", "乡镇": "乡镇级"}
CHINESE_ORDINALS = "一二三四五六七八九十"
DEFAULT_REQUIREMENTS = (
    "各地区、各部门要对照本次通报的问题逐项整改，举一反三开展自查，整改情况于规定期限内书面报送。",
    "对多次通报仍未整改或整改不到位的网站，主管单位要约谈有关负责人，依规依纪严肃问责。",
    "要落实网站日常监测和内容保障责任，健全信息发布审核、网民留言办理和安全防护等工作机制。",
)
RATE_HEADERS = [
    "序号",
    "{name}",
    "抽查网站数",
    "合格网站数",
    "不合格网站数",
    "未完成检查网站数",
    "合格率（%）",
]
LIST_HEADERS = ["序号", "地区", "网站名称", "网址", "单项否决问题", "主要问题", "累计不合格次数"]
ACCOUNT_RATE_HEADERS = [
    "序号",
    "平台",
    "检查账号数",
    "合格账号数",
    "不合格账号数",
    "待人工核实账号数",
    "合格率（%）",
]
ACCOUNT_LIST_HEADERS = ["序号", "平台", "账号名称", "开办单位", "单项否决问题", "主要问题"]


@dataclass(frozen=True)
class BulletinInfo:
    title: str  # e.g. 关于2026年11月全省政府网站抽查情况的通报
    issuer: str  # e.g. 浙江省人民政府办公厅
    date: dt.date
    scope: str = "全省"  # how the text names the area: 全省, 全市 …
    requirements: tuple[str, ...] = DEFAULT_REQUIREMENTS
    report_by: dt.date | None = None  # 整改情况书面报送 deadline


def date_cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def change_text(stats: RunStats) -> str:
    if stats.previous is None or stats.change_pp is None:
        return "本次为首次同类抽查，暂无环比数据"
    where = f"较上次抽查（{date_cn(stats.previous.as_of)}，合格率{stats.previous_rate.label()}）"
    if stats.change_pp > 0:
        return f"{where}提高{stats.change_pp}个百分点"
    if stats.change_pp < 0:
        return f"{where}下降{-stats.change_pp}个百分点"
    return f"{where}持平"


def _level_order(counts: dict[str, int]) -> list[str]:
    return [k for k in LEVELS if k in counts] + sorted(k for k in counts if k not in LEVELS)


def overview_paragraphs(stats: RunStats, info: BulletinInfo) -> list[str]:
    """一、总体情况 as sentences (also used by tests and the web page)."""
    run = stats.run
    running = stats.run.running_by_level
    parts = []
    if running:
        levels = "、".join(f"{LEVEL_NAMES.get(k, k)}{running[k]}个" for k in _level_order(running))
        parts.append(
            f"截至{date_cn(run.as_of)}，{info.scope}正在运行的政府网站共{stats.running}个，其中{levels}。"
        )
    sampled: dict[str, int] = {}
    for r in run.results:
        sampled[r.level or "未填写层级"] = sampled.get(r.level or "未填写层级", 0) + 1
    levels = "、".join(f"{LEVEL_NAMES.get(k, k)}{sampled[k]}个" for k in _level_order(sampled))
    share = f"，占运行网站总数的{_pct(stats.sample_share)}" if stats.sample_share is not None else ""
    rate = stats.overall
    unchecked = f"；另有{len(stats.unchecked)}个网站未完成检查，不计入合格率" if stats.unchecked else ""
    parts.append(
        f"本次共抽查网站{stats.sampled}个{share}（{levels}）。其中合格{rate.passed}个、不合格{rate.failed}个，"
        f"合格率{rate.label()}{unchecked}。合格率{change_text(stats)}。"
    )
    if stats.follow_up:
        counts = {s: sum(f.status == s for f in stats.follow_up) for s in ("已整改", "整改不到位", "未复查")}
        parts.append(
            f"上次抽查发现的{len(stats.follow_up)}个不合格网站中，已整改{counts['已整改']}个，"
            f"整改不到位{counts['整改不到位']}个，尚未复查{counts['未复查']}个。"
        )
        incomplete = [f"“{f.name}”" for f in stats.follow_up if f.status == "整改不到位"]
        if incomplete:
            parts.append(f"整改不到位的网站：{'、'.join(incomplete)}。")
    if stats.repeat_failures:
        names = "、".join(f"“{r.name}”" for r in stats.repeat_failures)
        parts.append(f"{names}等{len(stats.repeat_failures)}个网站多次通报仍未整改到位。")
    return parts


def newmedia_paragraphs(stats: RunStats) -> list[str]:
    """政务新媒体 in 一、总体情况: accounts checked, pass rate overall and per platform."""
    nm = stats.newmedia
    if nm is None:
        return []
    rate = nm.overall
    platforms = "，".join(f"{name}{r.label()}" for name, r in nm.by_platform.items())
    pending = (
        f"；另有{len(nm.unverified)}个账号未能完整读取，待人工核实，不计入合格率" if nm.unverified else ""
    )
    return [
        f"本期共检查政务新媒体账号{rate.sampled}个，其中合格{rate.passed}个、不合格{rate.failed}个，"
        f"合格率{rate.label()}{pending}。分平台合格率：{platforms}。"
    ]


def account_failing_rows(stats: RunStats) -> list[list[Any]]:
    nm = stats.newmedia
    if nm is None:
        return []
    return [
        [i, a.platform, a.name, a.organiser, "、".join(a.vetoes), "；".join(a.main_problems)]
        for i, a in enumerate(nm.failing, 1)
    ]


def problem_paragraphs(stats: RunStats) -> list[str]:
    """二、主要问题: one paragraph per indicator family with typical cases."""
    if not stats.families:
        return ["本次抽查未发现突出问题。"]
    out = []
    for i, fam in enumerate(stats.families):
        cases = "；".join(f"“{name}”{text}" for name, text in fam.cases)
        out.append(
            f"（{CHINESE_ORDINALS[i]}）{fam.family}方面。{fam.sites}个网站共存在问题{fam.findings}个。如：{cases}。"
        )
    return out


def rate_rows(rates: dict[str, Rate], *, as_text: bool = False) -> list[list[Any]]:
    """Rows of 附件1/附件2; the rate as a number for Excel, as "66.67" for Word."""

    def shown(r: Rate) -> Any:
        if r.percent is None:
            return "—" if as_text else None
        return str(r.percent) if as_text else float(r.percent)

    return [
        [i, name, r.sampled, r.passed, r.failed, r.unchecked, shown(r)]
        for i, (name, r) in enumerate(rates.items(), 1)
    ]


def failing_rows(stats: RunStats) -> list[list[Any]]:
    return [
        [i, f.region, f.name, f.url, "、".join(f.vetoes), "；".join(f.main_problems), f.times_failed]
        for i, f in enumerate(stats.failing, 1)
    ]
