"""A crawl against hanging targets on 127.0.0.1: other hosts' links checked while the site is
read, a hanging home page given up once the first probe timed out."""

import asyncio
import contextlib
import datetime as dt
from collections import Counter

from aiohttp import web

from govinspect.crawl import CrawlBudget, crawl_site
from govinspect.fetch import Fetcher, FetchSettings
from localserver import serve

TODAY = dt.date(2026, 11, 22)


def html(body: str) -> web.Response:
    return web.Response(
        text=f"<html><head><title>测试县人民政府</title></head><body>{body}</body></html>",
        content_type="text/html",
    )


def settings(**overrides) -> FetchSettings:
    return FetchSettings(**{"timeout_s": 3.0, "retries": 0, "trust_env": False, **overrides})


def test_other_hosts_links_are_checked_while_the_site_is_still_read():
    partner_hits: Counter = Counter()
    checked = asyncio.Event()
    seen_by_second_page: list[bool] = []
    partner_base: list[str] = []

    async def partner(request):
        partner_hits[request.method] += 1
        checked.set()
        return html("合作单位")

    async def own(request):
        if request.path == "/about.html":
            # The site's second page waits (up to 2 s) for the partner's link check.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(checked.wait(), 2.0)
            seen_by_second_page.append(checked.is_set())
            return html("关于我们")
        if request.path == "/":
            return html(f'<a href="/about.html">关于</a><a href="{partner_base[0]}/">合作单位</a>')
        return web.Response(status=404)

    async def go():
        budget = CrawlBudget(probes=0, crawler_view=False, follow_links=True)
        async with serve(partner) as partner_url, serve(own) as base, Fetcher(settings()) as f:
            partner_base.append(partner_url)
            return await crawl_site(base + "/", f, reference=TODAY, budget=budget)

    model = asyncio.run(asyncio.wait_for(go(), 20))
    assert seen_by_second_page == [True]  # checked before the crawl went on to the next page
    assert partner_hits == Counter({"HEAD": 1})  # and not again by the link check after it
    status = next(s for s in model.links if s.url.startswith(partner_base[0]))
    assert status.status == 200 and status.anchor == "合作单位"


def hanging_site(hits: Counter):
    async def handler(request):
        hits[request.path] += 1
        await asyncio.sleep(10)
        return html("迟到的首页")

    return serve(handler)


def test_a_home_page_that_hangs_after_its_robots_txt_hung_ends_with_the_first_probe():
    hits: Counter = Counter()

    async def go():
        # robots.txt times out after 1 s, then the home request starts; the first probe (started
        # at once, 1.5 s timeout) has the answer before that request would time out (2 s).
        budget = CrawlBudget(probes=1, probe_timeout_s=1.5, crawler_view=False)
        async with hanging_site(hits) as base, Fetcher(settings(timeout_s=1.0)) as f:
            return await crawl_site(base + "/", f, reference=TODAY, budget=budget)

    model = asyncio.run(asyncio.wait_for(go(), 20))
    assert model.home is not None and model.home.status is None
    assert model.home.error == "连接超时（超过1.5秒未响应）"  # the probe's answer, not the request's
    assert hits == Counter({"/robots.txt": 1, "/": 2})  # the probe and the crawl: no retry
    assert any("首页无法访问" in e for e in model.errors)


def test_a_probe_with_a_shorter_timeout_does_not_cut_the_home_request():
    async def slow_home(request):
        if request.path == "/":
            await asyncio.sleep(0.6)
            return html("首页")
        return web.Response(status=404)

    async def go():
        budget = CrawlBudget(probes=1, probe_timeout_s=0.2, crawler_view=False)
        async with serve(slow_home) as base, Fetcher(settings(timeout_s=3.0)) as f:
            return await crawl_site(base + "/", f, reference=TODAY, budget=budget)

    model = asyncio.run(asyncio.wait_for(go(), 20))
    assert not next(p for p in model.probes if p.source == "probe").ok  # it gave up at 0.2 s
    assert model.home is not None and model.home.ok and "首页" in model.home.text
