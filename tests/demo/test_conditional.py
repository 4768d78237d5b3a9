"""The farm server's validators: ETag and Last-Modified on 200s, 304 Not Modified when unchanged."""

from __future__ import annotations

import asyncio
import datetime as dt

import aiohttp
import pytest
from multidict import CIMultiDict

from govinspect.demo import FarmServer, build_farm

AS_OF = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def server():
    with FarmServer(build_farm(AS_OF)) as srv:
        yield srv


def get(server: FarmServer, url: str, **headers: str) -> tuple[int, CIMultiDict, bytes]:
    async def main():
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session,
            session.get(url, proxy=server.proxy_url, headers=headers) as resp,
        ):
            return resp.status, resp.headers.copy(), await resp.read()  # case-insensitive

    return asyncio.run(main())


HOME = "http://www.qingshan.gov.cn/"


def test_pages_carry_validators(server):
    status, headers, body = get(server, HOME)
    assert status == 200 and body
    assert headers["ETag"].startswith('W/"')
    assert headers["Last-Modified"] == "Sun, 22 Nov 2026 08:00:00 GMT"


def test_matching_etag_gets_304_without_body(server):
    _, headers, _ = get(server, HOME)
    before = server.not_modified
    status, again, body = get(server, HOME, **{"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""
    assert again["ETag"] == headers["ETag"]
    assert server.not_modified == before + 1
    # Compared weakly: the same tag without W/ matches too; another tag does not.
    assert get(server, HOME, **{"If-None-Match": headers["ETag"].removeprefix("W/")})[0] == 304
    assert get(server, HOME, **{"If-None-Match": '"other"'})[0] == 200


def test_if_modified_since(server):
    assert get(server, HOME, **{"If-Modified-Since": "Sun, 22 Nov 2026 08:00:00 GMT"})[0] == 304
    assert get(server, HOME, **{"If-Modified-Since": "Sat, 21 Nov 2026 08:00:00 GMT"})[0] == 200
    assert get(server, HOME, **{"If-Modified-Since": "not a date"})[0] == 200
    # If-None-Match decides when both are sent (RFC 9110).
    both = {"If-None-Match": '"other"', "If-Modified-Since": "Sun, 22 Nov 2026 08:00:00 GMT"}
    assert get(server, HOME, **both)[0] == 200


def test_errors_have_no_validators(server):
    status, headers, _ = get(server, HOME + "no-such-page.html", **{"If-None-Match": "*"})
    assert status == 404 and "ETag" not in headers
