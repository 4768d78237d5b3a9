"""Inspecting sites: history in, crawl, checks, score, then save and render off the event loop.

One async core every door calls (CLI, web app, workers, monitor). Everything that blocks — the
database, writing XLSX/DOCX — runs in a worker thread (`asyncio.to_thread`), and the checks and
scoring in a long-lived worker process (service/checkpool.py; settings.check_processes, 0 = a
thread), so probes and fetches of other sites keep their timing and the second core works.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import logging
import pickle
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from govinspect.checks import warm_checks
from govinspect.crawl import (
    PendingReading,
    apply_reading,
    crawl_site_unread,
    finish_reading,
    host_of,
)
from govinspect.fetch import Fetcher
from govinspect.fetch.browser import Renderer, unavailable_reason
from govinspect.inspection import build_inspection, read_and_check
from govinspect.model import Inspection, Probe, SiteModel, site_model_to_data
from govinspect.registry import SiteTarget
from govinspect.rules import Rubric, load_rubric
from govinspect.service.checkpool import CheckWorkerLost, check_pool
from govinspect.settings import Settings
from govinspect.store import SiteHistory, Store

log = logging.getLogger(__name__)

# The home page is not made the baseline when one of these was found on it.
_TAMPERING = ("security.defacement", "security.spam_injection")
# Stored probes older than this do not count towards site.unreachable (the indicators: a week).
PROBE_WINDOW = dt.timedelta(days=7)

ProgressCallback = Callable[[str, int], None]  # on_progress(kind, n), kind "page" or "link"


@dataclass
class SiteOutcome:
    inspection: Inspection
    site_model: SiteModel | None
    report_paths: list[Path] = field(default_factory=list)
    inspection_id: int | None = None
    store_error: str | None = None  # Chinese; the inspection could not be saved (its reports still are)
    new_probes: list[Probe] = field(
        default_factory=list
    )  # this run's probes (the model also has stored ones)


ResultCallback = Callable[[SiteOutcome], None]


def error_inspection(target: SiteTarget, as_of: dt.date, rubric: str, message: str) -> Inspection:
    """An inspection that could not be carried out; kept so the batch record is complete."""
    return Inspection(
        site_name=target.name or host_of(target.url),
        url=target.url,
        host=host_of(target.url),
        as_of=as_of,
        rubric=rubric,
        verdict="error",
        score=0.0,
        site_code=target.site_code,
        started_at=dt.datetime.now(),
        error=message,
    )


@asynccontextmanager
async def open_renderer(settings: Settings) -> AsyncIterator[Renderer | None]:
    """The shared browser for pages plain HTTP cannot read and for screenshots, or None when the
    budget never renders or Chromium/Playwright is missing (the crawl then records the pages that
    needed it). Chromium starts only when a page first needs it."""
    budget = settings.crawl
    if (budget.render == "never" and budget.screenshot_dir is None) or unavailable_reason() is not None:
        yield None
        return
    async with Renderer(settings.fetch) as renderer:
        yield renderer


# -- history in, results out (worker thread) ------------------------------------------------------


def load_history(repo: Store, url: str, now: dt.datetime | None = None) -> SiteHistory:
    """Overrides, baseline, page cache and recent probes of the site at `url`, in one unit of work."""
    since = (now or dt.datetime.now()) - PROBE_WINDOW
    with repo.unit_of_work("读取站点历史") as uow:
        site = uow.sites.by_url(url)
        return uow.sites.history(site.id if site else None, probes_since=since)


def save_outcome(
    repo: Store, outcome: SiteOutcome, target: SiteTarget | None, run_id: int | None, vantage: str = "local"
) -> int:
    """Site, inspection (with its crawl), page cache, this run's probes and the home baseline,
    in one unit of work: all saved or none.

    Idempotent for a site of a distributed run (store run_tasks): its row is locked first, and
    when an earlier attempt already saved the site (a redelivered task), nothing more is stored
    and the earlier inspection's id is returned."""
    insp, site = outcome.inspection, outcome.site_model
    data = site_model_to_data(site) if site is not None else None
    run_url = target.url if target is not None else insp.url
    with repo.unit_of_work(f"保存“{insp.site_name}”（{insp.url}）的检查结果") as uow:
        run_task = uow.run_tasks.lock(run_id, run_url) if run_id is not None else None
        if run_task is not None and run_task.inspection_id is not None:
            return run_task.inspection_id
        site_id = uow.sites.upsert(
            insp.site_name, insp.url, insp.site_code, **(target.meta if target else {})
        )
        if site is not None and site.page_cache_updates:
            uow.sites.save_page_cache(site_id, site.page_cache_updates)
        inspection_id = uow.inspections.add(site_id, insp, site_model=data, run_id=run_id)
        if site is not None:
            uow.probes.add(site_id, outcome.new_probes, vantage)
        fingerprint = _new_baseline(outcome)
        if fingerprint is not None:
            uow.sites.set_baseline(site_id, fingerprint, inspection_id)
        if run_task is not None:
            state = "failed" if insp.verdict == "error" else "done"
            uow.run_tasks.finish(run_id, run_url, state, inspection_id, insp.error)
    if site is not None:
        site.page_cache_updates = {}  # saved; not part of the record
    return inspection_id


def _new_baseline(outcome: SiteOutcome) -> dict | None:
    """The home fingerprint to accept, unless the inspection failed or found the home tampered with
    (a defaced page never becomes the baseline it would later be compared with)."""
    site, insp = outcome.site_model, outcome.inspection
    if site is None or site.home is None or site.home_fingerprint is None or insp.verdict == "error":
        return None
    home = site.home
    if any(f.check in _TAMPERING and f.url in (home.final_url or home.url, home.url) for f in insp.findings):
        return None
    return site.home_fingerprint


def write_site_reports(inspection: Inspection, settings: Settings) -> list[Path]:
    from govinspect.report import write_reports

    return write_reports(inspection, settings.out_dir, formats=settings.formats)


# -- the core --------------------------------------------------------------------------------------


class _Backlog:
    """Sites sent to the check worker and not back yet, over every event loop of this process."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def add(self, n: int) -> None:
        with self._lock:
            self.count += n


_worker_backlog = _Backlog()
# Past this many sites in the check worker (one checked, one waiting), a finished crawl reads its
# pages in this process: the worker is then the slower side, and the HTML is not shipped to it.
_WORKER_BACKLOG = 2


async def _checked(
    site: SiteModel,
    pending: PendingReading,
    target: SiteTarget,
    as_of: dt.date,
    rubric: Rubric,
    settings: Settings,
    started: dt.datetime,
    elapsed: float,
) -> Inspection:
    """read_and_check off the loop: in the check worker process (settings.check_processes), else
    in a thread. In the worker the parsing of the kept pages runs beside the event loop of the
    crawls instead of taking its core (and its GIL, which each socket call of the loop then waits
    for); what it added comes back into `site`. When the worker already has a backlog
    (_WORKER_BACKLOG sites), the pages are read here in a thread instead, so neither process
    waits on the other: the parsing goes where there is room. The page cache updates stay here:
    the checks do not read them."""
    run = functools.partial(
        read_and_check,
        target=target,
        as_of=as_of,
        rubric=rubric,
        started_at=started,
        elapsed_s=elapsed,
        check=build_inspection,  # looked up now: the worker runs the same function as a thread
    )
    pool = check_pool(settings.check_processes)
    if pool is None:
        inspection, _ = await asyncio.to_thread(run, site, pending)
        return inspection
    if _worker_backlog.count >= _WORKER_BACKLOG:
        await asyncio.to_thread(finish_reading, site, pending)
        site.sample_pages = []
        pending = None
    cache_updates, site.page_cache_updates = site.page_cache_updates, {}
    _worker_backlog.add(1)
    try:
        inspection, reading = await pool.run(run, site, pending, report_reading=True)
    finally:
        _worker_backlog.add(-1)
        site.page_cache_updates = cache_updates
        site.sample_pages = []  # the HTML: sent to the worker (or the site failed)
    if reading is not None:
        apply_reading(site, pickle.loads(reading))
    return inspection


async def _crawl_and_check(
    target: SiteTarget,
    history: SiteHistory,
    fetcher: Fetcher,
    settings: Settings,
    rubric: Rubric,
    renderer: Renderer | None,
    on_progress: ProgressCallback | None,
) -> SiteOutcome:
    as_of = settings.effective_as_of()
    started = dt.datetime.now()
    t0 = time.monotonic()
    try:
        budget = settings.crawl
        probe_timeout = settings.probe_timeout_s or rubric.threshold("probe_timeout_s")
        budget = replace(budget, probe_timeout_s=float(probe_timeout))
        site, pending = await crawl_site_unread(
            target.url,
            fetcher,
            reference=settings.crawl_date or dt.date.today(),
            budget=budget,
            name=target.name,
            on_progress=on_progress,
            renderer=renderer,
            overrides=target.overrides,
            cache=history.page_cache if history.incremental else None,
        )
        site.baseline = history.baseline
        new_probes = list(site.probes)
        site.probes = [*history.probes, *new_probes]
        elapsed = time.monotonic() - t0
        inspection = await _checked(site, pending, target, as_of, rubric, settings, started, elapsed)
        return SiteOutcome(inspection, site, new_probes=new_probes)
    except CheckWorkerLost as exc:
        log.error("checks of %s lost their worker process", target.url)
        return SiteOutcome(error_inspection(target, as_of, rubric.name, str(exc)), None)
    except Exception as exc:  # one broken site must not stop a province-wide run
        log.exception("inspection of %s failed", target.url)
        message = f"检查过程中出现内部错误：{type(exc).__name__}: {exc}"
        return SiteOutcome(error_inspection(target, as_of, rubric.name, message), None)


async def inspect_site(
    target: SiteTarget,
    *,
    repo: Store | None,
    settings: Settings,
    run_id: int | None = None,
    fetcher: Fetcher | None = None,
    renderer: Renderer | None = None,
    rubric: Rubric | None = None,
    on_progress: ProgressCallback | None = None,
    save: bool = True,
) -> SiteOutcome:
    """Inspect one site: load its history (one repository call), crawl, check, score; then save
    (when `repo` is given and `save`) and write its reports (settings.out_dir, settings.formats;
    no files when out_dir is None). Database work and rendering run in a worker thread, never on
    the loop. A shared `fetcher` and `renderer` serve a batch; without them this call opens its
    own. `save=False` (the monitor's daily light check) reads the history but records nothing: a
    partial crawl must not become the site's latest inspection or its home baseline."""
    rubric = rubric or load_rubric(settings.rubric)
    if fetcher is None:
        async with Fetcher(settings.fetch) as own, open_renderer(settings) as own_renderer:
            return await inspect_site(
                target,
                repo=repo,
                settings=settings,
                run_id=run_id,
                fetcher=own,
                renderer=own_renderer,
                rubric=rubric,
                on_progress=on_progress,
                save=save,
            )
    history = SiteHistory(incremental=False)
    if repo is not None:
        try:
            history = await asyncio.to_thread(load_history, repo, target.url)
        except Exception:  # a store problem must not stop the inspection: no history this time
            log.exception("loading the history of %s failed", target.url)
    if target.overrides is None and history.overrides:
        target = replace(target, overrides=history.overrides)
    outcome = await _crawl_and_check(target, history, fetcher, settings, rubric, renderer, on_progress)
    if repo is not None and save:
        try:
            outcome.inspection_id = await asyncio.to_thread(
                save_outcome, repo, outcome, target, run_id, settings.vantage
            )
        except Exception as exc:  # the database is down or full: say so, keep going, keep the files
            outcome.store_error = f"检查结果未能保存到数据库：{exc}"
    if settings.out_dir is not None and settings.formats:
        outcome.report_paths = await asyncio.to_thread(write_site_reports, outcome.inspection, settings)
    return outcome


async def inspect_many(
    targets: list[SiteTarget],
    *,
    repo: Store | None,
    settings: Settings,
    run_id: int | None = None,
    on_result: ResultCallback | None = None,
    on_progress: ProgressCallback | None = None,
    keep_models: bool = True,
) -> list[SiteOutcome]:
    """Inspect sites concurrently (settings.sites_at_once()) over one fetcher and one browser.
    Each site is saved and written as soon as it is done: a crash mid-batch loses nothing done.

    With `keep_models=False` a finished site leaves only its summary in the batch: `on_result`
    still gets the whole outcome, then the batch keeps a copy without the site model, its probes
    and the columns' item lists (`Inspection.summary()`: the same report), so memory stays flat
    in the number of sites (the returned outcomes have `site_model=None`)."""
    rubric = load_rubric(settings.rubric)
    gate = asyncio.Semaphore(settings.sites_at_once())
    outcomes: list[SiteOutcome | None] = [None] * len(targets)
    warming = _warm_check_worker(settings)
    async with Fetcher(settings.fetch) as fetcher, open_renderer(settings) as renderer:

        async def run(i: int, target: SiteTarget) -> None:
            async with gate:
                outcome = await inspect_site(
                    target,
                    repo=repo,
                    settings=settings,
                    run_id=run_id,
                    fetcher=fetcher,
                    renderer=renderer,
                    rubric=rubric,
                    on_progress=on_progress,
                )
            if on_result:
                on_result(outcome)
            if not keep_models:
                outcome = replace(
                    outcome, inspection=outcome.inspection.summary(), site_model=None, new_probes=[]
                )
            outcomes[i] = outcome

        try:
            await asyncio.gather(*(run(i, t) for i, t in enumerate(targets)))
        finally:
            if warming is not None:
                warming.cancel()
                with contextlib.suppress(BaseException):  # a failed warm-up costs only its time
                    await warming
    return [o for o in outcomes if o is not None]


def _warm_check_worker(settings: Settings) -> asyncio.Future | None:
    """Load the text checks' tables in the check worker while the first sites are crawled: else
    the first sites' checks wait seconds for them while the rest of the wave queues behind."""
    pool = check_pool(settings.check_processes)
    if pool is None:
        return None
    return asyncio.ensure_future(pool.run(warm_checks))


def inspect_sites(
    targets: list[SiteTarget],
    *,
    repo: Store | None,
    settings: Settings,
    run_id: int | None = None,
    on_result: ResultCallback | None = None,
    on_progress: ProgressCallback | None = None,
    keep_models: bool = True,
    stop: threading.Event | None = None,
) -> list[SiteOutcome]:
    """`inspect_many` for callers without an event loop (the CLI, a Celery task, a web job's thread).
    Setting `stop` (from another thread) cancels the sites still running and raises
    InspectionStopped; the sites already saved stay saved, so a run resumes with the rest."""
    outcomes: list[SiteOutcome] = []

    async def run() -> None:
        # The coroutine returns nothing: on Python 3.11 asyncio.run formats its task's result when
        # it finishes, and the repr of a province's crawl is hundreds of megabytes.
        work = asyncio.ensure_future(
            inspect_many(
                targets,
                repo=repo,
                settings=settings,
                run_id=run_id,
                on_result=on_result,
                on_progress=on_progress,
                keep_models=keep_models,
            )
        )
        if stop is not None and await _stopped_first(work, stop):
            raise InspectionStopped("检查已中断（服务停止），已完成的网站已保存，可稍后继续")
        outcomes.extend(await work)

    asyncio.run(run())
    return outcomes


class InspectionStopped(Exception):
    """inspect_sites was asked to stop before it finished."""


async def _stopped_first(work: asyncio.Future, stop: threading.Event, poll_s: float = 0.2) -> bool:
    """Wait for `work` or for `stop`; on stop, cancel the work (and wait for it to unwind)."""
    while not work.done():
        if stop.is_set():
            work.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await work
            return True
        await asyncio.wait({work}, timeout=poll_s)
    return False
