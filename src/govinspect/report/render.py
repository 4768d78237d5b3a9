"""HTML and JSON renderers for govinspect.report/1 dicts, and the files they are written to.

Everything renders from the report dict (not the Inspection), so a report stored years ago can be
re-rendered. Crawled text is hostile input: templates autoescape, and only http(s) URLs become links.
"""

from __future__ import annotations

import functools
import json
import os
import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from govinspect.model import Inspection
from govinspect.report.labels import (
    FAMILIES,
    OTHER_FAMILY,
    SEVERITY_LABELS,
    check_label,
    evidence_label,
    family_of,
    kind_label,
    verdict_label,
)
from govinspect.report.scorecard import family_totals, fix_first, fix_first_text

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
FORMATS = ("json", "html", "xlsx", "docx")
DEFAULT_FORMATS = ("json", "html")
SUMMARY_FILENAME = "index.html"
# Batch files next to index.html: one workbook of every site, one Word summary with the chart.
SUMMARY_FILENAMES = {"html": SUMMARY_FILENAME, "xlsx": "summary.xlsx", "docx": "summary.docx"}


# -- file names --------------------------------------------------------------------------------


def report_filename(host_or_url: str, ext: str = "json") -> str:
    """`www.xx.gov.cn.json`; a port becomes `_port` (`127.0.0.1_8080.html`); nothing unsafe on any OS."""
    host = urlsplit(host_or_url).netloc if "://" in host_or_url else host_or_url
    host = (
        host.rsplit("@", 1)[-1].lower().replace("[", "").replace("]", "")
    )  # no credentials, no IPv6 brackets
    safe = re.sub(r"[^\w.\-]", "_", host).strip(".") or "site"
    return f"{safe}.{ext.lstrip('.')}"


# -- JSON ----------------------------------------------------------------------------------------


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    raise TypeError(f"无法写入JSON报告的值：{type(value).__name__}")


def render_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2, default=_json_default) + "\n"


# -- view model: small pure functions from the report dict to what templates show ---------------


def safe_href(url: Any) -> str | None:
    """Only http(s) URLs become links: a crawled `javascript:` URL must stay inert text."""
    if isinstance(url, str) and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


def format_number(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "—" if value is None else str(value)
    if isinstance(value, int | float):
        return f"{value:g}"
    return str(value)


def _evidence_part(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        text = "是" if value else "否"
    elif value is None or value == [] or value == {}:
        text = "无"
    elif isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, default=str)
    else:
        text = format_number(value)
    return {"text": text, "href": safe_href(value)}


def evidence_view(evidence: dict[str, Any] | None) -> list[dict[str, Any]]:
    """[{label, parts: [{text, href}]}]: a list of scalars (e.g. the pages a link is on) gives one part each."""
    view = []
    for key, value in (evidence or {}).items():
        flat = isinstance(value, list) and value and not any(isinstance(v, dict | list) for v in value)
        parts = [_evidence_part(v) for v in value] if flat else [_evidence_part(value)]
        view.append({"label": evidence_label(str(key)), "parts": parts})
    return view


def finding_view(finding: dict[str, Any]) -> dict[str, Any]:
    check = finding.get("check", "")
    severity = finding.get("severity", "info")
    return {
        "check": check,
        "check_label": check_label(check),
        "family": family_of(check),
        "severity": severity,
        "severity_label": SEVERITY_LABELS.get(severity, severity),
        "points": format_number(finding.get("points") or 0),
        "message": finding.get("message", ""),
        "column": finding.get("column") or "",
        "url": finding.get("url") or "",
        "href": safe_href(finding.get("url")),
        "evidence": evidence_view(finding.get("evidence")),
    }


def family_views(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings grouped by indicator family, in FAMILIES order; empty families are left out."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        groups.setdefault(f["family"], []).append(f)
    order = [*FAMILIES, OTHER_FAMILY]
    return [
        {
            "name": name,
            "findings": groups[name],
            "deducted": format_number(
                sum(float(f["points"]) for f in groups[name] if f["severity"] == "deduct")
            ),
            "vetoes": sum(1 for f in groups[name] if f["severity"] == "veto"),
        }
        for name in order
        if name in groups
    ]


def veto_views(report: dict[str, Any], findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "check": check,
            "label": check_label(check),
            "findings": [f for f in findings if f["check"] == check and f["severity"] == "veto"],
        }
        for check in report.get("vetoes") or []
    ]


def column_view(column: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": column.get("name", ""),
        "href": safe_href(column.get("url")),
        "kind": kind_label(column.get("kind")),
        "latest": column.get("latest") or "无",
        "item_count": column.get("items", 0),
        "read": read_label(column),
    }


def read_label(column: dict[str, Any]) -> str:
    """How much of a column was read, in Chinese; older reports say nothing."""
    if column.get("hub"):
        return "频道页，按其子栏目检查"
    if column.get("unreadable"):
        return "列表未能读取，待人工核实"
    if "pages_read" not in column:
        return ""
    known = column.get("list_pages_known")
    pages = f"列表页{column.get('pages_read', 0)}" + (f"/{known}" if known else "") + "页"
    return f"{pages}，抽读信息{column.get('items_sampled', 0)}条"


def report_view(report: dict[str, Any]) -> dict[str, Any]:
    site = report.get("site") or {}
    verdict = report.get("verdict", "")
    findings = [finding_view(f) for f in report.get("findings") or []]
    stats = report.get("stats") or {}
    availability = report.get("availability") or {}
    deducted = sum(
        float(f.get("points") or 0) for f in report.get("findings") or [] if f.get("severity") == "deduct"
    )
    return {
        "name": site.get("name") or site.get("url") or "",
        "url": site.get("url") or "",
        "href": safe_href(site.get("url")),
        "site_code": site.get("site_code") or "",
        "as_of": report.get("as_of", ""),
        "rubric": report.get("rubric", ""),
        "verdict": verdict,
        "verdict_label": verdict_label(verdict),
        "score": "—" if verdict == "error" else format_number(report.get("score")),
        "error": report.get("error") or "",
        "vetoes": veto_views(report, findings),
        "veto_rules": [str(r) for r in stats.get("veto_rules") or []],
        "families": family_views(findings),
        "family_totals": [{**t, "points": format_number(t["points"])} for t in family_totals(report)],
        "fix_first": [
            {**e, "text": fix_first_text(e), "href": safe_href(e["url"])} for e in fix_first(report)
        ],
        "deduction_score": format_number(stats.get("deduction_score"))
        if stats.get("deduction_score") is not None
        else "",
        "finding_count": len(findings),
        "deducted": format_number(deducted),
        "columns": [column_view(c) for c in report.get("columns") or []],
        "availability": {
            "probes": availability.get("probes", 0),
            "failures": availability.get("failures", 0),
            "required": availability.get("required"),
            "provisional": bool(availability.get("provisional")),
        },
        "stats": {
            "pages": stats.get("pages", 0),
            "links_checked": stats.get("links_checked", 0),
            "elapsed_s": format_number(stats.get("elapsed_s", 0)),
            "crawl_errors": [str(e) for e in stats.get("crawl_errors") or []],
        },
        "schema": report.get("schema", ""),
    }


def summary_row(report: dict[str, Any]) -> dict[str, Any]:
    view = report_view(report)
    counts = Counter(family_of(f.get("check", "")) for f in report.get("findings") or [])
    return {
        "name": view["name"],
        "url": view["url"],
        "report_href": quote(report_filename(view["url"], "html")),
        "verdict": view["verdict"],
        "verdict_label": view["verdict_label"],
        "score": view["score"],
        "vetoes": [v["label"] for v in view["vetoes"]],
        "error": view["error"],
        "counts": [counts.get(name, 0) for name in FAMILIES],
        "as_of": view["as_of"],
    }


# -- HTML ----------------------------------------------------------------------------------------


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,  # always, whatever the template's extension
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(report: dict[str, Any]) -> str:
    """One site's report page, from a govinspect.report/1 dict."""
    return _environment().get_template("report.html").render(r=report_view(report))


def render_summary_html(reports: list[dict[str, Any]]) -> str:
    """A batch summary: one row per site, linking to `<host>.html` in the same folder."""
    from markupsafe import Markup

    from govinspect.report.charts import charts_svg

    rows = [summary_row(r) for r in reports]
    verdicts = Counter(row["verdict"] for row in rows)
    dates = sorted({row["as_of"] for row in rows if row["as_of"]})
    return (
        _environment()
        .get_template("summary.html")
        .render(
            rows=rows,
            families=FAMILIES,
            total=len(rows),
            passed=verdicts.get("pass", 0),
            failed=verdicts.get("fail", 0),
            errors=verdicts.get("error", 0),
            dates="至".join([dates[0], dates[-1]]) if len(dates) > 1 else (dates[0] if dates else ""),
            charts=[Markup(svg) for svg in charts_svg(reports)],  # built from escaped labels and numbers
        )
    )


# -- files ---------------------------------------------------------------------------------------


def _write_atomic(path: Path, content: str | bytes) -> None:
    """Write next to the target, then rename: a crash never leaves a half-written report."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if isinstance(content, bytes):
            with os.fdopen(fd, "wb") as fh:
                fh.write(content)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_formats(formats: tuple[str, ...] | list[str]) -> list[str]:
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"不支持的报告格式：{'、'.join(unknown)}；可选：{'、'.join(FORMATS)}")
    return list(dict.fromkeys(formats))


def render_site(report: dict[str, Any], fmt: str) -> str | bytes:
    """One site's report in one format."""
    if fmt == "json":
        return render_json(report)
    if fmt == "html":
        return render_html(report)
    if fmt == "xlsx":
        from govinspect.report.excel import render_xlsx

        return render_xlsx([report])
    if fmt == "docx":
        from govinspect.report.word import render_docx

        return render_docx(report)
    raise ValueError(f"不支持的报告格式：{fmt}")


def write_report_files(
    report: dict[str, Any],
    out_dir: Path,
    formats: tuple[str, ...] | list[str] = DEFAULT_FORMATS,
    name: str | None = None,
) -> list[Path]:
    """Write `<out>/<host>.<fmt>` for each format, from a report dict (stored or fresh)."""
    formats = check_formats(formats)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    name = name or (report.get("site") or {}).get("url") or "site"
    paths = []
    for fmt in formats:
        path = out_dir / report_filename(name, fmt)
        _write_atomic(path, render_site(report, fmt))
        paths.append(path)
    return paths


def write_reports(
    inspection: Inspection, out_dir: Path, formats: tuple[str, ...] | list[str] = DEFAULT_FORMATS
) -> list[Path]:
    """Write `<out>/<host>.json` / `.html` / `.xlsx` / `.docx`; returns the paths written."""
    return write_report_files(
        inspection.to_report(), out_dir, formats, name=inspection.host or inspection.url
    )


def write_summary(
    reports: list[dict[str, Any]], out_dir: Path, formats: tuple[str, ...] | list[str] = ("html",)
) -> list[Path] | Path:
    """Batch files: `index.html` (table + charts), `summary.xlsx`, `summary.docx` for the formats asked.

    Returns the index.html path when only html is asked (the original API), else the list of paths.
    """
    formats = [f for f in check_formats(formats) if f in SUMMARY_FILENAMES]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        if fmt == "html":
            content: str | bytes = render_summary_html(reports)
        elif fmt == "xlsx":
            from govinspect.report.excel import render_xlsx

            content = render_xlsx(reports)
        else:
            from govinspect.report.word import render_summary_docx

            content = render_summary_docx(reports)
        path = out_dir / SUMMARY_FILENAMES[fmt]
        _write_atomic(path, content)
        paths.append(path)
    return paths[0] if list(formats) == ["html"] else paths
