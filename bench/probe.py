"""Probe throughput and CPU per probe: HomeProber + run_cycle against N simulated sites.

    python bench/probe.py [--sites 2000] [--concurrency 200] [--min-latency 0.05] [--max-latency 0.5]
                          [--page-kb 60] [--fail-share 0.02] [--rounds 2] [--store URL]

A separate process serves N sites on 127.0.0.1, routed by the Host header (wwwN.benchN.gov.cn; a
resolver maps every name to 127.0.0.1, so nothing leaves the machine). Each site answers after an
injected latency (fixed per site, spread between --min-latency and --max-latency) with a home page
of --page-kb KB of Chinese markup; --fail-share of the sites answer 503. The prober runs in this
process: every site is probed once per round through `run_cycle` (lease, concurrency cap, result
callback), and CPU time is this process's only (time.process_time / getrusage), so the server's
work is not counted. The last line projects the CPU share of one core for 2,000 sites every 15
minutes from the measured CPU per probe.

With --store URL (e.g. sqlite:////tmp/bench.db) the rounds go through the daemon instead
(MonitorDaemon.probe_window): a lease row per site and slot, and per probe one unit of work with
the probe row, the alert-state step and the outbox; that database work is in the CPU figure (for
SQLite all of it; for PostgreSQL only the client side).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import multiprocessing
import resource
import socket
import time
from collections import Counter

from aiohttp import web
from aiohttp.abc import AbstractResolver

from govinspect.monitor.probe import HomeProber
from govinspect.monitor.scheduler import InMemoryLease, MonitoredSite, run_cycle


def host(i: int) -> str:
    return f"www{i}.bench{i}.gov.cn"


def _fraction(name: str) -> float:
    return int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF


def home_page(kb: int) -> bytes:
    item = '<li><a href="/xw/{0}.html">关于开展2026年度政府网站与政务新媒体检查工作的通知{0}</a><span>2026-11-{1:02d}</span></li>'
    parts, i = (
        ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>某某县人民政府</title></head><body><ul>'],
        0,
    )
    while sum(map(len, parts)) < kb * 1024 // 3:  # ~3 bytes per CJK character in UTF-8
        parts.append(item.format(i, i % 28 + 1))
        i += 1
    parts.append("</ul></body></html>")
    return "".join(parts).encode()


def serve(port_queue, args) -> None:
    body = home_page(args.page_kb)

    async def handler(request: web.Request) -> web.Response:
        name = request.host.split(":")[0]
        draw = _fraction(name)
        await asyncio.sleep(args.min_latency + draw * (args.max_latency - args.min_latency))
        if _fraction("fail" + name) < args.fail_share:
            return web.Response(
                status=503,
                text="<html><body><h1>503 Service Unavailable</h1></body></html>",
                content_type="text/html",
            )
        return web.Response(body=body, content_type="text/html", charset="utf-8")

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/{tail:.*}", handler)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=4096)
        await site.start()
        port_queue.put(site._server.sockets[0].getsockname()[1])
        await asyncio.Event().wait()

    asyncio.run(main())


class LoopbackResolver(AbstractResolver):
    async def resolve(self, host, port=0, family=socket.AF_INET):
        return [
            {
                "hostname": host,
                "host": "127.0.0.1",
                "port": port,
                "family": socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
        ]

    async def close(self) -> None:
        return None


async def probe_rounds(args, port: int) -> None:
    sites = [MonitoredSite(f"s{i}", f"http://{host(i)}:{port}/", interval_s=900) for i in range(args.sites)]
    outcomes: Counter[str] = Counter()
    latencies: list[float] = []

    async with HomeProber(resolver=LoopbackResolver(), concurrency=args.concurrency) as prober:

        async def probe(site):
            return await prober.probe(site.url, timeout_s=site.timeout_s)

        async def store(site, slot, result):
            outcomes[result.outcome] += 1
            latencies.append(result.latency_s)

        now = dt.datetime.now(dt.UTC)
        for r in range(args.rounds):
            lease = InMemoryLease()
            cpu0, wall0 = time.process_time(), time.perf_counter()
            usage0 = resource.getrusage(resource.RUSAGE_SELF)
            # tick = the whole interval: every site is due in this one cycle (the worst case).
            report = await run_cycle(
                sites, now, probe, lease, store, tick_s=900, concurrency=args.concurrency
            )
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
            usage = resource.getrusage(resource.RUSAGE_SELF)
            user = usage.ru_utime - usage0.ru_utime
            system = usage.ru_stime - usage0.ru_stime
            n = report.probed
            print(
                f"round {r + 1}: {n} probes in {wall:.2f} s = {n / wall:.0f} probes/s; "
                f"CPU {cpu:.2f} s (user {user:.2f} + sys {system:.2f}) = {1000 * cpu / n:.2f} ms/probe"
            )
    latencies.sort()
    median = latencies[len(latencies) // 2]
    p95 = latencies[int(len(latencies) * 0.95)]
    print(f"outcomes: {dict(outcomes)}; latency median {median:.3f} s, p95 {p95:.3f} s")
    per_probe = cpu / n
    share = per_probe * 2000 / 900
    print(f"projection: 2,000 sites every 15 min = {2000 / 900:.2f} probes/s -> {share:.1%} of one core")


async def daemon_rounds(args, port: int) -> None:
    from govinspect.monitor.daemon import MonitorDaemon, MonitorSettings, StoredSite
    from govinspect.store import Store

    store = Store(
        args.store, **({"connect_args": {"timeout": 30}} if args.store.startswith("sqlite") else {})
    )
    urls = [f"http://{host(i)}:{port}/" for i in range(args.sites)]
    with store.unit_of_work() as uow:
        ids = [uow.sites.upsert(f"{i}号县人民政府网", url) for i, url in enumerate(urls)]
    stored = [StoredSite(i, MonitoredSite(u, u, interval_s=900)) for i, u in zip(ids, urls, strict=True)]
    settings = MonitorSettings(
        probe_interval_s=900, concurrency=args.concurrency, light_interval_s=0, full_interval_s=0
    )
    daemon = MonitorDaemon(store, stored, settings)
    start = dt.datetime.now(dt.UTC)
    async with HomeProber(resolver=LoopbackResolver(), concurrency=args.concurrency) as prober:
        for r in range(args.rounds):
            window = start + dt.timedelta(seconds=900 * r)  # a new slot for every site each round
            cpu0, wall0 = time.process_time(), time.perf_counter()
            report = await daemon.probe_window(prober, window, window + dt.timedelta(seconds=900))
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
            n = report.probed
            print(
                f"round {r + 1} (daemon, {store.engine.dialect.name}): {n} probes stored in {wall:.2f} s = "
                f"{n / wall:.0f} probes/s; CPU {cpu:.2f} s = {1000 * cpu / n:.2f} ms/probe; "
                f"alerts {report.alerts}; outcomes {dict(report.outcomes)}"
            )
    store.close()
    share = cpu / n * 2000 / 900
    print(f"projection: 2,000 sites every 15 min = {2000 / 900:.2f} probes/s -> {share:.1%} of one core")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--min-latency", type=float, default=0.05)
    parser.add_argument("--max-latency", type=float, default=0.5)
    parser.add_argument("--page-kb", type=int, default=60)
    parser.add_argument("--fail-share", type=float, default=0.02)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--store", help="database URL: run the rounds through the daemon and this store")
    args = parser.parse_args()

    ports: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(ports, args), daemon=True)
    server.start()
    try:
        port = ports.get(timeout=30)
        print(
            f"{args.sites} sites, concurrency {args.concurrency}, latency {args.min_latency}-{args.max_latency} s, "
            f"page {args.page_kb} KB, {args.fail_share:.0%} answer 503"
        )
        asyncio.run(daemon_rounds(args, port) if args.store else probe_rounds(args, port))
    finally:
        server.terminate()
        server.join()


if __name__ == "__main__":
    main()
