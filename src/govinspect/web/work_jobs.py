"""Background work of the 抽查 and 整改 pages: inspecting a run's sites, re-checking tasks.

The same mechanism as 「立即检查」 (web/jobs.py): an asyncio task on the server's loop whose progress
the page polls (job_progress.js, or a 刷新 link without JavaScript) and the API returns. The work
itself is the service's (inspect_run, recheck_rectify), run in a thread because it runs its own
event loop, as the CLI's does. One job per key ("run:5", "recheck:12") at a time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import Request

from govinspect.service import workflow as wf
from govinspect.service.inspect import InspectionStopped
from govinspect.web import accounts
from govinspect.web.jobs import STATE_LABELS

log = logging.getLogger(__name__)


@dataclass
class WorkJob:
    key: str
    started_by: str
    total: int = 0
    done: int = 0
    started_at: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
    state: str = "running"  # running | done | failed
    message: str = ""

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "state": self.state,
            "state_label": STATE_LABELS[self.state],
            "started_by": self.started_by,
            "started_at": self.started_at.isoformat(),
            "total": self.total,
            "done": self.done,
            "message": self.message,
        }


class WorkJobs:
    def __init__(self) -> None:
        self.by_key: dict[str, WorkJob] = {}
        self._tasks: set[asyncio.Task] = set()
        # Set when the server stops: the work (in threads) cancels its crawls; saved sites stay saved.
        self.stop = threading.Event()

    def get(self, key: str) -> WorkJob | None:
        return self.by_key.get(key)

    def start(
        self,
        key: str | list[str],
        started_by: str,
        work: Callable[[WorkJob], str],
        *,
        total: int = 0,
        done: int = 0,
    ) -> tuple[WorkJob, bool]:
        """The running job of `key` (or of any of several keys: one job for many tasks), or a new
        one running `work(job)` in a thread (its return value is the message shown when done);
        True when this call started it."""
        keys = [key] if isinstance(key, str) else key
        for k in keys:
            current = self.by_key.get(k)
            if current is not None and current.state == "running":
                return current, False
        job = WorkJob(keys[0], started_by, total=total, done=done)
        for k in keys:
            self.by_key[k] = job
        task = asyncio.get_running_loop().create_task(self._run(job, work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return job, True

    async def _run(self, job: WorkJob, work: Callable[[WorkJob], str]) -> None:
        try:
            message = await asyncio.to_thread(work, job)
        except (wf.WorkflowError, InspectionStopped) as exc:
            job.state, job.message = "failed", str(exc)
        except Exception as exc:  # noqa: BLE001 - reported on the page, the server keeps running
            log.exception("background job %s failed", job.key)
            job.state, job.message = "failed", f"失败：{type(exc).__name__}: {exc}"
        else:
            job.state, job.message = "done", message

    async def wait_all(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def stop_all(self, timeout_s: float = 30.0) -> None:
        """At shutdown: ask every job to stop and wait for it (a thread cannot be killed; without
        this the server would not exit before a whole run had been inspected)."""
        self.stop.set()
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout_s)


def work_jobs(request: Request) -> WorkJobs:
    """The app's registry of background work, made on first use."""
    state = request.app.state
    if not hasattr(state, "work_jobs"):
        state.work_jobs = WorkJobs()
    return state.work_jobs


def start_run_job(request: Request, run_id: int, sites: int, done: int, started_by: str) -> WorkJob:
    """Inspect what the run still misses (the service saves each site as soon as it is done)."""
    store, settings = request.app.state.store, request.app.state.jobs.settings

    def work(job: WorkJob) -> str:
        def on_result(_outcome) -> None:
            job.done += 1

        wf.inspect_run(store, settings, run_id, on_result=on_result, stop=work_jobs(request).stop)
        stats = wf.run_results(store, run_id)
        return f"检查完成：合格{stats.overall.passed}个，不合格{stats.overall.failed}个，合格率{stats.overall.label()}"

    job, _started = work_jobs(request).start(f"run:{run_id}", started_by, work, total=sites, done=done)
    return job


def start_recheck_job(request: Request, task_ids: list[int], started_by: str) -> tuple[WorkJob, bool]:
    """One 复查 of these tasks' sites (a single recheck run), each result audit logged."""
    store, settings = request.app.state.store, request.app.state.jobs.settings

    def work(job: WorkJob) -> str:
        def on_result(_outcome) -> None:
            job.done += 1

        rows = wf.recheck_rectify(
            store, settings, task_ids, by=started_by, on_result=on_result, stop=work_jobs(request).stop
        )
        with store.unit_of_work("记录操作日志") as uow:
            for row in rows:
                detail = {"site": row.task.name, "to": row.task.status}
                accounts.audit(uow, started_by, "复查结果", f"整改任务 {row.id}", detail)
        return "复查完成：" + "；".join(f"{row.task.name} {row.task.status}" for row in rows)

    keys = [f"recheck:{i}" for i in task_ids]
    return work_jobs(request).start(keys, started_by, work, total=len(task_ids))


NEWMEDIA_JOB = "newmedia"  # one 政务新媒体 check at a time: the platforms' hosts want slow readers


def start_newmedia_job(
    request: Request, accounts_to_check: list, started_by: str, as_of: dt.date | None = None
) -> tuple[WorkJob, bool]:
    """「立即检查」 of these 政务新媒体 accounts (newmedia.model.Account) as of `as_of` (default: the
    settings' date): read each through its connector, score, save the checks (record_checks) and
    log the result."""
    from govinspect.newmedia.service import check_accounts, record_checks
    from govinspect.rules import RubricError, load_rubric

    store, settings = request.app.state.store, request.app.state.jobs.settings

    def work(job: WorkJob) -> str:
        try:
            rubric = load_rubric(settings.rubric)
        except RubricError as exc:
            raise wf.WorkflowError(str(exc)) from exc
        day = as_of or settings.effective_as_of()

        def on_fetched(_account) -> None:
            job.done += 1

        outcomes = asyncio.run(
            check_accounts(
                accounts_to_check,
                as_of=day,
                rubric=rubric,
                fetch_settings=settings.fetch,
                host_delay_s=settings.newmedia_delay_s,
                on_fetched=on_fetched,
            )
        )
        rows = record_checks(store, outcomes, day)
        tally = {v: sum(o.verdict == v for o in outcomes) for v in ("pass", "fail", "unverified")}
        with store.unit_of_work("记录操作日志") as uow:
            detail = {"as_of": day.isoformat(), "accounts": len(outcomes), **tally}
            accounts.audit(uow, started_by, "政务新媒体检查结果", "政务新媒体", detail)
        alerts = [row["alert"] for row in rows if row.get("alert")]
        message = (
            f"检查完成（检查日 {day.isoformat()}）：共{len(outcomes)}个账号，合格{tally['pass']}个，"
            f"不合格{tally['fail']}个，待人工核实{tally['unverified']}个"
        )
        return "；".join([message, *alerts])

    return work_jobs(request).start(NEWMEDIA_JOB, started_by, work, total=len(accounts_to_check))
