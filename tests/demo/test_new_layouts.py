"""The CMS-family sites (JCMS, TRS) serve what their specification says (truth written from the farm, not the extractor)."""

import datetime as dt
import re
from urllib.parse import urljoin

from govinspect.demo import build_farm

AS_OF = dt.date(2026, 12, 1)
FARM = build_farm(AS_OF)
JCMS = FARM.site("www.qiaotou.gov.cn")
TRS = FARM.site("www.yunxi.gov.cn")


def text(site, path: str) -> str:
    return site.routes[path].body.decode(site.encoding)


def expected(site, check: str) -> set[str]:
    return {e.column for e in site.expected if e.check == check}


def test_the_new_sites_are_marked_and_the_first_farm_is_not():
    assert [s.host for s in FARM.sites if s.new_layout] == [JCMS.host, TRS.host]
    assert {JCMS.layout, TRS.layout} == {"jcms", "trs"}


def test_jcms_lists_are_data_islands_and_the_empty_one_has_no_record():
    news = text(JCMS, JCMS.column("政务动态").path)
    assert '<script type="text/xml"><datastore>' in news and news.count("<record><![CDATA[") >= 41
    empty = text(JCMS, JCMS.column("政策文件").path)
    assert "<recordset></recordset>" in empty and "<record>" not in empty
    assert expected(JCMS, "column.empty") == {"政策文件"}


def test_the_script_filled_list_is_unreadable_truth_and_its_data_exists():
    page = text(JCMS, JCMS.column("部门动态").path)
    assert '<ul id="infolist"></ul>' in page and "$.getJSON" in page
    assert "/data/bmdt.json" in JCMS.routes
    assert expected(JCMS, "column.unreadable") == {"部门动态"}
    assert "部门动态" not in expected(JCMS, "column.empty")


def test_the_sitemap_only_column_is_linked_from_the_sitemap_and_nowhere_else_on_home():
    path = JCMS.column("乡镇动态").path
    assert path not in text(JCMS, "/") and path in text(JCMS, "/wzdt/")
    assert expected(JCMS, "column.stale_dynamic") == {"乡镇动态"}


def test_jcms_articles_carry_a_regeneration_stamp_newer_than_their_publication():
    pages = [text(JCMS, p) for p in JCMS.routes if p.startswith("/art/20")]
    articles = [page for page in pages if 'class="article"' in page]  # messages have no stamp
    assert len(articles) >= 80
    regenerated = 0
    for page in articles:
        meta = re.search(r'<meta name="PubDate" content="(\d{4}-\d\d-\d\d)', page).group(1)
        shown = re.search(r"发布时间：(\d{4}-\d\d-\d\d)", page).group(1)
        assert meta >= shown  # a page is never written before it is published
        regenerated += meta == str(AS_OF - dt.timedelta(days=1)) and shown < meta
    assert regenerated >= 0.8 * len(articles)
    assert not [e for e in JCMS.expected if e.check == "content.fake_date"]


def test_numbered_guides_and_the_department_mailbox():
    guide = text(JCMS, next(p for p in JCMS.routes if p.startswith("/art/bszn/")))
    assert "一、事项名称" in guide
    assert JCMS.column("局长信箱").kind == "interact"
    assert not [e for e in JCMS.expected if e.check == "interact.no_channel"]


def test_relay_and_script_jiucuo_entries():
    home = text(JCMS, "/")
    relay = re.search(r'href="(/jiucuo/index\.html\?site_code=\d+)"', home).group(1)
    assert relay in JCMS.routes and JCMS.site_code in relay
    trs_home = text(TRS, "/")
    assert f"onclick=\"Link('{TRS.site_code}')\"" in trs_home and "/js/jiucuo.js" in trs_home
    assert "zfwzgl.www.gov.cn/exposure/jiucuo.html" in text(TRS, "/js/jiucuo.js")
    assert not [e for s in (JCMS, TRS) for e in s.expected if e.check.startswith("norms.jiucuo")]


def test_trs_lists_are_paged_by_script_only():
    page = text(TRS, TRS.column("工作动态").path)
    assert "createPageHTML(countPage, currentPage" in page and "index_1.html" not in page
    assert "/gzdt/index_1.html" in TRS.routes


def test_the_hub_previews_sub_columns_that_only_it_links():
    hub = text(TRS, "/zwgk/index.html")
    for name in ("人事信息", "规划计划", "图片新闻"):
        path = TRS.column(name).path
        assert name in hub and path not in text(TRS, "/") and path not in text(TRS, "/wzdt/")
        assert urljoin(TRS.url + "zwgk/index.html", f"..{path}") == urljoin(TRS.url, path)
    assert hub.count("更多") == 3
    assert "政务公开" not in {e.column for e in TRS.expected}


def test_home_is_stale_although_friend_links_show_yesterday():
    home = text(TRS, "/")
    assert f"{AS_OF - dt.timedelta(days=1)}" in home.split("yqlj-list")[1]
    assert all((AS_OF - d).days > 14 for _, _, d in TRS.home_items)
    assert [e.check for e in TRS.expected if e.check == "home.stale"] == ["home.stale"]


def test_the_cloaked_list_page_differs_only_for_search_engines():
    route = TRS.routes[TRS.column("通知公告").path]
    assert b"xpj8866" not in route.body and b"xpj8866" in route.body_for("Baiduspider")
    [cloaked] = [e for e in TRS.expected if e.detail == "cloaked"]
    assert cloaked.url == urljoin(TRS.url, TRS.column("通知公告").path)
