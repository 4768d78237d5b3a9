"""Re-scoring: another rubric or `as_of` over a stored inspection, without crawling again.

The store keeps the crawl (model.site_model_to_data: everything the checks read, no page bodies)
next to each inspection. It is decoded generically, the checks and the rubric run again, and the
result is saved as a NEW inspection: the history is append-only, the original verdict stays.
With the same rubric and as-of the findings are exactly the stored ones.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from govinspect.model import Inspection, site_model_from_data
from govinspect.registry import SiteTarget
from govinspect.rules import DEFAULT_RUBRIC, Rubric, load_rubric
from govinspect.service.inspect import build_inspection
from govinspect.store import NotFoundError, Store


class RescoreError(LookupError):
    """The inspection cannot be re-scored; the message (Chinese) says why."""


def rescore_inspection(
    report: dict[str, Any], raw_site: dict[str, Any], rubric: Rubric, as_of: dt.date
) -> Inspection:
    """Pure: the stored report (for the site's name, code and crawl counts) + its crawl -> a new Inspection."""
    site = site_model_from_data(raw_site)
    info = report.get("site") or {}
    target = SiteTarget(url=site.url, name=info.get("name") or "", site_code=info.get("site_code"))
    stats = report.get("stats") or {}
    inspection = build_inspection(site, target, as_of, rubric, elapsed_s=float(stats.get("elapsed_s") or 0))
    inspection.started_at = dt.datetime.now().replace(microsecond=0)
    # The stored crawl keeps only the broken links; the crawl's own counts stand.
    for key in ("pages", "links_checked"):
        if key in stats:
            inspection.stats[key] = stats[key]
    inspection.stats["rescored_from"] = {
        "rubric": report.get("rubric"),
        "as_of": report.get("as_of"),
        "verdict": report.get("verdict"),
        "score": report.get("score"),
    }
    return inspection


def rescore(
    repo: Store, inspection_id: int, rubric: str | Rubric | None = None, as_of: dt.date | None = None
) -> tuple[int, Inspection]:
    """Re-score a stored inspection with `rubric` (default: the one it used) and `as_of` (default: its own).

    Saves the result as a new inspection of the same site (and run) and returns (new id, inspection).
    """
    try:
        with repo.unit_of_work() as uow:
            report = uow.inspections.report(inspection_id)
            raw_site = uow.inspections.site_model(inspection_id)
            site_id = uow.inspections.site_id(inspection_id)
    except NotFoundError as exc:
        raise RescoreError(str(exc)) from exc
    if raw_site is None:
        raise RescoreError(
            f"检查记录（编号 {inspection_id}）没有保存抓取数据，无法重新评分，请重新检查该网站"
        )
    if not isinstance(rubric, Rubric):
        rubric = load_rubric(rubric or report.get("rubric") or DEFAULT_RUBRIC)
    as_of = as_of or dt.date.fromisoformat(report["as_of"])
    inspection = rescore_inspection(report, raw_site, rubric, as_of)
    inspection.stats["rescored_from"]["inspection_id"] = inspection_id
    with repo.unit_of_work(f"保存“{inspection.site_name}”的重新评分结果") as uow:
        new_id = uow.inspections.add(site_id, inspection, site_model=raw_site)
    return new_id, inspection


async def rescore_async(
    repo: Store, inspection_id: int, rubric: str | Rubric | None = None, as_of: dt.date | None = None
) -> tuple[int, Inspection]:
    """`rescore` in a worker thread, for callers on an event loop (web app)."""
    return await asyncio.to_thread(rescore, repo, inspection_id, rubric, as_of)
