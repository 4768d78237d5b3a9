"""Fetcher against local servers on 127.0.0.1 (port 0). No test touches the internet."""

import asyncio
import gzip
import socket
import time
from collections import Counter
from contextlib import asynccontextmanager

import pytest
from aiohttp import web

from govinspect.fetch import Fetcher, FetchSettings
from localserver import serve

PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
CN = "某某县人民政府 政务公开 通知公告 关于开展政府网站检查工作的通知"


def run(coro, limit_s: float = 10.0):
    return asyncio.run(asyncio.wait_for(coro, limit_s))


def fast(**overrides) -> FetchSettings:
    base = {"timeout_s": 2.0, "retries": 0, "backoff_s": 0.01, "trust_env": False}
    return FetchSettings(**{**base, **overrides})


@asynccontextmanager
async def raw_server(reply: bytes, seen: list[str]):
    """A bare TCP server: records each request line, answers `reply` and closes (a tiny forward proxy)."""

    async def on_client(reader, writer):
        head = await reader.readuntil(b"\r\n\r\n")
        seen.append(head.split(b"\r\n", 1)[0].decode())
        writer.write(reply)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(on_client, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    finally:
        server.close()


def html_response(body: bytes, content_type: str = "text/html", status: int = 200, **headers) -> web.Response:
    return web.Response(body=body, status=status, headers={"Content-Type": content_type, **headers})


# -- decoding through HTTP -------------------------------------------------------------------------


def fetch_one(handler, path="/", **settings):
    async def go():
        async with serve(handler) as base, Fetcher(fast(**settings)) as f:
            return await f.get(base + path)

    return run(go())


def test_gbk_page_with_charset_only_in_meta():
    body = f'<html><head><meta charset="gbk"></head><body>{CN}</body></html>'.encode("gbk")
    page = fetch_one(lambda r: html_response(body, "text/html"))
    assert page.ok and page.status == 200 and page.content_type == "text/html"
    assert CN in page.text and page.encoding == "gb18030" and page.size == len(body)


def test_gbk_page_with_wrong_header_charset():
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=gbk">'
    body = f"<html><head>{meta}</head><body>{CN}</body></html>".encode("gbk")
    page = fetch_one(lambda r: html_response(body, "text/html; charset=utf-8"))
    assert CN in page.text and page.encoding == "gb18030"


def test_utf8_page_with_bom():
    body = b"\xef\xbb\xbf" + f"<html><body>{CN}</body></html>".encode()
    page = fetch_one(lambda r: html_response(body, "text/html"))
    assert page.text.startswith("<html>") and CN in page.text and page.encoding == "utf-8"


def test_gb2312_declared_with_gb18030_only_char():
    body = f'<html><head><meta charset="gb2312"></head><body>刘䶮{CN}</body></html>'.encode("gb18030")
    page = fetch_one(lambda r: html_response(body, "text/html; charset=gb2312"))
    assert "刘䶮" in page.text and "\ufffd" not in page.text


def test_gzip_body_is_decompressed():
    raw = f"<html><body>{CN * 50}</body></html>".encode()
    page = fetch_one(
        lambda r: html_response(
            gzip.compress(raw), "text/html; charset=utf-8", **{"Content-Encoding": "gzip"}
        )
    )
    assert page.ok and CN in page.text and page.size == len(raw)


def test_non_html_content_type_leaves_text_empty():
    page = fetch_one(lambda r: html_response(b"%PDF-1.4 " + b"x" * 5000, "application/pdf"))
    assert page.ok and page.content_type == "application/pdf" and page.text == "" and page.encoding is None


def test_size_cap_truncates_without_error():
    body = b"<html><body>" + b"a" * 100_000 + b"</body></html>"
    page = fetch_one(lambda r: html_response(body), max_bytes=10_000)
    assert page.ok and page.error is None and page.truncated
    assert page.size == 10_000 and len(page.text) == 10_000


def test_body_under_the_cap_is_not_truncated():
    page = fetch_one(lambda r: html_response(b"x" * 1000), max_bytes=1000)
    assert not page.truncated and page.size == 1000


# -- redirects -------------------------------------------------------------------------------------


def redirecting(request):
    path = request.path
    if path == "/a":
        raise web.HTTPFound("/b")
    if path == "/b":
        raise web.HTTPMovedPermanently("/c#top")
    if path == "/x":
        raise web.HTTPFound("/y")
    if path == "/y":
        raise web.HTTPFound("/x")
    if path.startswith("/n/"):
        raise web.HTTPFound(f"/n/{int(path[3:]) + 1}")
    if path == "/cookie" and "pass" not in request.cookies:
        response = web.HTTPFound("/cookie")
        response.set_cookie("pass", "1")
        raise response
    return html_response(f"<html>{path}</html>".encode())


def test_redirect_chain_recorded():
    async def go():
        async with serve(redirecting) as base, Fetcher(fast()) as f:
            return base, await f.get(base + "/a")

    base, page = run(go())
    assert page.ok and page.text == "<html>/c</html>"
    assert page.url == base + "/a" and page.final_url == base + "/c"
    assert page.redirects == [base + "/a", base + "/b"]


def test_redirect_loop_detected():
    async def go():
        async with serve(redirecting) as base, Fetcher(fast()) as f:
            return base, await f.get(base + "/x")

    base, page = run(go())
    assert not page.ok and page.status == 302
    assert page.error.startswith("重定向次数过多或出现循环（出现循环：")
    assert f"{base}/x → {base}/y → {base}/x" in page.error


def test_too_many_redirects():
    page = fetch_one(redirecting, "/n/0", max_redirects=3)
    assert page.error == "重定向次数过多或出现循环（超过3次）" and len(page.redirects) == 4


def test_redirect_to_self_that_sets_a_cookie_is_not_a_loop():
    page = fetch_one(redirecting, "/cookie")
    assert page.ok and page.text == "<html>/cookie</html>" and len(page.redirects) == 1


# -- HTTP errors, retries, timeouts, connection failures -------------------------------------------


def counting(status: int, hits: Counter):
    async def handler(request):
        hits[request.method] += 1
        return html_response(b"<html>error</html>", status=status)

    return handler


@pytest.mark.parametrize(("status", "expected_hits"), [(404, 1), (503, 3)])
def test_http_errors_and_retry_count(status, expected_hits):
    hits = Counter()

    async def go():
        async with serve(counting(status, hits)) as base, Fetcher(fast(retries=2)) as f:
            return await f.get(base + "/p"), f.stats

    page, stats = run(go())
    assert page.status == status and page.error == f"HTTP {status}" and not page.ok
    assert page.text == "<html>error</html>"  # the error page is still read
    assert hits["GET"] == expected_hits
    assert stats["retries"] == expected_hits - 1 and stats["requests"] == expected_hits
    assert stats["errors"] == {f"http_{status}": 1}


def hanging(hits: Counter):
    async def handler(request):
        hits["GET"] += 1
        await asyncio.sleep(5)
        return html_response(b"late")

    return handler


def test_hanging_server_times_out_within_bounds():
    hits = Counter()
    started = time.monotonic()
    page = fetch_one(hanging(hits), timeout_s=0.5, retries=1)
    elapsed = time.monotonic() - started
    assert page.status is None and page.error == "连接超时（超过0.5秒未响应）"
    assert hits["GET"] == 2  # timeouts are retried
    assert 1.0 <= elapsed < 2.5 and 1.0 <= page.elapsed_s < 2.5


def test_connection_refused():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there

    async def go():
        async with Fetcher(fast()) as f:
            return await f.get(f"http://127.0.0.1:{port}/")

    page = run(go())
    assert page.status is None and page.error.startswith("连接被拒绝（127.0.0.1:")


def test_connection_cut_mid_body():
    reply = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n<html>cut"

    async def go():
        async with raw_server(reply, []) as base, Fetcher(fast()) as f:
            return await f.get(base + "/")

    page = run(go())
    assert not page.ok and page.error.startswith("连接被中断")


def test_dns_failure_for_invalid_host():
    async def go():
        async with Fetcher(fast(timeout_s=2.0)) as f:
            return await f.get("http://no-such-site.invalid/index.html"), f.stats

    page, stats = run(go(), limit_s=8)
    assert page.status is None and page.error.startswith("域名无法解析")
    assert stats["errors"] == {"dns": 1}


def test_invalid_url_is_reported_not_raised():
    async def go():
        async with Fetcher(fast()) as f:
            return await f.get("/relative/path.html")

    assert run(go()).error == "网址无效（/relative/path.html）"


# -- link checks -----------------------------------------------------------------------------------


def test_check_link_falls_back_to_get_when_head_is_refused():
    seen = []

    async def handler(request):
        seen.append(request.method)
        if request.method == "HEAD":
            return web.Response(status=405)
        return html_response(b"<html>" + b"x" * 100_000 + b"</html>")

    async def go():
        async with serve(handler) as base, Fetcher(fast()) as f:
            return await f.check_link(base + "/doc", found_on=base + "/", anchor="文件")

    status = run(go())
    assert seen == ["HEAD", "GET"] and status.status == 200 and not status.broken
    assert status.anchor == "文件"


def test_check_link_is_cached_and_shared():
    hits = Counter()

    async def handler(request):
        hits[request.method] += 1
        await asyncio.sleep(0.1)
        return html_response(b"ok")

    async def go():
        async with serve(handler) as base, Fetcher(fast()) as f:
            first, second = await asyncio.gather(
                f.check_link(base + "/t#one", found_on=base + "/p1", anchor="一"),
                f.check_link(base + "/t#two", found_on=base + "/p2", anchor="二"),
            )
            third = await f.check_link(base + "/t", found_on=base + "/p1")
            return base, first, second, third, f.stats

    base, first, second, third, stats = run(go())
    assert hits == Counter({"HEAD": 1})
    assert not first.broken and first.status == second.status == third.status == 200
    # The cache keeps the answer, not who linked to it: each caller gets its own page and anchor.
    assert first.url == base + "/t" and first.found_on == [base + "/p1"] and first.anchor == "一"
    assert second.found_on == [base + "/p2"] and second.anchor == "二"
    assert third.found_on == [base + "/p1"] and third.anchor == "一"
    assert stats["links_checked"] == 1 and stats["link_cache_hits"] == 2


def test_broken_link_and_uncheckable_link():
    hits = Counter()

    async def go():
        async with serve(counting(404, hits)) as base, Fetcher(fast()) as f:
            return await f.check_link(base + "/gone"), await f.check_link("javascript:void(0)")

    gone, js = run(go())
    assert gone.broken and gone.status == 404 and gone.error == "HTTP 404"
    assert hits == Counter({"HEAD": 1, "GET": 1})  # a 404 on HEAD is confirmed by GET
    assert js.status is None and js.error.startswith("不是可检查的网页链接")


def test_link_to_unresolvable_host_is_not_retried_with_get():
    async def go():
        async with Fetcher(fast()) as f:
            return await f.check_link("http://dead.invalid/x"), f.stats

    status, stats = run(go(), limit_s=8)
    assert status.broken and status.error.startswith("域名无法解析") and stats["requests"] == 1


# -- politeness ------------------------------------------------------------------------------------


def test_per_host_concurrency_limit():
    now = Counter()
    peak = Counter()

    async def handler(request):
        now["in"] += 1
        peak["max"] = max(peak["max"], now["in"])
        await asyncio.sleep(0.05)
        now["in"] -= 1
        return html_response(b"ok")

    async def go():
        async with serve(handler) as base, Fetcher(fast(per_host=3, total=32)) as f:
            return await asyncio.gather(*(f.get(f"{base}/{i}") for i in range(12)))

    pages = run(go())
    assert all(p.ok for p in pages) and peak["max"] == 3


def test_per_host_delay_spaces_request_starts():
    starts = []

    async def handler(request):
        starts.append(time.monotonic())
        return html_response(b"ok")

    async def go():
        async with serve(handler) as base, Fetcher(fast(per_host=4, delay_s=0.1)) as f:
            await asyncio.gather(*(f.get(f"{base}/{i}") for i in range(4)))

    run(go())
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert len(starts) == 4 and min(gaps) >= 0.08


# -- proxies ---------------------------------------------------------------------------------------

VIA_PROXY = b"<html>via proxy</html>"
PROXY_REPLY = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s" % (
    len(VIA_PROXY),
    VIA_PROXY,
)


def test_explicit_proxy_receives_absolute_form_requests():
    lines = []

    async def go():
        async with raw_server(PROXY_REPLY, lines) as proxy, Fetcher(fast(proxy=proxy)) as f:
            return await f.get("http://www.example.invalid/zwgk/?page=2")

    page = run(go())
    assert lines == ["GET http://www.example.invalid/zwgk/?page=2 HTTP/1.1"]
    assert page.ok and page.text == "<html>via proxy</html>"


def test_env_proxy_and_no_proxy(monkeypatch):
    lines = []
    direct_hits = Counter()

    async def direct(request):
        direct_hits[request.path] += 1
        return html_response(b"<html>direct</html>")

    async def go(trust_env):
        async with raw_server(PROXY_REPLY, lines) as proxy, serve(direct) as base:
            monkeypatch.setenv("HTTP_PROXY", proxy)
            monkeypatch.delenv("NO_PROXY", raising=False)
            async with Fetcher(fast(trust_env=trust_env)) as f:
                via_proxy = await f.get(base + "/a")  # 127.0.0.1 not exempt: goes to the proxy
            # The environment is read once per host and Fetcher: a new one sees the change.
            monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
            async with Fetcher(fast(trust_env=trust_env)) as f:
                exempt = await f.get(base + "/b")
                remote = await f.get("http://far.example.invalid/c")
                return base, via_proxy, exempt, remote

    base, via_proxy, exempt, remote = run(go(trust_env=True))
    assert via_proxy.text == "<html>via proxy</html>" and exempt.text == "<html>direct</html>"
    assert remote.text == "<html>via proxy</html>"
    assert lines == [f"GET {base}/a HTTP/1.1", "GET http://far.example.invalid/c HTTP/1.1"]
    assert direct_hits == Counter({"/b": 1})

    lines.clear()
    direct_hits.clear()
    base, via_proxy, exempt, remote = run(go(trust_env=False))
    assert via_proxy.text == exempt.text == "<html>direct</html>"
    assert direct_hits == Counter({"/a": 1, "/b": 1})
    assert lines == [] and remote.error.startswith("域名无法解析")  # tried directly, not via the proxy


# -- probes ----------------------------------------------------------------------------------------


def test_probe_outcomes():
    async def handler(request):
        if request.path == "/slow":
            await asyncio.sleep(5)
        if request.path == "/down":
            return web.Response(status=503)
        if request.path == "/moved":
            raise web.HTTPFound("/elsewhere")
        return html_response(b"<html>home</html>")

    async def go():
        async with serve(handler) as base, Fetcher(fast(retries=3)) as f:
            ok = await f.probe(base + "/")
            slow = await f.probe(base + "/slow", timeout_s=0.5)
            down = await f.probe(base + "/down")
            moved = await f.probe(base + "/moved")
            return ok, slow, down, moved, f.stats

    ok, slow, down, moved, stats = run(go())
    assert ok.ok and ok.status == 200 and ok.error is None and 0 < ok.elapsed_s < 1
    assert not slow.ok and slow.status is None and slow.error == "连接超时（超过0.5秒未响应）"
    assert 0.45 <= slow.elapsed_s < 1.5
    assert not down.ok and down.status == 503 and down.error == "HTTP 503"
    assert moved.ok and moved.status == 302
    assert stats["retries"] == 0 and stats["probes"] == 4 and stats["requests"] == 4


def test_use_outside_async_with_is_a_clear_error():
    with pytest.raises(RuntimeError, match="async with"):
        run(Fetcher().get("http://127.0.0.1/"))


# -- a timeout is an answer ------------------------------------------------------------------------


def test_waiting_for_a_connection_is_not_a_timeout():
    """With every connection of the pool busy on a hanging host, the requests queued behind it
    are timed from when they get a connection, not from when they asked: a province's slow
    sites must not turn their neighbours' pages into timeouts."""

    async def handler(request):
        await asyncio.sleep(5 if request.path == "/hang" else 0.15)
        return html_response(b"ok")

    async def go():
        async with serve(handler) as base, Fetcher(fast(timeout_s=0.4, total=1, per_host=4)) as f:
            hang = asyncio.ensure_future(f.get(base + "/hang"))
            await asyncio.sleep(0.05)  # the hanging request holds the only connection first
            quick = await asyncio.gather(*(f.get(f"{base}/quick{i}") for i in range(3)))
            return await hang, quick

    hang, quick = run(go())
    assert not hang.ok and "超时" in (hang.error or "")
    assert [p.status for p in quick] == [200, 200, 200], [p.error for p in quick]


def test_link_check_timeout_is_final_and_costs_one_request():
    hits = Counter()

    async def handler(request):
        hits[request.method] += 1
        await asyncio.sleep(5)
        return html_response(b"late")

    async def go():
        async with serve(handler) as base, Fetcher(fast(timeout_s=0.3, retries=2)) as f:
            status = await f.check_link(base + "/hang", found_on=base + "/")
            return status, f.stats

    started = time.monotonic()
    status, stats = run(go())
    assert hits == Counter({"HEAD": 1})  # no GET fallback after a HEAD timeout, no retry
    assert status.broken and status.error == "连接超时（超过0.3秒未响应）"
    assert stats["errors"] == {"timeout": 1} and stats["retries"] == 0
    assert time.monotonic() - started < 2.0


def test_link_check_get_timeout_is_not_retried():
    hits = Counter()

    async def handler(request):
        hits[request.method] += 1
        if request.method == "HEAD":
            return web.Response(status=405)
        await asyncio.sleep(5)
        return html_response(b"late")

    async def go():
        async with serve(handler) as base, Fetcher(fast(timeout_s=0.3, retries=2)) as f:
            return await f.check_link(base + "/slow-get")

    status = run(go())
    assert hits == Counter({"HEAD": 1, "GET": 1})
    assert status.broken and "超时" in status.error


def test_one_hanging_target_costs_one_timeout_for_five_sites():
    hits = Counter()

    async def hang(request):
        hits[request.method] += 1
        await asyncio.sleep(5)
        return html_response(b"late")

    async def go():
        async with serve(hang) as target, Fetcher(fast(timeout_s=0.3)) as f:
            sites = [f"http://site{i}.example/" for i in range(5)]
            # Five sites link to it: two at once, then the others later in the run.
            first = await asyncio.gather(*(f.check_link(target + "/", found_on=s) for s in sites[:2]))
            later = [await f.check_link(target + "/", found_on=s) for s in sites[2:]]
            return [*first, *later], f.stats

    statuses, stats = run(go())
    assert sum(hits.values()) == 1
    assert all(s.broken and "超时" in s.error for s in statuses)
    assert stats["errors"] == {"timeout": 1} and stats["link_cache_hits"] == 4


def test_link_cache_is_bounded():
    async def handler(request):
        return html_response(b"ok")

    async def go():
        async with serve(handler) as base, Fetcher(fast(link_cache=3)) as f:
            for i in range(6):
                await f.check_link(f"{base}/p{i}")
            cached = len(f._links)
            await f.check_link(f"{base}/p0")  # forgotten: checked again
            return cached, f.stats

    cached, stats = run(go())
    assert cached == 3
    assert stats["links_checked"] == 7 and stats["link_cache_hits"] == 0


def test_link_cache_keeps_answers_not_finished_checks():
    # A province fills the cache with ~20,000 answers: the finished check (task, coroutine,
    # context) of each is let go, the answer stays and still serves later callers.
    async def handler(request):
        return html_response(b"ok", status=404 if request.path == "/gone" else 200)

    async def go():
        async with serve(handler) as base, Fetcher(fast()) as f:
            await asyncio.gather(f.check_link(base + "/ok"), f.check_link(base + "/gone"))
            await asyncio.sleep(0)
            held = [task for _, task in f._links.values()]
            again = await f.check_link(base + "/gone", found_on=base + "/p")
            return held, again, f.stats

    held, again, stats = run(go())
    assert held == [None, None]
    assert again.broken and again.status == 404 and again.found_on and stats["link_cache_hits"] == 1


def test_environment_proxy_is_resolved_once_per_host(monkeypatch):
    import aiohttp.helpers

    lines, resolved = [], []
    real = aiohttp.helpers.get_env_proxy_for_url

    def counting(url):
        resolved.append(url.host)
        return real(url)

    monkeypatch.setattr(aiohttp.helpers, "get_env_proxy_for_url", counting)

    async def go():
        async with raw_server(PROXY_REPLY, lines) as proxy:
            monkeypatch.setenv("HTTP_PROXY", proxy)
            async with Fetcher(fast(trust_env=True)) as f:
                pages = [await f.get(f"http://one.example.invalid/{i}") for i in range(5)]
                pages.append(await f.get("http://two.example.invalid/"))
                return pages

    pages = run(go())
    assert all(p.text == "<html>via proxy</html>" for p in pages)
    assert len(lines) == 6 and resolved == ["one.example.invalid", "two.example.invalid"]


def test_a_host_that_timed_out_without_answering_is_not_asked_again_by_link_checks():
    hits = Counter()

    async def hang(request):
        hits[request.path] += 1
        await asyncio.sleep(5)
        return html_response(b"late")

    async def go():
        async with serve(hang) as target, Fetcher(fast(timeout_s=0.3, per_host=1)) as f:
            # Three pages of one dead partner site, linked at once by three sites: one slot for
            # the host, so two wait behind the first and find it timed out.
            at_once = await asyncio.gather(*(f.check_link(f"{target}/p{i}.html") for i in range(3)))
            later = await f.check_link(target + "/other.html")
            return [*at_once, later], f.stats

    statuses, stats = run(go())
    assert sum(hits.values()) == 1  # one timeout for the host in the whole run
    assert all(s.broken and s.error.startswith("连接超时（超过0.3秒未响应）") for s in statuses)
    assert sum("未再请求" in s.error for s in statuses) == 3
    assert stats["hung_host_hits"] == 3 and stats["requests"] == 1


def test_a_host_that_answered_is_asked_again_after_one_of_its_links_timed_out():
    hits = Counter()

    async def handler(request):
        hits[request.path] += 1
        if request.path == "/slow":
            await asyncio.sleep(5)
        return html_response(b"ok")

    async def go():
        async with serve(handler) as base, Fetcher(fast(timeout_s=0.3)) as f:
            first = await f.check_link(base + "/a")
            slow = await f.check_link(base + "/slow")
            after = await f.check_link(base + "/b")
            return first, slow, after

    first, slow, after = run(go())
    assert not first.broken and slow.broken and not after.broken
    assert hits == Counter({"/a": 1, "/slow": 1, "/b": 1})


def test_a_page_fetch_still_asks_a_host_whose_link_check_timed_out():
    hits = Counter()

    async def hang(request):
        hits[request.method] += 1
        await asyncio.sleep(5)
        return html_response(b"late")

    async def go():
        async with serve(hang) as base, Fetcher(fast(timeout_s=0.3)) as f:
            await f.check_link(base + "/a")
            return await f.get(base + "/b")

    page = run(go())
    assert page.status is None and page.error == "连接超时（超过0.3秒未响应）"
    assert hits == Counter({"HEAD": 1, "GET": 1})


def test_a_link_check_started_early_is_shared_by_the_later_check():
    hits = Counter()
    started = asyncio.Event()

    async def handler(request):
        hits[request.method] += 1
        started.set()
        return html_response(b"ok")

    async def go():
        async with serve(handler) as base, Fetcher(fast()) as f:
            f.start_link_check(base + "/partner", anchor="合作单位")
            await asyncio.wait_for(started.wait(), 5)  # requested before anyone asks for it
            status = await f.check_link(base + "/partner", found_on=base + "/")
            return status, f.stats

    status, stats = run(go())
    assert hits == Counter({"HEAD": 1})
    assert status.status == 200 and status.anchor == "合作单位"
    assert stats["links_checked"] == 1 and stats["link_cache_hits"] == 0
