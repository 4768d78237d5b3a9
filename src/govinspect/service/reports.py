"""Reports from stored inspections, batch summaries, and runs (batches) in the store."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from govinspect.service.inspect import SiteOutcome
from govinspect.store import Store


def latest_per_site(repo: Store) -> list[int]:
    """The id of each registered site's newest inspection."""
    with repo.unit_of_work() as uow:
        return uow.inspections.latest_per_site()


def stored_reports(repo: Store, inspection_ids: list[int]) -> list[dict[str, Any]]:
    """The govinspect.report/1 dicts of these inspections (duplicates once), in one unit of work."""
    with repo.unit_of_work() as uow:
        return [uow.inspections.report(i) for i in dict.fromkeys(inspection_ids)]


def render_reports(reports: list[dict[str, Any]], out_dir: Path, formats: tuple[str, ...]) -> list[Path]:
    """Each report's files, and the batch summary when there is more than one."""
    from govinspect.report import write_report_files, write_summary

    written: list[Path] = []
    for report in reports:
        written += write_report_files(report, out_dir, formats)
    if len(reports) > 1:
        summary = write_summary(reports, out_dir, formats=formats)
        written += summary if isinstance(summary, list) else [summary]
    return written


def write_batch_summary(outcomes: list[SiteOutcome], out_dir: Path, formats: tuple[str, ...]) -> list[Path]:
    """index.html (and summary.xlsx/.docx) of a batch of more than one site."""
    from govinspect.report import write_summary

    if len(outcomes) < 2:
        return []
    summary = write_summary([o.inspection.to_report() for o in outcomes], out_dir, formats=formats)
    return summary if isinstance(summary, list) else [summary]


async def render_reports_async(
    reports: list[dict[str, Any]], out_dir: Path, formats: tuple[str, ...]
) -> list[Path]:
    return await asyncio.to_thread(render_reports, reports, out_dir, formats)


def start_run(repo: Store, kind: str, started_by: str, parameters: dict[str, Any] | None = None) -> int:
    """Record a batch (kind: store.RUN_KINDS) and return its id."""
    with repo.unit_of_work("记录检查批次") as uow:
        return uow.runs.start(kind, started_by, parameters)


def finish_run(repo: Store, run_id: int, status: str = "finished") -> None:
    with repo.unit_of_work("记录检查批次") as uow:
        uow.runs.finish(run_id, status)
