"""HomeProber against servers on 127.0.0.1: one test per outcome; names resolve through a fake
resolver so nothing leaves the machine."""

import asyncio
import ssl

import pytest
from aiohttp import web

from govinspect.monitor.probe import FAILURE_OUTCOMES, HomeProber, ProbeResult, classify_response
from shared_data import REALPAGES

from .pages import HOME, render_fixture
from .servers import FakeResolver, free_port, raw_server, serve

NAMES = {"www.mm.gov.cn", "xxgk.mm.gov.cn", "www.casino-example.com"}


def run(coro, limit_s: float = 10.0):
    return asyncio.run(asyncio.wait_for(coro, limit_s))


async def probe_once(url: str, timeout_s: float = 2.0) -> ProbeResult:
    async with HomeProber(timeout_s=timeout_s, resolver=FakeResolver(NAMES), vantage="test") as prober:
        return await prober.probe(url)


def html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8")


def static(body: str, status: int = 200):
    async def handler(request):
        return html(body, status)

    return handler


def probe_handler(handler, path: str = "/", host: str = "www.mm.gov.cn", timeout_s: float = 2.0):
    async def go():
        async with serve(handler) as port:
            return await probe_once(f"http://{host}:{port}{path}", timeout_s)

    return run(go())


def test_ok_home_page():
    calls = []

    async def handler(request):
        calls.append(request.host)
        return html(HOME)

    result = probe_handler(handler)
    assert (result.outcome, result.ok, result.status) == ("ok", True, 200)
    assert result.reason == "首页访问正常"
    assert result.vantage == "test"
    assert result.at.tzinfo is not None
    assert calls and calls[0].startswith("www.mm.gov.cn")  # sent by name, resolved locally


def test_dns_failure_never_leaves_the_machine():
    resolver = FakeResolver(set())

    async def go():
        async with HomeProber(timeout_s=2, resolver=resolver) as prober:
            return await prober.probe("http://www.nosuch.gov.cn/")

    result = run(go())
    assert (result.outcome, result.ok, result.status) == ("dns", False, None)
    assert "域名无法解析" in result.reason
    assert resolver.lookups == ["www.nosuch.gov.cn"]


def test_connection_refused():
    result = run(probe_once(f"http://127.0.0.1:{free_port()}/"))
    assert (result.outcome, result.ok) == ("refused", False)
    assert "连接被拒绝" in result.reason


def test_connection_reset_before_any_response():
    async def slam(reader, writer):
        await reader.read(100)
        writer.transport.abort()

    async def go():
        async with raw_server(slam) as port:
            return await probe_once(f"http://127.0.0.1:{port}/")

    result = run(go())
    assert (result.outcome, result.ok) == ("reset", False)
    assert "中断" in result.reason


def test_timeout_when_headers_do_not_arrive():
    async def handler(request):
        await asyncio.sleep(1)
        return html(HOME)

    result = probe_handler(handler, timeout_s=0.4)
    assert (result.outcome, result.ok, result.status) == ("timeout", False, None)
    assert 0.35 <= result.latency_s < 1.5
    assert "0.4秒" in result.reason


def test_timeout_when_body_drips():
    async def handler(request):
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        for _ in range(20):
            await response.write(b"<p>x</p>")
            await asyncio.sleep(0.1)
        return response

    result = probe_handler(handler, timeout_s=0.5)
    assert (result.outcome, result.ok) == ("timeout", False)


@pytest.mark.parametrize(("status", "outcome"), [(500, "http_5xx"), (502, "http_5xx"), (404, "http_4xx")])
def test_http_errors_are_one_request_no_retry(status, outcome):
    calls = []

    async def handler(request):
        calls.append(1)
        return html(f"<html><body><h1>{status}</h1></body></html>", status)

    result = probe_handler(handler)
    assert (result.outcome, result.ok, result.status) == (outcome, False, status)
    assert f"HTTP {status}" in result.reason
    assert len(calls) == 1  # a probe never retries silently


def test_tls_self_signed_certificate_is_a_tls_failure():
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    cert = ca.issue_cert("www.mm.gov.cn")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)

    async def go():
        async with serve(static(HOME), ssl_context=context) as port:
            return await probe_once(f"https://www.mm.gov.cn:{port}/")

    result = run(go())
    assert (result.outcome, result.ok) == ("tls", False)
    assert "HTTPS" in result.reason


@pytest.mark.parametrize(
    ("name", "status", "vendor"),
    [
        ("jsl_clearance.html", 521, "加速乐"),
        ("jsl_521.html", 521, "Cookie"),
        ("rivers_412.html", 412, "瑞数"),
        ("safedog.html", 200, "安全狗"),
        ("yunsuo.html", 200, "云锁"),
        ("security_check.html", 200, "安全检测"),
        ("cookie_reload.html", 200, "Cookie"),
    ],
)
def test_waf_challenge_is_challenged_not_down(name, status, vendor):
    result = probe_handler(static(render_fixture(name), status))
    assert (result.outcome, result.ok, result.status) == ("challenged", True, status)
    assert vendor in result.reason
    assert result.reason.startswith("网站可访问，但本监测客户端被安全防护拦截")


@pytest.mark.parametrize("name", ["vue_shell.html", "js_redirect.html"])
def test_pages_built_by_javascript_are_up_not_challenged(name):
    result = probe_handler(static(render_fixture(name)))
    assert result.outcome == "ok"


def test_a_real_page_carrying_a_waf_script_is_ok():
    page = HOME.replace("</body>", '<script>var __jsluid_s="x";document.cookie="a=1";</script></body>')
    result = probe_handler(static(page))
    assert result.outcome == "ok"


@pytest.mark.parametrize(
    ("status", "notice"),
    [
        (200, "本网站正在进行升级改版，暂停访问，给您带来不便敬请谅解。"),
        (503, "因系统维护，网站临时关停。恢复时间另行通知。"),
    ],
)
def test_maintenance_notice_page(status, notice):
    page = f'<html><head><meta charset="utf-8"><title>公告</title></head><body><p>{notice}</p></body></html>'
    result = probe_handler(static(page, status))
    assert (result.outcome, result.ok) == ("maintenance", True)
    assert "维护或关停公告" in result.reason


def test_home_page_with_a_maintenance_news_title_is_ok():
    page = HOME.replace("</body>", '<a href="/n.html">关于门户网站系统维护的公告</a></body>')
    result = probe_handler(static(page))
    assert result.outcome == "ok"


def test_redirect_to_another_registered_domain():
    async def handler(request):
        raise web.HTTPFound("http://www.casino-example.com/")

    result = probe_handler(handler)
    assert (result.outcome, result.ok, result.status) == ("redirect_offsite", False, 302)
    assert "www.casino-example.com" in result.reason


def test_redirects_on_the_own_domain_are_followed():
    seen = []

    async def handler(request):
        seen.append((request.host.split(":")[0], request.path))
        if request.host.startswith("www."):
            raise web.HTTPMovedPermanently(f"http://xxgk.mm.gov.cn:{request.url.port}/index.html")
        return html(HOME)

    result = probe_handler(handler)
    assert (result.outcome, result.status) == ("ok", 200)
    assert result.final_url.startswith("http://xxgk.mm.gov.cn:") and result.final_url.endswith("/index.html")
    assert seen == [("www.mm.gov.cn", "/"), ("xxgk.mm.gov.cn", "/index.html")]


def test_waf_cookie_redirect_is_followed_within_the_probe():
    async def handler(request):
        if request.cookies.get("clearance") != "ok":
            response = web.HTTPFound("/")
            response.set_cookie("clearance", "ok")
            raise response
        return html(HOME)

    result = probe_handler(handler)
    assert result.outcome == "ok"


def test_redirect_loop_is_a_failure():
    async def handler(request):
        raise web.HTTPFound("/a" if request.path == "/" else "/")

    result = probe_handler(handler)
    assert (result.outcome, result.ok) == ("error", False)
    assert "循环" in result.reason


def test_probe_result_round_trips_through_json_dict():
    result = probe_handler(static(HOME))
    assert ProbeResult.from_dict(result.to_dict()) == result


def test_model_probe_for_the_unreachable_check():
    result = probe_handler(static("<html><body>500</body></html>", 500))
    model = result.as_model_probe()
    assert (model.ok, model.status, model.error, model.at) == (False, 500, result.reason, result.at)


def test_failure_outcomes_exclude_challenge_and_maintenance():
    assert "challenged" not in FAILURE_OUTCOMES and "maintenance" not in FAILURE_OUTCOMES


def test_real_pages_are_neither_challenges_nor_notices():
    """Held-out check: none of the real pages (news, portals, government list pages) is a WAF or
    maintenance page; none was looked at while writing the patterns."""
    files = sorted(REALPAGES.glob("gne_testpages/**/*.html")) + sorted(REALPAGES.glob("cwced/**/*.html"))
    if not files:
        pytest.skip("shared/realpages not present")
    from govinspect.fetch.decode import decode_html

    wrong = []
    for path in files:
        text, _ = decode_html(path.read_bytes(), None)
        outcome, _ = classify_response(200, "http://x.gov.cn/", text)
        if outcome != "ok":
            wrong.append((path.name, outcome))
    assert len(files) > 100
    assert wrong == []
