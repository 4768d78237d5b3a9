"""Per-site overrides: a configured column list, excluded columns, list/date selectors."""

import asyncio
import datetime as dt

from aiohttp import web

from govinspect.crawl import CrawlBudget, crawl_site
from govinspect.extract import extract_list_items
from govinspect.fetch import Fetcher, FetchSettings
from localserver import serve

TODAY = dt.date(2026, 11, 22)
BUDGET = CrawlBudget(probes=1, probe_interval_s=0, crawler_view=False, render="never", articles_per_column=1)

# The menu exists only as data for a script: no <a> the heuristics could read.
JS_MENU_HOME = """<html><head><title>测试县人民政府</title></head><body>
<div id="menu"></div>
<script>var menu=[["政务动态","/zwdt/"],["通知公告","/tzgg/"]];
for (var i=0;i<menu.length;i++){document.getElementById('menu').innerHTML+='<span onclick="go(\\''+menu[i][1]+'\\')">'+menu[i][0]+'</span>';}</script>
<p>欢迎访问测试县人民政府网站</p></body></html>"""


def list_page(prefix: str, day: int) -> str:
    rows = "".join(
        f"<li><a href='{prefix}{i}.html'>测试县召开第{i}次工作推进会议</a><span>2026-11-{day - i:02d}</span></li>"
        for i in range(1, 4)
    )
    return f"<html><head><title>列表</title></head><body><ul class='list'>{rows}</ul></body></html>"


NAV_HOME = """<html><head><title>测试县人民政府</title></head><body>
<div class="nav"><a href="/zwdt/">政务动态</a><a href="/tzgg/">通知公告</a><a href="/shop/">网上商城</a>
<a href="/lxwm/">联系我们</a></div></body></html>"""

PAGES = {
    "/": JS_MENU_HOME,
    "/nav.html": NAV_HOME,
    "/zwdt/": list_page("/zwdt/", 20),
    "/tzgg/": list_page("/tzgg/", 15),
    "/shop/": list_page("/shop/", 10),
    "/lxwm/": "<html><body><p>联系电话：0791-12345678</p></body></html>",
}


def serve_pages(pages: dict):
    def handler(request):
        body = pages.get(request.path)
        if body is None:
            return web.Response(status=404, text="未找到")
        return web.Response(text=body, content_type="text/html")

    return serve(handler)


def crawl(path: str, overrides: dict | None):
    async def run():
        async with (
            serve_pages(PAGES) as base,
            Fetcher(FetchSettings(timeout_s=5.0, trust_env=False)) as fetcher,
        ):
            return await crawl_site(
                f"{base}{path}", fetcher, reference=TODAY, budget=BUDGET, overrides=overrides
            )

    return asyncio.run(run())


def test_js_menu_site_has_no_columns_without_overrides_and_all_with_them():
    assert crawl("/", None).columns == []
    overrides = {
        "columns": [
            {"name": "政务动态", "url": "/zwdt/"},
            {"name": "通知公告", "url": "tzgg/", "kind": "policy"},
        ]
    }
    site = crawl("/", overrides)
    by_name = {c.name: c for c in site.columns}
    assert set(by_name) == {"政务动态", "通知公告"}
    assert by_name["政务动态"].kind == "dynamic"  # classified from the name when no kind is given
    assert by_name["通知公告"].kind == "policy"
    assert by_name["政务动态"].latest == dt.date(2026, 11, 19)
    assert len(by_name["通知公告"].items) == 3 and by_name["通知公告"].url.endswith("/tzgg/")


def test_exclude_by_name_and_by_url():
    names = {c.name for c in crawl("/nav.html", None).columns}
    assert {"政务动态", "通知公告", "网上商城"} <= names
    site = crawl("/nav.html", {"exclude_columns": ["网上商城", "/tzgg/"]})
    names = {c.name for c in site.columns}
    assert "政务动态" in names and "网上商城" not in names and "通知公告" not in names


LIST_WITH_DECOY = """<html><body>
<div class="box2">{decoy}</div>
<div class="content"><div class="entry"><a href="/a/1.html">关于开展安全生产大检查的通知</a>
<span class="pub">发布：2026-11-01</span> <span class="upd">更新：2026-11-10</span></div>
<div class="entry"><a href="/a/2.html">关于做好冬季供暖保障工作的通知</a>
<span class="pub">发布：2026-10-20</span> <span class="upd">更新：2026-11-09</span></div></div>
</body></html>""".format(
    decoy="".join(
        f"<p><a href='/x/{i}.html'>其他单位转载的信息标题第{i}条</a> 2026-09-{i + 1:02d}</p>"
        for i in range(8)
    )
)


def test_list_and_date_selectors_override_the_heuristics():
    url = "http://www.test.gov.cn/tzgg/"
    guessed = extract_list_items(LIST_WITH_DECOY, url, TODAY)
    assert len(guessed) == 8  # the heuristics take the bigger block
    chosen = extract_list_items(
        LIST_WITH_DECOY, url, TODAY, selector="div.content div.entry", date_selector=".pub"
    )
    assert [(i.url.rsplit("/", 1)[1], i.date) for i in chosen] == [
        ("1.html", dt.date(2026, 11, 1)),
        ("2.html", dt.date(2026, 10, 20)),
    ]
    # A selector naming the container stands for its entries; one matching nothing falls back.
    assert len(extract_list_items(LIST_WITH_DECOY, url, TODAY, selector="div.content")) == 2
    assert extract_list_items(LIST_WITH_DECOY, url, TODAY, selector="table.none") == guessed


def test_list_selector_reaches_the_crawl():
    pages_site = crawl("/nav.html", {"list_selector": "ul.list li:first-child"})
    column = next(c for c in pages_site.columns if c.name == "政务动态")
    assert len(column.items) == 1  # only the first entry of each list page matches
