"""The supervisor's month through the command line: registry, 抽查 and its results, 通报 files,
整改/复查, 找错, 问责 and the annual report. Numbers are checked against hand-computed values on a
hand-built store; the 抽查 itself (and its resume) runs on the demo farm."""

from __future__ import annotations

import datetime as dt

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from govinspect.cli import app
from govinspect.model import Finding, Inspection
from govinspect.service import workflow as wf
from govinspect.store import Store

runner = CliRunner()
REGISTRY_HEADER = "网站名称,首页网址,网站标识码,网站层级,网站类型,地区名称,主办单位"


def run(*args):
    return runner.invoke(
        app, [str(a) for a in args], env={"HTTP_PROXY": "", "http_proxy": "", "COLUMNS": "250"}
    )


def ok(*args):
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.output


def write_csv(path, lines, encoding="utf-8"):
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


# --- registry ----------------------------------------------------------------------------------------


def test_registry_import_is_all_or_nothing_and_names_every_bad_row(tmp_path):
    db = f"sqlite:///{tmp_path}/g.db"
    good = write_csv(
        tmp_path / "good.csv",
        [
            REGISTRY_HEADER + ",运行状态,状态日期,内容去向,联系人",
            "青山县人民政府,www.qingshan.gov.cn,3601230001,县,门户,青山县,青山县人民政府办公室,运行,,,王五",
            "白水县教育局,www.bsjy.gov.cn,3601230002,县,部门,白水县,白水县教育局,已迁移,2026-10-08,http://www.baishui.gov.cn/jy/,",
        ],
        encoding="gbk",  # Excel on Chinese Windows saves GBK
    )
    assert "新增2个" in ok("registry", "import", good, "--db", db)

    bad = write_csv(
        tmp_path / "bad.csv",
        [
            REGISTRY_HEADER + ",运行状态",
            "青山县人民政府,www.qingshan.gov.cn,3601230001,县,门户,青山县,改过的主办单位,运行",
            "坏网址,ftp://x,,县,门户,,,运行",
            "错层级,www.a.gov.cn,,地级,门户,,,运行",
            ",www.b.gov.cn,,县,门户,,,已关停",
            "重复,www.qingshan.gov.cn,,县,门户,,,运行",
        ],
    )
    result = run("registry", "import", bad, "--db", db)
    assert result.exit_code == 2
    for expected in (
        "第3行",
        "http/https",
        "第4行",
        "网站层级“地级”无效",
        "第5行",
        "缺少网站名称",
        "状态日期",
        "第6行",
    ):
        assert expected in result.output, expected
    assert "\n  第2行" not in result.output  # the good row is not named
    # Nothing changed, not even the good row.
    listed = ok("registry", "list", "--db", db)
    assert "青山县人民政府办公室" in listed and "改过的主办单位" not in listed and "共2个网站" in listed

    assert "共1个网站" in ok("registry", "list", "--db", db, "--status", "已迁移")
    out = tmp_path / "export.xlsx"
    assert "已导出2个网站" in ok("registry", "export", out, "--db", db)
    sheet = load_workbook(out).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["网站名称", "首页网址", "网站标识码"]
    assert rows[2][:3] == ["白水县教育局", "http://www.bsjy.gov.cn/", "3601230002"]
    assert rows[1][rows[0].index("联系人")] == "王五"
    # The export imports again as it is (XLSX), changing nothing.
    assert "更新2个" in ok("registry", "import", out, "--db", db)
    # A sparse list (no status column) does not reopen the migrated site.
    ok(
        "registry",
        "import",
        write_csv(tmp_path / "sparse.csv", ["网站名称,首页网址", "白水县教育局,www.bsjy.gov.cn"]),
        "--db",
        db,
    )
    assert "共1个网站" in ok("registry", "list", "--db", db, "--status", "已迁移")


def test_registry_set_closes_a_site_which_then_leaves_the_sample(tmp_path):
    db = f"sqlite:///{tmp_path}/g.db"
    lines = [REGISTRY_HEADER] + [f"站{i},www.s{i}.gov.cn,,县,门户,甲市,单位{i}" for i in range(4)]
    ok("registry", "import", write_csv(tmp_path / "r.csv", lines), "--db", db)
    refused = run("registry", "set", "www.s0.gov.cn", "--status", "已关停", "--db", db)
    assert refused.exit_code == 2 and "须填写状态日期" in refused.output
    ok(
        "registry",
        "set",
        "www.s0.gov.cn",
        "--status",
        "已关停",
        "--since",
        "2026-11-01",
        "--reason",
        "整合",
        "--db",
        db,
    )
    assert "已关停（2026-11-01）" in ok("registry", "list", "--db", db, "--status", "已关停")
    with Store(db) as store:
        drawn = wf.draw_run(store, params(count=3, seed="x", as_of=dt.date(2026, 11, 2)), "t")
        with store.unit_of_work() as uow:
            members = {uow.sites.get(m.site_id).name for m in uow.run_sites.list(drawn.run_id)}
        assert members == {"站1", "站2", "站3"}
        # Before the closing date the site was still running and could be drawn.
        earlier = wf.draw_run(store, params(count=4, seed="x", as_of=dt.date(2026, 10, 1)), "t")
        assert earlier.sites == 4


def params(**kw):
    base = {"ratio": None, "count": None, "by": ["level", "region"], "min_per_group": 0, "seed": "1"}
    return wf.sample_parameters(**{**base, **kw})


# --- a hand-built month: two runs with known verdicts ------------------------------------------------

STALE = Finding("site.homepage_stale", "首页超过14天未更新", "http://www.b.gov.cn/", severity="veto")
TYPO = Finding(
    "content.typo", "错别字“在线访淡”", "http://www.e.gov.cn/1.html", severity="deduct", points=2.0
)


def save(store, run_id, url, verdict, findings=()):
    with store.unit_of_work() as uow:
        site = uow.sites.by_url(url)
        vetoes = [f.check for f in findings if f.severity == "veto"]
        insp = Inspection(
            site.name, url, url.split("/")[2], dt.date(2026, 11, 2), "gov-2019", verdict, 90.0,
            vetoes=vetoes, findings=list(findings),
        )  # fmt: skip
        uow.inspections.add(site.id, insp, run_id=run_id)
        uow.run_sites.reconcile(run_id)


@pytest.fixture
def month(tmp_path):
    return build_month(f"sqlite:///{tmp_path}/g.db", tmp_path)


def build_month(db, tmp_path):
    """Run 1 (2026-10-01): A fail, B fail, C pass, D pass. Run 2 (2026-11-02): A pass, B fail (again),
    C pass, D pass, E (a 省 department, added since) fail."""
    lines = [
        REGISTRY_HEADER,
        "甲市政府,www.a.gov.cn,3300000001,市,门户,甲市,甲市人民政府办公室",
        "甲县政府,www.b.gov.cn,3300000002,县,门户,甲市,甲县人民政府办公室",
        "乙县政府,www.c.gov.cn,3300000003,县,门户,乙市,乙县人民政府办公室",
        "丙县政府,www.d.gov.cn,3300000004,县,门户,乙市,丙县人民政府办公室",
    ]
    ok("registry", "import", write_csv(tmp_path / "r.csv", lines), "--db", db)
    with Store(db) as store:
        first = wf.draw_run(store, params(count=4, as_of=dt.date(2026, 10, 1), label="月度抽查"), "t").run_id
        save(store, first, "http://www.a.gov.cn/", "fail", [STALE])
        save(store, first, "http://www.b.gov.cn/", "fail", [STALE])
        save(store, first, "http://www.c.gov.cn/", "pass")
        save(store, first, "http://www.d.gov.cn/", "pass")
    dept = ["省教育厅网站,www.e.gov.cn,bm33000001,省,部门,浙江省,省教育厅"]
    ok("registry", "import", write_csv(tmp_path / "e.csv", [REGISTRY_HEADER, *dept]), "--db", db)
    with Store(db) as store:
        second = wf.draw_run(store, params(count=5, as_of=dt.date(2026, 11, 2), label="月度抽查"), "t").run_id
        save(store, second, "http://www.a.gov.cn/", "pass")
        save(store, second, "http://www.b.gov.cn/", "fail", [STALE])
        save(store, second, "http://www.c.gov.cn/", "pass")
        save(store, second, "http://www.d.gov.cn/", "pass")
        save(store, second, "http://www.e.gov.cn/", "fail", [TYPO])
    return db, first, second


def test_results_rates_and_change_by_hand(month):
    db, first, second = month
    text = ok("sample", "results", "--run", first, "--db", db)
    assert "抽查4个，合格2个，不合格2个" in text and "合格率50.00%" in text and "环比—" in text
    text = ok("sample", "results", "--db", db)  # the newest run
    # 3 of 5 = 60.00%; previous 2 of 4 = 50.00% → +10.00 points.
    assert "抽查5个，合格3个，不合格2个" in text and "合格率60.00%" in text and "环比+10.00个百分点" in text
    # Regions leave out the department: 甲市 1/2, 乙市 2/2; the department: 0/1.
    assert "甲市 1/2（50.00%）" in text and "乙市 2/2（100.00%）" in text and "省教育厅 0/1（0.00%）" in text
    assert "多次通报仍未整改：甲县政府" in text
    assert "上次不合格网站：甲市政府 已整改" in text and "上次不合格网站：甲县政府 整改不到位" in text


def test_results_name_the_new_media_accounts_checked_that_month(month):
    db, first, second = month
    assert "政务新媒体" not in ok("sample", "results", "--db", db)  # none checked yet
    with Store(db) as store, store.unit_of_work() as uow:
        for platform, account, verdict, findings in (
            ("微博", "b1", "pass", []),
            (
                "微博",
                "b2",
                "fail",
                [{"check": "newmedia.stale", "severity": "veto", "message": "两周内未更新"}],
            ),
        ):
            row = {
                "platform": platform,
                "account_id": account,
                "name": f"账号{account}",
                "organiser": "甲县人民政府办公室",
            }
            row |= {"connector_status": "ok", "verdict": verdict, "vetoes": [], "findings": findings}
            uow.newmedia_checks.add(dt.date(2026, 10, 30), row)
    text = ok("sample", "results", "--db", db)
    assert (
        "政务新媒体（本月检查）：2个账号，合格1个，不合格1个，待人工核实0个；合格率50.00%；微博 1/2（50.00%）"
        in text
    )
    assert "不合格账号：微博“账号b2”（甲县人民政府办公室）两周内未更新" in text
    # the October run's month did not see them (checked after its date)
    assert "政务新媒体" not in ok("sample", "results", "--run", first, "--db", db)


def test_bulletin_word_and_excel_numbers(month, tmp_path):
    db, _first, second = month
    out = tmp_path / "bulletin"
    ok(
        "bulletin",
        "--format",
        "docx,xlsx",
        "--out",
        out,
        "--db",
        db,
        "--date",
        "2026-11-10",
        "--issuer",
        "某省政府办公厅",
    )
    book_ = load_workbook(out / f"通报-抽查{second}.xlsx")
    overview = {r[0].value: r[1].value for r in book_["总体情况"].iter_rows(min_row=2)}
    assert overview["抽查网站数"] == 5 and overview["合格网站数"] == 3 and overview["不合格网站数"] == 2
    assert overview["运行网站数"] == 5 and overview["抽查比例（%）"] == 100.0
    assert (
        overview["合格率（%）"] == 60.0
        and overview["上次合格率（%）"] == 50.0
        and overview["环比（百分点）"] == 10.0
    )
    regions = [[c.value for c in r] for r in book_["附件1 各地区抽查情况"].iter_rows(min_row=2)]
    assert regions == [[1, "乙市", 2, 2, 0, 0, 100.0], [2, "甲市", 2, 1, 1, 0, 50.0]]
    departments = [[c.value for c in r] for r in book_["附件2 部门抽查情况"].iter_rows(min_row=2)]
    assert departments == [[1, "省教育厅", 1, 0, 1, 0, 0.0]]
    listed = [[c.value for c in r] for r in book_["附件3 突出问题网站名单"].iter_rows(min_row=2)]
    assert [(r[2], r[6]) for r in listed] == [("省教育厅网站", 1), ("甲县政府", 2)]

    doc = Document(out / f"通报-抽查{second}.docx")
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "本次共抽查网站5个，占运行网站总数的100.00%" in text and "合格率60.00%" in text
    assert "上升10.00个百分点" in text or "提高10.00个百分点" in text
    assert "某省政府办公厅" in text and "2026年11月10日" in text
    cells = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    assert ["2", "甲市", "2", "1", "1", "0", "50.00"] in cells

    bad = run("bulletin", "--format", "pdf", "--out", out, "--db", db)
    assert bad.exit_code == 2 and "docx 或 xlsx" in bad.output


def test_rectify_deadlines_notes_and_overdue(month):
    db, first, second = month
    # 春节 2026: Thu 2-12 + 3 working days = Fri 2-13, Sat 2-14 (调休), Tue 2-24.
    text = ok("rectify", "open", "--run", first, "--date", "2026-02-12", "--days", "3", "--db", db)
    assert text.count("2026年2月24日") == 2
    # 国庆 2026: Wed 9-30 + 3 = Thu 10-8, Fri 10-9, Sat 10-10 (调休).
    text = ok("rectify", "open", "--run", second, "--date", "2026-09-30", "--days", "3", "--db", db)
    assert text.count("2026年10月10日") == 2 and "共2个整改任务" in text
    assert "共0个整改任务" in ok("rectify", "open", "--run", second, "--db", db)  # nothing twice
    # 2027 is in neither the package nor the local table: weekends only, marked 估算.
    with Store(db) as store:
        # A third run where the 2027 task opens.
        third = wf.draw_run(
            store, params(count=5, as_of=dt.date(2026, 12, 28), label="月度抽查", seed="3"), "t"
        ).run_id
        save(store, third, "http://www.c.gov.cn/", "fail", [STALE])
    text = ok("rectify", "open", "--run", third, "--date", "2026-12-30", "--days", "3", "--db", db)
    assert "2027年1月4日（估算）" in text

    assert "共2个整改任务" in ok("rectify", "list", "--run", second, "--db", db)
    with Store(db) as store:
        task_id = next(r.id for r in wf.list_rectify(store, second) if r.task.name == "甲县政府")
    assert "已登记第1条说明" in ok("rectify", "note", task_id, "--text", "首页已恢复更新", "--db", db)
    refused = run("rectify", "decide", task_id, "1", "--reject", "--db", db)
    assert refused.exit_code == 2 and "须填写理由" in refused.output
    assert "不采纳" in ok("rectify", "decide", task_id, "1", "--reject", "--reason", "仍未更新", "--db", db)
    assert "已登记第2条说明" in ok("rectify", "note", task_id, "--text", "补充说明", "--db", db)
    assert "说明已采纳" in ok("rectify", "decide", task_id, "2", "--accept", "--db", db)
    with Store(db) as store:
        row = next(r for r in wf.list_rectify(store, second) if r.id == task_id)
    assert [n.decision for n in row.task.notes] == ["不采纳", "采纳"]  # both kept
    assert [e.action for e in row.task.history] == [
        "下发整改",
        "提交说明",
        "说明不采纳",
        "提交说明",
        "说明采纳",
    ]

    overdue = ok("rectify", "overdue", "--today", "2026-10-12", "--db", db)
    # The run-1 tasks (due 2-24) and the open run-2 task (due 10-10) are late; the accepted one is not.
    assert "共3个整改任务" in overdue and "2026年2月24日" in overdue
    assert "共2个整改任务" in ok("rectify", "overdue", "--today", "2026-10-09", "--db", db)


# --- 找错 --------------------------------------------------------------------------------------------


def test_jiucuo_deadlines_statuses_import_and_rate(month, tmp_path):
    db, *_ = month
    cases = [
        ("J1", "2026-09-30 10:00", "2026年10月10日"),  # 国庆 then the 调休 Saturday
        ("J2", "2026-02-12 10:00", "2026年2月24日"),  # 春节
        ("J3", "2026-12-30 10:00", "2027年1月4日（估算）"),  # 2027: estimated from the week
    ]
    for number, submitted, deadline in cases:
        text = ok(
            "jiucuo",
            "add",
            "--number",
            number,
            "--submitted",
            submitted,
            "--site-code",
            "3300000002",
            "--db",
            db,
        )
        assert f"办理期限：{deadline}" in text
    text = run(
        "jiucuo",
        "add",
        "--number",
        "J4",
        "--submitted",
        "2026-11-02 09:00",
        "--site-code",
        "3399999999",
        "--db",
        db,
    )
    assert text.exit_code == 0 and "网站标识码3399999999不在网站库中" in text.output
    assert "估算" in ok("jiucuo", "list", "--db", db)

    # The platform's export: one bad row ⇒ nothing imported, every bad row named.
    def export(rows):
        wb = Workbook()
        sheet = wb.active
        sheet.append(
            [
                "留言编号",
                "网站标识码",
                "问题类型",
                "出错网址",
                "问题描述",
                "提交时间",
                "状态",
                "办理结果",
                "不予受理原因",
            ]
        )
        for r in rows:
            sheet.append(r)
        path = tmp_path / f"export{len(rows)}.xlsx"
        wb.save(path)
        return path

    good_rows = [
        [
            "P1",
            "3300000001",
            "错别字",
            "http://www.a.gov.cn/1.html",
            "错字",
            "2026-11-02 09:00",
            "未处理",
            "",
            "",
        ],
        ["P2", "", "链接", "http://www.c.gov.cn/2.html", "死链", "2026-11-02 10:00", "办结", "已修复", ""],
        ["P3", "3300000001", "其他", "", "无关", "2026-11-03 10:00", "不予受理", "", "无效"],
        ["P4", "3399999998", "其他", "", "未知网站", "2026-12-01 09:00", "未处理", "", ""],
    ]
    bad = export(
        [
            *good_rows,
            ["P1", "33", "", "", "", "昨天", "", "", ""],
            ["P5", "", "", "", "", "2026-11-04", "已办结", "", ""],
        ]
    )
    result = run("jiucuo", "import", bad, "--db", db)
    assert result.exit_code == 2 and "未导入任何留言" in result.output
    for expected in ("第6行", "留言编号P1重复", "提交时间“昨天”无法识别", "第7行", "缺少办理结果"):
        assert expected in result.output, expected
    assert "共4条留言" in ok("jiucuo", "list", "--db", db)
    imported = run("jiucuo", "import", export(good_rows), "--db", db)
    assert imported.exit_code == 0 and "已导入4条留言" in imported.output
    assert "未匹配网站：留言P4：网站标识码3399999998不在网站库中" in imported.output  # listed, kept

    # Statuses with who and when; a wrong step is refused in Chinese.
    wrong = run("jiucuo", "status", "P1", "已办结", "--result", "x", "--db", db)
    assert wrong.exit_code == 2 and "不能从“待转办”变为“已办结”" in wrong.output
    ok("jiucuo", "status", "P1", "已转办", "--when", "2026-11-02 11:00", "--by", "省办", "--db", db)
    ok("jiucuo", "status", "P1", "已受理", "--when", "2026-11-03 09:00", "--db", db)
    ok("jiucuo", "status", "P1", "已办结", "--result", "已更正", "--when", "2026-11-04 09:00", "--db", db)
    ok("jiucuo", "status", "J4", "重复", "--duplicate-of", "J1", "--when", "2026-11-02 12:00", "--db", db)
    with Store(db) as store:
        p1 = next(m for m in wf.list_messages(store) if m.number == "P1")
    assert [(c.who, c.to_status) for c in p1.history][0] == ("省办", "已转办") and len(p1.history) == 3

    # 2026-11: P1 closed, P2 closed (import), P3 rejected, J4 duplicate → 2 valid, 2 closed = 100.00%.
    text = ok("jiucuo", "rate", "--from", "2026-11-01", "--to", "2026-11-30", "--db", db)
    assert "收到留言4条，有效留言2条，办结2条，办结率100.00%" in text
    assert "留言P3 不予受理（无效）" in text and "留言J4 重复（原留言J1）" in text
    # The whole year: J1, J2, J3 and P4 open too → 6 valid, 2 closed = 33.33%.
    assert "办结率33.33%" in ok("jiucuo", "rate", "--from", "2026-01-01", "--to", "2026-12-31", "--db", db)

    soon = ok("jiucuo", "overdue", "--today", "2026-10-09", "--db", db)
    assert "即将到期：留言J1" in soon and "超期：留言J2" in soon  # J1 due Sat 10-10 (调休), one day left
    late = ok("jiucuo", "overdue", "--today", "2026-10-12", "--db", db)
    assert "留言J1" in late and "留言J2" in late and "超期2条" in late  # J1 due 10-10, J2 due 2-24


def annual_cells(path) -> dict[tuple[str, str], object]:
    return annual_cells_work(load_workbook(path))


def annual_cells_work(book) -> dict[tuple[str, str], object]:
    """(row label, column) → value, read from the report sheet block by block."""
    rows = [[c.value for c in row] for row in book["年度报表"].iter_rows()]
    cells, header = {}, None
    for row in rows:
        if len(row) > 1 and row[1] in ("数值", "第一季度"):
            header = row
        elif header and row[0]:
            cells.update({(row[0], col): v for col, v in zip(header[1:], row[1:], strict=False) if col})
    return cells


# --- 问责 and the annual report ----------------------------------------------------------------------


def test_accountability_counts_once_per_person_and_quarter_at_the_heaviest(month):
    db, _first, second = month
    records = [
        ("张三", "甲县", "约谈", "2026-01-10"),
        ("张三", "甲县", "通报批评", "2026-03-20"),  # same person, same quarter: counts once, as 通报批评
        ("张三", "乙县", "约谈", "2026-02-01"),  # same name, other unit: another person
        ("李四", "甲县", "书面检查", "2026-04-02"),
        ("张三", "甲县", "约谈", "2026-05-05"),  # next quarter: counts again
    ]
    for person, unit, form, date in records:
        ok("accountability", "add", "--person", person, "--unit", unit, "--form", form, "--date", date,
           "--site", "www.b.gov.cn", "--run", second, "--db", db)  # fmt: skip
    bad = run(
        "accountability", "add", "--person", "王五", "--form", "罚款", "--date", "2026-01-01", "--db", db
    )
    assert bad.exit_code == 2 and "问责形式“罚款”无效" in bad.output
    text = ok("accountability", "counts", "--year", "2026", "--db", db)
    rows = {
        line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:7]]
        for line in text.splitlines()
        if line.count("│") > 6
    }
    assert rows["约谈"] == ["1", "1", "0", "0", "2"]
    assert rows["通报批评"] == ["1", "0", "0", "0", "1"]
    assert rows["书面检查"] == ["0", "1", "0", "0", "1"]
    assert rows["合计"] == ["2", "2", "0", "0", "4"]
    assert "约谈 < 书面检查 < 通报批评" in text


def test_annual_supervision_report_from_stored_data_and_hand_values(month, tmp_path):
    db, _first, second = month
    ok(
        "accountability",
        "add",
        "--person",
        "张三",
        "--unit",
        "甲县",
        "--form",
        "约谈",
        "--date",
        "2026-11-05",
        "--db",
        db,
    )
    ok(
        "jiucuo",
        "add",
        "--number",
        "J1",
        "--submitted",
        "2026-11-02 10:00",
        "--site-code",
        "3300000002",
        "--db",
        db,
    )
    ok("registry", "set", "www.d.gov.cn", "--status", "已关停", "--since", "2026-12-01", "--db", db)
    refused = run("annual-report", "set", "网站抽查/抽查次数/全年", "9", "--year", "2026", "--db", db)
    assert refused.exit_code == 2 and "由系统统计" in refused.output
    refused = run("annual-report", "set", "人员培训/不存在", "9", "--year", "2026", "--db", db)
    assert refused.exit_code == 2 and "不是本报表的项目" in refused.output
    ok("annual-report", "set", "人员培训/培训次数", "2", "--year", "2026", "--db", db)
    ok("annual-report", "set", "人员培训/培训次数", "3", "--year", "2026", "--db", db)  # the last one counts
    out = tmp_path / "annual"
    ok(
        "annual-report",
        "--year",
        "2026",
        "--kind",
        "supervision",
        "--format",
        "xlsx,docx",
        "--out",
        out,
        "--db",
        db,
    )
    flat = annual_cells(out / "2026年监管年度报表.xlsx")
    # Q4 (October and November runs): 2 runs, 5 distinct sites, 3 distinct failing sites (A in October; B; E).
    assert flat[("抽查次数", "第四季度")] == 2 and flat[("抽查网站数量", "第四季度")] == 5
    assert flat[("不合格网站数量", "第四季度")] == 3
    assert flat[("约谈", "第四季度")] == 1 and flat[("合计", "全年")] == 1
    assert flat[("关停网站数", "数值")] == 1 and flat[("网站总数", "数值")] == 4
    assert flat[("培训次数", "数值")] == 3
    assert flat[("收到留言数", "数值")] == 1
    doc = Document(out / "2026年监管年度报表.docx")
    assert any("2026年政府网站监管年度报表" in p.text for p in doc.paragraphs)

    ok("annual-report", "set", "基本信息/ICP备案号", "浙ICP备12345678号", "--year", "2026", "--kind", "work",
       "--site", "www.b.gov.cn", "--db", db)  # fmt: skip
    ok("annual-report", "set", "填报信息/联系电话", "0791-1234567", "--year", "2026", "--kind", "work",
       "--site", "3300000002", "--db", db)  # fmt: skip
    ok(
        "annual-report",
        "--year",
        "2026",
        "--kind",
        "work",
        "--site",
        "3300000002",
        "--format",
        "xlsx",
        "--out",
        out,
        "--db",
        db,
    )
    work = load_workbook(out / "2026年工作年度报表-甲县政府.xlsx")
    assert annual_cells_work(work)[("联系电话", "数值")] == "0791-1234567"  # text, not a number
    cells = [c.value for ws in work.worksheets for row in ws.iter_rows() for c in row]
    assert "浙ICP备12345678号" in cells and "http://www.b.gov.cn/" in cells and "政府门户网站" in cells
    missing = run("annual-report", "--year", "2026", "--kind", "work", "--out", out, "--db", db)
    assert missing.exit_code == 2 and "--site" in missing.output


# --- on the demo farm: the 抽查 itself, its resume, and a 复查 ------------------------------------------


@pytest.fixture(scope="module")
def farm_server():
    from govinspect.demo import FarmServer, build_farm

    farm = build_farm(dt.date.today())
    with FarmServer(farm) as server:
        yield farm, server


def farm_registry(tmp_path, farm):
    lines = [REGISTRY_HEADER] + [
        f"{s.name},{s.url},{3300000100 + i},{'县' if i % 2 else '市'},门户,{'甲市' if i < 7 else '乙市'},{s.name}办公室"
        for i, s in enumerate(farm.sites)
    ]
    return write_csv(tmp_path / "farm.csv", lines)


def test_sample_on_the_farm_resumes_an_interrupted_run(farm_server, tmp_path):
    from conftest import farm_settings
    from govinspect.cli_workflow import no_files

    farm, server = farm_server
    db = f"sqlite:///{tmp_path}/g.db"
    ok("registry", "import", farm_registry(tmp_path, farm), "--db", db)
    as_of = farm.as_of.isoformat()
    sample = ["sample", "--count", "4", "--seed", "2026-11", "--as-of", as_of, "--db", db, "--proxy", server.proxy_url,
              "--timeout", "5", "--probes", "1"]  # fmt: skip

    # The process dies after the first site was saved (a crash, or Ctrl-C).
    settings = no_files(farm_settings(farm, server, probes=1))
    real_inspect = wf.inspect_sites

    class Crash(RuntimeError):
        pass

    def first_then_crash(targets, **kw):
        real_inspect(targets[:1], **kw)
        raise Crash

    with Store(db) as store:
        drawn = wf.draw_run(
            store, params(count=4, seed="2026-11", as_of=farm.as_of, rubric=settings.rubric), "t"
        )
        wf.inspect_sites = first_then_crash
        try:
            with pytest.raises(Crash):
                wf.inspect_run(store, settings, drawn.run_id)
        finally:
            wf.inspect_sites = real_inspect
        with store.unit_of_work() as uow:
            saved = uow.inspections.list(run_id=drawn.run_id)
            assert uow.runs.get(drawn.run_id).status == "running"
    assert len(saved) == 1

    text = ok(*sample)
    assert f"继续未完成的抽查批次 {drawn.run_id}：抽取4个网站，已完成1个，待检查3个" in text
    assert saved[0].site_name not in text.split("\n抽查批次")[0]  # not inspected again
    with Store(db) as store, store.unit_of_work() as uow:
        members = uow.run_sites.list(drawn.run_id)
        assert all(m.state == "done" for m in members) and uow.runs.get(drawn.run_id).status == "finished"
        # Every drawn site was inspected exactly once in this run: nothing twice, nothing missing.
        per_site = [len(uow.inspections.list(m.site_id, run_id=drawn.run_id)) for m in members]
        assert per_site == [1, 1, 1, 1]
        drawn_names = [uow.sites.get(m.site_id).name for m in members]

    # The same seed and registry draw the same sites in a new database.
    db2 = f"sqlite:///{tmp_path}/g2.db"
    ok("registry", "import", farm_registry(tmp_path, farm), "--db", db2)
    text = ok(*sample[:-8], "--db", db2, "--proxy", server.proxy_url, "--timeout", "5", "--probes", "1")
    assert "新建抽查批次 1：抽取4个网站" in text
    assert all(name in text for name in drawn_names)
    # A finished run is not resumed: the same command again is a new run over the same sites.
    text = ok(*sample)
    assert f"新建抽查批次 {drawn.run_id + 1}：抽取4个网站" in text and all(n in text for n in drawn_names)


def test_recheck_on_the_farm_compares_by_finding_key(farm_server, tmp_path):
    farm, server = farm_server
    db = f"sqlite:///{tmp_path}/g.db"
    ok("registry", "import", farm_registry(tmp_path, farm), "--db", db)
    net = ["--proxy", server.proxy_url, "--timeout", "5", "--probes", "1"]
    ok("sample", "--ratio", "1", "--seed", "1", "--as-of", farm.as_of.isoformat(), "--db", db, *net)
    text = ok("rectify", "open", "--date", "2026-11-02", "--days", "20", "--db", db)
    with Store(db) as store:
        tasks = wf.list_rectify(store)
    assert tasks and all(t.task.status == "整改中" for t in tasks)
    first = next(t for t in tasks if t.task.name == "李河市人民政府")  # a stale home page: stable findings
    text = ok("rectify", "recheck", first.id, "--as-of", farm.as_of.isoformat(), "--db", db, *net)
    # The farm did not change: every earlier problem is still there, nothing new.
    assert f"任务 {first.id}" in text and "整改不到位" in text
    assert f"未整改{len(first.task.findings)}项，新发现0项" in text
    with Store(db) as store:
        after = wf.list_rectify(store, status="整改不到位")
    assert [t.id for t in after] == [first.id]
    assert "上次不合格网站" not in ok("sample", "results", "--db", db)  # one run only: no follow-up yet
    again = run("rectify", "recheck", 999, "--db", db)
    assert again.exit_code == 2 and "整改任务不存在" in again.output


def test_help_is_chinese_for_every_group():
    for group in ("registry", "sample", "bulletin", "rectify", "jiucuo", "accountability", "annual-report"):
        text = ok(group, "--help")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text), group


# --- every group in sequence on the demo farm, on SQLite and PostgreSQL ----------------------------------

# The 2019 veto rules as the official text gives them (check id → findings needed), written out here
# so the expected 合格率 does not come from the rubric loader under test.
VETOES_2019 = {
    "site.unreachable": 1,
    "home.stale": 1,
    "content.serious_error": 1,
    "security.spam_injection": 1,
    "interact.no_channel": 1,
    "interact.unanswered": 1,
    "service.guides_all_incomplete": 1,
    "security.defacement": 1,
}
VETO_GROUPS_2019 = [
    ({"column.stale_dynamic", "column.stale_policy"}, 5),
    ({"column.stale_long"}, 10),
    ({"column.empty"}, 5),
    ({"service.guide_incomplete"}, 5),
]


def farm_site_fails(site) -> bool:
    """From the farm's own ground truth: does any 2019 veto rule reach its count?"""
    checks = [e.check for e in site.expected]
    if any(checks.count(check) >= n for check, n in VETOES_2019.items()):
        return True
    return any(sum(checks.count(c) for c in group) >= n for group, n in VETO_GROUPS_2019)


@pytest.fixture(params=["sqlite", "postgresql"])
def workflow_db(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'g.db'}"
    url, _schema = request.getfixturevalue("pg_schema")
    return url


def test_every_group_in_sequence_on_the_farm(farm_server, workflow_db, tmp_path):
    farm, server = farm_server
    db = workflow_db
    as_of = farm.as_of.isoformat()
    net = ["--proxy", server.proxy_url, "--timeout", "5", "--probes", "1"]
    failing = sorted(s.name for s in farm.sites if farm_site_fails(s))
    total = len(farm.sites)
    assert failing and len(failing) < total  # the farm has both kinds

    assert f"新增{total}个" in ok("registry", "import", farm_registry(tmp_path, farm), "--db", db)
    text = ok("sample", "--ratio", "1", "--seed", "7", "--as-of", as_of, "--db", db, *net)
    assert f"新建抽查批次 1：抽取{total}个网站" in text
    passed = total - len(failing)
    rate = f"{100 * passed / total:.2f}%"
    text = ok("sample", "results", "--db", db)
    assert f"抽查{total}个，合格{passed}个，不合格{len(failing)}个" in text and f"合格率{rate}" in text

    out = tmp_path / "bulletin"
    ok("bulletin", "--format", "docx,xlsx", "--out", out, "--db", db, "--date", as_of)
    book_ = load_workbook(out / "通报-抽查1.xlsx")
    overview = {r[0].value: r[1].value for r in book_["总体情况"].iter_rows(min_row=2)}
    assert overview["抽查网站数"] == total and overview["不合格网站数"] == len(failing)
    assert overview["合格率（%）"] == round(100 * passed / total, 2)
    listed = sorted(r[2].value for r in book_["附件3 突出问题网站名单"].iter_rows(min_row=2))
    assert listed == failing
    # 附件1 by region, as the registry file puts the farm's sites: the first seven in 甲市.
    by_region = {
        r[1].value: (r[2].value, r[4].value) for r in book_["附件1 各地区抽查情况"].iter_rows(min_row=2)
    }
    fails = [farm_site_fails(s) for s in farm.sites]
    assert by_region == {"甲市": (7, sum(fails[:7])), "乙市": (total - 7, sum(fails[7:]))}
    text = "\n".join(p.text for p in Document(out / "通报-抽查1.docx").paragraphs)
    assert f"本次共抽查网站{total}个" in text and f"合格率{rate}" in text

    text = ok("rectify", "open", "--date", as_of, "--db", db)
    assert f"共{len(failing)}个整改任务" in text
    with Store(db) as store:
        tasks = wf.list_rectify(store)
    assert sorted(t.task.name for t in tasks) == failing
    task = next(t for t in tasks if t.task.name == "李河市人民政府")
    text = ok("rectify", "recheck", task.id, "--as-of", as_of, "--db", db, *net)
    assert "整改不到位" in text and "新发现0项" in text

    code = str(3300000100 + next(i for i, s in enumerate(farm.sites) if s.name == "李河市人民政府"))
    text = ok(
        "jiucuo", "add", "--number", "F1", "--submitted", f"{as_of} 10:00", "--site-code", code, "--db", db
    )
    assert "办理期限：" in text and "不在网站库中" not in text
    ok("jiucuo", "status", "F1", "已转办", "--when", f"{as_of} 11:00", "--by", "省办", "--db", db)
    ok("jiucuo", "status", "F1", "已受理", "--when", f"{as_of} 12:00", "--db", db)
    ok("jiucuo", "status", "F1", "已办结", "--result", "已更正", "--when", f"{as_of} 13:00", "--db", db)
    text = ok("jiucuo", "rate", "--from", as_of, "--to", as_of, "--db", db)
    assert "收到留言1条，有效留言1条，办结1条，办结率100.00%" in text

    ok("accountability", "add", "--person", "张三", "--unit", "李河市", "--form", "约谈", "--date", as_of,
       "--site", "www.lihe.gov.cn", "--run", "1", "--db", db)  # fmt: skip
    year = farm.as_of.year
    text = ok("accountability", "counts", "--year", year, "--db", db)
    rows = {ln.split("│")[1].strip(): [c.strip() for c in ln.split("│")[2:7]] for ln in text.splitlines()
            if ln.count("│") > 6}  # fmt: skip
    quarter = (farm.as_of.month - 1) // 3
    assert rows["约谈"][quarter] == "1" and rows["合计"][4] == "1"

    out = tmp_path / "annual"
    ok("annual-report", "--year", year, "--kind", "supervision", "--format", "xlsx", "--out", out, "--db", db)
    flat = annual_cells(out / f"{year}年监管年度报表.xlsx")
    q = ("第一季度", "第二季度", "第三季度", "第四季度")[quarter]
    assert flat[("抽查次数", q)] == 1 and flat[("抽查网站数量", q)] == total
    assert flat[("不合格网站数量", q)] == len(failing)
    assert flat[("约谈", q)] == 1 and flat[("收到留言数", "数值")] == 1


def test_deadlines_come_from_the_rubric_unless_days_is_given(month, tmp_path):
    db, first, _second = month
    rubric = tmp_path / "province.yaml"
    rubric.write_text(
        "name: province\nextends: gov-2019\nthresholds:\n  jiucuo_working_days: 5\n  rectify_working_days: 2\n",
        encoding="utf-8",
    )
    add = ["jiucuo", "add", "--submitted", "2026-11-02 09:00", "--site-code", "3300000002", "--db", db]
    # Mon 11-02: 3 working days (gov-2019) end Thu 11-05; the province's 5 end Mon 11-09.
    assert "办理期限：2026年11月5日" in ok(*add, "--number", "R1")
    assert "办理期限：2026年11月9日" in ok(*add, "--number", "R2", "--rubric", rubric)
    assert "办理期限：2026年11月4日" in ok(*add, "--number", "R3", "--rubric", rubric, "--days", "2")
    late = ok("jiucuo", "overdue", "--today", "2026-11-06", "--db", db)
    assert "超期：留言R1" in late
    late = ok("jiucuo", "overdue", "--today", "2026-11-06", "--rubric", rubric, "--db", db)
    assert "超期：留言R1" not in late and "留言R1" in late  # now a reminder, not late
    text = ok("rectify", "open", "--run", first, "--date", "2026-11-02", "--rubric", rubric, "--db", db)
    assert text.count("2026年11月4日") == 2  # 2 working days for both failing sites
    bad = run("jiucuo", "list", "--rubric", tmp_path / "missing.yaml", "--db", db)
    assert bad.exit_code == 2 and "错误" in bad.output

    # R2 closed on Fri 11-06, the 4th working day: late under gov-2019's 3 days, on time under 5
    ok("jiucuo", "status", "R2", "已转办", "--when", "2026-11-02 11:00", "--by", "省办", "--db", db)
    ok("jiucuo", "status", "R2", "已受理", "--when", "2026-11-03 09:00", "--db", db)
    ok("jiucuo", "status", "R2", "已办结", "--result", "已更正", "--when", "2026-11-06 09:00", "--db", db)
    on_time = {}
    for name, extra in (("default", []), ("province", ["--rubric", rubric])):
        out = tmp_path / name
        ok("annual-report", "--year", "2026", "--format", "xlsx", "--out", out, "--db", db, *extra)
        on_time[name] = annual_cells(out / "2026年监管年度报表.xlsx")[("按期办结数", "数值")]
    assert on_time["province"] == on_time["default"] + 1
