"""Hostile responses: huge bodies, gzip bombs, drip-feeding servers, broken encodings, robots.txt.

Each must end within its time bound, with memory bounded, and leave a clear record on the Page.
"""

import asyncio
import time
import tracemalloc
import zlib

from aiohttp import web

from govinspect.fetch import Fetcher, FetchSettings
from localserver import serve

MB = 1024 * 1024


def run(coro, limit_s: float = 15.0):
    return asyncio.run(asyncio.wait_for(coro, limit_s))


def fast(**overrides) -> FetchSettings:
    base = {"timeout_s": 3.0, "retries": 0, "backoff_s": 0.01, "trust_env": False}
    return FetchSettings(**{**base, **overrides})


async def stream(request, chunks, headers=None):
    """Send `chunks` (an iterable of bytes) as a chunked body; stop quietly when the client leaves."""
    response = web.StreamResponse(headers={"Content-Type": "text/html; charset=utf-8", **(headers or {})})
    await response.prepare(request)
    try:
        for chunk in chunks:
            await response.write(chunk)
    except (ConnectionResetError, RuntimeError, OSError):
        pass
    return response


def fetch_with_peak_memory(routes, path="/", **settings):
    """(page, peak Python allocation in bytes, elapsed seconds) of one get()."""

    async def go():
        async with serve(routes) as base, Fetcher(fast(**settings)) as f:
            return await f.get(base + path)

    tracemalloc.start()
    started = time.monotonic()
    try:
        page = run(go())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return page, peak, time.monotonic() - started


def test_fifty_megabyte_page_is_capped_and_streamed():
    block = b"<p>" + "政务公开".encode() * 5000 + b"</p>\n"

    async def huge(request):
        return await stream(request, (block for _ in range(50 * MB // len(block) + 1)))

    page, peak, elapsed = fetch_with_peak_memory({"/": huge}, max_bytes=2 * MB, timeout_s=20.0)
    assert page.ok and page.truncated
    assert page.size == 2 * MB
    assert "政务公开" in page.text
    assert peak < 20 * MB, f"peak {peak / MB:.1f} MB: the body must be streamed, not held whole"
    assert elapsed < 20


def zeros_gzip_stream(total: int):
    """A gzip stream of `total` zero bytes, compressed on the fly (1 GB -> about 1 MB on the wire)."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
    zeros = bytes(MB)
    for _ in range(total // MB):
        # Flushed per megabyte so bytes flow at once (deflate would otherwise buffer for a while).
        yield compressor.compress(zeros) + compressor.flush(zlib.Z_SYNC_FLUSH)
    yield compressor.flush()


def test_gzip_bomb_stops_at_the_decompressed_cap():
    async def bomb(request):
        return await stream(request, zeros_gzip_stream(1024 * MB), {"Content-Encoding": "gzip"})

    # A generous deadline: tracemalloc slows everything down, and a loaded CI machine more so.
    page, peak, elapsed = fetch_with_peak_memory({"/": bomb}, max_bytes=1 * MB, timeout_s=20.0)
    assert page.truncated and page.size == 1 * MB
    assert peak < 20 * MB, f"peak {peak / MB:.1f} MB while inflating a 1 GB bomb"
    assert elapsed < 20  # ends at the cap, long before the 1 GB would be inflated


def test_deflate_without_zlib_header_is_decoded():
    text = "<html><body>" + "信息公开目录" * 200 + "</body></html>"
    raw = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = raw.compress(text.encode()) + raw.flush()

    async def handler(request):
        return web.Response(
            body=body, headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "deflate"}
        )

    page, _, _ = fetch_with_peak_memory({"/": handler})
    assert page.ok and page.text == text


def test_corrupt_gzip_is_reported():
    async def handler(request):
        return web.Response(
            body=b"\x1f\x8b\x08\x00garbage" * 20,
            headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
        )

    page, _, _ = fetch_with_peak_memory({"/": handler})
    assert not page.ok and page.error == "响应内容解压失败（压缩数据损坏）"


def test_server_dripping_one_byte_a_second_hits_the_read_deadline():
    async def drip(request):
        async def slowly():
            for byte in b"<html><body>" + b"x" * 100:
                yield bytes([byte])
                await asyncio.sleep(1)

        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        try:
            async for chunk in slowly():
                await response.write(chunk)
        except (ConnectionResetError, RuntimeError, OSError):
            pass
        return response

    page, _, elapsed = fetch_with_peak_memory({"/": drip}, timeout_s=2.0, retries=2)
    assert page.status == 200 and not page.ok
    assert page.error.startswith("读取超时（2秒内未读完响应内容")
    # Not retried: a server that started answering but drips would hold the worker again.
    assert elapsed < 3.9  # one attempt (2 s); a retry would take past 4 s


def test_connection_closed_mid_response_with_chunked_body():
    async def cut(request):
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        await response.write(b"<html><body>half a page")
        request.transport.close()  # no terminating chunk
        return response

    page, _, elapsed = fetch_with_peak_memory({"/": cut})
    assert not page.ok and page.error.startswith("连接被中断")
    assert elapsed < 3


def test_invalid_bytes_for_the_declared_charset_are_replaced_not_fatal():
    body = "<html><body>关于政府网站".encode() + b"\xff\xfe\x80" + "检查的通知</body></html>".encode()

    async def handler(request):
        return web.Response(body=body, headers={"Content-Type": "text/html; charset=utf-8"})

    page, _, _ = fetch_with_peak_memory({"/": handler})
    assert page.ok and page.error is None
    assert "关于政府网站" in page.text and "检查的通知" in page.text
    assert "\ufffd" in page.text


# -- robots.txt ------------------------------------------------------------------------------------

ROBOTS = b"User-agent: *\nDisallow: /private/\n\nUser-agent: govinspect\nDisallow: /internal/\n"


def robots_routes(hits: list):
    async def robots(request):
        hits.append(request.path)
        return web.Response(body=ROBOTS, content_type="text/plain")

    return {"/robots.txt": robots}


def allowed_paths(settings: FetchSettings, routes, paths):
    async def go():
        async with serve(routes) as base, Fetcher(settings) as f:
            return [await f.allowed(base + p) for p in paths]

    return run(go())


def test_robots_txt_is_read_once_and_obeyed_for_our_user_agent():
    hits = []
    result = allowed_paths(
        fast(), robots_routes(hits), ["/", "/internal/a.html", "/private/b.html", "/news/"]
    )
    # The group naming govinspect wins over "*": /internal/ is closed, /private/ is not (RFC 9309).
    assert result == [True, False, True, True]
    assert hits == ["/robots.txt"]


def test_robots_txt_ignored_when_switched_off():
    hits = []
    result = allowed_paths(fast(respect_robots=False), robots_routes(hits), ["/internal/a.html"])
    assert result == [True] and hits == []


def test_missing_robots_txt_allows_everything():
    assert allowed_paths(fast(), {}, ["/internal/a.html", "/"]) == [True, True]
