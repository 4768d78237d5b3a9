import datetime as dt
from dataclasses import replace

from govinspect.checks import CheckContext, run_checks
from govinspect.extract.page_facts import read_site_facts
from govinspect.model import Column, FooterMarks, Item, LinkStatus, Page, Probe, SiteModel
from govinspect.rules import load_rubric

AS_OF = dt.date(2026, 11, 20)
CTX = CheckContext(as_of=AS_OF, rubric=load_rubric())
FULL_FOOTER = FooterMarks(
    site_code="3601230001",
    icp="赣ICP备05004236号",
    psb="赣公网安备 36012302000123号",
    conac="http://dcs.conac.cn/js/x.js",
    jiucuo="https://zfwzgl.www.gov.cn/exposure/jiucuo.html",
)


def days_ago(n: int) -> dt.date:
    return AS_OF - dt.timedelta(days=n)


def home_page(url="http://www.xx.gov.cn/") -> Page:
    return Page(
        url=url,
        final_url=url,
        status=200,
        content_type="text/html",
        text='<html>首页 <a href="/ldxx/">领导信箱</a></html>',
    )


def site(**kw) -> SiteModel:
    base = dict(
        url="http://www.xx.gov.cn/",
        host="www.xx.gov.cn",
        home=home_page(),
        footer=FULL_FOOTER,
        home_items=[Item("今日要闻", "http://www.xx.gov.cn/a.html", days_ago(1))],
        probes=[Probe(at=dt.datetime(2026, 11, 20, 9), ok=True, elapsed_s=0.1)],
    )
    base.update(kw)
    model = SiteModel(**base)
    read_site_facts(model)  # as the crawl does: checks read no HTML
    return model


def checks_of(model: SiteModel) -> list[str]:
    return sorted(f.check for f in run_checks(model, CTX))


def column(name, kind, *ages, top=True):
    items = [
        Item(f"{name}{i}", f"http://www.xx.gov.cn/{kind}/{i}.html", days_ago(a)) for i, a in enumerate(ages)
    ]
    return Column(name=name, url=f"http://www.xx.gov.cn/{kind}/", kind=kind, items=items, top_level=top)


def test_healthy_site_has_no_findings():
    assert (
        checks_of(site(columns=[column("政务动态", "dynamic", 2, 5), column("通知公告", "policy", 100)]))
        == []
    )


def test_home_stale_when_newest_home_item_older_than_14_days():
    model = site(
        home_items=[
            Item("旧闻", "http://www.xx.gov.cn/1.html", days_ago(15)),
            Item("无日期", "http://www.xx.gov.cn/2.html", None),
        ]
    )
    findings = run_checks(model, CTX)
    assert [f.check for f in findings] == ["home.stale"]
    assert findings[0].evidence["latest"] == days_ago(15).isoformat()
    assert checks_of(site(home_items=[Item("近闻", "u", days_ago(14))])) == []


def test_navigation_only_home_is_judged_by_its_columns():
    fresh = site(home_items=[], columns=[column("政务动态", "dynamic", 3)])
    assert checks_of(fresh) == []
    stale = site(home_items=[], columns=[column("概况", "other", 40)])
    assert checks_of(stale) == ["home.stale"]


def test_column_windows_per_kind():
    model = site(
        columns=[
            column("政务动态", "dynamic", 15),  # > 14 days
            column("部门动态", "dynamic", 14),  # exactly 14: not stale
            column("通知公告", "policy", 184),
            column("政策文件", "policy", 183),
            column("人事信息", "long", 366),
            column("规划计划", "long", 300),
            column("机构职能", "other", 2000),  # static columns have no window
        ]
    )
    findings = run_checks(model, CTX)
    assert sorted((f.check, f.column) for f in findings) == [
        ("column.stale_dynamic", "政务动态"),
        ("column.stale_long", "人事信息"),
        ("column.stale_policy", "通知公告"),
    ]
    assert all(f.url and f.evidence["latest"] for f in findings)


def test_policy_rule_of_six_months_is_for_top_level_columns_only():
    sub = column("规范性文件", "policy", 200, top=False)
    assert checks_of(site(columns=[sub])) == []


def test_empty_columns():
    empty = Column(name="专题专栏", url="http://www.xx.gov.cn/zt/", kind="other", empty_text="暂无信息")
    no_items = Column(name="工作动态", url="http://www.xx.gov.cn/gzdt/", kind="dynamic")
    static = Column(name="机构职能", url="http://www.xx.gov.cn/jgzn/", kind="other")
    failed = Column(name="通知公告", url="http://www.xx.gov.cn/tzgg/", kind="policy", error="HTTP 500")
    findings = run_checks(site(columns=[empty, no_items, static, failed]), CTX)
    # Only the page that says 暂无信息 is empty; a list read as nothing is unknown.
    assert [f.column for f in findings if f.check == "column.empty"] == ["专题专栏"]
    assert [f.evidence["text"] for f in findings if f.column == "专题专栏"] == ["暂无信息"]
    unreadable = [f for f in findings if f.check == "column.unreadable"]
    assert [(f.column, f.url) for f in unreadable] == [("工作动态", "http://www.xx.gov.cn/gzdt/")]
    assert "人工核实" in unreadable[0].message


def test_undated_list_is_unreadable_not_stale():
    undated = Column(
        name="工作动态",
        url="http://www.xx.gov.cn/gzdt/",
        kind="dynamic",
        items=[Item("某某镇召开安全生产工作会议", "http://www.xx.gov.cn/gzdt/1.html")],
    )
    findings = run_checks(site(columns=[undated]), CTX)
    assert [(f.check, f.column) for f in findings if f.check.startswith("column.")] == [
        ("column.unreadable", "工作动态")
    ]


def test_hub_column_is_never_judged():
    hub = Column(name="政务公开", url="http://www.xx.gov.cn/zwgk/", kind="dynamic", hub=True)
    assert [f for f in run_checks(site(columns=[hub]), CTX) if f.check.startswith("column.")] == []


def test_home_without_any_date_is_unknown_not_stale():
    findings = run_checks(site(home_items=[Item("无日期的新闻标题", "http://www.xx.gov.cn/a.html")]), CTX)
    checks = [f.check for f in findings if f.check.startswith("home.")]
    assert checks == ["home.unreadable"]


def test_broken_links_split_home_and_other_pages():
    home = "http://www.xx.gov.cn/"
    links = [
        LinkStatus("http://www.xx.gov.cn/missing.html", 404, found_on=[home], anchor="缺失页"),
        LinkStatus("http://www.xx.gov.cn/a/file.doc", 404, found_on=["http://www.xx.gov.cn/a/1.html"]),
        LinkStatus(
            "http://other.example/", None, error="域名无法解析", found_on=["http://www.xx.gov.cn/a/1.html"]
        ),
        LinkStatus("http://www.xx.gov.cn/ok.html", 200, found_on=[home]),
    ]
    findings = run_checks(site(links=links), CTX)
    # DESIGN.md: url = the page carrying the dead link, evidence.target = the dead URL.
    got = sorted((f.check, f.evidence["target"], f.url) for f in findings)
    assert got == [
        ("links.broken_home", "http://www.xx.gov.cn/missing.html", home),
        ("links.broken_other", "http://other.example/", "http://www.xx.gov.cn/a/1.html"),
        ("links.broken_other", "http://www.xx.gov.cn/a/file.doc", "http://www.xx.gov.cn/a/1.html"),
    ]
    assert "缺失页" in [f for f in findings if f.check == "links.broken_home"][0].message


def test_broken_link_lists_every_page_that_carries_it():
    pages = [f"http://www.xx.gov.cn/a/{i}.html" for i in range(8)]
    dead = LinkStatus("http://www.xx.gov.cn/gone.doc", 404, found_on=pages, anchor="附件")
    finding = next(f for f in run_checks(site(links=[dead]), CTX) if f.check == "links.broken_other")
    assert finding.url == pages[0]
    assert finding.evidence["found_on"] == pages
    assert finding.evidence["target"] == "http://www.xx.gov.cn/gone.doc"


def test_broken_link_on_home_and_elsewhere_points_at_the_home_page():
    home = "http://www.xx.gov.cn/"
    dead = LinkStatus("http://www.xx.gov.cn/x.html", 404, found_on=["http://www.xx.gov.cn/a/1.html", home])
    finding = next(f for f in run_checks(site(links=[dead]), CTX) if f.check.startswith("links."))
    assert (finding.check, finding.url) == ("links.broken_home", home)


def test_footer_marks_and_domain():
    model = site(
        url="http://www.xx-zf.com/",
        host="www.xx-zf.com",
        footer=FooterMarks(site_code="3601230001", conac="x"),
    )
    assert checks_of(model) == [
        "norms.domain",
        "norms.icp_missing",
        "norms.jiucuo_missing",
        "norms.psb_missing",
    ]


def test_unreachable_from_probes_is_provisional_with_few_probes():
    probes = [
        Probe(
            at=dt.datetime(2026, 11, 20, 9, i),
            ok=i != 0,
            elapsed_s=15.0,
            error="连接超时" if i == 0 else None,
        )
        for i in range(3)
    ]
    findings = run_checks(site(probes=probes), CTX)
    assert [f.check for f in findings] == ["site.unreachable"]
    assert findings[0].evidence["provisional"] is True
    assert findings[0].evidence["failures"] == 1
    ok = [Probe(at=dt.datetime(2026, 11, 20, 9), ok=True, elapsed_s=0.2)] * 20
    assert checks_of(site(probes=ok)) == []


def test_unreachable_home_yields_only_availability_findings():
    down = Page(url="http://www.xx.gov.cn/", final_url="http://www.xx.gov.cn/", status=503, error="HTTP 503")
    probes = [Probe(at=dt.datetime(2026, 11, 20, 9), ok=False, elapsed_s=0.1, status=503)] * 3
    model = SiteModel(url="http://www.xx.gov.cn/", host="www.xx.gov.cn", home=down, probes=probes)
    assert checks_of(model) == ["site.unreachable"]


def test_a_failing_check_is_recorded_and_the_others_still_report(monkeypatch):
    import govinspect.checks as checks

    def broken(site, ctx):
        raise ValueError("odd page")

    monkeypatch.setattr(checks, "ALL_CHECKS", [broken, *checks.ALL_CHECKS])
    model = site(url="http://www.xx-zf.com/", host="www.xx-zf.com")
    findings = run_checks(model, CTX)
    errors = [f for f in findings if f.check == "engine.error"]
    assert len(errors) == 1 and "broken" in errors[0].message
    assert "norms.domain" in {f.check for f in findings}


def test_no_channel_found_at_all_is_a_note_for_a_person_not_a_veto():
    bare = Page(
        url="http://www.xx.gov.cn/",
        final_url="http://www.xx.gov.cn/",
        status=200,
        content_type="text/html",
        text="<html>首页</html>",
    )
    findings = run_checks(site(home=bare), CTX)
    assert [f.check for f in findings] == ["interact.channel_not_found"]
    from govinspect.rules import score_findings

    result = score_findings(findings, CTX.rubric)
    assert result.verdict == "pass" and result.score == 100 and result.findings[0].severity == "info"


def test_jiucuo_entry_must_report_under_this_sites_code():
    from govinspect.extract import extract_footer

    footer_html = (
        "<div>网站标识码：3601230001</div>"
        '<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3601230002&amp;url=x">找错</a>'
    )
    marks = extract_footer(footer_html)
    assert (marks.site_code, marks.jiucuo_site_code) == ("3601230001", "3601230002")
    findings = run_checks(site(footer=replace(FULL_FOOTER, jiucuo_site_code="3601230002")), CTX)
    assert [f.check for f in findings] == ["norms.jiucuo_site_code_mismatch"]
    assert "3601230002" in findings[0].message

    script = '<script id="_jiucuo_" sitecode="3601230001" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>'
    assert extract_footer("网站标识码：3601230001" + script).jiucuo_site_code == "3601230001"
    assert checks_of(site(footer=replace(FULL_FOOTER, jiucuo_site_code="3601230001"))) == []


def test_every_request_for_the_home_page_counts_as_a_probe():
    at = dt.datetime(2026, 11, 20, 9)
    probes = [Probe(at=at, ok=True, elapsed_s=0.1)] * 2 + [
        Probe(at=at, ok=False, elapsed_s=0.0, error="HTTP 503", source="crawl"),
        Probe(at=at, ok=True, elapsed_s=0.2, source="crawl"),
        Probe(at=at, ok=True, elapsed_s=0.2, source="crawler_view"),
    ]
    [finding] = [f for f in run_checks(site(probes=probes), CTX) if f.check == "site.unreachable"]
    assert finding.evidence["probes"] == 5 and finding.evidence["failures"] == 1
    assert "抓取" in finding.evidence["errors"][0]
    from govinspect.checks import availability_summary

    summary = availability_summary(site(probes=probes), CTX)
    assert summary["by_source"]["crawl"] == {"probes": 2, "failures": 1}


def test_unreadable_findings_are_never_scored():
    from govinspect.model import Finding
    from govinspect.rules import score_findings

    for name in ("gov-2019", "gov-2015"):
        unknown = [Finding("column.unreadable", "栏目列表未能读取", column=f"栏目{i}") for i in range(8)]
        result = score_findings([*unknown, Finding("home.unreadable", "首页日期未能读取")], load_rubric(name))
        assert result.vetoes == [] and result.score == 100, name
        assert {f.severity for f in result.findings} == {"info"}
