"""Files for people: the Word 通报 and its Excel tables from a run's statistics, and the annual reports.

Kept apart from documents.py because python-docx and openpyxl cost ~30 MB of memory: a process that
inspects sites never imports this module. Crawled text goes in as text: never a formula, never markup.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from govinspect.report.excel import add_sheet, cell_text, style_header, text_safe

# The 公文 layout helpers of the site report (fonts, margins, tables), shared so both look alike.
from govinspect.report.word import _heading, _para, _setup, _signature, _table, _title
from govinspect.workflow.annual import VALUE, AnnualReport, display
from govinspect.workflow.documents import (
    ACCOUNT_LIST_HEADERS,
    ACCOUNT_RATE_HEADERS,
    CHINESE_ORDINALS,
    LEVEL_NAMES,
    LIST_HEADERS,
    RATE_HEADERS,
    BulletinInfo,
    account_failing_rows,
    date_cn,
    failing_rows,
    newmedia_paragraphs,
    overview_paragraphs,
    problem_paragraphs,
    rate_rows,
)
from govinspect.workflow.results import RunStats


def _attachment(doc, number: int, title: str) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _para(doc, f"附件{number}", indent=False, font="黑体")
    _para(doc, title, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, font="方正小标宋简体")


def _doc_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def bulletin_docx(stats: RunStats, info: BulletinInfo) -> bytes:
    doc = Document()
    _setup(doc)
    _title(doc, info.title)
    _heading(doc, 1, "总体情况")
    for text in overview_paragraphs(stats, info) + newmedia_paragraphs(stats):
        _para(doc, text)
    _heading(doc, 2, "主要问题")
    for text in problem_paragraphs(stats):
        _para(doc, text)
    _heading(doc, 3, "工作要求")
    requirements = list(info.requirements)
    if info.report_by is not None:
        requirements.append(f"请于{date_cn(info.report_by)}前将整改情况书面报送。")
    for i, text in enumerate(requirements):
        _para(doc, f"（{CHINESE_ORDINALS[i]}）{text}")
    _para(doc, "附件：1．各地区政府网站抽查情况", indent=True)
    _para(doc, "2．部门政府网站抽查情况", indent=True)
    _para(doc, "3．抽查发现存在突出问题的政府网站名单", indent=True)
    if stats.newmedia is not None:
        _para(doc, "4．政务新媒体分平台检查情况", indent=True)
        _para(doc, "5．检查发现存在问题的政务新媒体名单", indent=True)
    _signature(doc, info.issuer, date_cn(info.date))
    widths = [1.2, 4.0, 2.0, 2.0, 2.0, 2.2, 2.0]
    _attachment(doc, 1, "各地区政府网站抽查情况")
    _table(
        doc, [h.format(name="地区") for h in RATE_HEADERS], rate_rows(stats.by_region, as_text=True), widths
    )
    _attachment(doc, 2, "部门政府网站抽查情况")
    _table(
        doc,
        [h.format(name="部门") for h in RATE_HEADERS],
        rate_rows(stats.by_department, as_text=True),
        widths,
    )
    _attachment(doc, 3, "抽查发现存在突出问题的政府网站名单")
    _table(doc, LIST_HEADERS, failing_rows(stats), [1.0, 1.6, 2.6, 2.8, 2.4, 3.6, 1.4])
    if stats.newmedia is not None:
        _attachment(doc, 4, "政务新媒体分平台检查情况")
        _table(doc, ACCOUNT_RATE_HEADERS, rate_rows(stats.newmedia.by_platform, as_text=True), widths)
        _attachment(doc, 5, "检查发现存在问题的政务新媒体名单")
        _table(doc, ACCOUNT_LIST_HEADERS, account_failing_rows(stats), [1.0, 1.6, 3.0, 3.0, 2.6, 4.2])
    return _doc_bytes(doc)


# --- Excel -----------------------------------------------------------------------------------------

def _sheet(
    wb: Workbook, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], wide: Sequence[int] = ()
):
    return add_sheet(wb, title, headers, rows, lambda i, _: 36 if i in wide else 12)


def _wb_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def bulletin_xlsx(stats: RunStats, info: BulletinInfo) -> bytes:
    """The 通报's tables: 总体情况, 附件1–3, 主要问题 and 上次不合格网站复查情况 (numbers as numbers)."""
    wb = Workbook()
    wb.remove(wb.active)
    rate = stats.overall
    overview = [
        ["抽查日期", date_cn(stats.run.as_of)],
        ["运行网站数", stats.running or None],
        ["抽查网站数", stats.sampled],
        ["抽查比例（%）", None if stats.sample_share is None else float(stats.sample_share)],
        ["完成检查网站数", rate.checked],
        ["合格网站数", rate.passed],
        ["不合格网站数", rate.failed],
        ["未完成检查网站数", len(stats.unchecked)],
        ["合格率（%）", None if rate.percent is None else float(rate.percent)],
        [
            "上次合格率（%）",
            None
            if stats.previous_rate is None or stats.previous_rate.percent is None
            else float(stats.previous_rate.percent),
        ],
        ["环比（百分点）", None if stats.change_pp is None else float(stats.change_pp)],
    ]
    overview += [
        [f"合格率（%）：{LEVEL_NAMES.get(k, k)}", None if r.percent is None else float(r.percent)]
        for k, r in stats.by_level.items()
    ]
    _sheet(wb, "总体情况", ["项目", "数值"], overview, wide=(1,))
    _sheet(
        wb, "附件1 各地区抽查情况", [h.format(name="地区") for h in RATE_HEADERS], rate_rows(stats.by_region)
    )
    _sheet(
        wb,
        "附件2 部门抽查情况",
        [h.format(name="部门") for h in RATE_HEADERS],
        rate_rows(stats.by_department),
        wide=(2,),
    )
    _sheet(wb, "附件3 突出问题网站名单", LIST_HEADERS, failing_rows(stats), wide=(3, 4, 5, 6))
    if stats.newmedia is not None:
        _sheet(wb, "附件4 政务新媒体分平台情况", ACCOUNT_RATE_HEADERS, rate_rows(stats.newmedia.by_platform))
        _sheet(
            wb,
            "附件5 问题政务新媒体名单",
            ACCOUNT_LIST_HEADERS,
            account_failing_rows(stats),
            wide=(3, 4, 5, 6),
        )
    families = [
        [i, f.family, f.sites, f.findings, "；".join(f"{n}：{t}" for n, t in f.cases)]
        for i, f in enumerate(stats.families, 1)
    ]
    _sheet(wb, "主要问题", ["序号", "指标", "问题网站数", "问题数", "典型问题"], families, wide=(5,))
    follow = [[i, f.name, f.status, f.rechecked_in] for i, f in enumerate(stats.follow_up, 1)]
    _sheet(wb, "上次不合格网站复查情况", ["序号", "网站名称", "整改情况", "复查依据"], follow, wide=(2,))
    return _wb_bytes(wb)


# --- annual reports --------------------------------------------------------------------------------


def _section_rows(section) -> list[list[Any]]:
    return [[label, *(c.value for c in cells)] for label, cells in section.rows]


def annual_xlsx(report: AnnualReport) -> bytes:
    """One sheet: a title line, then each block with its header row; plus a sheet of cell keys and sources."""
    wb = Workbook()
    ws = wb.active
    ws.title = "年度报表"
    ws.append([report.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["填报单位" if "监管" in report.title else "网站名称", cell_text(report.subject)])
    text_safe(ws["B2"])
    for section in report.sections:
        ws.append([])
        ws.append([section.title, *section.columns])
        style_header(ws[ws.max_row])
        for row in _section_rows(section):
            ws.append([cell_text(_xlsx_value(v)) for v in row])
            for cell in ws[ws.max_row]:
                text_safe(cell)
    ws.column_dimensions["A"].width = 34
    for i in range(2, 8):
        ws.column_dimensions[get_column_letter(i)].width = 14
    sources = [[c.key, c.source] for c in report.cells()]
    _sheet(wb, "数据来源", ["项目", "来源"], sources, wide=(1,))
    return _wb_bytes(wb)


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool | dt.date):
        return display(value)
    return value


def annual_docx(report: AnnualReport) -> bytes:
    doc = Document()
    _setup(doc)
    _title(doc, report.title)
    _para(doc, f"{'填报单位' if '监管' in report.title else '网站名称'}：{report.subject}", indent=False)
    for i, section in enumerate(report.sections, 1):
        _para(doc, f"{CHINESE_ORDINALS[i - 1]}、{section.title}", font="黑体", indent=False)
        single = section.columns == (VALUE,)
        headers = ["项目", "数值"] if single else ["项目", *section.columns]
        rows = [[label, *(display(c.value) for c in cells)] for label, cells in section.rows]
        widths = [6.0, 9.6] if single else [4.6] + [2.2] * len(section.columns)
        _table(doc, headers, rows, widths)
    return _doc_bytes(doc)
