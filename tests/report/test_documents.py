"""Excel, Word and chart outputs, opened with their own libraries; `govinspect report` from the store."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import docx
import openpyxl
import pytest
from PIL import Image
from typer.testing import CliRunner

from govinspect.cli import app
from govinspect.model import Finding
from govinspect.report import write_reports, write_summary
from govinspect.report.charts import chart_data, charts_png, charts_svg, cjk_font_path
from govinspect.report.excel import FINDING_HEADERS, SUMMARY_HEADERS, render_xlsx
from govinspect.report.labels import FAMILIES
from govinspect.report.word import render_docx, render_summary_docx
from govinspect.store import Store

from .test_report import SCRIPT, make_inspection


def reports():
    bad = make_inspection()
    good = make_inspection(
        site_name="绿水镇人民政府",
        url="http://www.lvshui.gov.cn/",
        host="www.lvshui.gov.cn",
        verdict="pass",
        score=95.0,
        vetoes=[],
        findings=[
            Finding(
                "links.broken_other",
                '=HYPERLINK("http://evil")',
                url="http://www.lvshui.gov.cn/x",
                severity="deduct",
                points=0.1,
            ),
        ],
    )
    broken = make_inspection(
        site_name="坏站",
        url="http://www.huai.gov.cn/",
        host="www.huai.gov.cn",
        verdict="error",
        score=0.0,
        vetoes=[],
        findings=[],
        error="首页不是网页，无法检查",
    )
    return [bad.to_report(), good.to_report(), broken.to_report()]


def test_xlsx_has_summary_and_findings_with_filters_and_frozen_headers():
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(reports())))
    assert wb.sheetnames == ["汇总", "问题清单"]
    summary, findings = wb["汇总"], wb["问题清单"]
    assert [c.value for c in summary[1]] == SUMMARY_HEADERS
    assert [c.value for c in findings[1]] == FINDING_HEADERS
    assert summary.freeze_panes == "A2" and findings.freeze_panes == "A2"
    assert summary.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(SUMMARY_HEADERS))}4"
    assert findings.auto_filter.ref.startswith("A1:L")

    rows = {r[1]: r for r in summary.iter_rows(min_row=2, values_only=True)}
    bad = rows["青山县人民政府"]
    assert bad[6] == "不合格" and bad[7] == 87.5 and bad[8] == "空白栏目"
    by_family = dict(zip(FAMILIES, bad[9 : 9 + len(FAMILIES)], strict=True))
    assert by_family["信息更新"] == 2 and by_family["网站可用性"] == 1 and by_family["规范"] == 1
    assert bad[-1].startswith("【单项否决】空白栏目")
    assert (
        rows["绿水镇人民政府"][6] == "合格"
        and rows["坏站"][7] is None
        and rows["坏站"][8] == "首页不是网页，无法检查"
    )

    lines = list(findings.iter_rows(min_row=2, values_only=True))
    assert len(lines) == 5
    empty = next(r for r in lines if r[-1] == "column.empty")
    assert (
        empty[3] == "信息更新" and empty[5] == "单项否决" and empty[9] == "http://www.qingshan.gov.cn/tzgg/"
    )
    assert SCRIPT in empty[10]  # exact evidence text, stored as text
    formula = next(r for r in lines if r[-1] == "links.broken_other")
    assert formula[7].startswith("=HYPERLINK") and formula[6] == 0.1
    cell = next(c for c in findings["H"] if c.value and str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"  # crawled text never becomes a formula


def _doc_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [c.text for row in table.rows for c in row.cells]
    return "\n".join(parts)


def test_docx_site_health_report_has_the_official_layout():
    document = docx.Document(io.BytesIO(render_docx(reports()[0])))
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    assert paragraphs[0] == "青山县人民政府\n网站体检报告"
    headings = [p for p in paragraphs if re.match("^[一二三]、", p)]
    assert headings == ["一、检查情况", "二、问题清单", "三、整改建议"]
    assert "2026年11月22日" in paragraphs[-1]
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "序号",
        "指标",
        "检查项",
        "类别",
        "问题描述",
        "位置与证据",
    ]
    assert len(table.rows) == 1 + 4
    text = _doc_text(document)
    assert "检查结论：不合格" in text and "【单项否决】空白栏目" in text and "暂无信息" in text
    assert "依据《政府网站检查指标（国办秘函〔2019〕19号）》" in text  # the rubric's title, not its file name
    section = document.sections[0]
    assert round(section.page_width.cm) == 21 and round(section.top_margin.cm, 1) == 3.7
    title_run = document.paragraphs[0].runs[0]
    assert title_run.font.size.pt == 22


def test_docx_summary_embeds_the_chart_and_every_site():
    document = docx.Document(io.BytesIO(render_summary_docx(reports())))
    text = _doc_text(document)
    assert "本次共检查网站3个，其中合格1个，不合格1个，无法检查1个" in text
    assert len(document.inline_shapes) == 1
    blob = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    image = Image.open(io.BytesIO(document.part.related_parts[blob].blob))
    assert image.format == "PNG" and image.width > 1000
    assert [c.text for c in document.tables[0].rows[1].cells][1:4] == ["青山县人民政府", "不合格", "单项否决"]
    assert "未能完成检查：首页不是网页，无法检查" in text


def test_chart_data_and_svg():
    data = chart_data(reports())
    assert dict(data["scores"]) == {
        "单项否决": 1,
        "60分以下": 0,
        "60-69": 0,
        "70-79": 0,
        "80-89": 0,
        "90-100": 1,
        "无法检查": 1,
    }
    assert dict(data["families"])["网站可用性"] == 2
    svgs = charts_svg(reports())
    assert len(svgs) == 2 and all(s.startswith("<svg") and "<script" not in s for s in svgs)
    assert "得分分布" in svgs[0] and "规范" in svgs[1]


def test_png_chart_with_and_without_a_cjk_font():
    plain = Image.open(io.BytesIO(charts_png(reports(), font_path="")))
    assert plain.format == "PNG"
    if cjk_font_path() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-wqy-microhei)")
    assert Image.open(io.BytesIO(charts_png(reports()))).size == plain.size


def test_write_reports_all_formats_and_batch_summary(tmp_path):
    inspection = make_inspection()
    paths = write_reports(inspection, tmp_path, ["json", "html", "xlsx", "docx"])
    assert [p.name for p in paths] == [
        f"www.qingshan.gov.cn.{ext}" for ext in ("json", "html", "xlsx", "docx")
    ]
    openpyxl.load_workbook(paths[2])
    docx.Document(paths[3])
    written = write_summary(reports(), tmp_path, ["json", "html", "xlsx", "docx"])
    assert [p.name for p in written] == ["index.html", "summary.xlsx", "summary.docx"]
    html = written[0].read_text(encoding="utf-8")
    assert html.count("<svg") == 2 and "得分分布" in html
    with pytest.raises(ValueError, match="pdf"):
        write_reports(inspection, tmp_path, ["pdf"])


def test_cli_report_renders_stored_inspections(tmp_path):
    db = f"sqlite:///{tmp_path}/g.db"
    store = Store(db)
    ids = []
    for report in reports()[:2]:
        site_id = store.upsert_site(report["site"]["name"], report["site"]["url"])
        inspection = make_inspection(
            **(
                {}
                if report["verdict"] == "fail"
                else {
                    "site_name": "绿水镇人民政府",
                    "url": "http://www.lvshui.gov.cn/",
                    "host": "www.lvshui.gov.cn",
                    "verdict": "pass",
                    "score": 95.0,
                    "vetoes": [],
                    "findings": [],
                }
            )
        )
        ids.append(store.save_inspection(site_id, inspection))
    store.close()
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["report", "--latest", "--format", "xlsx,docx,json", "--out", str(out), "--db", db]
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert "summary.xlsx" in names and "summary.docx" in names and "www.lvshui.gov.cn.docx" in names
    assert json.loads((out / "www.qingshan.gov.cn.json").read_text(encoding="utf-8"))["score"] == 87.5
    wb = openpyxl.load_workbook(out / "summary.xlsx")
    assert wb["汇总"].max_row == 3

    one = tmp_path / "one"
    result = runner.invoke(app, ["report", str(ids[0]), "--format", "html", "--out", str(one), "--db", db])
    assert result.exit_code == 0 and [p.name for p in one.iterdir()] == ["www.qingshan.gov.cn.html"]
    assert runner.invoke(app, ["report", "99", "--out", str(one), "--db", db]).exit_code == 2
    assert runner.invoke(app, ["report", "--out", str(one), "--db", db]).exit_code == 2
    bad = runner.invoke(app, ["report", "--latest", "--format", "pdf", "--db", db])
    assert bad.exit_code == 2 and "xlsx" in bad.output


def test_as_of_dates_render_in_chinese():
    document = docx.Document(io.BytesIO(render_docx(make_inspection(as_of=dt.date(2027, 1, 5)).to_report())))
    assert "2027年1月5日" in _doc_text(document)
