"""Word (python-docx): 网站体检报告 in the layout of an official document (GB/T 9704 style).

A4, 公文 margins, title in 方正小标宋简体 二号, headings 黑体 三号 (一、二、三、), body 仿宋_GB2312 三号.
Fonts are named, not embedded: Word on the reader's machine supplies them (no font is shipped).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from govinspect.report.charts import charts_png
from govinspect.report.excel import cell_text, evidence_text
from govinspect.report.labels import SEVERITY_LABELS, check_label, family_of, verdict_label
from govinspect.report.scorecard import family_totals, fix_first, fix_first_text

TITLE_FONT, HEADING_FONT, BODY_FONT = "方正小标宋简体", "黑体", "仿宋_GB2312"
SIZE_2, SIZE_3, SIZE_4, SIZE_5 = Pt(22), Pt(16), Pt(14), Pt(10.5)  # 二号 三号 四号 五号
CHINESE_NUMBERS = "一二三四五六七八九十"


def _rubric_title(name: str) -> str:
    """The rubric's official title for the document (e.g. 政府网站检查指标（国办秘函〔2019〕19号）)."""
    from govinspect.rules import RubricError, load_rubric

    try:
        return load_rubric(name).title if name else ""
    except RubricError:
        return name  # a rubric file no longer at hand: its name still identifies it


def _font(run, name: str, size: Pt, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _para(doc, text: str, *, font=BODY_FONT, size=SIZE_3, bold=False, align=None, indent=True):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size.pt * 2)  # 首行缩进2字
    p.paragraph_format.line_spacing = Pt(28)
    _font(p.add_run(cell_text(text)), font, size, bold)
    return p


def _heading(doc, number: int, text: str) -> None:
    _para(doc, f"{CHINESE_NUMBERS[number - 1]}、{text}", font=HEADING_FONT, size=SIZE_3)


def _setup(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = SIZE_3
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)


def _table(doc, headers: list[str], rows: list[list[Any]], widths_cm: list[float]):
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(header), HEADING_FONT, SIZE_5)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = ""
            _font(
                cell.paragraphs[0].add_run(cell_text("" if value is None else str(value))), BODY_FONT, SIZE_5
            )
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
    return table


def _title(doc, text: str) -> None:
    _para(doc, text, font=TITLE_FONT, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)


def _signature(doc, issuer: str, when: str) -> None:
    doc.add_paragraph()
    for line in (issuer, when):
        _para(doc, line, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)


def _date_cn(iso: str) -> str:
    try:
        d = dt.date.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso or ""
    return f"{d.year}年{d.month}月{d.day}日"


def _site_body(doc, report: dict[str, Any], start: int = 1) -> None:
    site = report.get("site") or {}
    name = site.get("name") or site.get("url") or ""
    verdict = report.get("verdict", "")
    findings = report.get("findings") or []
    _heading(doc, start, "检查情况")
    if verdict == "error":
        _para(
            doc,
            f"{_date_cn(report.get('as_of', ''))}，对“{name}”（{site.get('url', '')}）进行检查，"
            f"未能完成检查：{report.get('error') or ''}。",
        )
    else:
        score = "单项否决" if report.get("vetoes") else f"{float(report.get('score') or 0):g}分"
        totals = (
            "，".join(f"{t['family']}{t['count']}个" for t in family_totals(report) if t["count"]) or "无"
        )
        _para(
            doc,
            f"{_date_cn(report.get('as_of', ''))}，依据《{_rubric_title(report.get('rubric', ''))}》对“{name}”"
            f"（{site.get('url', '')}{'，网站标识码' + site['site_code'] if site.get('site_code') else ''}）进行检查。"
            f"检查结论：{verdict_label(verdict)}，得分：{score}。共发现问题{len(findings)}个，其中：{totals}。",
        )
        for rule in (report.get("stats") or {}).get("veto_rules") or []:
            _para(doc, f"触发单项否决：{rule}。")
    _heading(doc, start + 1, "问题清单")
    if findings:
        rows = [
            [
                i,
                family_of(f.get("check", "")),
                check_label(f.get("check", "")),
                SEVERITY_LABELS.get(f.get("severity", ""), "")
                + (f"{float(f.get('points') or 0):g}分" if f.get("severity") == "deduct" else ""),
                f.get("message", ""),
                "；".join(x for x in (f.get("url") or "", evidence_text(f.get("evidence"))) if x),
            ]
            for i, f in enumerate(findings, 1)
        ]
        _table(
            doc,
            ["序号", "指标", "检查项", "类别", "问题描述", "位置与证据"],
            rows,
            [1.0, 1.8, 2.4, 1.6, 4.6, 4.2],
        )
    else:
        _para(doc, "未发现问题。")
    _heading(doc, start + 2, "整改建议")
    entries = fix_first(report)
    if entries:
        _para(doc, "请按以下顺序整改（单项否决问题优先，其次为扣分较多的问题），整改完成后申请复查：")
        for i, entry in enumerate(entries, 1):
            _para(doc, f"{i}. {fix_first_text(entry)}")
    else:
        _para(doc, "请保持日常更新与维护。")


def render_docx(report: dict[str, Any], issuer: str = "政府网站检查组") -> bytes:
    """One site's 网站体检报告."""
    doc = Document()
    _setup(doc)
    site = report.get("site") or {}
    _title(doc, f"{site.get('name') or site.get('url') or ''}\n网站体检报告")
    _site_body(doc, report)
    _signature(doc, issuer, _date_cn(report.get("as_of", "")))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def render_summary_docx(reports: list[dict[str, Any]], issuer: str = "政府网站检查组") -> bytes:
    """A batch: overview with the chart, the table of sites, then each site's report on its own page."""
    from docx.enum.text import WD_BREAK

    doc = Document()
    _setup(doc)
    _title(doc, "政府网站体检报告（汇总）")
    verdicts = [r.get("verdict") for r in reports]
    _heading(doc, 1, "总体情况")
    _para(
        doc,
        f"本次共检查网站{len(reports)}个，其中合格{verdicts.count('pass')}个，不合格{verdicts.count('fail')}个"
        + (f"，无法检查{verdicts.count('error')}个" if verdicts.count("error") else "")
        + "。得分分布与各指标问题数见下图。",
    )
    picture = doc.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.add_run().add_picture(io.BytesIO(charts_png(reports)), width=Cm(15.5))
    _heading(doc, 2, "各网站检查结果")
    rows = [
        [
            i,
            (r.get("site") or {}).get("name") or "",
            verdict_label(r.get("verdict", "")),
            "—"
            if r.get("verdict") == "error"
            else ("单项否决" if r.get("vetoes") else f"{float(r.get('score') or 0):g}"),
            len(r.get("findings") or []),
        ]
        for i, r in enumerate(reports, 1)
    ]
    _table(doc, ["序号", "网站名称", "结论", "得分", "问题数"], rows, [1.2, 7.0, 2.2, 2.2, 2.0])
    for r in reports:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        site = r.get("site") or {}
        _para(
            doc,
            site.get("name") or site.get("url") or "",
            font=HEADING_FONT,
            size=SIZE_3,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            indent=False,
        )
        _site_body(doc, r)
    _signature(doc, issuer, _date_cn(max((r.get("as_of") or "" for r in reports), default="")))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
