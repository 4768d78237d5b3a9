"""Excel workbook (openpyxl): 汇总 (one row per site) and 问题清单 (one row per finding).

The format supervisors circulate: frozen headers, autofilters, plain values (no formulas: a crawled
title starting with "=" must stay text).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from govinspect.report.labels import (
    FAMILIES,
    SEVERITY_LABELS,
    check_label,
    evidence_label,
    family_of,
    verdict_label,
)
from govinspect.report.scorecard import family_totals, fix_first, fix_first_text

SUMMARY_HEADERS = [
    "序号",
    "网站名称",
    "网址",
    "网站标识码",
    "检查日期",
    "评分规则",
    "结论",
    "得分",
    "否决项",
    *FAMILIES,
    "首先整改",
]
FINDING_HEADERS = [
    "序号",
    "网站名称",
    "网址",
    "指标",
    "检查项",
    "类别",
    "扣分",
    "问题",
    "栏目",
    "位置",
    "证据",
    "检查项编号",
]

HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
_FAIL_FONT = Font(color="B42318", bold=True)
_ILLEGAL = {chr(c) for c in range(32) if chr(c) not in "\t\n\r"}


def cell_text(value: Any) -> Any:
    """Crawled text as a safe cell value: no control characters, never a formula."""
    if value is None or isinstance(value, int | float):
        return value
    return "".join(ch for ch in str(value) if ch not in _ILLEGAL)


def evidence_text(evidence: dict[str, Any] | None) -> str:
    parts = []
    for key, value in (evidence or {}).items():
        if value in (None, "", [], {}):
            continue
        if isinstance(value, list):
            value = "、".join(
                json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else str(v) for v in value
            )
        elif isinstance(value, dict):
            value = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, bool):
            value = "是" if value else "否"
        parts.append(f"{evidence_label(str(key))}：{value}")
    return "；".join(parts)


def style_header(cells) -> None:
    for cell in cells:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)


def text_safe(cell) -> None:
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"  # openpyxl would store "=..." as a formula


def add_sheet(
    wb: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    width: Callable[[int, str], int],
):
    """A sheet of crawled values as supervisors circulate them: bold frozen header, autofilter,
    every value text-safe; `width(column number, header)` sets each column's width."""
    ws = wb.create_sheet(title)
    ws.append(list(headers))
    style_header(ws[1])
    for row in rows:
        ws.append([cell_text(v) for v in row])
        for cell in ws[ws.max_row]:
            text_safe(cell)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(rows) + 1)}"
    for i, header in enumerate(headers, 1):
        ws.column_dimensions[get_column_letter(i)].width = width(i, header)
    return ws


def _sheet(wb: Workbook, title: str, headers: list[str], rows: list[list[Any]], widths: dict[str, int]):
    return add_sheet(wb, title, headers, rows, lambda _, header: widths.get(header, 10))


def summary_rows(reports: list[dict[str, Any]]) -> list[list[Any]]:
    rows = []
    for i, r in enumerate(reports, 1):
        site = r.get("site") or {}
        counts = {t["family"]: t["count"] for t in family_totals(r)}
        error = r.get("verdict") == "error"
        rows.append(
            [
                i,
                site.get("name") or "",
                site.get("url") or "",
                site.get("site_code") or "",
                r.get("as_of") or "",
                r.get("rubric") or "",
                verdict_label(r.get("verdict", "")),
                None if error else float(r.get("score") or 0),
                "、".join(check_label(v) for v in r.get("vetoes") or [])
                or ("" if not error else r.get("error") or ""),
                *[counts.get(f, 0) for f in FAMILIES],
                "\n".join(fix_first_text(e) for e in fix_first(r, limit=3)),
            ]
        )
    return rows


def finding_rows(reports: list[dict[str, Any]]) -> list[list[Any]]:
    rows = []
    for r in reports:
        site = r.get("site") or {}
        for f in r.get("findings") or []:
            check = f.get("check", "")
            severity = f.get("severity", "info")
            rows.append(
                [
                    len(rows) + 1,
                    site.get("name") or "",
                    site.get("url") or "",
                    family_of(check),
                    check_label(check),
                    SEVERITY_LABELS.get(severity, severity),
                    float(f.get("points") or 0) if severity == "deduct" else None,
                    f.get("message") or "",
                    f.get("column") or "",
                    f.get("url") or "",
                    evidence_text(f.get("evidence")),
                    check,
                ]
            )
    return rows


def render_xlsx(reports: list[dict[str, Any]]) -> bytes:
    """One workbook for one site or a batch; bytes of the .xlsx file."""
    wb = Workbook()
    wb.remove(wb.active)
    summary = _sheet(
        wb,
        "汇总",
        SUMMARY_HEADERS,
        summary_rows(reports),
        {
            "网站名称": 24,
            "网址": 32,
            "网站标识码": 13,
            "检查日期": 12,
            "评分规则": 10,
            "否决项": 24,
            "首先整改": 60,
        },
    )
    for row in summary.iter_rows(min_row=2):
        if row[6].value in ("不合格", "无法检查"):
            row[6].font = _FAIL_FONT
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")
    findings = _sheet(
        wb,
        "问题清单",
        FINDING_HEADERS,
        finding_rows(reports),
        {
            "网站名称": 20,
            "网址": 26,
            "指标": 11,
            "检查项": 18,
            "问题": 48,
            "栏目": 12,
            "位置": 40,
            "证据": 60,
            "检查项编号": 22,
        },
    )
    for row in findings.iter_rows(min_row=2):
        for cell in row[7:11]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
