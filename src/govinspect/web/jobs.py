"""「立即检查」: inspections started from the web app, run as asyncio tasks on the server's loop.

One job per site at a time; its progress (pages read, links checked) is polled by the site page
and the API. The inspection itself is service.inspect_site, the same as the CLI's.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass, field

from govinspect.registry import SiteTarget
from govinspect.report.labels import verdict_label
from govinspect.service import finish_run, inspect_site, start_run
from govinspect.settings import Settings
from govinspect.store import SiteRow, Store

log = logging.getLogger(__name__)

STATE_LABELS = {"running": "检查中", "done": "已完成", "failed": "失败"}


@dataclass
class Job:
    site_id: int
    started_by: str
    started_at: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
    state: str = "running"  # running | done | failed
    pages: int = 0
    links: int = 0
    inspection_id: int | None = None
    message: str = ""

    def as_dict(self) -> dict:
        return {
            "site_id": self.site_id,
            "state": self.state,
            "state_label": STATE_LABELS[self.state],
            "started_by": self.started_by,
            "started_at": self.started_at.isoformat(),
            "pages": self.pages,
            "links": self.links,
            "inspection_id": self.inspection_id,
            "message": self.message,
        }


class Jobs:
    def __init__(self, store: Store, settings: Settings):
        self.store = store
        self.settings = settings
        self.by_site: dict[int, Job] = {}
        self._tasks: set[asyncio.Task] = set()  # strong references until done

    def get(self, site_id: int) -> Job | None:
        return self.by_site.get(site_id)

    def start(self, site: SiteRow, started_by: str) -> tuple[Job, bool]:
        """The running job of this site, or a new one; True when this call started it."""
        current = self.by_site.get(site.id)
        if current is not None and current.state == "running":
            return current, False
        job = Job(site.id, started_by)
        self.by_site[site.id] = job
        task = asyncio.get_running_loop().create_task(self._run(job, site))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return job, True

    async def _run(self, job: Job, site: SiteRow) -> None:
        def on_progress(kind: str, n: int) -> None:
            if kind == "page":
                job.pages += n
            elif kind == "link":
                job.links += n

        target = SiteTarget(url=site.url, name=site.name, site_code=site.site_code)
        try:
            # Recorded as a run (手动检查) like the CLI's, so the batch says who started it.
            run_id = await asyncio.to_thread(
                start_run, self.store, "manual", job.started_by, {"site": site.url, "door": "web"}
            )
            outcome = await inspect_site(
                target, repo=self.store, settings=self.settings, run_id=run_id, on_progress=on_progress
            )
            await asyncio.to_thread(finish_run, self.store, run_id)
        except Exception as exc:  # noqa: BLE001 - reported on the page, the server keeps running
            log.exception("web inspection of %s failed", site.url)
            job.state, job.message = "failed", f"检查失败：{type(exc).__name__}: {exc}"
            return
        job.inspection_id = outcome.inspection_id
        if outcome.store_error:
            job.state, job.message = "failed", outcome.store_error
        else:
            job.state = "done"
            job.message = f"检查完成：{verdict_label(outcome.inspection.verdict)}"

    async def wait_all(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def cancel_all(self) -> None:
        for task in self._tasks:
            task.cancel()
