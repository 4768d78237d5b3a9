"""The Word 通报, its Excel tables and the annual reports, opened with python-docx / openpyxl and
checked against the hand counts of sample_runs.py (see test_results.py for the sums)."""

import datetime as dt
import io
from dataclasses import replace

import pytest
from docx import Document
from openpyxl import load_workbook

from govinspect.workflow.accountability import Record
from govinspect.workflow.annual import (
    AUTO,
    MANUAL,
    MISSING,
    AnnualReportError,
    supervision_report,
    work_report,
)
from govinspect.workflow.documents import BulletinInfo
from govinspect.workflow.jiucuo import ACCEPTED, CLOSED, FORWARDED, REJECTED, Message, change_status
from govinspect.workflow.office import annual_docx, annual_xlsx, bulletin_docx, bulletin_xlsx
from govinspect.workflow.results import Finding, run_stats
from govinspect.workflow.sites import RegistrySite

from .sample_runs import site

INFO = BulletinInfo(
    "关于2026年11月全省政府网站抽查情况的通报",
    "浙江省人民政府办公厅",
    dt.date(2026, 11, 30),
    report_by=dt.date(2026, 12, 28),
)


def stats_for(runs):
    r0, r1, r2 = runs
    return run_stats(r2, [r0, r1], {"s12": site("s12", "鹿城区政府", "pass", "温州", "县")})


def docx_text(data: bytes) -> tuple[list[str], list[list[list[str]]]]:
    doc = Document(io.BytesIO(data))
    paragraphs = [p.text for p in doc.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    return paragraphs, tables


def test_word_bulletin_layout_and_numbers(runs):
    paragraphs, tables = docx_text(bulletin_docx(stats_for(runs), INFO))
    assert paragraphs[0] == INFO.title
    headings = [p for p in paragraphs if p in ("一、总体情况", "二、主要问题", "三、工作要求")]
    assert headings == ["一、总体情况", "二、主要问题", "三、工作要求"]
    assert (
        "截至2026年11月20日，全省正在运行的政府网站共200个，其中省级20个、市级60个、县级120个。" in paragraphs
    )
    assert (
        "本次共抽查网站11个，占运行网站总数的5.50%（省级3个、市级3个、县级5个）。其中合格6个、不合格4个，"
        "合格率60.00%；另有1个网站未完成检查，不计入合格率。"
        "合格率较上次抽查（2026年10月20日，合格率37.50%）提高22.50个百分点。"
    ) in paragraphs
    assert "上次抽查发现的5个不合格网站中，已整改2个，整改不到位2个，尚未复查1个。" in paragraphs
    assert "整改不到位的网站：“宁波市政府”、“杭州市教育局”。" in paragraphs
    assert "“宁波市政府”、“杭州市教育局”等2个网站多次通报仍未整改到位。" in paragraphs
    assert (
        "（一）网站可用性方面。2个网站共存在问题2个。如：“文成县政府”首页链接不可用3个；“宁波市政府”其他页面链接不可用1个。"
        in paragraphs
    )
    assert "（三）请于2026年12月28日前将整改情况书面报送。" not in paragraphs
    assert "（四）请于2026年12月28日前将整改情况书面报送。" in paragraphs
    assert paragraphs.count("附件1") == 1 and "抽查发现存在突出问题的政府网站名单" in paragraphs
    regions, departments, failing = tables
    assert regions[0] == [
        "序号",
        "地区",
        "抽查网站数",
        "合格网站数",
        "不合格网站数",
        "未完成检查网站数",
        "合格率（%）",
    ]
    assert regions[1:] == [
        ["1", "宁波", "3", "2", "1", "0", "66.67"],
        ["2", "杭州", "3", "2", "1", "0", "66.67"],
        ["3", "浙江省", "1", "1", "0", "0", "100.00"],
        ["4", "温州", "2", "0", "1", "1", "0.00"],
    ]
    assert departments[1:] == [
        ["1", "省教育厅", "1", "1", "0", "0", "100.00"],
        ["2", "省民政厅", "1", "0", "1", "0", "0.00"],
    ]
    assert failing[1] == [
        "1",
        "宁波",
        "宁波市政府",
        "http://s4.gov.cn/",
        "空白栏目",
        "空白栏目6个；未展示ICP备案编号；其他页面链接不可用1个",
        "2",
    ]
    assert [row[2] for row in failing[1:]] == ["宁波市政府", "杭州市教育局", "浙江省民政厅", "文成县政府"]


def test_first_run_has_no_month_on_month(runs):
    _, _, r2 = runs
    paragraphs, _ = docx_text(bulletin_docx(run_stats(r2), INFO))
    assert any("本次为首次同类抽查，暂无环比数据" in p for p in paragraphs)


def sheet_rows(wb, name):
    return [list(r) for r in wb[name].iter_rows(values_only=True)]


def test_excel_tables(runs):
    wb = load_workbook(io.BytesIO(bulletin_xlsx(stats_for(runs), INFO)))
    assert wb.sheetnames == [
        "总体情况",
        "附件1 各地区抽查情况",
        "附件2 部门抽查情况",
        "附件3 突出问题网站名单",
        "主要问题",
        "上次不合格网站复查情况",
    ]
    overview = dict(sheet_rows(wb, "总体情况")[1:])
    assert overview["运行网站数"] == 200 and overview["抽查网站数"] == 11
    assert overview["抽查比例（%）"] == 5.5 and overview["合格率（%）"] == 60.0
    assert overview["上次合格率（%）"] == 37.5 and overview["环比（百分点）"] == 22.5
    assert (overview["合格网站数"], overview["不合格网站数"], overview["未完成检查网站数"]) == (6, 4, 1)
    assert overview["合格率（%）：市级"] == 33.33
    assert sheet_rows(wb, "附件1 各地区抽查情况")[1:] == [
        [1, "宁波", 3, 2, 1, 0, 66.67],
        [2, "杭州", 3, 2, 1, 0, 66.67],
        [3, "浙江省", 1, 1, 0, 0, 100.0],
        [4, "温州", 2, 0, 1, 1, 0.0],
    ]
    assert sheet_rows(wb, "主要问题")[3][:4] == [3, "互动回应", 1, 1]
    assert sheet_rows(wb, "上次不合格网站复查情况")[5] == [5, "鹿城区政府", "已整改", "复查"]


def test_crawled_text_stays_text(runs):
    _, _, r2 = runs
    evil = site(
        "s99",
        "=cmd|' /C calc'!A0",
        "fail",
        '=HYPERLINK("http://x")',
        "县",
        findings=[Finding("k", "content.typo", "deduct", 1, "<b>错字</b>\x07")],
    )
    stats = run_stats(replace(r2, results=(*r2.results, evil)))
    wb = load_workbook(io.BytesIO(bulletin_xlsx(stats, INFO)))
    cells = {c.value: c for row in wb["附件3 突出问题网站名单"].iter_rows() for c in row}
    assert cells["=cmd|' /C calc'!A0"].data_type == "s"
    assert cells['=HYPERLINK("http://x")'].data_type == "s"
    assert "<b>错字</b>" in cells  # control character dropped, markup kept as text
    paragraphs, tables = docx_text(bulletin_docx(stats, INFO))
    assert any(row[2] == "=cmd|' /C calc'!A0" and row[5] == "<b>错字</b>" for row in tables[2])


# --- annual reports --------------------------------------------------------------------------------


def message(number, submitted, steps):
    m = Message(number, dt.datetime.fromisoformat(submitted))
    for to, when, extra in steps:
        m = change_status(m, to, who="管理员", when=dt.datetime.fromisoformat(when), **extra)
    return m


def supervision(runs, manual=None):
    r0, r1, r2 = runs
    sites = [
        RegistrySite("a", "甲", kind="门户", opened=dt.date(2020, 1, 1)),
        RegistrySite("b", "乙", kind="部门", opened=dt.date(2026, 3, 1)),  # 新开设
        RegistrySite("c", "丙", kind="部门", status="已关停", status_since=dt.date(2026, 5, 1)),  # 关停
        RegistrySite("d", "丁", kind="门户", status="已迁移", status_since=dt.date(2025, 6, 1)),  # last year
        RegistrySite("e", "戊", kind="专项"),
        RegistrySite("f", "己", kind="部门", status="已关停", status_since=dt.date(2027, 1, 10)),  # after
        RegistrySite("g", "庚", kind="门户", opened=dt.date(2027, 2, 1)),  # not yet open
        RegistrySite("h", "辛", kind="部门", status="已迁移", status_since=dt.date(2026, 8, 1)),  # 迁移
    ]
    records = [
        Record("张三", "某局", "约谈", dt.date(2026, 2, 1)),
        Record("张三", "某局", "通报批评", dt.date(2026, 3, 1)),
        Record("李四", "某局", "书面检查", dt.date(2026, 3, 2)),
        Record("张三", "某局", "约谈", dt.date(2026, 11, 1)),
    ]
    messages = [
        message(
            "m1",
            "2026-10-08T09:00",
            [
                (FORWARDED, "2026-10-08T10:00", {"site_id": "a"}),
                (ACCEPTED, "2026-10-08T11:00", {}),
                (CLOSED, "2026-10-12T09:00", {"result": "已更正"}),
            ],
        ),
        message("m2", "2026-10-09T09:00", [(REJECTED, "2026-10-09T10:00", {"reason": "无效"})]),
        message("m3", "2026-11-02T09:00", [(FORWARDED, "2026-11-02T10:00", {"site_id": "a"})]),
        message("m0", "2025-12-01T09:00", []),  # last year
    ]
    return supervision_report(
        2026,
        "浙江省人民政府办公厅",
        runs=[replace(r0, running_by_level={"市": 30}), r1, r2],
        sites=sites,
        accountability=records,
        messages=messages,
        manual=manual or {"安全检查/检查次数": 4, "人员培训/培训人次": 120},
    )


def test_supervision_report_values(runs):
    report = supervision(runs)
    v = report.value
    # Registry: running at year end a b e f (g opens in 2027; c, h left in 2026; d in 2025).
    assert (v("网站总数/网站总数"), v("网站总数/政府门户网站"), v("网站总数/部门网站")) == (4, 1, 2)
    assert (
        v("网站开设整合/新开设网站数"),
        v("网站开设整合/整合迁移网站数"),
        v("网站开设整合/关停网站数"),
    ) == (1, 1, 1)
    # Q3: R0 (3 sites, s2 failing, 30 running → 10.00%). Q4: R1 + R2, 15 distinct sites, 7 failing, 200 running.
    assert [
        v(f"网站抽查/抽查次数/{q}") for q in ("第一季度", "第二季度", "第三季度", "第四季度", "全年")
    ] == [0, 0, 1, 2, 3]
    assert [v(f"网站抽查/抽查网站数量/{q}") for q in ("第三季度", "第四季度", "全年")] == [3, 15, 18]
    assert [v(f"网站抽查/不合格网站数量/{q}") for q in ("第三季度", "第四季度", "全年")] == [1, 7, 8]
    assert (
        str(v("网站抽查/抽查比例（%）/第三季度")) == "10.00"
        and str(v("网站抽查/抽查比例（%）/第四季度")) == "7.50"
    )
    assert v("网站抽查/抽查比例（%）/第一季度") is None
    # 问责: Q1 张三 once at 通报批评 + 李四 书面检查; Q4 张三 约谈.
    assert (v("问责人次/通报批评/第一季度"), v("问责人次/约谈/第一季度"), v("问责人次/合计/第一季度")) == (
        1,
        0,
        2,
    )
    assert (v("问责人次/约谈/全年"), v("问责人次/合计/全年")) == (1, 3)
    # 找错 2026: m1 closed on 10-12 (due 10-12), m2 无效 excluded, m3 open → 1 of 2.
    assert (
        v("我为政府网站找错/收到留言数"),
        v("我为政府网站找错/有效留言数"),
        v("我为政府网站找错/办结数"),
    ) == (3, 2, 1)
    assert str(v("我为政府网站找错/办结率（%）")) == "50.00" and v("我为政府网站找错/按期办结数") == 1
    sources = {c.key: c.source for c in report.cells()}
    assert sources["安全检查/检查次数"] == MANUAL and sources["网站总数/网站总数"] == AUTO
    assert "假冒政府网站处置/发现数" in report.missing() and sources["安全检查/整改数"] == MISSING


def test_hand_entered_values_that_do_not_fit_are_named(runs):
    with pytest.raises(AnnualReportError) as info:
        supervision(runs, manual={"安全检查/次数": 1, "网站总数/网站总数": 9})
    assert "“安全检查/次数”不是本报表的项目" in str(info.value)
    assert "“网站总数/网站总数”由系统统计，不能手工填写" in str(info.value)


def test_supervision_report_files(runs):
    report = supervision(runs)
    wb = load_workbook(io.BytesIO(annual_xlsx(report)))
    rows = sheet_rows(wb, "年度报表")
    assert rows[0][0] == "2026年政府网站监管年度报表" and rows[1][:2] == ["填报单位", "浙江省人民政府办公厅"]
    header = [r[0] for r in rows].index("网站抽查")
    assert rows[header][:6] == ["网站抽查", "第一季度", "第二季度", "第三季度", "第四季度", "全年"]
    assert rows[header + 2][:6] == ["抽查网站数量", 0, 0, 3, 15, 18]
    assert rows[header + 3][:6] == ["抽查比例（%）", None, None, 10.0, 7.5, None]
    assert rows[[r[0] for r in rows].index("检查次数")][:2] == ["检查次数", 4]
    sources = dict(sheet_rows(wb, "数据来源")[1:])
    assert sources["安全检查/检查次数"] == "手工" and sources["假冒政府网站处置/发现数"] == "待填"
    paragraphs, tables = docx_text(annual_docx(report))
    assert paragraphs[0] == "2026年政府网站监管年度报表"
    sampling = next(
        t for t in tables if t[0][0] == "项目" and t[0][1] == "第一季度" and t[1][0] == "抽查次数"
    )
    assert sampling[2] == ["抽查网站数量", "0", "0", "3", "15", "18"]
    assert sampling[3] == ["抽查比例（%）", "", "", "10.00", "7.50", ""]


def test_work_report_for_one_site():
    s = RegistrySite(
        "s1",
        "=浙江省教育厅",
        url="https://jyt.zj.gov.cn/",
        site_code="bm12000001",
        kind="部门",
        organiser="浙江省教育厅",
    )
    report = work_report(
        2026,
        s,
        auto={"基本信息/ICP备案号": "浙ICP备12345678号", "安全防护/发现问题数量": 3},
        manual={
            "信息发布（条）/总数": 1234,
            "办事服务/是否发布服务事项目录": True,
            "填报信息/填报日期": dt.date(2027, 1, 20),
        },
    )
    assert report.value("基本信息/网站类型") == "部门网站"
    assert report.value("基本信息/政府网站标识码") == "bm12000001"
    assert report.value("安全防护/发现问题数量") == 3
    assert "基本信息/网站总访问量（次）" in report.missing()
    with pytest.raises(AnnualReportError, match="由系统统计"):
        work_report(2026, s, manual={"基本信息/网站名称": "别的名字"})
    paragraphs, tables = docx_text(annual_docx(report))
    assert paragraphs[1] == "网站名称：=浙江省教育厅"
    flat = {row[0]: row[1] for t in tables for row in t[1:]}
    assert (
        flat["是否发布服务事项目录"] == "是"
        and flat["填报日期"] == "2027年1月20日"
        and flat["总数"] == "1234"
    )
    wb = load_workbook(io.BytesIO(annual_xlsx(report)))
    ws = wb["年度报表"]
    assert ws["B2"].value == "=浙江省教育厅" and ws["B2"].data_type == "s"
    assert ws["A1"].value == "2026年政府网站工作年度报表"
