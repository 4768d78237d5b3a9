"""Rendering with Debian's Chromium: JS-only pages, cookie challenges, screenshots, the farm's proxy.

Served on 127.0.0.1 only. The browser tests are skipped when /usr/bin/chromium or Playwright is
missing (apt-get install -y chromium; pip install playwright — never `playwright install`).
"""

import asyncio
import datetime as dt
import json
import struct
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from aiohttp import web

from govinspect.crawl import CrawlBudget, crawl_site
from govinspect.crawl.site import REASON_NO_BROWSER
from govinspect.demo import FarmServer, build_farm
from govinspect.fetch import Fetcher, FetchSettings
from govinspect.fetch.browser import Renderer, RenderUnavailable, unavailable_reason

AS_OF = dt.date(2026, 11, 22)
COLUMNS = [("通知公告", "/tzgg/"), ("政策文件", "/zcwj/"), ("工作动态", "/gzdt/")]
LOCAL = FetchSettings(trust_env=False, timeout_s=10, retries=0)
BUDGET = CrawlBudget(probes=1, crawler_view=False, articles_per_column=1)
NEVER = CrawlBudget(probes=1, crawler_view=False, articles_per_column=1, render="never")

needs_browser = pytest.mark.skipif(
    unavailable_reason() is not None, reason=f"需要 Chromium 和 Playwright：{unavailable_reason()}"
)

STATIC_NAV = "".join(f'<a href="{path}">{name}</a>' for name, path in COLUMNS)
# The column menu exists only after the script ran.
JS_HOME = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>白云县人民政府</title></head>
<body><div class="nav" id="nav"></div><div id="app"></div>
<script>
var cols = COLUMNS_JSON;
document.getElementById("nav").innerHTML = cols.map(function (c) {
  return '<a href="' + c[1] + '">' + c[0] + '</a>';
}).join("");
document.getElementById("app").innerHTML = "<h1>白云县人民政府门户网站</h1><p>欢迎访问白云县人民政府门户网站，本站发布全县政务信息。</p>";
</script></body></html>""".replace("COLUMNS_JSON", json.dumps(COLUMNS, ensure_ascii=False))
STATIC_HOME = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>黑山县人民政府</title></head>
<body><div class="nav">{STATIC_NAV}</div><h1>黑山县人民政府门户网站</h1></body></html>"""
CHALLENGE = '<script>document.cookie="__jsl_clearance=passed; path=/";location.reload();</script>'


def list_page(name: str, path: str) -> str:
    items = "".join(
        f'<li><a href="{path}t2026111{i}_{i}.html">{name}：关于做好第{i}批重点工作的安排</a>'
        f"<span>2026-11-1{i}</span></li>"
        for i in range(1, 6)
    )
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{name}</title></head><body>'
        f'<div class="nav">{STATIC_NAV}</div><ul class="list">{items}</ul></body></html>'
    )


def site_pages(home: str, request: web.BaseRequest) -> web.Response:
    path = request.path
    if path == "/":
        return web.Response(text=home, content_type="text/html")
    for name, prefix in COLUMNS:
        if path == prefix:
            return web.Response(text=list_page(name, prefix), content_type="text/html")
        if path.startswith(prefix):
            body = f"<html><body><h1>{name}</h1><p>正文内容。</p><p>发布日期：2026-11-11</p></body></html>"
            return web.Response(text=body, content_type="text/html")
    return web.Response(status=404, text="not found")


async def js_only_site(request: web.BaseRequest) -> web.Response:
    return site_pages(JS_HOME, request)


async def challenged_site(request: web.BaseRequest) -> web.Response:
    """Like a WAF: every page answers 521 + a cookie-setting script until the cookie comes back."""
    if request.path != "/robots.txt" and request.cookies.get("__jsl_clearance") != "passed":
        return web.Response(status=521, text=CHALLENGE, content_type="text/html")
    return site_pages(STATIC_HOME, request)


@asynccontextmanager
async def serve(handler):
    runner = web.ServerRunner(web.Server(handler), handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/"
    finally:
        await runner.cleanup()


async def crawl(handler, budget: CrawlBudget, *, browser: bool):
    """(site model, pages rendered, the browser's cookies for the site)."""
    async with serve(handler) as url, Fetcher(LOCAL) as fetcher:
        if not browser:
            return await crawl_site(url, fetcher, reference=AS_OF, budget=budget), None, {}
        async with Renderer(LOCAL) as renderer:
            site = await crawl_site(url, fetcher, reference=AS_OF, budget=budget, renderer=renderer)
            return site, renderer.renders, await renderer.cookies(url)


def column_items(site) -> dict[str, int]:
    return {c.name: len(c.items) for c in site.columns}


def test_without_a_browser_the_page_that_needed_one_is_recorded():
    site, _, _ = asyncio.run(crawl(js_only_site, BUDGET, browser=False))
    assert site.columns == []
    assert site.skipped.get(REASON_NO_BROWSER) == 1
    assert any("首页需要 JavaScript 渲染" in e and "未安装 Chromium" in e for e in site.errors)


def test_a_missing_chromium_is_a_clear_error_not_a_download():
    async def run():
        async with Renderer(executable="/nonexistent/chromium"):
            pass

    with pytest.raises(RenderUnavailable, match="未安装 Chromium.*apt-get install"):
        asyncio.run(run())


@needs_browser
def test_columns_written_by_script_are_found_only_when_rendering():
    rendered, renders, _ = asyncio.run(crawl(js_only_site, BUDGET, browser=True))
    assert renders == 1  # the home page; the list pages are plain HTML
    assert column_items(rendered) == {"通知公告": 5, "政策文件": 5, "工作动态": 5}
    assert "白云县人民政府门户网站" in rendered.home.text
    assert REASON_NO_BROWSER not in rendered.skipped and rendered.errors == []

    plain, renders, cookies = asyncio.run(crawl(js_only_site, NEVER, browser=True))
    assert renders == 0
    assert plain.columns == []
    assert cookies == {}  # the browser was never started


@needs_browser
def test_a_cookie_challenge_is_passed_on_the_home_page_and_the_list_pages():
    site, renders, cookies = asyncio.run(crawl(challenged_site, BUDGET, browser=True))
    assert site.home.ok and site.home.status == 200
    assert "黑山县人民政府门户网站" in site.home.text
    # The browser's clearance cookie goes to the plain fetcher: only the home page needs Chromium,
    # and the list pages, articles and links are read by plain HTTP without being challenged.
    assert renders == 1
    assert column_items(site) == {"通知公告": 5, "政策文件": 5, "工作动态": 5}
    assert site.errors == []
    assert site.articles and not any(link.broken for link in site.links)
    # The clearance cookie, for plain HTTP to reuse.
    assert cookies == {"__jsl_clearance": "passed"}


@needs_browser
def test_home_page_screenshot_is_a_png(tmp_path):
    budget = CrawlBudget(probes=1, crawler_view=False, articles_per_column=0, screenshot_dir=str(tmp_path))
    site, _, _ = asyncio.run(crawl(js_only_site, budget, browser=True))
    assert site.screenshot is not None
    png = (tmp_path / site.screenshot.split("/")[-1]).read_bytes()
    assert site.screenshot.endswith(".png") and site.screenshot.startswith(str(tmp_path))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (1366, 900)
    assert len(png) > 5000  # the rendered heading and text, not a blank image


@needs_browser
def test_render_failures_are_reported_in_chinese():
    async def run():
        async with serve(js_only_site) as url:
            dead = url  # the port is closed once the server stops
        async with Renderer(LOCAL) as renderer:
            return await renderer.render(dead, timeout_s=10)

    page = asyncio.run(run())
    assert page.status is None and not page.ok
    assert page.error == "页面渲染失败：连接被拒绝"


@needs_browser
def test_a_challenge_that_never_lets_the_browser_through_is_an_error():
    stuck = (Path(__file__).parent / "fixtures" / "security_check.html").read_text(encoding="utf-8")

    async def endless(request: web.BaseRequest) -> web.Response:
        if request.path == "/":
            return web.Response(text=stuck, content_type="text/html")  # its script never arrives
        return web.Response(status=404)

    async def run():
        async with serve(endless) as url, Renderer(LOCAL) as renderer:
            return await renderer.render(url, timeout_s=2)

    page = asyncio.run(run())
    assert page.status == 200 and not page.ok
    assert page.error.startswith("浏览器渲染后仍无法读取页面（JavaScript 安全检测页面")


@needs_browser
def test_a_farm_home_page_renders_through_the_farm_proxy():
    farm = build_farm(AS_OF)
    demo = farm.sites[0]
    with FarmServer(farm) as server:

        async def run():
            settings = FetchSettings(proxy=server.proxy_url, trust_env=False)
            async with Renderer(settings) as renderer:
                return await renderer.render(f"http://{demo.host}/")

        before = server.requests
        page = asyncio.run(run())
        assert server.requests > before
    assert page.ok and page.status == 200, page.error
    assert page.final_url.startswith(f"http://{demo.host}/")
    assert demo.name in page.text


async def plain_site(request: web.BaseRequest) -> web.Response:
    return site_pages(STATIC_HOME, request)


@needs_browser
def test_always_renders_the_home_page_even_when_plain_http_reads_it():
    always = CrawlBudget(probes=1, crawler_view=False, articles_per_column=0, render="always")
    site, renders, _ = asyncio.run(crawl(plain_site, always, browser=True))
    assert renders == 1
    assert site.home.encoding == "utf-8" and "黑山县人民政府门户网站" in site.home.text
    assert len(site.columns) == len(COLUMNS)
    _, renders, _ = asyncio.run(crawl(plain_site, BUDGET, browser=True))
    assert renders == 0  # "auto": plain HTTP was enough


def test_the_service_opens_no_browser_when_rendering_is_off():
    from govinspect.service import open_renderer
    from govinspect.settings import Settings

    async def opened(settings):
        async with open_renderer(settings) as renderer:
            return renderer

    assert asyncio.run(opened(Settings(crawl=NEVER))) is None
    expected = Renderer if unavailable_reason() is None else type(None)
    assert isinstance(asyncio.run(opened(Settings())), expected)
