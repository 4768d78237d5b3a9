"""crawl_site against small hostile sites on 127.0.0.1: traps, loops, schemes, robots.txt, progress."""

import asyncio
import datetime as dt
from collections import Counter

from aiohttp import web

from govinspect.crawl import CrawlBudget, crawl_site
from govinspect.crawl.site import REASON_BUDGET, REASON_ROBOTS, non_web_reason
from govinspect.crawl.traps import REASON_QUERY_CHAIN, TrapGuard, TrapLimits, url_pattern
from govinspect.fetch import Fetcher, FetchSettings
from govinspect.fetch.urls import canonical_url
from localserver import serve

TODAY = dt.date(2026, 11, 22)


def html(body: str) -> web.Response:
    return web.Response(
        text=f"<html><head><title>测试县人民政府</title></head><body>{body}</body></html>",
        content_type="text/html",
    )


def site(pages: dict, hits: Counter):
    """Serve `pages`: path (with query) -> HTML body, or a callable(request) -> Response."""

    async def handler(request):
        key = request.path_qs
        hits[key] += 1
        page = pages.get(key, pages.get(request.path))
        if page is None:
            return web.Response(status=404, text="未找到")
        if not callable(page):
            return html(page)
        response = page(request)
        return await response if asyncio.iscoroutine(response) else response

    return serve(handler)


def crawl(pages, budget=None, hits=None, on_progress=None, **fetch):
    hits = hits if hits is not None else Counter()
    settings = FetchSettings(**{"timeout_s": 3.0, "retries": 0, "trust_env": False, **fetch})
    budget = budget or CrawlBudget(probes=0, crawler_view=False)

    async def go():
        async with site(pages, hits) as base, Fetcher(settings) as f:
            return await crawl_site(base + "/", f, reference=TODAY, budget=budget, on_progress=on_progress)

    return asyncio.run(asyncio.wait_for(go(), 20)), hits


def link(model, suffix):
    return next(s for s in model.links if s.url.endswith(suffix))


def redirect(location):
    return lambda request: web.Response(status=302, headers={"Location": location})


def test_redirect_loop_is_reported_on_the_link():
    pages = {"/": '<a href="/a">甲</a>', "/a": redirect("/b"), "/b": redirect("/a")}
    model, hits = crawl(pages)
    status = link(model, "/a")
    assert status.broken and "出现循环" in status.error
    assert hits["/a"] <= 2 and hits["/b"] <= 2  # HEAD then GET, each stopped at the loop


def calendar(request):
    day = dt.date.fromisoformat(request.query.get("date", "2026-01-01"))
    nxt = day + dt.timedelta(days=1)
    return html(f'<h1>{day}</h1><a href="/cal?date={nxt}">下一天</a>')


def test_infinite_calendar_stops_at_the_query_chain_cap():
    pages = {"/": '<a href="/cal?date=2026-01-01">日历</a>', "/cal": calendar}
    budget = CrawlBudget(
        probes=0, crawler_view=False, follow_links=True, max_pages=500, traps=TrapLimits(max_query_chain=19)
    )
    model, hits = crawl(pages, budget)
    assert sum(n for k, n in hits.items() if k.startswith("/cal")) == 20
    assert model.pages_fetched == 21  # home + 20 calendar days
    assert model.skipped[REASON_QUERY_CHAIN] == 1  # the 21st day, refused once
    assert not any("2026-01-22" in s.url for s in model.links)  # not link-checked either


def test_follow_links_respects_the_page_budget():
    pages = {"/": '<a href="/p/1.html">1</a>'}
    pages.update(
        {
            f"/p/{i}.html": f'<a href="/p/{i + 1}.html">下一篇</a><a href="/p/{i + 2}.html">再下</a>'
            for i in range(1, 200)
        }
    )
    budget = CrawlBudget(probes=0, crawler_view=False, follow_links=True, max_pages=10, max_links=1)
    model, hits = crawl(pages, budget)
    assert model.pages_fetched == 10
    assert sum(hits.values()) <= 10 + 1 + 1  # pages + one link check + robots.txt
    assert model.skipped.get("超出链接检查上限，未检查", 0) >= 1


def test_dot_segments_above_the_root_are_resolved_like_browsers():
    pages = {
        "/": '<a href="/a/b/index.html">栏目</a>',
        "/a/b/index.html": '<a href="../../../../x.html">上级</a>',
        "/x.html": "ok",
    }
    budget = CrawlBudget(probes=0, crawler_view=False, follow_links=True)
    model, hits = crawl(pages, budget)
    assert link(model, "/x.html").status == 200 and not link(model, "/x.html").broken
    assert hits["/x.html"] == 1
    assert canonical_url("http://h.gov.cn/a/../../../x.html") == "http://h.gov.cn/x.html"


def test_non_web_schemes_are_counted_never_fetched():
    body = (
        '<a href="javascript:void(0)">返回</a><a href="javascript:void(0)">又一个</a>'
        '<a href="mailto:zwgk@example.gov.cn">邮箱</a><a href="tel:12345">热线</a>'
        '<a href="data:text/html,hi">数据</a><a href=" JavaScript:window.print()">打印</a>'
    )
    model, hits = crawl({"/": body})
    assert model.skipped[non_web_reason("javascript")] == 2  # distinct hrefs
    assert model.skipped[non_web_reason("mailto")] == 1
    assert model.skipped[non_web_reason("tel")] == 1
    assert model.skipped[non_web_reason("data")] == 1
    assert model.links == []
    assert set(hits) <= {"/", "/robots.txt"}


def test_session_ids_do_not_make_duplicate_pages():
    body = '<a href="/p.html;jsessionid=A1">一</a><a href="/p.html;jsessionid=B2">二</a><a href="/p.html?sid=9">三</a>'
    pages = {"/": body, "/p.html": "文章"}
    model, hits = crawl(pages, CrawlBudget(probes=0, crawler_view=False, follow_links=True))
    assert len(model.links) == 1
    assert sum(n for k, n in hits.items() if k.startswith("/p.html")) == 1


ROBOTS = "User-agent: *\nDisallow: /secret/\n"


def robots(request):
    return web.Response(text=ROBOTS, content_type="text/plain")


def test_robots_txt_disallowed_pages_are_skipped_and_counted():
    pages = {
        "/robots.txt": robots,
        "/": '<a href="/secret/a.html">内部</a><a href="/open.html">公开</a>',
        "/secret/a.html": "秘密",
        "/open.html": "公开",
    }
    model, hits = crawl(pages, CrawlBudget(probes=0, crawler_view=False, follow_links=True))
    assert model.skipped == {REASON_ROBOTS: 1}
    assert hits["/secret/a.html"] == 0 and hits["/open.html"] == 1
    assert not any(s.url.endswith("/secret/a.html") for s in model.links)


def test_robots_txt_can_be_switched_off_for_authorised_supervision():
    pages = {"/robots.txt": robots, "/": '<a href="/secret/a.html">内部</a>', "/secret/a.html": "秘密"}
    model, hits = crawl(
        pages, CrawlBudget(probes=0, crawler_view=False, follow_links=True), respect_robots=False
    )
    assert hits["/secret/a.html"] == 1 and hits["/robots.txt"] == 0
    assert REASON_ROBOTS not in model.skipped


def test_home_page_disallowed_by_robots_is_a_crawl_error():
    pages = {"/robots.txt": lambda r: web.Response(text="User-agent: *\nDisallow: /\n"), "/": "首页"}
    model, hits = crawl(pages)
    assert model.home is None and hits["/"] == 0
    assert model.errors and "robots.txt" in model.errors[0]
    assert model.skipped == {REASON_ROBOTS: 1}


def test_page_budget_refusals_are_counted():
    links = "".join(f'<a href="/l{i}.html">{i}</a>' for i in range(5))
    model, _ = crawl(
        {"/": links, "/l0.html": "x"},
        CrawlBudget(probes=0, crawler_view=False, max_pages=1, follow_links=True),
    )
    assert model.pages_fetched == 1 and len(model.links) == 5
    assert REASON_BUDGET not in model.skipped  # not fetched as pages, but still link-checked


def test_progress_callback_reports_pages_and_links():
    events = Counter()
    pages = {"/": '<a href="/a.html">a</a><a href="/b.html">b</a><a href="/c.html">c</a>', "/a.html": "a"}
    model, _ = crawl(pages, on_progress=lambda kind, n: events.update({kind: n}))
    assert events["page"] == model.pages_fetched == 1
    assert events["link"] == len(model.links) == 3


def test_slow_and_cut_pages_end_with_a_record():
    async def drip(request):
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        try:
            for _ in range(30):
                await response.write(b"x")
                await asyncio.sleep(1)
        except (ConnectionResetError, RuntimeError, OSError):
            pass
        return response

    pages = {"/": '<a href="/drip.html">慢</a>', "/drip.html": drip}
    model, _ = crawl(pages, CrawlBudget(probes=0, crawler_view=False, follow_links=True), timeout_s=1.5)
    assert link(model, "/drip.html").error.startswith("读取超时")


def test_trap_guard_patterns():
    assert url_pattern("http://h/cal?date=2026-01-02&x=1") == url_pattern("http://h/cal?x=3&date=2027-05-06")
    assert url_pattern("http://h/art/2024/123.html") == url_pattern("http://h/art/2023/9.html")
    guard = TrapGuard(TrapLimits(max_per_pattern=2, max_segment_repeats=3))
    assert guard.check("http://h/a/1.html") == (None, True)
    assert guard.check("http://h/a/1.html") == (None, False)
    assert guard.check("http://h/a/2.html")[0] is None
    assert guard.check("http://h/a/3.html")[0] is not None
    assert guard.check("http://h/x/y/x/y/x/y/")[0] is not None


def test_articles_by_query_id_are_not_mistaken_for_a_calendar():
    items = "".join(f'<a href="/show.asp?id={i}">文章{i}</a>' for i in range(60))
    pages = {"/": '<a href="/list.asp?page=1">列表</a>', "/list.asp?page=1": items, "/show.asp": "正文"}
    budget = CrawlBudget(probes=0, crawler_view=False, follow_links=True, traps=TrapLimits(max_query_chain=5))
    model, hits = crawl(pages, budget)
    assert model.pages_fetched == 62 and model.skipped == {}


def test_calendar_in_the_path_is_a_chain_too():
    def day_page(request):
        day = dt.date(*(int(p) for p in request.path.removesuffix(".html").split("/")[2:5]))
        nxt = day + dt.timedelta(days=1)
        return html(f'<a href="/cal/{nxt.year}/{nxt.month:02d}/{nxt.day:02d}.html">下一天</a>')

    pages = {"/": '<a href="/cal/2026/01/01.html">日历</a>'}
    pages.update({f"/cal/2026/{m:02d}/{d:02d}.html": day_page for m in (1, 2) for d in range(1, 29)})
    budget = CrawlBudget(probes=0, crawler_view=False, follow_links=True, traps=TrapLimits(max_query_chain=9))
    model, hits = crawl(pages, budget)
    assert model.pages_fetched == 11  # home + the first day + 9 chained days
    assert model.skipped[REASON_QUERY_CHAIN] == 1


def test_section_pages_lead_to_second_level_columns():
    nav = '<nav><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/xwdt/">新闻动态</a></li></ul></nav>'
    items = "".join(
        f'<li><a href="/zwgk/zcwj/{i}.html">关于印发第{i}号文件的通知</a><span>2026-0{i}-10</span></li>'
        for i in range(1, 6)
    )
    pages = {
        "/": f"<html><body>{nav}<p>欢迎</p></body></html>",
        "/zwgk/": f'<html><body>{nav}<div class="side-nav"><ul><li><a href="/zwgk/zcwj/">政策文件</a></li>'
        f'<li><a href="/zwgk/rsxx/">人事信息</a></li><li><a href="/zwgk/jgzn/">机构职能</a></li></ul></div></body></html>',
        "/zwgk/zcwj/": f'<html><body>{nav}<ul class="list">{items}</ul></body></html>',
        "/zwgk/rsxx/": f'<html><body>{nav}<div class="list">暂无信息</div></body></html>',
        # Its own entries: two columns showing the very same list are one column.
        "/xwdt/": f'<html><body>{nav}<ul class="list">{items.replace("zcwj", "xwdt")}</ul></body></html>',
    }
    model, _ = crawl(pages)
    columns = {c.name: c for c in model.columns}
    assert columns["政务公开"].kind == "other"  # a section, not an empty column
    assert columns["政策文件"].top_level is False and columns["政策文件"].kind == "policy"
    assert columns["政策文件"].items
    assert columns["人事信息"].empty_text == "暂无信息"
