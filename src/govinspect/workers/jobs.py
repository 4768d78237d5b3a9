"""What the distributed mode does, as plain functions over a Store (the Celery tasks are thin
adapters over these; tests call them directly too)."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
from dataclasses import dataclass, replace
from typing import Any

from govinspect import service
from govinspect.crawl import CrawlBudget
from govinspect.crawl.traps import TrapLimits
from govinspect.fetch import FetchSettings
from govinspect.registry import SiteTarget
from govinspect.service import SiteOutcome
from govinspect.settings import Settings
from govinspect.store import RUN_TASK_STATES, NotFoundError, Store, StoreError
from govinspect.workers.app import INSPECT_TASK

log = logging.getLogger(__name__)

FINISHED_STATES = ("done", "failed", "cancelled")


class SaveError(RuntimeError):
    """The inspection could not be saved (the database is down): the task is retried."""


# -- what a run carries to its workers ----------------------------------------------------------


def settings_data(settings: Settings) -> dict[str, Any]:
    """The settings that decide an inspection's result, as JSON: every worker inspects the run's
    sites the same way, whatever its own environment says (database, broker and vantage stay
    the worker's own)."""
    return {
        "fetch": dataclasses.asdict(settings.fetch),
        "crawl": dataclasses.asdict(settings.crawl),
        "rubric": settings.rubric,
        "as_of": settings.as_of.isoformat() if settings.as_of else None,
        "crawl_date": settings.crawl_date.isoformat() if settings.crawl_date else None,
        "probe_timeout_s": settings.probe_timeout_s,
    }


def run_settings(base: Settings, data: dict[str, Any]) -> Settings:
    """`base` (the worker's settings) with the run's inspection settings; no report files."""
    crawl = dict(data["crawl"])
    crawl["traps"] = TrapLimits(**crawl.get("traps", {}))
    return replace(
        base,
        fetch=FetchSettings(**data["fetch"]),
        crawl=CrawlBudget(**crawl),
        rubric=data["rubric"],
        as_of=dt.date.fromisoformat(data["as_of"]) if data.get("as_of") else None,
        crawl_date=dt.date.fromisoformat(data["crawl_date"]) if data.get("crawl_date") else None,
        probe_timeout_s=data.get("probe_timeout_s"),
        out_dir=None,
    )


def target_data(target: SiteTarget) -> dict[str, Any]:
    return {
        "url": target.url,
        "name": target.name,
        "site_code": target.site_code,
        "meta": dict(target.meta),
        "overrides": target.overrides,
    }


def target_from_data(data: dict[str, Any]) -> SiteTarget:
    return SiteTarget(
        url=data["url"],
        name=data.get("name") or "",
        site_code=data.get("site_code"),
        meta=dict(data.get("meta") or {}),
        overrides=data.get("overrides"),
    )


# -- submitting and following a run -------------------------------------------------------------


def longest_first(urls: list[str], last_seconds) -> list[str]:
    """Dispatch order: sites never timed first (they may be slow), then by their last inspection's
    wall time, longest first — so no worker starts a long site when the others are nearly done."""
    seconds = last_seconds(urls)
    return sorted(urls, key=lambda url: -seconds.get(url, float("inf")))


def submit_run(
    store: Store,
    app,
    targets: list[SiteTarget],
    settings: Settings,
    parameters: dict[str, Any] | None = None,
    kind: str = "manual",
) -> int:
    """Record the run and its sites (queued), then enqueue one task per site; returns the run id.
    Call `check_broker` first: a run whose tasks could not be sent is marked failed."""
    params = {**(parameters or {}), "distributed": True, "settings": settings_data(settings)}
    with store.unit_of_work("登记分布式检查批次") as uow:
        run_id = uow.runs.start(kind, settings.started_by, params)
        urls = longest_first(uow.run_tasks.add(run_id, [target_data(t) for t in targets]),
                             uow.inspections.last_seconds)
    try:
        for url in urls:
            app.send_task(INSPECT_TASK, args=[run_id, url], queue=settings.queue)
    except Exception:
        service.finish_run(store, run_id, "failed")
        raise
    return run_id


@dataclass(frozen=True)
class RunProgress:
    run_id: int
    status: str  # the run's: running, finished, cancelled, failed
    counts: dict[str, int]  # sites per state (store.RUN_TASK_STATES)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def finished(self) -> bool:
        return self.status != "running" or all(self.counts[s] == 0 for s in ("queued", "running"))

    def text(self) -> str:
        """排队 2，检查中 1，完成 5，失败 0，已取消 0（共 8）"""
        parts = "，".join(f"{label} {self.counts[state]}" for state, label in RUN_TASK_STATES.items())
        return f"{parts}（共 {self.total}）"


def run_progress(store: Store, run_id: int) -> RunProgress:
    with store.unit_of_work("读取检查批次进度") as uow:
        run = uow.runs.get(run_id)
        if run is None:
            raise NotFoundError(f"检查批次不存在（编号 {run_id}）")
        return RunProgress(run_id, run.status, uow.run_tasks.progress(run_id))


def cancel_run(store: Store, run_id: int) -> int:
    """Cancel a run: sites still queued are not inspected (running ones finish). Returns how many
    sites were cancelled."""
    with store.unit_of_work("取消检查批次") as uow:
        run = uow.runs.get(run_id, lock=True)
        if run is None:
            raise NotFoundError(f"检查批次不存在（编号 {run_id}）")
        cancelled = uow.run_tasks.cancel(run_id)
        if run.status == "running":
            uow.runs.finish(run_id, "cancelled")
        return cancelled


def finish_if_complete(store: Store, run_id: int) -> bool:
    """Mark the run finished when no site is queued or running. The run's row is locked first,
    so of two last tasks finishing at once the later one sees both sites finished."""
    with store.unit_of_work("记录检查批次") as uow:
        run = uow.runs.get(run_id, lock=True)
        if run is None or run.status != "running":
            return False
        counts = uow.run_tasks.progress(run_id)
        if counts["queued"] or counts["running"]:
            return False
        uow.runs.finish(run_id, "finished")
        return True


# -- one site of a run (the task) ---------------------------------------------------------------


def inspect_run_task(store: Store, run_id: int, url: str, settings: Settings, worker: str) -> dict[str, Any]:
    """Inspect one site of a run and save it, once: a site already done (a redelivered task) or
    cancelled is skipped. Raises SaveError when the result could not be saved (retry)."""
    with store.unit_of_work("领取检查任务") as uow:
        run = uow.runs.get(run_id)
        if run is None:
            raise NotFoundError(f"检查批次不存在（编号 {run_id}）")
        before = uow.run_tasks.claim(run_id, url, worker, settings.vantage)
    if before.status in ("done", "cancelled") or (before.status == "failed" and before.inspection_id):
        finish_if_complete(store, run_id)
        return {"status": before.status, "inspection_id": before.inspection_id, "skipped": True}
    if run.status == "cancelled":
        with store.unit_of_work("取消检查任务") as uow:
            uow.run_tasks.finish(run_id, url, "cancelled")
        finish_if_complete(store, run_id)
        return {"status": "cancelled", "inspection_id": None, "skipped": True}
    target = target_from_data(before.target)
    inspect_settings = run_settings(settings, run.parameters["settings"])
    outcome = _inspect(target, store, inspect_settings, run_id)
    if outcome.store_error or outcome.inspection_id is None:
        raise SaveError(outcome.store_error or "检查结果未能保存到数据库")
    finish_if_complete(store, run_id)
    status = "failed" if outcome.inspection.verdict == "error" else "done"
    return {"status": status, "inspection_id": outcome.inspection_id, "skipped": False}


def _inspect(target: SiteTarget, store: Store, settings: Settings, run_id: int) -> SiteOutcome:
    outcomes: list[SiteOutcome] = []

    async def run() -> None:
        # Returns nothing: asyncio.run would format a returned crawl (see service.inspect_sites).
        outcomes.append(await service.inspect_site(target, repo=store, settings=settings, run_id=run_id))

    asyncio.run(run())
    return outcomes[0]


def record_failure(store: Store, run_id: int, url: str, message: str) -> int | None:
    """After the last retry: store an error inspection for the site (never dropped) and mark it
    failed. Returns the inspection id, or None when even that could not be saved."""
    try:
        with store.unit_of_work("读取检查任务") as uow:
            run = uow.runs.get(run_id)
            row = uow.run_tasks.lock(run_id, url)
        if run is None or row is None:
            return None
        target = target_from_data(row.target)
        data = run.parameters.get("settings") or {}
        as_of = dt.date.fromisoformat(data["as_of"]) if data.get("as_of") else dt.date.today()
        rubric = data.get("rubric") or Settings().rubric
        outcome = SiteOutcome(service.error_inspection(target, as_of, rubric, message), None)
        inspection_id = service.save_outcome(store, outcome, target, run_id)
        finish_if_complete(store, run_id)
        return inspection_id
    except StoreError:
        log.exception("could not record the failure of %s in run %s", url, run_id)
        return None
