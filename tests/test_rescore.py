"""Re-scoring a stored inspection with another rubric or as_of, without crawling."""

import datetime as dt

import pytest
from typer.testing import CliRunner

from govinspect.cli import app
from govinspect.extract.page_facts import read_site_facts
from govinspect.model import (
    Column,
    FooterMarks,
    Item,
    LinkStatus,
    Page,
    Probe,
    SiteModel,
    site_model_from_data,
    site_model_to_data,
)
from govinspect.registry import SiteTarget
from govinspect.rules import load_rubric
from govinspect.service import RescoreError, build_inspection, rescore
from govinspect.store import Store

AS_OF = dt.date(2026, 11, 22)
URL = "http://www.qingshan.gov.cn/"


HOME = '<html><body><a href="/ldxx/">领导信箱</a></body></html>'


def crawled_site(home: str = HOME) -> SiteModel:
    """A healthy site updated 10 days before AS_OF, with no footer marks at all."""
    fresh = AS_OF - dt.timedelta(days=10)
    site = SiteModel(
        url=URL,
        host="www.qingshan.gov.cn",
        name="青山县人民政府",
        home=Page(URL, URL, 200, "text/html", "utf-8", home, size=2000),
        home_items=[Item("县政府召开常务会议", URL + "a.html", fresh)],
        columns=[
            Column("工作动态", URL + "gzdt/", "dynamic", items=[Item("动态", URL + "b.html", fresh)]),
            Column(
                "通知公告", URL + "tzgg/", "policy", items=[Item("通知", URL + "c.html", dt.date(2026, 9, 1))]
            ),
        ],
        footer=FooterMarks(),
        links=[LinkStatus(URL + "old.html", 404, found_on=[URL], anchor="旧版")],
        home_links={URL + "old.html", URL + "gzdt/"},
        probes=[Probe(dt.datetime(2026, 11, 22, 9, 0), True, 0.2, 200)],
        pages_fetched=12,
    )
    read_site_facts(site)  # as the crawl does: what the checks need of the HTML
    return site


def store_inspection(store, site):
    inspection = build_inspection(site, SiteTarget(url=URL, name=site.name), AS_OF, load_rubric("gov-2019"))
    site_id = store.upsert_site(inspection.site_name, URL)
    return store.save_inspection(site_id, inspection, site_model=site_model_to_data(site))


@pytest.fixture
def stored(tmp_path):
    store = Store(f"sqlite:///{tmp_path}/g.db")
    site = crawled_site()
    inspection = build_inspection(site, SiteTarget(url=URL, name=site.name), AS_OF, load_rubric("gov-2019"))
    site_id = store.upsert_site(inspection.site_name, URL)
    insp_id = store.save_inspection(site_id, inspection, site_model=site_model_to_data(site))
    yield store, insp_id
    store.close()


def test_site_model_round_trips_through_stored_json(stored):
    store, insp_id = stored
    rebuilt = site_model_from_data(store.load_site_model(insp_id))
    original = crawled_site()
    assert rebuilt.columns == original.columns and rebuilt.home_items == original.home_items
    assert rebuilt.links == original.links and rebuilt.home_links == original.home_links
    assert rebuilt.probes == original.probes and rebuilt.footer == original.footer
    assert rebuilt.page_facts == original.page_facts and rebuilt.home_channels == original.home_channels
    # The body itself is not stored; that there was one is.
    assert rebuilt.home.text == "" and rebuilt.home.ok and rebuilt.home.is_html and rebuilt.home.has_body


def test_same_rubric_and_date_reproduce_the_stored_result(stored):
    store, insp_id = stored
    original = store.load_report(insp_id)
    new_id, again = rescore(store, insp_id)
    assert new_id != insp_id
    assert (again.verdict, again.score, again.vetoes) == (
        original["verdict"],
        original["score"],
        original["vetoes"],
    )
    assert [f.check for f in again.findings] == [f["check"] for f in original["findings"]]


def test_2015_and_2019_differ_on_footer_marks(stored):
    store, insp_id = stored
    _, y2019 = rescore(store, insp_id, "gov-2019")
    _, y2015 = rescore(store, insp_id, "gov-2015")
    norms19 = [f for f in y2019.findings if f.check.startswith("norms.")]
    norms15 = [f for f in y2015.findings if f.check.startswith("norms.")]
    # Same observations, different rubric: 2019 deducts the five missing marks, 2015 does not score them.
    assert {f.check for f in norms19} == {f.check for f in norms15} and len(norms19) == 5
    assert all(f.severity == "deduct" and f.points == 1 for f in norms19)
    assert all(f.severity == "info" and f.points == 0 for f in norms15)
    assert y2019.score == 100 - 5 - 1  # five marks + one broken home link
    assert y2015.score == 100 - 1
    assert (y2019.rubric, y2015.rubric) == ("gov-2019", "gov-2015")
    # History is append-only: the original and both re-scorings are stored.
    assert store.count_inspections() == 3
    assert store.load_report(insp_id)["rubric"] == "gov-2019"


def test_later_as_of_makes_columns_stale(stored):
    store, insp_id = stored
    _, now = rescore(store, insp_id, as_of=AS_OF)
    assert not [f for f in now.findings if f.check in ("home.stale", "column.stale_dynamic")]
    _, later = rescore(store, insp_id, as_of=AS_OF + dt.timedelta(days=10))
    stale = {f.check for f in later.findings}
    assert {"home.stale", "column.stale_dynamic"} <= stale
    assert later.vetoes == ["home.stale"] and later.verdict == "fail"
    assert later.stats["rescored_from"]["as_of"] == AS_OF.isoformat()


def test_findings_read_from_the_html_are_recomputed_from_the_stored_facts(tmp_path):
    # The home page's only interaction entry is an image without a link: 2019 vetoes it. The body is
    # not stored; the channel entries read from it at crawl time are, so both rubrics judge them again.
    with Store(f"sqlite:///{tmp_path}/g.db") as store:
        insp_id = store_inspection(
            store, crawled_site(home='<html><body><img alt="领导信箱" src="x.png"></body></html>')
        )
        assert store.load_report(insp_id)["vetoes"] == ["interact.no_channel"]
        _, y2019 = rescore(store, insp_id, "gov-2019")
        _, y2015 = rescore(store, insp_id, "gov-2015")
    assert y2019.vetoes == ["interact.no_channel"] and y2019.verdict == "fail"
    assert "carried_over" not in y2019.stats
    channel = next(f for f in y2015.findings if f.check == "interact.no_channel")
    assert channel.severity == "info" and y2015.vetoes == [] and y2015.verdict == "pass"


def test_missing_inspection_or_crawl_is_a_clear_error(stored):
    store, insp_id = stored
    with pytest.raises(RescoreError, match="不存在"):
        rescore(store, 999)
    site_id = store.list_sites()[0].id
    bare = store.save_inspection(
        site_id, build_inspection(crawled_site(), SiteTarget(url=URL), AS_OF, load_rubric())
    )
    with pytest.raises(RescoreError, match="没有保存抓取数据"):
        rescore(store, bare)


def test_cli_rescore(stored, tmp_path):
    store, insp_id = stored
    db = str(store.engine.url)
    result = CliRunner().invoke(
        app, ["rescore", str(insp_id), "--rubric", "gov-2015", "--db", db], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "gov-2015" in result.output and "99" in result.output and "新记录 2" in result.output
    result = CliRunner().invoke(app, ["rescore", "42", "--db", db])
    assert result.exit_code == 2 and "不存在" in result.output


def test_column_reading_and_probe_sources_survive_the_store():
    """A hub or an unreadable column re-scored from the store is still not judged."""
    site = crawled_site()
    site.columns = [
        Column("政务公开", URL + "zwgk/", "dynamic", hub=True, found_via="首页"),
        Column("部门动态", URL + "bmdt/", "dynamic", unreadable="未能读出信息条目", aliases=[URL + "bm/"]),
    ]
    site.probes.append(Probe(dt.datetime(2026, 11, 22, 9, 1), False, 0.0, None, "HTTP 503", source="crawl"))
    rebuilt = site_model_from_data(site_model_to_data(site))
    hub, unreadable = rebuilt.columns
    assert hub.hub and hub.found_via == "首页"
    assert unreadable.unreadable == "未能读出信息条目" and unreadable.aliases == [URL + "bm/"]
    assert rebuilt.probes[-1].source == "crawl"
    inspection = build_inspection(rebuilt, SiteTarget(url=URL, name="青山县人民政府"), AS_OF, load_rubric())
    checks = sorted(f.check for f in inspection.findings if f.check.startswith("column."))
    assert checks == ["column.unreadable"]
