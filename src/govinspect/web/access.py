"""What a user may see, and the data the pages and the API show: both doors call these functions.

A site a user may not see is "not found" (SiteNotFound): an operator cannot even learn that
another organisation's site exists.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from govinspect.report.labels import FAMILIES, family_of
from govinspect.store import InspectionRow, SiteRow, Store
from govinspect.store.models import FindingRecord, InspectionRecord
from govinspect.web.accounts import OPERATOR, SUPERVISOR, User


class SiteNotFound(LookupError):
    """No such site, or not one this user may see."""


@dataclass(frozen=True)
class SiteStatus:
    """A site with its newest inspection (None when never inspected)."""

    site: SiteRow
    inspection_id: int | None = None
    verdict: str | None = None
    score: float | None = None
    as_of: dt.date | None = None
    vetoes: tuple[str, ...] = ()


def may_see(user: User, site: SiteRow) -> bool:
    if user.role == SUPERVISOR:
        return any(site.region and (site.region == r or site.region.startswith(r)) for r in user.regions)
    if user.role == OPERATOR:
        return site.id in user.site_ids or bool(site.organiser and site.organiser in user.organisers)
    return True  # 管理员, 只读


def visible_sites(store: Store, user: User) -> list[SiteRow]:
    with store.unit_of_work() as uow:
        return [s for s in uow.sites.list() if may_see(user, s)]


def site_for(store: Store, user: User, site_id: int) -> SiteRow:
    """The site when this user may see it; SiteNotFound otherwise (the same for both cases)."""
    site = store.get_site(site_id) if 0 < site_id < 2**62 else None
    if site is None or not may_see(user, site):
        raise SiteNotFound(f"网站不存在或无权查看（编号 {site_id}）")
    return site


def site_statuses(store: Store, user: User) -> list[SiteStatus]:
    """Every visible site with its newest inspection, in registry order."""
    with store.unit_of_work() as uow:
        sites = [s for s in uow.sites.list() if may_see(user, s)]
        latest_ids = uow.inspections.latest_per_site()
        rows = uow.session.execute(
            select(
                InspectionRecord.id,
                InspectionRecord.site_id,
                InspectionRecord.verdict,
                InspectionRecord.score,
                InspectionRecord.as_of,
                InspectionRecord.vetoes,
            ).where(InspectionRecord.id.in_(latest_ids))
        ).all()
    newest = {r.site_id: r for r in rows}
    out = []
    for site in sites:
        r = newest.get(site.id)
        if r is None:
            out.append(SiteStatus(site))
        else:
            out.append(SiteStatus(site, r.id, r.verdict, r.score, r.as_of, tuple(r.vetoes or ())))
    return out


SORTS = {
    "name": lambda s: (s.site.name,),
    "score": lambda s: (s.score is None, s.score if s.score is not None else 0.0, s.site.name),
    "as_of": lambda s: (s.as_of is None, -(s.as_of.toordinal() if s.as_of else 0), s.site.name),
    "region": lambda s: (s.site.region or "", s.site.name),
}


def filter_sites(
    statuses: list[SiteStatus], q: str = "", verdict: str = "", region: str = "", sort: str = "name"
) -> list[SiteStatus]:
    """Search in name, URL, organiser and 标识码; filter by verdict ("none": never inspected) and region."""
    needle = q.strip().lower()
    out = [
        s
        for s in statuses
        if (
            not needle
            or any(
                needle in (v or "").lower()
                for v in (s.site.name, s.site.url, s.site.organiser, s.site.site_code)
            )
        )
        and (not verdict or (s.verdict or "none") == verdict)
        and (not region or (s.site.region or "") == region)
    ]
    return sorted(out, key=SORTS.get(sort, SORTS["name"]))


def inspections_of(store: Store, site_id: int, limit: int = 50) -> list[InspectionRow]:
    """Newest first."""
    with store.unit_of_work() as uow:
        return uow.inspections.list(site_id, limit)


def inspection_for(store: Store, user: User, inspection_id: int) -> tuple[SiteRow, dict[str, Any]]:
    """The site and the stored report of an inspection the user may see; SiteNotFound otherwise."""
    if not 0 < inspection_id < 2**62:
        raise SiteNotFound(f"检查记录不存在（编号 {inspection_id}）")
    with store.unit_of_work() as uow:
        rec = uow.session.get(InspectionRecord, inspection_id)
        if rec is None:
            raise SiteNotFound(f"检查记录不存在（编号 {inspection_id}）")
        site_id, report = rec.site_id, rec.report
    return site_for(store, user, site_id), report


def dashboard(store: Store, user: User) -> dict[str, Any]:
    """总览: sites by verdict, problems by family (newest inspections), the latest inspections."""
    statuses = site_statuses(store, user)
    by_verdict = Counter(s.verdict or "none" for s in statuses)
    ids = [s.inspection_id for s in statuses if s.inspection_id is not None]
    families: Counter[str] = Counter()
    with store.unit_of_work() as uow:
        per_check = uow.session.execute(
            select(FindingRecord.check_id, func.count(FindingRecord.id))
            .where(FindingRecord.inspection_id.in_(ids), FindingRecord.severity.in_(("veto", "deduct")))
            .group_by(FindingRecord.check_id)
        ).all()
        for check_id, count in per_check:
            families[family_of(check_id)] += count
        visible = {s.site.id for s in statuses}
        latest = [r for r in uow.inspections.list(limit=500) if r.site_id in visible][:15]
    inspected = sum(by_verdict[v] for v in ("pass", "fail"))
    return {
        "total": len(statuses),
        "by_verdict": {v: by_verdict.get(v, 0) for v in ("pass", "fail", "error", "none")},
        "pass_rate": round(100 * by_verdict.get("pass", 0) / inspected, 1) if inspected else None,
        "families": [(name, families.get(name, 0)) for name in FAMILIES],
        "latest": latest,
    }
