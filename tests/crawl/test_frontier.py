"""The disk-backed frontier and link book (crawl/frontier.py), and follow_links using them."""

import asyncio
import datetime as dt
import time

from aiohttp import web

from govinspect.crawl import CrawlBudget, crawl_site
from govinspect.crawl.frontier import Frontier, LinkBook, ScratchFile
from govinspect.fetch import Fetcher, FetchSettings
from localserver import serve


def drain(frontier: Frontier, batch: int = 3) -> list[str]:
    out = []
    while rows := frontier.take(batch):
        out.extend(url for _, url, _ in rows)
    return out


def test_frontier_is_fifo_and_drops_urls_seen_before():
    with Frontier() as frontier:
        for n in (1, 2, 3, 2, 1, 4):
            frontier.add(f"k{n}", f"http://a/{n}", depth=n)
        assert frontier.take(2) == [("k1", "http://a/1", 1), ("k2", "http://a/2", 2)]
        frontier.add("k5", "http://a/5")
        frontier.add("k1", "http://a/1-again")  # handed out already: not queued again
        assert drain(frontier) == ["http://a/3", "http://a/4", "http://a/5"]
        assert len(frontier) == 5
        assert "k3" in frontier and "k9" not in frontier


def test_frontier_outcomes_and_redirect_targets():
    with Frontier() as frontier:
        frontier.add("k1", "http://a/1")
        frontier.take(1)
        assert frontier.outcome("k1") is None  # handed out, not done
        frontier.finish("k1", 200, None)
        frontier.finish("k1-target", 404, "HTTP 404", "http://a/1/")  # never queued: added as done
        assert frontier.outcome("k1") == (200, None)
        assert frontier.outcome("k1-target") == (404, "HTTP 404")
        frontier.add("k1-target", "http://a/1/")  # seen: a redirect target is not fetched again
        assert frontier.take(5) == []
        assert frontier.queued() == 0


def test_frontier_resumes_from_its_file(tmp_path):
    path = tmp_path / "frontier.sqlite"
    frontier = Frontier(path)
    for n in range(5):
        frontier.add(f"k{n}", f"http://a/{n}")
    taken = frontier.take(3)
    frontier.finish(taken[0][0], 200, None)  # k1 and k2 were in flight when the crawl stopped
    frontier.close()
    assert path.exists()

    with Frontier(path) as again:
        assert drain(again) == ["http://a/1", "http://a/2", "http://a/3", "http://a/4"]
        assert again.outcome("k0") == (200, None)


def test_temporary_frontier_file_is_deleted():
    frontier = Frontier()
    path = frontier.scratch.path
    frontier.add("k", "http://a/")
    assert path.exists()
    frontier.close()
    assert not path.exists()


def test_frontier_handles_200k_urls_quickly():
    started = time.perf_counter()
    with Frontier() as frontier:
        for n in range(200_000):
            frontier.add(f"http://a/art/{n}.html", f"http://a/art/{n}.html", 1)
        for n in range(0, 200_000, 7):  # duplicates are dropped
            frontier.add(f"http://a/art/{n}.html", "dup", 2)
        count = 0
        while rows := frontier.take(1000):
            count += len(rows)
            for key, url, _ in rows:
                frontier.finish(key, 200, None, url)
        assert count == 200_000
        assert frontier.queued() == 0
    assert time.perf_counter() - started < 10


def test_link_book_moves_to_disk_and_keeps_the_same_records():
    def pages(book: LinkBook) -> dict:
        for n in range(30):
            links = [(f"k{m}", f"http://a/{m}", f"链接{m}" if m % 3 else "") for m in range(n, n + 10)]
            links.append(("k0", "http://a/0", "首页"))  # anchor only on a later page
            links.append((f"k{n}", f"http://a/{n}", ""))  # twice on one page
            book.meet(f"http://a/page{n}", links)
        return {key: (r.url, r.sources, r.anchor) for key, r in book.items()}

    in_memory = LinkBook(ScratchFile, max_sources=4, spill_at=1000)
    scratch = ScratchFile()
    on_disk = LinkBook(lambda: scratch, max_sources=4, spill_at=5)
    try:
        expected = pages(in_memory)
        assert pages(on_disk) == expected
        assert on_disk.on_disk and not in_memory.on_disk
        assert len(on_disk) == len(expected) == 39
        assert expected["k0"] == ("http://a/0", [f"http://a/page{n}" for n in range(4)], "首页")
        assert on_disk.get("k12").sources == in_memory.get("k12").sources
    finally:
        scratch.close()


def test_follow_links_crawls_a_site_through_the_disk_frontier():
    """A 300-page chain-and-tree site: every page once, link records past the spill threshold."""

    async def handler(request):
        n = int(request.match_info.get("n") or 0)
        links = "".join(f'<a href="/p/{m}.html">第{m}页</a>' for m in (2 * n + 1, 2 * n + 2) if m < 300)
        body = (
            f"<html><head><title>测试</title></head><body>{links}<a href='/p/999.html'>坏链</a></body></html>"
        )
        if n == 999:
            return web.Response(status=404, text="未找到")
        return web.Response(text=body, content_type="text/html")

    async def main():
        budget = CrawlBudget(
            max_pages=1000, follow_links=True, probes=0, crawler_view=False, links_in_memory=50
        )
        async with (
            serve({"/": handler, "/p/{n}.html": handler}) as base,
            Fetcher(FetchSettings(trust_env=False, retries=0)) as fetcher,
        ):
            return await crawl_site(base + "/", fetcher, reference=dt.date(2026, 11, 22), budget=budget)

    site = asyncio.run(main())
    assert site.pages_fetched == 301  # home + /p/1..299 + the broken link
    by_url = {link.url.rsplit("/", 1)[-1]: link for link in site.links}
    assert len(by_url) == 300
    assert by_url["999.html"].broken and by_url["999.html"].error == "HTTP 404"
    assert not by_url["150.html"].broken
    assert by_url["150.html"].found_on[0].endswith("/p/74.html")
    assert len(by_url["999.html"].found_on) == 50  # met on every page, evidence capped
