"""Site understanding in the crawl on small sites on 127.0.0.1."""

import asyncio
import datetime as dt
from collections import Counter
from contextlib import asynccontextmanager

import pytest
from aiohttp import web

from govinspect.checks import CheckContext, run_checks
from govinspect.crawl import CrawlBudget, crawl_site
from govinspect.crawl.site import merge_duplicate_columns, spread_sample
from govinspect.fetch import Fetcher, FetchSettings
from govinspect.model import Column, Item
from govinspect.rules import load_rubric

TODAY = dt.date(2026, 11, 22)
NAV = (
    '<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/xwdt/">新闻动态</a></li>'
    '<li><a href="/tzgg/">通知公告</a></li><li><a href="/zwgk/">政务公开</a></li></ul></div>'
    '<div class="top"><a href="/wzdt/">网站地图</a></div>'
)


@pytest.fixture(autouse=True)
def no_proxy_env(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def html(body: str) -> web.Response:
    return web.Response(
        text=f"<html><head><title>测试县人民政府</title></head><body>{body}</body></html>",
        content_type="text/html",
    )


@asynccontextmanager
async def serve(pages: dict, hits: Counter):
    async def handler(request):
        hits[request.path_qs] += 1
        page = pages.get(request.path_qs, pages.get(request.path))
        if page is None:
            return web.Response(status=404, text="未找到")
        return page(request) if callable(page) else html(page)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    try:
        yield f"http://127.0.0.1:{tcp._server.sockets[0].getsockname()[1]}"
    finally:
        await runner.cleanup()


def crawl(pages, budget=None, **fetch):
    hits: Counter = Counter()
    settings = FetchSettings(**{"timeout_s": 3.0, "retries": 0, "trust_env": False, **fetch})
    budget = budget or CrawlBudget(probes=0, crawler_view=False)

    async def go():
        async with serve(pages, hits) as base, Fetcher(settings) as f:
            return await crawl_site(base + "/", f, reference=TODAY, budget=budget)

    return asyncio.run(asyncio.wait_for(go(), 30)), hits


def rows(prefix: str, n: int, start_day: int = 20) -> str:
    return "".join(
        f'<li><a href="/{prefix}/2026/{i}.html">关于{prefix}第{i}项重点工作的进展情况</a>'
        f"<span>2026-11-{max(1, start_day - i):02d}</span></li>"
        for i in range(1, n + 1)
    )


def article(i: int) -> str:
    return f'<h1>第{i}篇文章的标题内容</h1><div class="info">发布时间：2026-11-10</div><p>正文内容。</p>'


def base_pages() -> dict:
    pages = {
        "/": f"{NAV}<p>欢迎访问</p>",
        "/xwdt/": f'{NAV}<ul class="list">{rows("xwdt", 6)}</ul>',
        "/tzgg/": f'{NAV}<ul class="list">{rows("tzgg", 6)}</ul>',
        "/zwgk/": f"{NAV}<p>政务公开</p>",
        "/wzdt/": f"{NAV}<div class='sitemap'><ul><li><a href='/xwdt/'>新闻动态</a></li></ul></div>",
    }
    for prefix in ("xwdt", "tzgg", "xzdt", "rsxx", "ghjh"):
        for i in range(1, 61):
            pages[f"/{prefix}/2026/{i}.html"] = article(i)
    return pages


def checks_of(model):
    return run_checks(model, CheckContext(as_of=TODAY, rubric=load_rubric()))


# ---- item 1: no veto from a parse failure -------------------------------------------------------


def test_a_list_read_as_nothing_is_unreadable_not_empty():
    pages = base_pages()
    pages["/xwdt/"] = f'{NAV}<div id="app"></div><script src="/app.js"></script>'
    model, _ = crawl(pages)
    column = next(c for c in model.columns if c.name == "新闻动态")
    assert column.unreadable and column.empty_text is None
    findings = [f for f in checks_of(model) if f.column == "新闻动态" and f.check.startswith("column.")]
    assert [f.check for f in findings] == ["column.unreadable"]
    assert findings[0].url.endswith("/xwdt/") and "人工核实" in findings[0].message


def test_a_list_page_saying_so_is_empty():
    pages = base_pages()
    pages["/tzgg/"] = f'{NAV}<div class="list">暂无数据</div>'
    model, _ = crawl(pages)
    assert [
        f.check for f in checks_of(model) if f.column == "通知公告" and f.check.startswith("column.")
    ] == ["column.empty"]


# ---- item 3: hubs, the sitemap, one column per list --------------------------------------------


def hub_block(name: str, slug: str) -> str:
    return (
        f'<div class="lmbk"><div class="lmbt"><span>{name}</span><a class="more" href="/{slug}/">更多&gt;&gt;</a></div>'
        f"<ul>{rows(slug, 3)}</ul></div>"
    )


def test_hub_pages_lead_to_their_sub_columns_and_are_never_judged():
    pages = base_pages()
    pages["/zwgk/"] = (
        f"{NAV}<div class='lmnr'>{hub_block('人事信息', 'rsxx')}{hub_block('规划计划', 'ghjh')}</div>"
    )
    pages["/rsxx/"] = f'{NAV}<ul class="list">{rows("rsxx", 8, start_day=5)}</ul>'
    pages["/ghjh/"] = f'{NAV}<ul class="list">{rows("ghjh", 8)}</ul>'
    model, _ = crawl(pages)
    columns = {c.name: c for c in model.columns}
    assert columns["政务公开"].hub
    assert columns["人事信息"].found_via == "栏目页“政务公开”" and columns["人事信息"].items
    assert not columns["人事信息"].top_level
    assert not [f for f in checks_of(model) if f.column == "政务公开"]


def test_a_column_listed_only_in_the_sitemap_is_inspected():
    pages = base_pages()
    pages["/wzdt/"] = f"{NAV}<div class='sitemap'><ul><li><a href='/xzdt/'>乡镇动态</a></li></ul></div>"
    old = "".join(
        f'<li><a href="/xzdt/2026/{i}.html">某镇第{i}次召开安全生产工作会议</a><span>2026-08-0{i}</span></li>'
        for i in range(1, 6)
    )
    pages["/xzdt/"] = f'{NAV}<ul class="list">{old}</ul>'
    model, _ = crawl(pages)
    column = next(c for c in model.columns if c.name == "乡镇动态")
    assert column.found_via == "网站地图"
    column_findings = [
        f.check for f in checks_of(model) if f.column == "乡镇动态" and f.check.startswith("column.")
    ]
    assert column_findings == ["column.stale_dynamic"]


def test_a_column_reached_by_two_paths_counts_once():
    pages = base_pages()
    pages["/"] = (
        f'{NAV}<div class="block"><h2>最新公告</h2><a class="more" href="/tzgg/list.html">更多</a></div>'
    )
    empty = f'{NAV}<div class="list">暂无信息</div>'
    pages["/tzgg/"] = pages["/tzgg/list.html"] = f'{NAV}<ul class="list">{rows("tzgg", 6)}</ul>'
    pages["/xwdt/"] = empty
    model, _ = crawl(pages)
    notices = [c for c in model.columns if c.url.endswith(("/tzgg/", "/tzgg/list.html"))]
    assert len(notices) == 1 and len(notices[0].aliases) == 1


def test_merge_keeps_distinct_lists_and_hubs_apart():
    items = [Item("关于开展专项检查工作的通知", "http://x/1.html")]
    a = Column("通知公告", "http://x/tzgg/", items=list(items))
    b = Column("公告公示", "http://x/gsgg/", items=list(items))
    hub = Column("政务公开", "http://x/zwgk/", items=list(items), hub=True)
    other = Column("新闻动态", "http://x/xwdt/", items=[Item("另一条新闻标题内容", "http://x/2.html")])
    kept = merge_duplicate_columns([hub, a, b, other])
    assert kept == [hub, a, other] and a.aliases == ["http://x/gsgg/"]


# ---- item 6: sampling that uses the budget ------------------------------------------------------


def test_spread_sample_takes_the_newest_then_spreads_over_the_rest():
    items = [
        Item(f"标题{i}", f"http://x/{i}.html", dt.date(2026, 11, 1) - dt.timedelta(days=i)) for i in range(60)
    ]
    picked = spread_sample(items, 12, 8)
    assert [i.url for i in picked[:8]] == [f"http://x/{i}.html" for i in range(8)]
    tail = [int(i.url.rsplit("/", 1)[1].split(".")[0]) for i in picked[8:]]
    assert len(tail) == 4 and tail[0] == 8 and tail[-1] >= 40  # reaches the later list pages
    assert spread_sample(items[:5], 12, 8) == items[:5]


def test_samples_grow_with_the_budget_and_the_report_says_how_much_was_read():
    pages = base_pages()
    pages["/xwdt/"] = f'{NAV}<ul class="list">{rows("xwdt", 40)}</ul>'
    small, _ = crawl(pages, CrawlBudget(probes=0, crawler_view=False, max_pages=20))
    large, _ = crawl(pages, CrawlBudget(probes=0, crawler_view=False, max_pages=400))
    read_small = next(c for c in small.columns if c.name == "新闻动态").items_sampled
    read_large = next(c for c in large.columns if c.name == "新闻动态").items_sampled
    assert 1 <= read_small < 8 < read_large <= 24
    assert large.pages_fetched <= 400 and small.pages_fetched <= 20


# ---- item 10: every request for the home page is a probe ---------------------------------------


def test_a_home_fetch_that_failed_before_a_retry_is_a_failed_probe():
    served = Counter()

    def flaky(request):
        served["home"] += 1
        if served["home"] == 1:
            return web.Response(status=503, text="忙")
        return html(f"{NAV}<p>欢迎</p>")

    pages = base_pages()
    pages["/"] = flaky
    model, _ = crawl(pages, CrawlBudget(probes=0, crawler_view=True), retries=1, backoff_s=0.01)
    sources = [(p.source, p.ok) for p in model.probes]
    assert ("crawl", False) in sources and ("crawl", True) in sources and ("crawler_view", True) in sources
    failed = next(p for p in model.probes if p.source == "crawl" and not p.ok)
    assert "503" in failed.error


# ---- the search-engine view beyond the home page ----------------------------------


def test_spam_shown_only_to_search_engines_on_a_list_page_is_found():
    pages = base_pages()
    normal = f'{NAV}<ul class="list">{rows("tzgg", 6)}</ul>'

    def cloaked(request):
        if "Baiduspider" in request.headers.get("User-Agent", ""):
            return html(normal + '<div><a href="http://www.xpj8866.com/">澳门新葡京娱乐场</a></div>')
        return html(normal)

    pages["/tzgg/"] = cloaked
    model, _ = crawl(pages, CrawlBudget(probes=0, crawler_view=True, crawler_view_pages=4))
    assert any(v.url.endswith("/tzgg/") for v in model.crawler_views)
    spam = [f for f in checks_of(model) if f.check == "security.spam_injection"]
    assert [f.url.rsplit("/", 2)[-2] for f in spam] == ["tzgg"]
    assert spam[0].evidence["how"] == ["仅对搜索引擎显示"]


# ---- a 找错 handler defined in the site's own script file --------------------------------------


def test_a_jiucuo_handler_in_a_script_file_is_read():
    pages = base_pages()
    pages["/"] = (
        f'{NAV}<div class="footer"><p>网站标识码：3601230001</p><script src="/js/jc.js"></script>'
        '<img src="/images/jiucuo.png" onclick="Link(\'3601230001\')" style="cursor:pointer"></div>'
    )
    script = (
        "function Link(site_code){ var url = 'https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=' "
        "+ site_code + '&url=' + encodeURIComponent(location.href); window.open(url); }"
    )
    pages["/js/jc.js"] = lambda request: web.Response(text=script, content_type="application/javascript")
    model, hits = crawl(pages)
    assert hits["/js/jc.js"] == 1
    assert model.footer.jiucuo.startswith("https://zfwzgl.www.gov.cn/exposure/jiucuo.html")
    assert model.footer.jiucuo_site_code == "3601230001"
    assert "norms.jiucuo_missing" not in [f.check for f in checks_of(model)]
