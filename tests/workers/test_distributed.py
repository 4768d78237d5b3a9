"""The distributed mode against the real local RabbitMQ and PostgreSQL, workers in subprocesses."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from conftest import FARM_DAY, farm_settings
from govinspect.demo import FarmServer, build_farm
from govinspect.registry import SiteTarget
from govinspect.store import Store
from govinspect.store.models import InspectionRecord
from govinspect.workers import make_app, run_progress, submit_run

pytestmark = pytest.mark.slow


def farm_run_settings(dist_settings, farm, server):
    """The farm's inspection settings (as the local farm run uses) on this test's queue and database."""
    local = farm_settings(farm, server)
    return replace(
        dist_settings,
        fetch=local.fetch,
        crawl=local.crawl,
        as_of=local.as_of,
        crawl_date=local.crawl_date,
    )


def wait_for_run(store: Store, run_id: int, timeout_s: float = 240.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        progress = run_progress(store, run_id)
        # Every site settled and the run closed: the last task closes the run in its own unit of
        # work just after saving, so settled counts alone can be seen a moment before it.
        if progress.finished and progress.status != "running":
            return progress
        time.sleep(0.5)
    raise AssertionError(f"run {run_id} not finished in {timeout_s}s: {run_progress(store, run_id).text()}")


def inspections_per_site(store: Store, run_id: int) -> dict[str, int]:
    with store.unit_of_work() as uow:
        rows = uow.inspections.list(run_id=run_id, limit=10_000)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.site_url] = counts.get(row.site_url, 0) + 1
    return counts


def finding_summary(report: dict) -> tuple:
    findings = sorted((f["check"], f["severity"], f["url"] or "") for f in report["findings"])
    return report["verdict"], report["score"], report["vetoes"], findings


def test_a_run_on_two_workers_finds_what_a_local_run_finds(farm_run, dist_settings, start_worker):
    farm = build_farm(FARM_DAY)
    sites = farm.sites[:6]
    with FarmServer(farm) as server, Store(dist_settings.database_url) as store:
        settings = farm_run_settings(dist_settings, farm, server)
        for name in ("w1", "w2"):
            start_worker(name, settings=settings)
        targets = [SiteTarget(url=s.url, name=s.name) for s in sites]
        run_id = submit_run(store, make_app(settings), targets, settings, {"sites": len(targets)})
        progress = wait_for_run(store, run_id)
        assert progress.status == "finished"
        assert progress.counts["queued"] == progress.counts["running"] == 0
        with store.unit_of_work() as uow:
            rows = {r.url: r for r in uow.run_tasks.list(run_id)}
            reports = {url: uow.inspections.report(r.inspection_id) for url, r in rows.items()}
        # Both workers took part (each holds one task at a time: prefetch 1).
        assert {r.worker for r in rows.values()} == {f"w1@{settings.queue}", f"w2@{settings.queue}"}
    assert inspections_per_site(store, run_id) == {s.url: 1 for s in sites}
    for site in sites:
        local = farm_run.outcomes[site.url].inspection.to_report()
        assert finding_summary(reports[site.url]) == finding_summary(local), site.url


@pytest.mark.parametrize("what", ["machine", "pool_child"])
def test_a_worker_killed_mid_crawl_loses_nothing_and_stores_one_inspection(what, dist_settings, start_worker):
    """machine: the worker and its pool die at once (the broker sees the connection drop and
    redelivers to the second worker); pool_child: only the process running the task dies
    (reject_on_worker_lost gives the task back to the broker; the same worker may take it again)."""
    farm = build_farm(FARM_DAY)
    sites = farm.sites[:2]
    for site in sites:
        site.delay = 0.15  # every answer late: the crawl lasts long enough to be killed in it
    with FarmServer(farm) as server, Store(dist_settings.database_url) as store:
        settings = farm_run_settings(dist_settings, farm, server)
        first = start_worker("first", settings=settings)
        first.wait_ready()
        targets = [SiteTarget(url=s.url, name=s.name) for s in sites]
        run_id = submit_run(store, make_app(settings), targets, settings)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with store.unit_of_work() as uow:
                running = [r for r in uow.run_tasks.list(run_id) if r.status == "running"]
            if running:
                break
            time.sleep(0.2)
        assert running, "the first worker never started a site"
        killed_url = running[0].url
        time.sleep(1.0)  # well inside the crawl (each page answers after 0.15 s)
        if what == "machine":
            first.kill()
            start_worker("second", settings=settings)
        else:
            first.kill_pool_child()
        with store.unit_of_work() as uow:
            assert uow.run_tasks.lock(run_id, killed_url).status == "running"  # killed mid-crawl
        progress = wait_for_run(store, run_id)
        with store.unit_of_work() as uow:
            rows = {r.url: r for r in uow.run_tasks.list(run_id)}
    assert progress.status == "finished" and progress.counts["done"] == 2
    assert rows[killed_url].attempts == 2  # redelivered once, by the broker
    survivor = "second" if what == "machine" else "first"
    assert rows[killed_url].worker == f"{survivor}@{settings.queue}"
    assert inspections_per_site(store, run_id) == {s.url: 1 for s in sites}
    with store.unit_of_work() as uow:
        total = uow.session.scalar(select(func.count(InspectionRecord.id)))
    assert total == 2
