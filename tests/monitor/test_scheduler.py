"""Slot scheduling: even spread, once per interval, leases across daemons, concurrency cap."""

import asyncio
import datetime as dt
from collections import Counter

from aiohttp import web

from govinspect.monitor.probe import HomeProber
from govinspect.monitor.scheduler import (
    InMemoryLease,
    MonitoredSite,
    due_sites,
    due_time,
    offset_ms,
    run_cycle,
    slot_of,
)

from .helpers import T0, probe
from .servers import FakeResolver, serve

SITES = [MonitoredSite(f"site{i:04d}", f"http://www{i}.x{i}.gov.cn/") for i in range(2000)]
MINUTE = dt.timedelta(minutes=1)


def run(coro, limit_s: float = 20.0):
    return asyncio.run(asyncio.wait_for(coro, limit_s))


def test_offsets_are_fixed_and_inside_the_interval():
    assert offset_ms("site0001", 1800) == offset_ms("site0001", 1800)
    assert all(0 <= offset_ms(s.id, 1800) < 1_800_000 for s in SITES)


def test_slot_and_due_time_agree():
    site = SITES[7]
    slot = slot_of(site, T0)
    assert due_time(site, slot) <= T0 < due_time(site, slot + 1)
    assert due_time(site, slot + 1) - due_time(site, slot) == dt.timedelta(seconds=1800)
    assert slot_of(site, due_time(site, slot + 5)) == slot + 5
    assert slot_of(site, due_time(site, slot + 5) - dt.timedelta(microseconds=1000)) == slot + 4


def test_2000_sites_spread_over_the_half_hour_each_exactly_once():
    start = T0 + dt.timedelta(seconds=17)  # not aligned to anything
    per_tick = []
    seen = Counter()
    for minute in range(30):
        due = due_sites(SITES, start + minute * MINUTE, start + (minute + 1) * MINUTE)
        per_tick.append(len(due))
        seen.update(d.site.id for d in due)
    assert set(seen.values()) == {1} and len(seen) == 2000  # every site once per interval
    # 2000 / 30 = 66.7 a minute; a hash spread stays well inside [mean / 2, mean × 1.5].
    assert min(per_tick) > 33 and max(per_tick) < 100


def test_per_site_interval_override():
    fast = MonitoredSite("fast", "http://fast.gov.cn/", interval_s=600)
    slow = MonitoredSite("slow", "http://slow.gov.cn/", interval_s=3600)
    counts = Counter()
    for minute in range(120):
        for due in due_sites([fast, slow], T0 + minute * MINUTE, T0 + (minute + 1) * MINUTE):
            counts[due.site.id] += 1
    assert counts == {"fast": 12, "slow": 2}


def test_two_daemons_sharing_a_lease_never_probe_a_site_twice_in_a_slot():
    probed = Counter()

    async def prober(site):
        probed[site.id] += 1
        await asyncio.sleep(0)
        return probe(T0)

    async def store(site, slot, result):
        return None

    async def two_daemons():
        lease = InMemoryLease()
        return await asyncio.gather(
            *(run_cycle(SITES, T0, prober, lease, store, tick_s=1800) for _ in range(2))
        )

    a, b = run(two_daemons())
    assert set(probed.values()) == {1} and len(probed) == 2000
    assert a.probed + b.probed == 2000
    assert a.leased_elsewhere + b.leased_elsewhere == 2000
    # A second pass over the same slots (a restarted daemon) probes nothing.
    lease = InMemoryLease()
    run(run_cycle(SITES[:10], T0, prober, lease, store, tick_s=1800))
    again = run(run_cycle(SITES[:10], T0, prober, lease, store, tick_s=1800))
    assert (again.due, again.probed, again.leased_elsewhere) == (10, 0, 10)


def test_concurrency_cap_and_failing_storage():
    in_flight, peak = [0], [0]

    async def prober(site):
        in_flight[0] += 1
        peak[0] = max(peak[0], in_flight[0])
        await asyncio.sleep(0.01)
        in_flight[0] -= 1
        return probe(T0)

    async def store(site, slot, result):
        if site.id == "site0003":
            raise RuntimeError("database is locked")

    report = run(run_cycle(SITES[:100], T0, prober, InMemoryLease(), store, tick_s=1800, concurrency=7))
    assert peak[0] == 7
    assert (report.due, report.probed) == (100, 99)
    assert report.errors == ["site0003: RuntimeError: database is locked"]


def test_run_cycle_with_the_real_prober():
    async def handler(request):
        if request.path == "/down/":
            return web.Response(status=503, text="<html><body>503</body></html>", content_type="text/html")
        return web.Response(
            text="<html><body>" + "<a href='/a'>通知</a>" * 20 + "</body></html>", content_type="text/html"
        )

    async def go():
        results = {}
        async with serve(handler) as port, HomeProber(resolver=FakeResolver({"www.mm.gov.cn"})) as hp:
            sites = [
                MonitoredSite(f"s{i}", f"http://www.mm.gov.cn:{port}/{'down/' if i % 5 == 0 else ''}")
                for i in range(25)
            ]

            async def prober(site):
                return await hp.probe(site.url, timeout_s=site.timeout_s)

            async def store(site, slot, result):
                results[site.id] = result.outcome

            await run_cycle(sites, T0, prober, InMemoryLease(), store, tick_s=1800)
        return results

    results = run(go())
    assert len(results) == 25
    assert Counter(results.values()) == {"ok": 20, "http_5xx": 5}


def test_vantage_suspect_when_nearly_every_site_fails_at_the_network_level():
    from govinspect.monitor.scheduler import vantage_suspect

    assert vantage_suspect(Counter({"dns": 50, "timeout": 40, "ok": 10})) is True  # 90 % network failures
    assert vantage_suspect(Counter({"dns": 30, "ok": 70})) is False
    assert vantage_suspect(Counter({"http_5xx": 100})) is False  # servers answered: the network works
    assert vantage_suspect(Counter({"timeout": 5})) is False  # too few probes to tell


def test_cycle_report_counts_outcomes():
    async def prober(site):
        return probe(T0, "timeout" if site.id.endswith("0") else "ok")

    async def store(site, slot, result):
        return None

    report = run(run_cycle(SITES[:50], T0, prober, InMemoryLease(), store, tick_s=1800))
    assert report.outcomes == {"timeout": 5, "ok": 45}
