"""Crawl throughput and memory: govinspect's crawler against a plain Scrapy spider.

    python bench/crawl.py [--pages 150] [--big 100000] [--trap-cap 200000] [--profile]

Serves the demo farm on loopback (FarmServer, a forward proxy) in this process and crawls its
healthy sites, with the same page budget per site, twice: with `crawl_site` (follow_links on,
link extraction on, no separate link-check pass) and with a Scrapy spider that follows same-host
links up to the same budget, through the same proxy (request.meta["proxy"]). Each crawler runs in
its own subprocess so its peak RSS is its own. Both get 16 requests in flight, 8 per host, no
retries, robots.txt obeyed.

--big N also serves a generated site of N pages (a tiny aiohttp app in this process) and reports
govinspect's peak RSS crawling all of it. Its articles all share one URL shape (/art/N.html), so
the per-shape trap cap (TrapLimits.max_per_pattern, 50,000 by default) is raised for that crawl
only: --trap-cap (default 2 x N). --profile prints a pyinstrument profile of the farm crawl.
Scrapy and pyinstrument are bench-only dependencies.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import resource
import subprocess
import sys
import threading
import time

CONCURRENCY, PER_HOST = 16, 8


# -- workers (run in a subprocess) -------------------------------------------------------------------


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def run_govinspect(
    urls: list[str],
    pages: int,
    proxy: str | None,
    profile: bool,
    trap_cap: int | None = None,
    links_in_memory: int | None = None,
) -> dict:
    from govinspect.crawl import CrawlBudget, crawl_site
    from govinspect.crawl.traps import TrapLimits
    from govinspect.fetch import Fetcher, FetchSettings

    settings = FetchSettings(
        proxy=proxy, trust_env=False, per_host=PER_HOST, total=CONCURRENCY, retries=0, timeout_s=10.0
    )
    traps = TrapLimits(max_per_pattern=trap_cap) if trap_cap else TrapLimits()
    budget = CrawlBudget(
        max_pages=pages,
        follow_links=True,
        follow_concurrency=PER_HOST,
        probes=0,
        max_links=0,
        traps=traps,
        **({"links_in_memory": links_in_memory} if links_in_memory else {}),
    )

    async def crawl_all() -> tuple[int, int, dict]:
        async with Fetcher(settings) as fetcher:  # `total` caps requests in flight over all sites
            crawls = (crawl_site(u, fetcher, reference=dt.date.today(), budget=budget) for u in urls)
            sites = await asyncio.gather(*crawls)
        # Only numbers leave the coroutine: on Python 3.11 asyncio.run's SIGINT handling formats
        # repr(main task), result included, and the repr of 100,000 links is a 100 MB string.
        return sum(s.pages_fetched for s in sites), sum(len(s.links) for s in sites), fetcher.stats

    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(async_mode="disabled")
        profiler.start()
    started = time.perf_counter()
    pages, links, stats = asyncio.run(crawl_all())
    elapsed = time.perf_counter() - started
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False), file=sys.stderr)
    return {
        "pages": pages,
        "requests": stats["requests"],
        "seconds": elapsed,
        "rss_mb": peak_rss_mb(),
        "links_seen": links,
    }


def run_scrapy(urls: list[str], pages: int, proxy: str | None) -> dict:
    from urllib.parse import urlsplit

    import scrapy
    from scrapy.crawler import CrawlerProcess
    from scrapy.http import TextResponse

    counted = {"pages": 0}

    class SameHostSpider(scrapy.Spider):
        name = "samehost"

        async def start(self):
            self.seen: dict[str, set[str]] = {}
            for url in urls:
                self.seen.setdefault(urlsplit(url).netloc, set()).add(url)
                yield scrapy.Request(url, meta={"proxy": proxy} if proxy else {})

        def parse(self, response):
            counted["pages"] += 1
            if not isinstance(response, TextResponse):
                return
            host = urlsplit(response.url).netloc
            seen = self.seen.setdefault(host, set())
            for href in response.css("a::attr(href), area::attr(href)").getall():
                url = response.urljoin(href).split("#", 1)[0]
                if not url.startswith("http") or urlsplit(url).netloc != host or url in seen:
                    continue
                if len(seen) >= pages:
                    break
                seen.add(url)
                yield scrapy.Request(url, meta={"proxy": proxy} if proxy else {})

    process = CrawlerProcess(
        settings={
            "LOG_LEVEL": "ERROR",
            "CONCURRENT_REQUESTS": CONCURRENCY,
            "CONCURRENT_REQUESTS_PER_DOMAIN": PER_HOST,
            "DOWNLOAD_DELAY": 0,
            "ROBOTSTXT_OBEY": True,
            "RETRY_ENABLED": False,
            "TELNETCONSOLE_ENABLED": False,
            "HTTPERROR_ALLOW_ALL": True,
            "DOWNLOAD_TIMEOUT": 10,
            "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        }
    )
    process.crawl(SameHostSpider)
    started = time.perf_counter()
    process.start()
    elapsed = time.perf_counter() - started
    return {"pages": counted["pages"], "seconds": elapsed, "rss_mb": peak_rss_mb()}


def worker_main(args: argparse.Namespace) -> None:
    urls = json.loads(args.urls)
    if args.worker == "govinspect":
        result = run_govinspect(
            urls, args.pages, args.proxy, args.profile, args.trap_cap, args.links_in_memory
        )
    else:
        result = run_scrapy(urls, args.pages, args.proxy)
    print(json.dumps(result))


# -- orchestration ---------------------------------------------------------------------------------


def spawn(
    kind: str,
    urls: list[str],
    pages: int,
    proxy: str | None,
    profile: bool = False,
    trap_cap: int | None = None,
    links_in_memory: int | None = None,
) -> dict:
    cmd = [sys.executable, __file__, "--worker", kind, "--urls", json.dumps(urls), "--pages", str(pages)]
    if proxy:
        cmd += ["--proxy", proxy]
    if trap_cap:
        cmd += ["--trap-cap", str(trap_cap)]
    if links_in_memory:
        cmd += ["--links-in-memory", str(links_in_memory)]
    if profile:
        cmd.append("--profile")
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} worker failed:\n{done.stderr[-3000:]}")
    if profile:
        print(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def big_site_app(pages: int):
    """A generated site: every page has a 20-link nav, a 10-item list and ~4 KB of text."""
    from aiohttp import web

    nav = "".join(f'<li><a href="/col{c}/index.html">栏目{c}</a></li>' for c in range(20))
    filler = "<p>" + "关于进一步做好政府网站信息发布工作的通知。" * 60 + "</p>"

    async def handler(request: web.Request) -> web.Response:
        digits = "".join(ch for ch in request.path if ch.isdigit()) or "0"
        n = int(digits[-7:]) % pages
        items = "".join(
            f'<li><a href="/art/{(n * 7 + k) % pages}.html">文章{k}</a><span>2026-11-01</span></li>'
            for k in range(10)
        )
        body = (
            f"<html><head><meta charset='utf-8'><title>页面{n}</title></head><body><ul>{nav}</ul>"
            f"<ul>{items}</ul><a href='/art/{(n + 1) % pages}.html'>下一篇</a>{filler}</body></html>"
        )
        return web.Response(text=body, content_type="text/html")

    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", handler)
    return app


class ThreadedApp:
    def __init__(self, app):
        self.app, self.port, self._ready = app, 0, threading.Event()

    def __enter__(self):
        threading.Thread(target=self._run, daemon=True).start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc):
        self._loop.call_soon_threadsafe(self._loop.stop)

    def _run(self):
        from aiohttp import web

        self._loop = asyncio.new_event_loop()
        runner = web.AppRunner(self.app, access_log=None)
        self._loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = runner.addresses[0][1]
        self._ready.set()
        self._loop.run_forever()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=150, help="page budget per site")
    parser.add_argument("--big", type=int, default=0, help="also crawl a generated site of this many pages")
    parser.add_argument(
        "--trap-cap",
        type=int,
        default=0,
        help="per-shape URL cap for the --big crawl (default 2 x --big; the crawler's default is 50000)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="pyinstrument profile of govinspect's farm crawl"
    )
    parser.add_argument(
        "--links-in-memory",
        type=int,
        default=0,
        help="CrawlBudget.links_in_memory: distinct links held in RAM before they move to disk",
    )
    parser.add_argument("--no-farm", action="store_true", help="skip the farm comparison (with --big)")
    parser.add_argument("--worker", choices=["govinspect", "scrapy"], help=argparse.SUPPRESS)
    parser.add_argument("--urls", help=argparse.SUPPRESS)
    parser.add_argument("--proxy", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker_main(args)
        return

    if not args.no_farm:
        compare_on_farm(args)
    if args.big:
        crawl_big_site(args)


def compare_on_farm(args: argparse.Namespace) -> None:
    from govinspect.demo import FarmServer, build_farm

    farm = build_farm(dt.date.today())
    urls = [s.url for s in farm.sites if not s.delay]
    with FarmServer(farm) as server:
        print(f"demo farm: {len(urls)} sites, budget {args.pages} pages/site, {CONCURRENCY} in flight")
        gov = spawn("govinspect", urls, args.pages, server.proxy_url, args.profile)
        scr = spawn("scrapy", urls, args.pages, server.proxy_url)
    gov_rate, scr_rate = gov["pages"] / gov["seconds"], scr["pages"] / scr["seconds"]
    print(
        f"govinspect: {gov['pages']} pages in {gov['seconds']:.2f} s = {gov_rate:.0f} pages/s, peak RSS {gov['rss_mb']:.0f} MB"
    )
    print(
        f"scrapy:     {scr['pages']} pages in {scr['seconds']:.2f} s = {scr_rate:.0f} pages/s, peak RSS {scr['rss_mb']:.0f} MB"
    )
    print(f"ratio govinspect/scrapy: {gov_rate / scr_rate:.2f}x")


def crawl_big_site(args: argparse.Namespace) -> None:
    with ThreadedApp(big_site_app(args.big)) as app:
        url = f"http://127.0.0.1:{app.port}/"
        big = spawn(
            "govinspect",
            [url],
            args.big + 100,
            None,
            trap_cap=args.trap_cap or 2 * args.big,
            links_in_memory=args.links_in_memory,
        )
    print(
        f"big site ({args.big} pages): govinspect {big['pages']} pages in {big['seconds']:.1f} s "
        f"= {big['pages'] / big['seconds']:.0f} pages/s, peak RSS {big['rss_mb']:.0f} MB"
    )


if __name__ == "__main__":
    main()
