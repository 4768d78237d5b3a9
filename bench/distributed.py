"""Inspections per minute of the distributed mode with 1 and 2 workers on the demo farm.

    python bench/distributed.py [--delay 0.1] [--max-pages 60] [--rounds 1]

Serves the demo farm in this process with latency injected on every answer (--delay seconds),
so the network, not the CPU, is the bound — as with real government sites. For 1 and then 2
workers (`govinspect worker --concurrency 1` subprocesses), a run of the farm's 13 sites is
submitted to a queue of its own on the local RabbitMQ, with a fresh PostgreSQL schema each time
(no page cache from an earlier round: re-inspections would be answered 304), and timed from
submit to the last site saved. Prints sites/min for each and the ratio (goal: >= 1.8x; with 13
sites of unequal size on 2 workers the best split is 7 + 6, so the ceiling is below 2).
Needs the local RabbitMQ and PostgreSQL (GOVINSPECT_TEST_PG_URL, GOVINSPECT_TEST_BROKER_URL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from govinspect.crawl import CrawlBudget
from govinspect.demo import FarmServer, build_farm
from govinspect.fetch import FetchSettings
from govinspect.registry import SiteTarget
from govinspect.settings import Settings
from govinspect.store import Store
from govinspect.workers import make_app, run_progress, submit_run

PG_URL = os.environ.get("GOVINSPECT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BROKER_URL = os.environ.get("GOVINSPECT_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")


def start_worker(settings: Settings, name: str, log_dir: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "GOVINSPECT_DATABASE_URL": settings.database_url,
        "GOVINSPECT_BROKER_URL": settings.broker_url,
        "GOVINSPECT_QUEUE": settings.queue,
    }
    log = open(log_dir / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
    argv = [sys.executable, "-m", "govinspect", "worker", "--concurrency=1", "--hostname", name]
    proc = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while "ready." not in (log_dir / f"{name}.log").read_text(errors="replace"):
        if time.monotonic() > deadline or proc.poll() is not None:
            raise SystemExit(f"worker {name} did not start: see {log_dir / f'{name}.log'}")
        time.sleep(0.2)
    return proc


def best_split_bound(durations: list[float]) -> str:
    """The best two workers can do on these sites: the most even split of their durations."""
    total = sum(durations)
    best = min(
        max(part := sum(d for i, d in enumerate(durations) if mask >> i & 1), total - part)
        for mask in range(2 ** len(durations))
    )
    return f"the most even split over 2 workers takes {best:.1f} s (ratio at most {total / best:.2f}x)"


def one_round(workers: int, farm, server, args, log_dir: Path) -> float:
    """Seconds from submit to the last site saved, on a fresh schema and queue."""
    admin = create_engine(PG_URL)
    schema = f"gi_bench_{uuid.uuid4().hex[:10]}"
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    settings = replace(
        Settings(),
        database_url=db.render_as_string(hide_password=False),
        broker_url=BROKER_URL,
        queue=f"gi-bench-{uuid.uuid4().hex[:8]}",
        as_of=farm.as_of,
        crawl_date=farm.as_of,
        out_dir=None,
        crawl=CrawlBudget(max_pages=args.max_pages, probes=2, probe_interval_s=0.2),
        fetch=FetchSettings(timeout_s=10.0, proxy=server.proxy_url, trust_env=False),
    )
    procs = []
    try:
        with Store(settings.database_url) as store:
            procs = [start_worker(settings, f"bench{i}@{settings.queue}", log_dir) for i in range(workers)]
            targets = [SiteTarget(url=s.url, name=s.name) for s in farm.sites]
            app = make_app(settings)
            t0 = time.monotonic()
            run_id = submit_run(store, app, targets, settings)
            while not run_progress(store, run_id).finished:
                time.sleep(0.2)
            elapsed = time.monotonic() - t0
            print(f"  {workers} worker(s): {run_progress(store, run_id).text()} in {elapsed:.1f} s")
            with store.unit_of_work() as uow:
                ids = [r.inspection_id for r in uow.run_tasks.list(run_id)]
                durations = [uow.inspections.report(i)["stats"]["elapsed_s"] for i in ids]
            print(f"    sites' own durations: {sum(durations):.1f} s in all; {best_split_bound(durations)}")
            with app.connection_for_write() as conn:
                conn.default_channel.queue_delete(settings.queue)
            return elapsed
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(30)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--delay", type=float, default=0.1, help="seconds added to every farm answer")
    parser.add_argument("--rounds", type=int, default=1, help="measure 1 then 2 workers this many times")
    parser.add_argument("--max-pages", type=int, default=60, help="page budget per site")
    args = parser.parse_args()
    farm = build_farm(dt.date.today())
    for site in farm.sites:
        site.delay = args.delay
    sites = len(farm.sites)
    print(
        f"demo farm: {sites} sites per run, {args.delay * 1000:.0f} ms per answer, {args.max_pages} pages max"
    )
    with FarmServer(farm) as server, tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            rates = {w: sites / one_round(w, farm, server, args, Path(tmp)) * 60 for w in (1, 2)}
            print(
                f"1 worker: {rates[1]:.1f} sites/min; 2 workers: {rates[2]:.1f} sites/min; "
                f"ratio {rates[2] / rates[1]:.2f}x"
            )


if __name__ == "__main__":
    main()
