"""Province-scale throughput: the full inspection of N sites against a bare Scrapy crawl of them.

    python bench/province.py --sites 200 [--max-pages 400] [--latency 0.02] [--profile]

Serves N demo-farm-like sites on loopback (one FarmServer, a forward proxy, in this process):
the farm's site specs rendered again under new host names (so new seeds: other titles, dates and
numbers), with per-request latency on every site, and the problems a province has:

- every 10th site answers 503 on its home page (failing), every 25th site (from the 13th) hangs (each response
  comes after 120 s, past every timeout);
- every 5th site links from its home page to one shared external host that hangs (a dead
  partner site linked province-wide), and every 4th to a calendar trap (endless "next day" pages).

Then, each in its own subprocess so peak RSS and CPU time are its own, with HTTP_PROXY pointing
at the farm for both: the full inspection (`service.inspect_many`, no database, no report files,
default settings apart from --max-pages and the options given) and a Scrapy spider that follows
same-host links up to the same page budget with the same request caps, timeout and retries.
Prints sites/hour, p50/p95/max site time, CPU seconds per site, peak RSS and RSS per site, a digest
of the findings (equal digests = identical findings) and the wall-time ratio scrapy/govinspect.
The machine may be shared: compare the ratio, and read absolute numbers with the load printed.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter

HANG_LINK_HOST = "www.hang-link.gov.cn"
TRAP_PATH = "/rili/"
HANG_S = 120.0


# -- the farm ----------------------------------------------------------------------------------------


def build_province(n: int, as_of: dt.date, latency: float):
    """A Farm of n generated sites (DemoSite.delay = latency, problems as described above)."""
    from govinspect.demo.farm import SPECS, _externals, _render
    from govinspect.demo.types import Farm, Route

    class IndexedFarm(Farm):
        """Farm with a host index: the stock lookups are linear in the number of sites."""

        def find(self, host):
            return self._by_host.get(host.lower())

        def site(self, host):
            return self._by_host[host.lower()]

        def knows(self, host):
            return host.lower() in self.externals or host.lower() in self._by_host

    healthy = [s for s in SPECS if not s.bad and not s.problem]
    sites = []
    for i in range(n):
        base = healthy[i % len(healthy)]
        suffix = ".gov.cn" if base.host.endswith(".gov.cn") else "-zf.com"
        problem = "hang" if i % 25 == 12 else "home_503" if i % 10 == 9 else ""
        spec = dataclasses.replace(base, host=f"www.s{i:04d}{suffix}", problem=problem, cloaked_list="")
        try:
            site = _render(spec, as_of).site
        except UnicodeError:  # a detector plan's text may not fit a GBK site under another seed
            site = _render(dataclasses.replace(spec, plan=None), as_of).site
        site.delay = HANG_S if problem == "hang" else latency
        extra = ""
        if i % 5 == 0:
            extra += f'<a href="http://{HANG_LINK_HOST}/">合作单位</a>'
        if i % 4 == 0:
            extra += f'<a href="{TRAP_PATH}0.html">办事日历</a>'
        if extra:
            for path in ("/", "/index.html"):
                route = site.routes.get(path)
                if route is not None and route.status == 200:
                    body = route.body.replace(b"</body>", extra.encode() + b"</body>", 1)
                    site.routes[path] = dataclasses.replace(route, body=body)
        sites.append(site)
    externals = _externals()
    externals[HANG_LINK_HOST] = Route(body=b"<html><body>slow</body></html>", delay=HANG_S)
    farm = IndexedFarm(as_of=as_of, sites=sites, externals=externals)
    farm._by_host = {s.host: s for s in sites}
    return farm


def _request_kind(host: str, path: str, headers) -> str:
    if host == HANG_LINK_HOST:
        return "hang-link"
    if not host.startswith("www.s"):
        return "external"
    if path == "/robots.txt":
        return "robots"
    if path.startswith(TRAP_PATH):
        return "trap"
    if "Baiduspider" in headers.get("User-Agent", ""):
        return "crawler-view"
    if path in ("/", "/index.html"):
        return "home"
    return "page"


def province_server(farm):
    from govinspect.demo import FarmServer
    from govinspect.demo.types import Route

    class ProvinceServer(FarmServer):
        methods: Counter[str] = Counter()  # requests served, by method
        kinds: Counter[str] = Counter()  # requests served, by method and what they asked for
        conns: set[int] = set()  # connections the requests came on (ids; a reused id undercounts)
        log: list[str] | None = None  # "METHOD URL" of every request (--requests-out)

        async def _handle(self, request):
            self.methods[request.method] += 1
            self.conns.add(id(request.transport))
            host = (request.url.host or "").lower()
            self.kinds[
                f"{request.method} {_request_kind(host, request.rel_url.raw_path, request.headers)}"
            ] += 1
            if self.log is not None:
                self.log.append(f"{request.method} http://{host}{request.rel_url}")
            return await super()._handle(request)

        def _lookup(self, host, path_qs):
            site = self.farm.find(host)
            if site is not None and path_qs.startswith(TRAP_PATH):
                return _trap_route(path_qs), site.delay
            route, delay = super()._lookup(host, path_qs)
            return route, delay + (route.delay if site is None else 0.0)

    def _trap_route(path_qs: str) -> Route:
        digits = "".join(c for c in path_qs if c.isdigit()) or "0"
        day = int(digits[:9])
        links = "".join(f'<a href="{TRAP_PATH}{day + k}.html">第{day + k}天</a>' for k in (1, 2, 7))
        text = f'<html><head><meta charset="utf-8"><title>办事日历</title></head><body>{links}</body></html>'
        return Route(body=text.encode())

    return ProvinceServer(farm)


# -- workers (run in a subprocess) -------------------------------------------------------------------


def _usage() -> tuple[float, float]:
    """CPU seconds and peak RSS (MB) of this process. The peak is VmHWM, not ru_maxrss: Linux keeps
    in ru_maxrss the RSS of the process that started this one (the farm, ~750 MB at 1,000 sites),
    as subprocess forks and execs, so ru_maxrss reads the farm's size, not ours."""
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime, _status_mb("self", "VmHWM") or u.ru_maxrss / 1024


def _children_usage() -> tuple[float, float]:
    """CPU seconds and the largest peak RSS (MB) of the finished child processes (check workers);
    ru_maxrss, so never below this process's RSS when it started them: see _workers_peak."""
    u = resource.getrusage(resource.RUSAGE_CHILDREN)
    return u.ru_utime + u.ru_stime, u.ru_maxrss / 1024


def _workers_peak(processes: int) -> float:
    """The largest peak RSS (VmHWM, MB) of the running check workers, 0 when there are none."""
    try:
        from govinspect.service.checkpool import check_pool
    except ImportError:
        return 0.0
    pool = check_pool(processes)
    return max((_status_mb(pid, "VmHWM") for pid in (pool.worker_pids() if pool else [])), default=0.0)


def _status_mb(pid: int | str, key: str) -> float:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _vmrss(pid: int | str = "self") -> float:
    return _status_mb(pid, "VmRSS")


def _log_rss(path: str, done: int, processes: int) -> None:
    """One line: sites done, current RSS (MB) of this process and of the check workers."""
    from govinspect.service.checkpool import check_pool

    pool = check_pool(processes)
    workers = [_vmrss(pid) for pid in pool.worker_pids()] if pool is not None else []
    with open(path, "a") as out:
        out.write(
            json.dumps(
                {
                    "t": round(time.perf_counter(), 1),
                    "done": done,
                    "rss": round(_vmrss()),
                    "workers": [round(w) for w in workers],
                }
            )
            + "\n"
        )


def _watch_peaks(path: str, done: list) -> None:
    """A thread logging each new peak of this process's RSS (MB, sampled every 0.2 s) with the
    number of sites done then: a short spike between two finished sites is seen too."""
    import threading

    def watch() -> None:
        peak = 0.0
        while True:
            now = _vmrss()
            if now > peak + 5:
                peak = now
                with open(path, "a") as out:
                    out.write(
                        json.dumps(
                            {"t": round(time.perf_counter(), 1), "done": len(done), "peak": round(now)}
                        )
                    )
                    out.write("\n")
            time.sleep(0.2)

    threading.Thread(target=watch, name="rss-peaks", daemon=True).start()


def run_govinspect(urls: list[str], args: argparse.Namespace) -> dict:
    import inspect as pyinspect

    from govinspect import service
    from govinspect.registry import SiteTarget
    from govinspect.settings import Settings

    settings = Settings(out_dir=None, formats=()).with_options(max_pages=args.max_pages)
    if args.site_deadline:
        settings = settings.with_options(site_deadline=args.site_deadline)
    if args.sites_at_once:
        settings = dataclasses.replace(settings, site_concurrency=args.sites_at_once)
    targets = [SiteTarget(url=u) for u in urls]
    site_times: list[float] = []
    slowest: list[tuple[float, float, str]] = []  # (site time, crawl time, host)
    findings: list[tuple[str, str, str]] = []
    verdicts: dict[str, int] = {}

    def on_result(outcome) -> None:
        insp = outcome.inspection
        site_times.append((dt.datetime.now() - insp.started_at).total_seconds())
        slowest.append((site_times[-1], insp.stats.get("elapsed_s") or 0.0, insp.host))
        verdicts[insp.verdict] = verdicts.get(insp.verdict, 0) + 1
        findings.extend((insp.host, f.check, f.url or "") for f in insp.findings)
        if args.rss_log and len(site_times) % args.rss_every == 0:
            _log_rss(args.rss_log, len(site_times), settings.check_processes)

    kwargs = {}
    if "keep_models" in pyinspect.signature(service.inspect_many).parameters:
        kwargs["keep_models"] = False  # the caller needs summaries only

    async def main() -> None:
        await service.inspect_many(targets, repo=None, settings=settings, on_result=on_result, **kwargs)

    if args.rss_log:
        _watch_peaks(args.rss_log, site_times)
    profiler = None
    if args.cprofile:
        import cProfile

        # CPU time of this thread, not wall time: a socket call waiting for the GIL or a core
        # on a loaded machine is not the call's cost.
        profiler = cProfile.Profile(time.thread_time)
        profiler.enable()
    elif args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(async_mode="disabled")
        profiler.start()
    started = time.perf_counter()
    asyncio.run(main())
    wall = time.perf_counter() - started
    if args.cprofile:
        profiler.disable()
        profiler.dump_stats(args.cprofile)
    elif profiler is not None:
        profiler.stop()
        print(
            profiler.output_text(unicode=True, color=False, show_all=bool(os.environ.get("PROFILE_ALL"))),
            file=sys.stderr,
        )
    cpu, rss = _usage()
    workers_peak = _workers_peak(settings.check_processes)
    try:  # the check workers end here, so their CPU time and peak RSS are counted
        from govinspect.service.checkpool import _shutdown_pools

        _shutdown_pools()
    except ImportError:  # before checks ran in a worker process
        pass
    worker_cpu, worker_rss = _children_usage()
    worker_rss = workers_peak or worker_rss
    digest = hashlib.sha256(json.dumps(sorted(findings)).encode()).hexdigest()[:12]
    if args.findings_out:
        with open(args.findings_out, "w") as out:
            out.writelines(json.dumps(f, ensure_ascii=False) + "\n" for f in sorted(findings))
    return {
        "wall": wall,
        "cpu": cpu + worker_cpu,
        "worker_cpu": worker_cpu,
        "rss": rss,
        "worker_rss": worker_rss,
        "site_times": site_times,
        "slowest": sorted(slowest, reverse=True)[:5],
        "after_crawl": [total - crawl for total, crawl, _ in slowest],
        "findings": len(findings),
        "digest": digest,
        "verdicts": verdicts,
    }


def run_scrapy(urls: list[str], args: argparse.Namespace) -> dict:
    from urllib.parse import urlsplit

    import scrapy
    from scrapy.crawler import CrawlerProcess
    from scrapy.http import TextResponse

    from govinspect.fetch.settings import FetchSettings

    fetch = FetchSettings()
    pages = {"n": 0}
    budget = args.max_pages

    class SameHostSpider(scrapy.Spider):
        name = "samehost"

        async def start(self):
            self.seen: dict[str, set[str]] = {}
            for url in urls:
                self.seen.setdefault(urlsplit(url).netloc, set()).add(url)
                yield scrapy.Request(url)

        def parse(self, response):
            pages["n"] += 1
            if not isinstance(response, TextResponse):
                return
            host = urlsplit(response.url).netloc
            seen = self.seen.setdefault(host, set())
            for href in response.css("a::attr(href), area::attr(href)").getall():
                url = response.urljoin(href).split("#", 1)[0]
                if not url.startswith("http") or urlsplit(url).netloc != host or url in seen:
                    continue
                if len(seen) >= budget:
                    break
                seen.add(url)
                yield scrapy.Request(url)

    process = CrawlerProcess(
        settings={
            "LOG_LEVEL": "ERROR",
            "CONCURRENT_REQUESTS": fetch.total,
            "CONCURRENT_REQUESTS_PER_DOMAIN": fetch.per_host,
            "DOWNLOAD_DELAY": 0,
            "ROBOTSTXT_OBEY": True,
            "RETRY_TIMES": fetch.retries,
            "TELNETCONSOLE_ENABLED": False,
            "HTTPERROR_ALLOW_ALL": True,
            "DOWNLOAD_TIMEOUT": fetch.timeout_s,
            "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        }
    )
    process.crawl(SameHostSpider)
    started = time.perf_counter()
    process.start()
    wall = time.perf_counter() - started
    cpu, rss = _usage()
    return {"wall": wall, "cpu": cpu, "rss": rss, "pages": pages["n"]}


# -- orchestration ---------------------------------------------------------------------------------


def spawn(kind: str, urls_file: str, proxy: str, args: argparse.Namespace) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        kind,
        "--urls",
        urls_file,
        "--max-pages",
        str(args.max_pages),
    ]
    if args.site_deadline:
        cmd += ["--site-deadline", str(args.site_deadline)]
    if args.sites_at_once:
        cmd += ["--sites-at-once", str(args.sites_at_once)]
    if args.profile and kind == "govinspect":
        cmd.append("--profile")
    if args.cprofile and kind == "govinspect":
        cmd += ["--cprofile", args.cprofile]
    if args.findings_out and kind == "govinspect":
        cmd += ["--findings-out", args.findings_out]
    if args.rss_log and kind == "govinspect":
        cmd += ["--rss-log", args.rss_log, "--rss-every", str(args.rss_every)]
    env = {**os.environ, "HTTP_PROXY": proxy, "http_proxy": proxy, "NO_PROXY": "", "no_proxy": ""}
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        raise SystemExit(f"{kind} worker failed:\n{done.stderr[-3000:]}")
    if args.profile and kind == "govinspect":
        print(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _cpu_floor(result: dict, n: int) -> str:
    """CPU of the side and of the farm serving it: with both on the same cores, their sum over the
    core count is the least wall time that run could take."""
    farm, own = result.get("farm_cpu", 0.0), result["cpu"]
    cores = os.cpu_count() or 1
    return (
        f"CPU: own {own:.1f} s + farm server {farm:.1f} s = {own + farm:.1f} s "
        f"({(own + farm) / result['wall'] / cores:.0%} of {cores} cores over the wall time; "
        f"floor {(own + farm) / cores:.1f} s, farm alone {farm / cores:.1f} s)"
    )


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sites", type=int, default=20, help="number of sites (N)")
    parser.add_argument("--max-pages", type=int, default=400, help="page budget per site (both crawlers)")
    parser.add_argument("--latency", type=float, default=0.02, help="seconds added to every response")
    parser.add_argument("--site-deadline", type=float, default=0.0, help="govinspect per-site deadline")
    parser.add_argument("--sites-at-once", type=int, default=0, help="govinspect sites at once")
    parser.add_argument("--only", choices=["govinspect", "scrapy"], help="run one side only")
    parser.add_argument("--profile", action="store_true", help="pyinstrument profile of the inspection")
    parser.add_argument(
        "--cprofile",
        help="cProfile (CPU time) of the inspection's event-loop thread, into this file (pstats)",
    )
    parser.add_argument("--findings-out", help="write govinspect's findings (JSON lines) to this file")
    parser.add_argument("--requests-out", help="write every request served to FILE.govinspect / FILE.scrapy")
    parser.add_argument("--rss-log", help="append the current RSS (parent, check workers) to this file")
    parser.add_argument("--rss-every", type=int, default=25, help="... every this many finished sites")
    parser.add_argument("--worker", choices=["govinspect", "scrapy"], help=argparse.SUPPRESS)
    parser.add_argument("--urls", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        with open(args.urls) as f:
            urls = json.load(f)
        run = run_govinspect if args.worker == "govinspect" else run_scrapy
        print(json.dumps(run(urls, args)))
        return

    t0 = time.perf_counter()
    farm = build_province(args.sites, dt.date.today(), args.latency)
    urls = [s.url for s in farm.sites]
    print(
        f"province farm: {len(urls)} sites built in {time.perf_counter() - t0:.1f} s; "
        f"budget {args.max_pages} pages/site, latency {args.latency * 1000:.0f} ms/request; "
        f"load average at start {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
    )
    results = {}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(urls, f)
    try:
        with province_server(farm) as server:
            for kind in ("govinspect", "scrapy"):
                if args.only in (None, kind):
                    server.methods.clear()
                    server.kinds.clear()
                    server.log = [] if args.requests_out else None
                    farm_cpu = time.process_time()  # this process only serves the farm meanwhile
                    results[kind] = spawn(kind, f.name, server.proxy_url, args)
                    results[kind]["farm_cpu"] = time.process_time() - farm_cpu
                    results[kind]["requests"] = dict(server.methods)
                    results[kind]["request_kinds"] = dict(sorted(server.kinds.items()))
                    results[kind]["connections"] = len(server.conns)
                    server.conns.clear()
                    if server.log is not None:
                        with open(f"{args.requests_out}.{kind}", "w") as out:
                            out.writelines(line + "\n" for line in server.log)
                    print(f"  {kind} done; load average {os.getloadavg()[0]:.2f}", flush=True)
    finally:
        os.unlink(f.name)
    n = len(urls)
    gov = results.get("govinspect")
    if gov:
        times = gov["site_times"]
        print(
            f"govinspect: {n} sites in {gov['wall']:.1f} s = {n / gov['wall'] * 3600:.0f} sites/hour; "
            f"site time p50 {statistics.median(times):.1f} s, p95 {pct(times, 0.95):.1f} s, max {max(times):.1f} s; "
            f"CPU {gov['cpu'] / n:.2f} s/site (check worker {gov.get('worker_cpu', 0) / n:.2f}); "
            f"requests {gov['requests']} {gov['request_kinds']} on {gov['connections']} connections; peak RSS {gov['rss']:.0f} MB "
            f"({gov['rss'] / n:.2f} MB/site) + check worker {gov.get('worker_rss', 0):.0f} MB; "
            f"findings {gov['findings']} digest {gov['digest']}; verdicts {gov['verdicts']}"
        )
        slow = ", ".join(f"{host} {total:.1f} s (crawl {crawl:.1f})" for total, crawl, host in gov["slowest"])
        print(f"  slowest sites: {slow}")
        after = gov.get("after_crawl") or [0.0]
        print(
            f"  after the crawl (checks, queueing for the check worker): p50 {statistics.median(after):.2f} s, "
            f"p95 {pct(after, 0.95):.2f} s, max {max(after):.2f} s"
        )
        print(f"  {_cpu_floor(gov, n)}")
    scr = results.get("scrapy")
    if scr:
        print(
            f"scrapy:     {n} sites in {scr['wall']:.1f} s = {n / scr['wall'] * 3600:.0f} sites/hour; "
            f"{scr['pages']} pages; requests {scr['requests']} {scr['request_kinds']} on {scr['connections']} connections; CPU {scr['cpu'] / n:.2f} s/site; peak RSS {scr['rss']:.0f} MB "
            f"({scr['rss'] / n:.2f} MB/site)"
        )
        print(f"  {_cpu_floor(scr, n)}")
    if gov and scr:
        print(f"wall-time ratio scrapy/govinspect: {scr['wall'] / gov['wall']:.2f}x")


if __name__ == "__main__":
    main()
