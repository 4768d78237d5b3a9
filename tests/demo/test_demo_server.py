"""The farm's HTTP server: forward proxy, Host routing, gzip, error statuses, the bad sites."""

from __future__ import annotations

import asyncio
import datetime as dt
import gzip
import time

import aiohttp
import pytest

from govinspect.demo import Farm, FarmServer, build_farm

AS_OF = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def farm() -> Farm:
    return build_farm(AS_OF, include_bad=True)


@pytest.fixture(scope="module")
def server(farm: Farm):
    with FarmServer(farm) as srv:
        yield srv


async def _get(url: str, proxy: str | None = None, **kw) -> tuple[int, dict[str, str], bytes]:
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session,
        session.get(url, proxy=proxy, **kw) as resp,
    ):
        return resp.status, dict(resp.headers), await resp.read()


def get(url: str, proxy: str | None = None, **kw) -> tuple[int, dict[str, str], bytes]:
    return asyncio.run(_get(url, proxy, **kw))


async def _raw(port: int, request: bytes) -> tuple[bytes, bytes]:
    """Send one raw HTTP/1.1 request; return (head, body)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    data = await asyncio.wait_for(reader.read(), 5)
    writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    return head, body


def raw(port: int, request: str) -> tuple[bytes, bytes]:
    return asyncio.run(_raw(port, request.encode()))


def test_proxy_request_serves_the_site_gzipped(server: FarmServer, farm: Farm):
    assert server.proxy_url == f"http://127.0.0.1:{server.port}" and server.port > 0
    status, headers, body = get("http://www.qingshan.gov.cn/", proxy=server.proxy_url)
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"  # aiohttp asks for it and decompresses
    assert body == farm.site("www.qingshan.gov.cn").routes["/"].body
    assert "青山县人民政府" in body.decode()


def test_absolute_form_request_line_wins_over_host_header(server: FarmServer, farm: Farm):
    head, body = raw(
        server.port,
        "GET http://www.hexi.gov.cn/zwdt/ HTTP/1.1\r\nHost: www.qingshan.gov.cn\r\nConnection: close\r\n\r\n",
    )
    assert head.startswith(b"HTTP/1.1 200")
    assert body == farm.site("www.hexi.gov.cn").routes["/zwdt/"].body


def test_host_header_routing_without_gzip_unless_asked(server: FarmServer, farm: Farm):
    route = farm.site("www.songlin.gov.cn").routes["/gzdt/index.html"]
    head, body = raw(
        server.port, "GET /gzdt/index.html HTTP/1.1\r\nHost: www.songlin.gov.cn\r\nConnection: close\r\n\r\n"
    )
    assert b"Content-Encoding" not in head and body == route.body
    assert b"Content-Type: text/html; charset=GBK" in head
    head, body = raw(
        server.port,
        "GET /gzdt/index.html HTTP/1.1\r\nHost: www.songlin.gov.cn:80\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n",
    )
    assert b"Content-Encoding: gzip" in head and gzip.decompress(body) == route.body


def test_gbk_site_without_charset_header(server: FarmServer, farm: Farm):
    status, headers, body = get("http://www.baishui.gov.cn/", proxy=server.proxy_url)
    assert status == 200 and headers["Content-Type"] == "text/html"
    text = body.decode("gb18030")
    assert "白水县人民政府" in text and "charset=gb2312" in text


def test_unknown_path_404_unknown_host_502_and_down_site_503(server: FarmServer):
    status, _, body = get("http://www.qingshan.gov.cn/no/such/page.html", proxy=server.proxy_url)
    assert status == 404 and "页面不存在" in body.decode()
    status, _, body = get("http://www.hexiqu-old.gov.cn/", proxy=server.proxy_url)
    assert status == 502 and "无法连接" in body.decode()
    head, body = raw(server.port, "GET / HTTP/1.1\r\nHost: www.nowhere.example\r\nConnection: close\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 502") and "www.nowhere.example" in body.decode()
    status, _, _ = get("http://www.nanhu.gov.cn/", proxy=server.proxy_url)
    assert status == 503
    status, _, _ = get("http://www.nanhu.gov.cn/zwdt/", proxy=server.proxy_url)
    assert status == 200  # only the home page is down


def test_directory_without_slash_redirects(server: FarmServer):
    status, headers, _ = get("http://www.qingshan.gov.cn/zwdt", proxy=server.proxy_url, allow_redirects=False)
    assert status == 301 and headers["Location"] == "http://www.qingshan.gov.cn/zwdt/"


def test_external_marks_hosts_are_served(server: FarmServer):
    for url in (
        "http://www.gov.cn/",
        "http://beian.miit.gov.cn/",
        "http://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3601230001",
        "http://www.jiangxi.gov.cn/",
    ):
        assert get(url, proxy=server.proxy_url)[0] == 200, url
    status, headers, body = get("http://dcs.conac.cn/js/36/000/0000/12345678/CA36.js", proxy=server.proxy_url)
    assert status == 200 and headers["Content-Type"] == "application/javascript" and b"_ideConac" in body
    status, headers, _ = get("http://dcs.conac.cn/image/red.png", proxy=server.proxy_url)
    assert status == 200 and headers["Content-Type"] == "image/png"


def test_connect_is_refused_plainly(server: FarmServer):
    head, _ = raw(
        server.port, "CONNECT www.gov.cn:443 HTTP/1.1\r\nHost: www.gov.cn:443\r\nConnection: close\r\n\r\n"
    )
    assert head.startswith(b"HTTP/1.1 501")


def test_pdf_home_site(server: FarmServer):
    status, headers, body = get("http://www.pdfhome.gov.cn/", proxy=server.proxy_url)
    assert status == 200 and headers["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")


def test_hanging_site_times_out_and_server_stops_promptly(farm: Farm):
    srv = FarmServer(farm).start()
    try:
        with pytest.raises(asyncio.TimeoutError):
            get("http://www.manman.gov.cn/", proxy=srv.proxy_url, timeout=aiohttp.ClientTimeout(total=0.3))
    finally:
        started = time.monotonic()
        srv.stop()
    assert time.monotonic() - started < 3


def test_many_concurrent_proxy_requests(server: FarmServer, farm: Farm):
    site = farm.site("www.lihe.gov.cn")
    urls = list(site.pages())[:120]

    async def crawl() -> list[int]:
        async with aiohttp.ClientSession() as session:

            async def one(url: str) -> int:
                async with session.get(url, proxy=server.proxy_url) as resp:
                    await resp.read()
                    return resp.status

            return await asyncio.gather(*(one(u) for u in urls))

    started = time.monotonic()
    statuses = asyncio.run(crawl())
    assert statuses == [200] * len(urls)
    assert time.monotonic() - started < 5
