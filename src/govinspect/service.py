"""The service layer: one place that inspects sites, scores, stores and writes reports.

The CLI, the web app and Celery tasks all call these functions, so behaviour (error handling,
what gets stored) is the same whichever door a user comes in by.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from govinspect.checks import CheckContext, availability_summary, run_checks
from govinspect.crawl import CrawlBudget, crawl_site, host_of
from govinspect.fetch import Fetcher, FetchSettings
from govinspect.fetch.render import Renderer, unavailable_reason
from govinspect.model import Inspection, SiteModel, site_model_to_dict
from govinspect.registry import SiteTarget
from govinspect.rules import DEFAULT_RUBRIC, Rubric, load_rubric, score_findings


@dataclass
class InspectOptions:
    as_of: dt.date | None = None  # staleness is judged as of this date (default: today)
    rubric: str = DEFAULT_RUBRIC
    budget: CrawlBudget = field(default_factory=CrawlBudget)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    site_concurrency: int = 4  # sites crawled at once; the fetcher caps requests globally
    # Year-less dates on pages ("[11-20]") are read relative to the day of the crawl; only a
    # simulation (the demo farm built for another day) needs to set it.
    crawl_date: dt.date | None = None
    # Called on the event loop as work gets done: on_progress(kind, n), kind "page" or "link".
    on_progress: Callable[[str, int], None] | None = None

    def effective_as_of(self) -> dt.date:
        return self.as_of or dt.date.today()


@dataclass
class SiteOutcome:
    inspection: Inspection
    site_model: SiteModel | None
    report_paths: list[Path] = field(default_factory=list)
    inspection_id: int | None = None
    store_error: str | None = None  # Chinese; the inspection could not be saved (its reports still are)


ResultCallback = Callable[[SiteOutcome], None]
# The page cache of a site URL from the last inspection (incremental crawl), {} when none.
PageCacheLookup = Callable[[str], dict[str, dict]]
# The stored home-page baseline of a site URL (security.defacement), or None.
BaselineLookup = Callable[[str], dict | None]


def build_inspection(
    site: SiteModel,
    target: SiteTarget,
    as_of: dt.date,
    rubric: Rubric,
    *,
    started_at: dt.datetime | None = None,
    elapsed_s: float = 0.0,
) -> Inspection:
    """Pure: checks + scoring over a crawled site model."""
    ctx = CheckContext(as_of=as_of, rubric=rubric)
    findings = run_checks(site, ctx)
    result = score_findings(findings, rubric)
    home_unusable = (
        site.home is not None and site.home.ok and (not site.home.is_html or not site.home.text.strip())
    )
    verdict, error = result.verdict, None
    if home_unusable:
        # A PDF or an empty body as a home page: nothing to judge, say so instead of guessing.
        verdict, error = "error", "；".join(site.errors) or "首页不是网页，无法检查"
    return Inspection(
        site_name=site.name or target.name or site.host,
        url=site.url,
        host=site.host,
        as_of=as_of,
        rubric=rubric.name,
        verdict=verdict,
        score=result.score if verdict != "error" else 0.0,
        site_code=target.site_code or site.footer.site_code,
        vetoes=result.vetoes,
        findings=result.findings,
        columns=site.columns,
        availability=availability_summary(site, ctx),
        stats={
            "pages": site.pages_fetched,
            "links_checked": len(site.links),
            "elapsed_s": round(elapsed_s, 2),
            "skipped": site.skipped,
            "veto_rules": result.veto_rules,
            "deduction_score": result.deduction_score,
            "crawl_errors": site.errors,
            # How much of the site's columns was read (issue 12 item 6); per column in `columns`.
            "columns_read": {
                "columns": sum(1 for c in site.columns if not c.hub),
                "list_pages": sum(c.pages_read for c in site.columns),
                "items_listed": sum(len(c.items) for c in site.columns if not c.hub),
                "items_sampled": sum(c.items_sampled for c in site.columns),
                "unreadable": sum(1 for c in site.columns if c.unreadable),
                "hubs": sum(1 for c in site.columns if c.hub),
            },
        },
        started_at=started_at,
        error=error,
    )


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


# --- headless Chromium (fetch/render.py) -------------------------------------------------------
@asynccontextmanager
async def open_renderer(options: InspectOptions) -> AsyncIterator[Renderer | None]:
    """The shared browser for pages plain HTTP cannot read and for screenshots, or None when the
    budget never renders or Chromium/Playwright is missing (the crawl then records the pages that
    needed it). Chromium starts only when a page first needs it."""
    budget = options.budget
    if (budget.render == "never" and budget.screenshot_dir is None) or unavailable_reason() is not None:
        yield None
        return
    async with Renderer(options.fetch) as renderer:
        yield renderer


async def inspect_target(
    target: SiteTarget,
    fetcher: Fetcher,
    options: InspectOptions,
    rubric: Rubric,
    renderer: Renderer | None = None,
    *,
    baseline_for: BaselineLookup | None = None,
    cache_for: PageCacheLookup | None = None,
) -> SiteOutcome:
    as_of = options.effective_as_of()
    started = dt.datetime.now()
    t0 = time.monotonic()
    try:
        site = await crawl_site(
            target.url,
            fetcher,
            reference=options.crawl_date or dt.date.today(),
            budget=options.budget,
            name=target.name,
            on_progress=options.on_progress,
            renderer=renderer,
            overrides=target.overrides,
            cache=_lookup_page_cache(cache_for, target.url),
        )
        site.baseline = _lookup_baseline(baseline_for, target.url)
        inspection = build_inspection(
            site, target, as_of, rubric, started_at=started, elapsed_s=time.monotonic() - t0
        )
        return SiteOutcome(inspection, site)
    except Exception as exc:  # one broken site must not stop a province-wide run
        message = f"检查过程中出现内部错误：{type(exc).__name__}: {exc}"
        return SiteOutcome(error_inspection(target, as_of, rubric.name, message), None)


async def inspect_targets_async(
    targets: list[SiteTarget],
    options: InspectOptions,
    on_result: ResultCallback | None = None,
    baseline_for: BaselineLookup | None = None,
    cache_for: PageCacheLookup | None = None,
) -> list[SiteOutcome]:
    rubric = load_rubric(options.rubric)
    gate = asyncio.Semaphore(max(1, options.site_concurrency))
    outcomes: list[SiteOutcome | None] = [None] * len(targets)
    async with Fetcher(options.fetch) as fetcher, open_renderer(options) as renderer:

        async def run(i: int, target: SiteTarget) -> None:
            async with gate:
                outcome = await inspect_target(
                    target, fetcher, options, rubric, renderer, baseline_for=baseline_for, cache_for=cache_for
                )
            outcomes[i] = outcome
            if on_result:
                on_result(outcome)

        await asyncio.gather(*(run(i, t) for i, t in enumerate(targets)))
    return [o for o in outcomes if o is not None]


def inspect_sites(
    targets: list[SiteTarget],
    options: InspectOptions,
    *,
    store=None,
    out_dir: Path | None = None,
    formats: tuple[str, ...] = ("json", "html"),
    on_result: ResultCallback | None = None,
) -> list[SiteOutcome]:
    """Inspect, then store and write reports for each site as soon as it is done.

    Storing per site (not at the end) means a crash mid-batch loses nothing already inspected.
    """
    from govinspect.report import write_reports

    def finish(outcome: SiteOutcome) -> None:
        insp = outcome.inspection
        if store is not None:
            try:
                _store_outcome(store, outcome, next((t for t in targets if t.url == insp.url), None))
            except Exception as exc:  # the database is down or full: say so, keep going, keep the files
                outcome.store_error = f"检查结果未能保存到数据库：{exc}"
        if out_dir is not None:
            outcome.report_paths = write_reports(insp, out_dir, formats=formats)
        if on_result:
            on_result(outcome)

    baseline_for = None
    if store is not None:
        baseline_for = lambda url: _stored_baseline(store, url)  # noqa: E731
        targets = [_with_stored_overrides(store, t) for t in targets]
    cache_for = None if store is None else (lambda url: _stored_page_cache(store, url))
    outcomes: list[SiteOutcome] = []

    async def run() -> None:
        # The coroutine returns nothing: on Python 3.11 asyncio.run formats its task's result when
        # it finishes, and the repr of a province's crawl is hundreds of megabytes.
        outcomes.extend(
            await inspect_targets_async(
                targets, options, on_result=finish, baseline_for=baseline_for, cache_for=cache_for
            )
        )

    asyncio.run(run())
    return outcomes


def _store_outcome(store, outcome: SiteOutcome, target: SiteTarget | None) -> None:
    insp = outcome.inspection
    site_id = store.upsert_site(
        name=insp.site_name, url=insp.url, site_code=insp.site_code, **(target.meta if target else {})
    )
    _save_page_cache(store, site_id, outcome)
    raw = site_model_to_dict(outcome.site_model) if outcome.site_model else None
    outcome.inspection_id = store.save_inspection(site_id, insp, site_model=raw)
    _update_baseline(store, site_id, outcome)


# -- home-page baselines (security.defacement) -----------------------------------------------------
# Loaded before the checks run; replaced after an inspection that found the home page clean, so a
# defaced page never becomes the baseline it would later be compared with.

_TAMPERING = ("security.defacement", "security.spam_injection")


def _lookup_baseline(baseline_for: BaselineLookup | None, url: str) -> dict | None:
    if baseline_for is None:
        return None
    try:
        return baseline_for(url)
    except Exception:  # a store problem must not stop the inspection; the check is then skipped
        return None


def _with_stored_overrides(store, target: SiteTarget) -> SiteTarget:
    """The target with the registry's per-site overrides when it brings none of its own."""
    if target.overrides is not None:
        return target
    return replace(target, overrides=store.get_site_overrides(target.url))


def _stored_baseline(store, url: str) -> dict | None:
    row = store.get_site(url)
    return store.baseline(row.id) if row is not None else None


def _update_baseline(store, site_id: int, outcome: SiteOutcome) -> None:
    from govinspect.checks.defacement import home_fingerprint

    site, insp = outcome.site_model, outcome.inspection
    home = site.home if site is not None else None
    if home is None or not home.ok or not home.is_html or not home.text.strip() or insp.verdict == "error":
        return
    home_url = home.final_url or home.url
    if any(f.check in _TAMPERING and f.url in (home_url, home.url) for f in insp.findings):
        return
    store.set_baseline(site_id, home_fingerprint(home), outcome.inspection_id)


# -- page cache (incremental re-inspection) ---------------------------------------------------------
# Loaded before the crawl (ETag / Last-Modified / content hashes of the pages seen last time) and
# saved after it; a store problem only makes the crawl non-incremental.


def _lookup_page_cache(cache_for: PageCacheLookup | None, url: str) -> dict[str, dict] | None:
    if cache_for is None:
        return None
    try:
        return cache_for(url)
    except Exception:
        return None


def _stored_page_cache(store, url: str) -> dict[str, dict]:
    row = store.get_site(url)
    return store.page_cache(row.id) if row is not None else {}


def _save_page_cache(store, site_id: int, outcome: SiteOutcome) -> None:
    """Save what the crawl learnt, then drop it from the model: it is not part of the record."""
    site = outcome.site_model
    if site is None or not site.page_cache_updates:
        return
    # A failure makes the next inspection non-incremental; this one is still saved.
    with contextlib.suppress(Exception):
        store.save_page_cache(site_id, site.page_cache_updates)
    site.page_cache_updates = {}
