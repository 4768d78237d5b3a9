from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser

import pytest

from govinspect.model import REPORT_SCHEMA, Column, Finding, Inspection, Item
from govinspect.report import render_html, render_summary_html, report_filename, write_reports, write_summary
from govinspect.report.labels import FAMILIES, FAMILY_BY_PREFIX, KIND_LABELS, family_of, kind_label

URL = "http://www.qingshan.gov.cn/"
SCRIPT = "<script>alert('x')</script>"


def make_inspection(**overrides) -> Inspection:
    values = dict(
        site_name="青山县人民政府",
        url=URL,
        host="www.qingshan.gov.cn",
        as_of=dt.date(2026, 11, 22),
        rubric="gov-2019",
        verdict="fail",
        score=87.5,
        site_code="3601230001",
        vetoes=["column.empty"],
        findings=[
            Finding(
                check="column.empty",
                message="栏目“通知公告”为空白栏目",
                url=URL + "tzgg/",
                column="通知公告",
                evidence={"text": "暂无信息" + SCRIPT},
                severity="veto",
            ),
            Finding(
                check="links.broken_home",
                message="首页链接“旧版入口”无法访问",
                url="javascript:alert(1)",
                evidence={"reason": "HTTP 404", "found_on": [URL, URL + "a.html"]},
                severity="deduct",
                points=1.5,
            ),
            Finding(
                check="column.stale_dynamic",
                message="栏目“工作动态”超过14天未更新",
                url=URL + "gzdt/",
                column="工作动态",
                evidence={"latest": "2026-10-01", "window_days": 14},
                severity="deduct",
                points=5.0,
            ),
            Finding(
                check="norms.icp_missing",
                message="首页未展示ICP备案编号",
                url=URL,
                severity="deduct",
                points=6,
            ),
        ],
        columns=[
            Column(
                "工作动态",
                URL + "gzdt/",
                "dynamic",
                items=[Item("甲", URL + "1.html", dt.date(2026, 10, 1))] * 3,
            ),
            Column("通知公告", URL + "tzgg/", "policy"),
            Column("领导信箱", URL + "ldxx/", "interact"),
        ],
        availability={"probes": 10, "failures": 1, "required": 140, "provisional": True},
        stats={"pages": 412, "links_checked": 3120, "elapsed_s": 38.2, "veto_rules": ["空白栏目数≥1"]},
        started_at=dt.datetime(2026, 11, 22, 9, 0),
    )
    values.update(overrides)
    return Inspection(**values)


class _Collector(HTMLParser):
    """Collects script tags and hrefs of a rendered page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts = 0
        self.hrefs: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "a":
            self.hrefs.append(attrs.get("href", ""))
        if tag in ("link", "img", "iframe") or (tag == "script" and attrs.get("src")):
            self.external.append(tag)


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def test_write_reports_writes_valid_json_and_html(tmp_path):
    paths = write_reports(make_inspection(), tmp_path / "out")
    assert [p.name for p in paths] == ["www.qingshan.gov.cn.json", "www.qingshan.gov.cn.html"]
    raw = paths[0].read_text(encoding="utf-8")
    assert "青山县人民政府" in raw and "\\u" not in raw  # ensure_ascii=False
    assert raw.startswith('{\n  "schema"')  # indent 2
    report = json.loads(raw)
    assert report["schema"] == REPORT_SCHEMA
    assert set(report) >= {"site", "as_of", "rubric", "verdict", "score", "vetoes", "findings", "columns"}
    assert report["site"] == {"name": "青山县人民政府", "url": URL, "site_code": "3601230001"}
    column = report["columns"][0]
    assert {k: column[k] for k in ("name", "url", "kind", "latest", "items")} == {
        "name": "工作动态",
        "url": URL + "gzdt/",
        "kind": "dynamic",
        "latest": "2026-10-01",
        "items": 3,
    }
    # How much of the column was read and how it was found.
    assert column["pages_read"] == 0 and column["items_sampled"] == 0 and column["hub"] is False
    assert [f["check"] for f in report["findings"]][0] == "column.empty"
    assert paths[1].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not list((tmp_path / "out").glob(".*tmp"))  # no temp files left behind


def test_write_reports_formats_and_dates_in_evidence(tmp_path):
    inspection = make_inspection()
    inspection.findings[0].evidence["seen"] = dt.date(2026, 11, 20)
    paths = write_reports(inspection, tmp_path, formats=("json",))
    assert [p.name for p in paths] == ["www.qingshan.gov.cn.json"]
    assert json.loads(paths[0].read_text(encoding="utf-8"))["findings"][0]["evidence"]["seen"] == "2026-11-20"
    with pytest.raises(ValueError, match="不支持的报告格式：pdf"):
        write_reports(inspection, tmp_path, formats=("pdf",))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("www.qingshan.gov.cn", "www.qingshan.gov.cn.json"),
        ("127.0.0.1:8080", "127.0.0.1_8080.json"),
        ("http://127.0.0.1:8080/index.html", "127.0.0.1_8080.json"),
        ("HTTP://User:pw@WWW.Example.GOV.CN:8443/x", "www.example.gov.cn_8443.json"),
        ("http://[::1]:8080/", "__1_8080.json"),
        ("../../etc/passwd", "_.._etc_passwd.json"),
        ("", "site.json"),
    ],
)
def test_report_filename_is_safe(given, expected):
    assert report_filename(given) == expected
    assert "/" not in expected and ":" not in expected


def test_report_filename_with_port_used_by_write_reports(tmp_path):
    inspection = make_inspection(url="http://127.0.0.1:8080/", host="127.0.0.1:8080")
    paths = write_reports(inspection, tmp_path, formats=("html", "json"))
    assert [p.name for p in paths] == ["127.0.0.1_8080.html", "127.0.0.1_8080.json"]


def test_html_shows_the_report_in_chinese():
    html = render_html(make_inspection().to_report())
    for text in (
        "青山县人民政府",
        URL,
        "检查日期",
        "2026-11-22",
        "评分规则",
        "gov-2019",
        "不合格",
        "87.5",
        "单项否决",
        "空白栏目",
        "空白栏目数≥1",
        "网站可用性",
        "信息更新",
        "规范",
        "栏目",
        "动态要闻",
        "通知公告政策文件",
        "互动交流",
        "2026-10-01",
        "页面数",
        "412",
        "检查链接数",
        "3120",
        "用时",
        "38.2",
        "暂定",
    ):
        assert text in html, text
    # Deductions carry their points; families absent from the findings are not shown.
    assert re.search(r'<td class="num">\s*1\.5\s*</td>', html)
    assert "扣 5 分" in html and "扣 6 分" in html and "共扣 12.5 分" in html
    assert "互动回应　" not in html and "安全　" not in html


def test_families_appear_in_indicator_order():
    html = render_html(make_inspection().to_report())
    positions = [html.index(f"<h3>{name}") for name in ("网站可用性", "信息更新", "规范")]
    assert positions == sorted(positions)


def test_verdict_labels():
    assert "合格" in render_html(make_inspection(verdict="pass", vetoes=[], findings=[]).to_report())
    assert "未发现问题" in render_html(make_inspection(verdict="pass", vetoes=[], findings=[]).to_report())
    error = render_html(
        make_inspection(verdict="error", score=0.0, error="首页不是网页，无法检查", findings=[]).to_report()
    )
    assert "无法检查" in error and "首页不是网页" in error and "不合格" not in error


def test_crawled_script_is_escaped_and_only_http_links_are_clickable():
    inspection = make_inspection(site_name="青山" + SCRIPT)
    inspection.columns[0].name = SCRIPT
    html = render_html(inspection.to_report())
    page = parse(html)
    assert page.scripts == 0 and SCRIPT not in html
    assert "暂无信息&lt;script&gt;" in html
    assert all(h.startswith("http") for h in page.hrefs)
    assert "javascript:alert(1)" in html  # shown as text, not as a link
    assert URL + "a.html" in page.hrefs  # evidence URLs become links


def test_html_is_self_contained_and_printable():
    html = render_html(make_inspection().to_report())
    page = parse(html)
    assert page.external == [] and "<style>" in html and "@media print" in html
    assert 'lang="zh-CN"' in html and '<meta charset="utf-8">' in html


def test_old_or_sparse_reports_still_render():
    sparse = {
        "schema": REPORT_SCHEMA,
        "site": {"url": URL},
        "as_of": "2026-01-01",
        "verdict": "pass",
        "score": 100,
    }
    html = render_html(sparse)
    assert "合格" in html and "未识别到栏目" in html


def test_summary_lists_every_site_with_links_and_family_counts(tmp_path):
    failing = make_inspection().to_report()
    passing = make_inspection(
        site_name="绿水镇",
        url="http://127.0.0.1:8080/",
        host="127.0.0.1:8080",
        verdict="pass",
        vetoes=[],
        findings=[],
    ).to_report()
    broken = make_inspection(
        site_name="坏站", url="http://bad.gov.cn/", verdict="error", error="域名无法解析"
    ).to_report()
    html = render_summary_html([failing, passing, broken])
    page = parse(html)
    assert page.hrefs == [
        "www.qingshan.gov.cn.html",
        "www.qingshan.gov.cn.html",
        "127.0.0.1_8080.html",
        "127.0.0.1_8080.html",
        "bad.gov.cn.html",
        "bad.gov.cn.html",
    ]
    for text in (
        "网站名称",
        "网址",
        "结论",
        "得分",
        "否决项",
        *FAMILIES,
        "合格 1 个",
        "不合格 1 个",
        "无法检查 1 个",
    ):
        assert text in html, text
    start = html.index("青山县人民政府")
    first_row = html[start : html.index("</tr>", start)]
    cells = re.findall(r'<td class="num">(\d+)</td>', first_row)
    # counts per family: 可用性 1, 信息更新 2, 互动 0, 服务 0, 内容 0, 安全 0, 规范 1
    assert cells == ["1", "2", "0", "0", "0", "0", "1"]
    assert "空白栏目" in first_row and "87.5" in first_row
    path = write_summary([failing, passing], tmp_path)
    assert path.name == "index.html" and "绿水镇" in path.read_text(encoding="utf-8")


def test_labels_cover_every_family_and_kind():
    assert set(FAMILY_BY_PREFIX.values()) == set(FAMILIES)
    assert family_of("content.serious_error") == "内容准确"
    assert family_of("site.unreachable") == family_of("links.broken_other") == "网站可用性"
    assert family_of("unknown.check") == "其他"
    assert kind_label("long") == "人事规划" and kind_label("service") == "办事服务"
    assert set(KIND_LABELS) >= {"dynamic", "policy", "long", "interact", "service", "other"}


def test_columns_say_how_much_was_read():
    from govinspect.report.render import column_view

    read = column_view({"name": "工作动态", "pages_read": 2, "list_pages_known": 5, "items_sampled": 16})
    assert read["read"] == "列表页2/5页，抽读信息16条"
    assert column_view({"name": "政务公开", "hub": True, "pages_read": 1})["read"] == "频道页，按其子栏目检查"
    assert "人工核实" in column_view({"name": "部门动态", "unreadable": "未能读出", "pages_read": 1})["read"]
    assert column_view({"name": "旧报告"})["read"] == ""  # reports written before say nothing
