"""Incremental re-inspection: conditional requests (304), content hashes, the same result twice."""

import asyncio
import datetime as dt
import hashlib
from collections import Counter

import pytest
from aiohttp import web

from govinspect.crawl import CrawlBudget, crawl_site
from govinspect.crawl.site import REASON_NOT_MODIFIED, REASON_SAME_CONTENT, conditional_headers
from govinspect.demo import FarmServer, build_farm
from govinspect.fetch import Fetcher, FetchSettings
from govinspect.registry import SiteTarget
from govinspect.service import inspect_sites
from govinspect.settings import Settings
from localserver import serve

TODAY = dt.date(2026, 11, 22)
BUDGET = CrawlBudget(max_pages=100, follow_links=True, probes=0, crawler_view=False)


def page_html(n: int, extra: str = "") -> str:
    kids = "".join(f'<a href="/p/{m}.html">第{m}页</a>' for m in (2 * n + 1, 2 * n + 2) if m < 30)
    return (
        f"<html><head><title>第{n}页</title></head><body>{kids}{extra}"
        '<a href="/p/404.html">坏链</a><a href="mailto:a@b.cn">信箱</a></body></html>'
    )


def crawl_twice(validators: bool, change: dict[int, str] | None = None):
    """Crawl a 30-page tree twice, the second time with the first crawl's page cache."""
    pages = {n: page_html(n) for n in range(30)}
    hits: Counter[str] = Counter()

    async def handler(request):
        n = int(request.match_info.get("n") or 0)
        if n not in pages:
            return web.Response(status=404, text="未找到")
        body = pages[n].encode()
        etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
        if validators and request.headers.get("If-None-Match") == etag:
            hits["304"] += 1
            return web.Response(status=304, headers={"ETag": etag})
        hits["200"] += 1
        headers = {"ETag": etag} if validators else {}
        return web.Response(body=body, content_type="text/html", charset="utf-8", headers=headers)

    async def main():
        async with (
            serve({"/": handler, "/p/{n}.html": handler}) as base,
            Fetcher(FetchSettings(trust_env=False, retries=0)) as fetcher,
        ):
            url = base + "/"
            first = await crawl_site(url, fetcher, reference=TODAY, budget=BUDGET, cache={})
            first_hits = Counter(hits)
            hits.clear()
            pages.update({n: page_html(n, extra) for n, extra in (change or {}).items()})
            cache = dict(first.page_cache_updates)
            second = await crawl_site(url, fetcher, reference=TODAY, budget=BUDGET, cache=cache)
            return first, second, first_hits, Counter(hits)

    return asyncio.run(main())


def links_of(site) -> dict:
    return {link.url: (link.status, link.error, sorted(link.found_on), link.anchor) for link in site.links}


def test_conditional_headers_from_a_cache_entry():
    assert conditional_headers(None) is None
    assert conditional_headers({"etag": None, "last_modified": None}) is None
    entry = {"etag": '"abc"', "last_modified": "Sun, 22 Nov 2026 08:00:00 GMT"}
    assert conditional_headers(entry) == {
        "If-None-Match": '"abc"',
        "If-Modified-Since": "Sun, 22 Nov 2026 08:00:00 GMT",
    }


def test_second_crawl_gets_304s_and_the_same_links():
    first, second, first_hits, second_hits = crawl_twice(validators=True)
    assert first_hits["304"] == 0 and first.pages_fetched == 31  # home, /p/1..29, the 404
    # Pages read as columns and articles are read whole (the checks need their text); every
    # other one was asked If-None-Match, answered 304, and gave its links from the cache.
    assert 20 <= second_hits["304"] == second.skipped[REASON_NOT_MODIFIED] < 29
    assert second_hits["200"] + second_hits["304"] == first_hits["200"]
    assert second.pages_fetched == first.pages_fetched
    assert links_of(second) == links_of(first)
    assert second.skipped.get("非网页链接（mailto:），未检查") == 1  # counted from the cache too
    entry = second.page_cache_updates[f"{first.url}p/7.html"]
    assert (
        entry["status"] == 200
        and entry["etag"]
        and ["/p/15.html", "第15页"]
        in [[url.removeprefix(first.url[:-1]), anchor] for url, anchor in entry["extract"]["links"]]
    )


def test_same_body_without_validators_skips_reparsing():
    first, second, _, second_hits = crawl_twice(validators=False)
    assert second_hits["304"] == 0
    assert 20 <= second.skipped[REASON_SAME_CONTENT] < 29
    assert REASON_NOT_MODIFIED not in second.skipped
    assert links_of(second) == links_of(first)


def test_a_changed_page_is_read_again():
    extra = '<a href="/p/404.html">坏链</a><a href="/p/5.html">新链接</a>'
    first, second, _, second_hits = crawl_twice(validators=True, change={12: extra})
    first_again, _, _, unchanged_hits = crawl_twice(validators=True)
    assert second_hits["200"] == unchanged_hits["200"] + 1
    assert second.skipped[REASON_NOT_MODIFIED] == unchanged_hits["304"] - 1
    found_on_5 = dict((u.rsplit("/", 1)[-1], f) for u, (_, _, f, _) in links_of(second).items())["5.html"]
    assert any(src.endswith("/p/12.html") for src in found_on_5)
    assert not any(src.endswith("/p/12.html") for src in links_of(first)[f"{first.url}p/5.html"][2])


def test_no_cache_means_no_conditional_requests_and_no_updates():
    async def main():
        seen = []

        async def handler(request):
            seen.append(request.headers.get("If-None-Match"))
            return web.Response(text=page_html(0), content_type="text/html", headers={"ETag": '"x"'})

        async with serve(handler) as base, Fetcher(FetchSettings(trust_env=False, retries=0)) as fetcher:
            site = await crawl_site(base + "/", fetcher, reference=TODAY, budget=BUDGET)
        return site, seen

    site, seen = asyncio.run(main())
    assert site.page_cache_updates == {} and set(seen) == {None}


@pytest.mark.slow
def test_farm_site_inspected_twice_gets_304s_and_the_same_findings(tmp_path):
    """End to end through the service and the store: the page cache is saved and used."""
    from govinspect.store import Store

    farm = build_farm(TODAY)
    site = next(s for s in farm.sites if s.healthy is False and not s.delay and s.expected)
    store = Store(f"sqlite:///{tmp_path / 'gi.db'}")
    with FarmServer(farm) as server:
        settings = Settings(
            as_of=TODAY,
            crawl_date=TODAY,
            out_dir=None,
            crawl=CrawlBudget(max_pages=250, follow_links=True, probes=1, probe_interval_s=0.1),
            fetch=FetchSettings(timeout_s=5.0, proxy=server.proxy_url, trust_env=False),
        )
        targets = [SiteTarget(url=site.url, name=site.name)]
        (first,) = inspect_sites(targets, repo=store, settings=settings)
        before = server.not_modified
        (second,) = inspect_sites(targets, repo=store, settings=settings)
        not_modified = server.not_modified - before
    assert before == 0 and not_modified > 0
    assert second.site_model.skipped[REASON_NOT_MODIFIED] == not_modified
    assert first.inspection.findings  # the site has problems: they must all be found again

    def findings(outcome):
        return sorted((f.check, f.column, f.url, f.message) for f in outcome.inspection.findings)

    assert findings(second) == findings(first)
    assert second.inspection.score == first.inspection.score
    assert second.site_model.pages_fetched == first.site_model.pages_fetched
    row = store.site_by_url(site.url)
    assert len(store.history(row.id).page_cache) >= not_modified
