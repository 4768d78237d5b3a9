"""How long the event loop is blocked while a batch is inspected, saved and rendered.

    python bench/loop_lag.py [--formats json,html,xlsx,docx]

Inspects the whole demo farm with a store (a temporary SQLite file) and every report format, and
measures how late the loop wakes a 10 ms sleeper meanwhile: while it is late, availability probes
and fetches of the other sites are late too. Prints the worst delay, the time spent more than 50 ms
late, and the run's wall time. Works on the service of this checkout (service.inspect_many) and on
the one before it (service.inspect_targets_async), to compare.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import tempfile
import time
from pathlib import Path

from govinspect import service
from govinspect.crawl import CrawlBudget
from govinspect.demo import FarmServer, build_farm
from govinspect.fetch import FetchSettings
from govinspect.registry import SiteTarget
from govinspect.store import Store


class LoopLag:
    def __init__(self) -> None:
        self.worst = 0.0
        self.late = 0.0  # seconds spent more than 50 ms late

    async def run(self) -> None:
        while True:
            t0 = time.monotonic()
            await asyncio.sleep(0.01)
            delay = time.monotonic() - t0 - 0.01
            self.worst = max(self.worst, delay)
            if delay > 0.05:
                self.late += delay


def monitored(core, lag: LoopLag):
    async def wrapper(*args, **kwargs):
        watcher = asyncio.create_task(lag.run())
        try:
            return await core(*args, **kwargs)
        finally:
            watcher.cancel()

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--formats", default="json,html,xlsx,docx")
    args = parser.parse_args()
    formats = tuple(args.formats.split(","))
    as_of = dt.date(2026, 11, 22)
    farm = build_farm(as_of)
    lag = LoopLag()
    work = Path(tempfile.mkdtemp())
    budget = CrawlBudget(probes=3, probe_interval_s=1.0)
    targets = [SiteTarget(url=s.url, name=s.name) for s in farm.sites]
    with FarmServer(farm) as server, Store(f"sqlite:///{work / 'g.db'}") as store:
        fetch = FetchSettings(proxy=server.proxy_url, trust_env=False)
        t0 = time.monotonic()
        if hasattr(service, "inspect_many"):  # this checkout
            from govinspect.service import inspect as core
            from govinspect.settings import Settings

            core.inspect_many = monitored(core.inspect_many, lag)
            settings = Settings(
                as_of=as_of,
                crawl_date=as_of,
                crawl=budget,
                fetch=fetch,
                out_dir=work / "out",
                formats=formats,
            )
            core.inspect_sites(targets, repo=store, settings=settings)
        else:  # the service before: saving and rendering in a callback on the loop
            service.inspect_targets_async = monitored(service.inspect_targets_async, lag)
            options = service.InspectOptions(as_of=as_of, crawl_date=as_of, budget=budget, fetch=fetch)
            service.inspect_sites(targets, options, store=store, out_dir=work / "out", formats=formats)
        wall = time.monotonic() - t0
    print(f"sites {len(targets)}  formats {','.join(formats)}")
    print(f"wall {wall:.2f} s  worst loop delay {lag.worst:.3f} s  time >50 ms late {lag.late:.2f} s")


if __name__ == "__main__":
    main()
