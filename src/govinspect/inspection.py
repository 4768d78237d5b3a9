"""The pure part of an inspection: the reading of the kept pages, the checks and the scoring.

This is what the check worker process runs (service/checkpool.py). It imports no store, settings
or service module, so the spawned worker loads only the checks and what they read (~35 MB less).
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Callable

from govinspect.checks import CheckContext, availability_summary, run_checks
from govinspect.crawl.site import PendingReading, finish_reading, reading_of
from govinspect.model import Inspection, SiteModel
from govinspect.registry import SiteTarget
from govinspect.rules import Rubric, score_findings


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
        site.home is not None and site.home.ok and (not site.home.is_html or not site.home.has_body)
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
            # How much of the site's columns was read; per column in `columns`.
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



def read_and_check(
    site: SiteModel,
    pending: PendingReading | None,
    target: SiteTarget,
    as_of: dt.date,
    rubric: Rubric,
    *,
    started_at: dt.datetime | None = None,
    elapsed_s: float = 0.0,
    report_reading: bool = False,
    check: Callable[..., Inspection] | None = None,
) -> tuple[Inspection, bytes | None]:
    """The crawl's parsing (finish_reading), then the checks and scoring (`check`, default
    build_inspection); both pure CPU. With `report_reading` (the site is a copy in the check
    worker process) also what the parsing added to the model, pickled before the checks run,
    for the caller's own model. `pending` None: the pages were read already."""
    reading = None
    if pending is not None:
        finish_reading(site, pending)
        site.sample_pages = []  # read into page_facts; the HTML is not needed any more
        if report_reading:
            reading = pickle.dumps(reading_of(site), pickle.HIGHEST_PROTOCOL)
    check = check or build_inspection
    return check(site, target, as_of, rubric, started_at=started_at, elapsed_s=elapsed_s), reading
