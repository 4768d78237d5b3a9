"""The registry (名录): import, per-site overrides, home baselines — keyed by site id in the store."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govinspect.registry import RowError, normalize_url, read_sites
from govinspect.store import SiteRow, Store


class UnknownSiteError(LookupError):
    """The site is not in the registry (Chinese message)."""


@dataclass(frozen=True)
class ImportResult:
    imported: int
    skipped: list[RowError]
    total: int  # sites in the registry afterwards


def import_sites(repo: Store, path: Path) -> ImportResult:
    """Read a CSV/XLSX site list into the registry in one unit of work; bad rows are skipped."""
    targets, row_errors = read_sites(path)
    with repo.unit_of_work("导入网站名录") as uow:
        for t in targets:
            site_id = uow.sites.upsert(t.name or None, t.url, t.site_code, **t.meta)
            if t.overrides:
                uow.sites.set_overrides(site_id, t.overrides)
        total = len(uow.sites.list())
    return ImportResult(len(targets), row_errors, total)


def list_sites(repo: Store) -> list[SiteRow]:
    with repo.unit_of_work() as uow:
        return uow.sites.list()


def registered_site(repo: Store, url: str) -> SiteRow:
    """The registered site of a home-page URL; InvalidURLError or UnknownSiteError otherwise."""
    with repo.unit_of_work() as uow:
        site = uow.sites.by_url(normalize_url(url))
    if site is None:
        raise UnknownSiteError(f"名录中没有网站 {url}，请先用 govinspect sites import 导入或检查一次")
    return site


def site_overrides(repo: Store, site_id: int) -> dict[str, Any] | None:
    with repo.unit_of_work() as uow:
        return uow.sites.overrides(site_id)


def set_site_overrides(repo: Store, site_id: int, overrides: dict[str, Any] | None) -> None:
    """Store (or clear, with None) a site's validated extraction overrides."""
    with repo.unit_of_work("保存站点个性化配置") as uow:
        uow.sites.set_overrides(site_id, overrides)


def reset_baseline(repo: Store, site_id: int) -> bool:
    """Forget the accepted home page after a legitimate redesign; True when there was one."""
    with repo.unit_of_work("清除首页基线") as uow:
        return uow.sites.clear_baseline(site_id)
