"""The Celery tasks: adapters over workers/jobs.py, registered on an app by `make_app`."""

from __future__ import annotations

import logging
import os
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded

from govinspect.store import NotFoundError, Store
from govinspect.workers import jobs
from govinspect.workers.app import INSPECT_TASK

log = logging.getLogger(__name__)

_stores: dict[tuple[int, str], Store] = {}


def worker_store(url: str) -> Store:
    """One Store per worker process (a prefork child must not share its parent's connections)."""
    key = (os.getpid(), url)
    if key not in _stores:
        _stores[key] = Store(url)
    return _stores[key]


def register(app) -> None:
    # shared=False: every app (one per settings) gets its own task, reading its own settings.
    @app.task(name=INSPECT_TASK, bind=True, shared=False)
    def inspect_site(task, run_id: int, url: str) -> dict[str, Any]:
        """Inspect one site of a run (service.inspect_site) and save it once."""
        settings = task.app.govinspect_settings
        store = worker_store(settings.database_url)
        try:
            return jobs.inspect_run_task(store, run_id, url, settings, worker=task.request.hostname or "")
        except NotFoundError as exc:  # the run or site is gone: nothing to retry
            log.error("%s", exc)
            return {"status": "unknown", "error": str(exc)}
        except SoftTimeLimitExceeded:
            message = f"检查超过单站时限（{settings.task_time_limit_s:g}秒），已停止"
            return {"status": "failed", "inspection_id": jobs.record_failure(store, run_id, url, message)}
        except Exception as exc:  # jobs.SaveError (database down) or any other: retry, then record
            if task.request.retries < settings.task_retries:
                raise task.retry(exc=exc, countdown=min(60, 5 * 2**task.request.retries)) from exc
            message = f"检查失败（已重试{task.request.retries}次）：{type(exc).__name__}: {exc}"
            return {"status": "failed", "inspection_id": jobs.record_failure(store, run_id, url, message)}
