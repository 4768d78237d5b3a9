"""Repositories per area over one Session, and the unit of work that holds them.

    with store.unit_of_work() as uow:
        site_id = uow.sites.upsert("XX县人民政府", "http://www.xx.gov.cn/")
        history = uow.sites.history(site_id)
        uow.inspections.add(site_id, inspection, site_model=data, run_id=run_id)

Everything inside the block is one transaction: committed when the block ends, rolled back when
it raises. Sites are keyed by id everywhere; `sites.by_url` is the one way from a URL to a site.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from govinspect.model import Finding, Inspection, Probe, finding_key
from govinspect.store.codec import json_ready
from govinspect.store.models import (
    BaselineRecord,
    ColumnRecord,
    FindingRecord,
    InspectionRecord,
    NewMediaAccountRecord,
    NewMediaCheckRecord,
    PageCacheRecord,
    ProbeRecord,
    RunRecord,
    RunTaskRecord,
    SiteRecord,
    now,
)
from govinspect.store.monitor import MonitorRepository

# Site attributes that upsert accepts besides name, url and site_code.
SITE_META_FIELDS = (
    "host",
    "level",
    "kind",
    "region",
    "organiser",
    "status",
    # registry fields of the supervision workflow (revision 0004)
    "region_code",
    "supervisor",
    "status_since",
    "status_reason",
    "status_destination",
    "opened",
    "contacts",
)
# What a run is: a supervision sample (抽查), a self-check (自查), a monitor cycle, a manual check.
RUN_KINDS = {
    "spot_check": "抽查",
    "self_check": "自查",
    "monitor": "监测",
    "manual": "手动检查",
    "recheck": "复查",
}


# States of a site in a distributed run (run_tasks.status).
RUN_TASK_STATES = {
    "queued": "排队",
    "running": "检查中",
    "done": "完成",
    "failed": "失败",
    "cancelled": "已取消",
}


class StoreError(RuntimeError):
    """A database operation failed; the message is Chinese and says what was not done."""


class NotFoundError(StoreError, LookupError):
    """The requested site or inspection does not exist."""


class InputError(Exception):
    """The caller asked for something invalid; raised as is, never wrapped in a StoreError."""


class UnknownSiteFieldError(InputError, TypeError):
    pass


class EmptySiteUrlError(InputError, ValueError):
    pass


@dataclass(frozen=True)
class SiteRow:
    id: int
    name: str
    url: str
    host: str
    site_code: str | None
    level: str | None
    kind: str | None
    region: str | None
    organiser: str | None
    status: str
    created_at: dt.datetime
    updated_at: dt.datetime
    region_code: str | None = None
    supervisor: str | None = None
    status_since: dt.date | None = None
    status_reason: str | None = None
    status_destination: str | None = None
    opened: dt.date | None = None
    contacts: dict[str, Any] | None = None


@dataclass(frozen=True)
class InspectionRow:
    id: int
    site_id: int
    site_name: str
    site_url: str
    as_of: dt.date
    rubric: str
    verdict: str
    score: float
    vetoes: list[str]
    error: str | None
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    run_id: int | None = None


@dataclass(frozen=True)
class RunRow:
    id: int
    kind: str
    started_by: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    parameters: dict[str, Any]
    status: str


@dataclass(frozen=True)
class RunTaskRow:
    run_id: int
    url: str
    target: dict[str, Any]
    status: str
    attempts: int
    inspection_id: int | None
    worker: str | None
    vantage: str | None
    error: str | None


@dataclass
class SiteHistory:
    """What an inspection needs from a site's past, loaded in one call before the crawl."""

    site_id: int | None = None
    overrides: dict[str, Any] | None = None  # per-site extraction overrides (registry)
    baseline: dict[str, Any] | None = None  # accepted home-page fingerprint (security.defacement)
    page_cache: dict[str, dict[str, Any]] = field(default_factory=dict)  # incremental re-crawl
    probes: list[Probe] = field(default_factory=list)  # stored availability probes, oldest first
    incremental: bool = True  # False without a store: the crawl then records no page cache


@dataclass(frozen=True)
class RecheckResult:
    """A re-check against an earlier inspection of the same site, by stable finding key."""

    fixed: list[Finding]  # in the earlier inspection, gone now
    not_fixed: list[Finding]  # still there (the new finding)
    new: list[Finding]  # not in the earlier inspection


def _host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


def _naive_local(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is not None:
        return value.astimezone().replace(tzinfo=None)
    return value


def _site_row(rec: SiteRecord) -> SiteRow:
    return SiteRow(
        id=rec.id,
        name=rec.name,
        url=rec.url,
        host=rec.host,
        site_code=rec.site_code,
        level=rec.level,
        kind=rec.kind,
        region=rec.region,
        organiser=rec.organiser,
        status=rec.status,
        created_at=rec.created_at,
        updated_at=rec.updated_at,
        region_code=rec.region_code,
        supervisor=rec.supervisor,
        status_since=rec.status_since,
        status_reason=rec.status_reason,
        status_destination=rec.status_destination,
        opened=rec.opened,
        contacts=dict(rec.contacts) if rec.contacts else None,
    )


def _inspection_row(rec: InspectionRecord, site_name: str, site_url: str) -> InspectionRow:
    return InspectionRow(
        id=rec.id,
        site_id=rec.site_id,
        site_name=site_name,
        site_url=site_url,
        as_of=rec.as_of,
        rubric=rec.rubric,
        verdict=rec.verdict,
        score=rec.score,
        vetoes=list(rec.vetoes or []),
        error=rec.error,
        started_at=rec.started_at,
        finished_at=rec.finished_at,
        run_id=rec.run_id,
    )


def _finished_at(inspection: Inspection) -> dt.datetime:
    started = _naive_local(inspection.started_at)
    elapsed = inspection.stats.get("elapsed_s")
    if started is not None and isinstance(elapsed, int | float):
        return (started + dt.timedelta(seconds=elapsed)).replace(microsecond=0)
    return now()


def _finding(r: FindingRecord) -> Finding:
    return Finding(
        check=r.check_id,
        message=r.message,
        url=r.url,
        column=r.column_name,
        evidence=dict(r.evidence or {}),
        severity=r.severity,  # type: ignore[arg-type]
        points=r.points,
    )


def _inspection_record(
    site_id: int, inspection: Inspection, site_model: dict | None, run_id: int | None
) -> InspectionRecord:
    report = json_ready(inspection.to_report())
    return InspectionRecord(
        site_id=site_id,
        run_id=run_id,
        as_of=inspection.as_of,
        rubric=inspection.rubric,
        verdict=inspection.verdict,
        score=float(inspection.score),
        vetoes=report["vetoes"],
        availability=report["availability"],
        stats=report["stats"],
        error=inspection.error,
        started_at=_naive_local(inspection.started_at),
        finished_at=_finished_at(inspection),
        report=report,
        site_model=json_ready(site_model) if site_model is not None else None,
        findings=[
            FindingRecord(
                check_id=f["check"],
                key=finding_key(finding),
                severity=f["severity"],
                points=float(f["points"]),
                url=f["url"] or "",
                column_name=f["column"] or "",
                message=f["message"],
                evidence=f["evidence"] or {},
            )
            for f, finding in zip(report["findings"], inspection.findings, strict=True)
        ],
        columns=[
            ColumnRecord(
                name=c["name"],
                url=c["url"] or "",
                kind=c["kind"],
                latest=dt.date.fromisoformat(c["latest"]) if c["latest"] else None,
                items=int(c["items"]),
            )
            for c in report["columns"]
        ],
    )


class SiteRepository:
    """The registry (名录) and each site's history: overrides, page cache, home baseline."""

    def __init__(self, session: Session):
        self.session = session

    def _record(self, site_id: int) -> SiteRecord:
        rec = self.session.get(SiteRecord, site_id)
        if rec is None:
            raise NotFoundError(f"站点不存在（编号 {site_id}）")
        return rec

    def upsert(self, name: str | None, url: str, site_code: str | None = None, **meta: Any) -> int:
        """Insert or update the site with this URL; returns its id.

        Only values given (not None, not blank) are written, so a sparse import never erases
        what an earlier, richer one stored.
        """
        unknown = sorted(set(meta) - set(SITE_META_FIELDS))
        if unknown:
            raise UnknownSiteFieldError(
                f"未知的站点字段：{'、'.join(unknown)}（可用：{'、'.join(SITE_META_FIELDS)}）"
            )
        if not url or not url.strip():
            raise EmptySiteUrlError("站点网址不能为空")
        given = {"name": name, "site_code": site_code, **meta}
        values = {
            k: v for k, v in given.items() if v is not None and not (isinstance(v, str) and not v.strip())
        }
        rec = self.session.scalar(select(SiteRecord).where(SiteRecord.url == url))
        if rec is None:
            rec = SiteRecord(url=url, name=_host_of(url), host=_host_of(url))
            self.session.add(rec)
        for key, value in values.items():
            if getattr(rec, key) != value:
                setattr(rec, key, value)
        self.session.flush()
        return rec.id

    def get(self, site_id: int) -> SiteRow | None:
        rec = self.session.get(SiteRecord, site_id)
        return _site_row(rec) if rec else None

    def by_url(self, url: str) -> SiteRow | None:
        rec = self.session.scalar(select(SiteRecord).where(SiteRecord.url == url))
        return _site_row(rec) if rec else None

    def list(self) -> list[SiteRow]:
        return [_site_row(r) for r in self.session.scalars(select(SiteRecord).order_by(SiteRecord.id))]

    def by_code(self, site_code: str) -> SiteRow | None:
        rec = self.session.scalar(
            select(SiteRecord).where(func.lower(SiteRecord.site_code) == site_code.lower())
        )
        return _site_row(rec) if rec else None

    def update(self, site_id: int, **values: Any) -> None:
        """Set registry fields, blanks included (None clears a field; status cannot be cleared)."""
        unknown = sorted(set(values) - {"name", "site_code", *SITE_META_FIELDS})
        if unknown:
            raise UnknownSiteFieldError(f"未知的站点字段：{'、'.join(unknown)}")
        rec = self._record(site_id)
        for key, value in values.items():
            setattr(rec, key, json_ready(value) if key == "contacts" and value else value)
        self.session.flush()

    def overrides(self, site_id: int) -> dict[str, Any] | None:
        return self._record(site_id).overrides

    def set_overrides(self, site_id: int, overrides: dict[str, Any] | None) -> None:
        """Store (or clear, with None) the extraction overrides of a registered site."""
        self._record(site_id).overrides = json_ready(overrides) if overrides else None

    def page_cache(self, site_id: int) -> dict[str, dict[str, Any]]:
        """URL -> {etag, last_modified, content_hash, status, extract} of pages seen before."""
        rows = self.session.scalars(select(PageCacheRecord).where(PageCacheRecord.site_id == site_id))
        return {
            r.url: {
                "etag": r.etag,
                "last_modified": r.last_modified,
                "content_hash": r.content_hash,
                "status": r.status,
                "extract": r.extract,
            }
            for r in rows
        }

    def save_page_cache(self, site_id: int, entries: dict[str, dict[str, Any]]) -> None:
        """Insert or update cache entries (URL -> the fields of `page_cache`)."""
        known = {
            r.url: r
            for r in self.session.scalars(select(PageCacheRecord).where(PageCacheRecord.site_id == site_id))
        }
        for url, values in entries.items():
            rec = known.get(url)
            if rec is None:
                rec = PageCacheRecord(site_id=site_id, url=url)
                self.session.add(rec)
            for key in ("etag", "last_modified", "content_hash", "status"):
                if key in values:
                    setattr(rec, key, values[key])
            if "extract" in values:
                rec.extract = json_ready(values["extract"])
            rec.fetched_at = now()

    def baseline(self, site_id: int) -> dict[str, Any] | None:
        """The accepted fingerprint of the site's home page, or None before the first one."""
        return self.session.scalar(
            select(BaselineRecord.fingerprint).where(BaselineRecord.site_id == site_id)
        )

    def set_baseline(
        self, site_id: int, fingerprint: dict[str, Any], inspection_id: int | None = None
    ) -> None:
        rec = self.session.get(BaselineRecord, site_id)
        if rec is None:
            rec = BaselineRecord(site_id=site_id, fingerprint={})
            self.session.add(rec)
        rec.fingerprint = json_ready(fingerprint)
        rec.inspection_id = inspection_id
        rec.updated_at = now()

    def clear_baseline(self, site_id: int) -> bool:
        """Forget the accepted home page (after a legitimate redesign). True when there was one."""
        rec = self.session.get(BaselineRecord, site_id)
        if rec is None:
            return False
        self.session.delete(rec)
        self.session.flush()
        return True

    def history(self, site_id: int | None, probes_since: dt.datetime | None = None) -> SiteHistory:
        """Overrides, baseline, page cache and stored probes of a site (empty for None: a new site)."""
        if site_id is None or self.session.get(SiteRecord, site_id) is None:
            return SiteHistory()
        return SiteHistory(
            site_id=site_id,
            overrides=self.overrides(site_id),
            baseline=self.baseline(site_id),
            page_cache=self.page_cache(site_id),
            probes=ProbeRepository(self.session).list(site_id, since=probes_since),
        )


class InspectionRepository:
    """The append-only inspection history with findings and columns."""

    def __init__(self, session: Session):
        self.session = session

    def _record(self, inspection_id: int) -> InspectionRecord:
        rec = self.session.get(InspectionRecord, inspection_id)
        if rec is None:
            raise NotFoundError(f"检查记录不存在（编号 {inspection_id}）")
        return rec

    def add(
        self, site_id: int, inspection: Inspection, site_model: dict | None = None, run_id: int | None = None
    ) -> int:
        """Append one inspection with its findings and columns; returns its id."""
        if self.session.get(SiteRecord, site_id) is None:
            raise NotFoundError(f"站点不存在（编号 {site_id}），检查结果未保存")
        rec = _inspection_record(site_id, inspection, site_model, run_id)
        self.session.add(rec)
        self.session.flush()
        return rec.id

    def list(
        self, site_id: int | None = None, limit: int = 100, run_id: int | None = None
    ) -> list[InspectionRow]:
        """Newest (last saved) first."""
        query = (
            select(InspectionRecord, SiteRecord.name, SiteRecord.url)
            .join(SiteRecord, InspectionRecord.site_id == SiteRecord.id)
            .order_by(InspectionRecord.id.desc())
            .limit(limit)
        )
        if site_id is not None:
            query = query.where(InspectionRecord.site_id == site_id)
        if run_id is not None:
            query = query.where(InspectionRecord.run_id == run_id)
        return [_inspection_row(rec, name, url) for rec, name, url in self.session.execute(query)]

    def count(self, site_id: int | None = None) -> int:
        query = select(func.count(InspectionRecord.id))
        if site_id is not None:
            query = query.where(InspectionRecord.site_id == site_id)
        return self.session.scalar(query) or 0

    def latest_per_site(self) -> list[int]:
        """The id of each site's newest inspection, in site order."""
        newest = (
            select(func.max(InspectionRecord.id))
            .group_by(InspectionRecord.site_id)
            .order_by(InspectionRecord.site_id)
        )
        return [int(i) for i in self.session.scalars(newest)]

    def last_seconds(self, urls: list[str]) -> dict[str, float]:
        """Wall seconds of each of these sites' newest finished inspection, by site URL; sites
        never inspected (or without timestamps) are absent."""
        newest = (
            select(func.max(InspectionRecord.id))
            .join(SiteRecord, InspectionRecord.site_id == SiteRecord.id)
            .where(
                SiteRecord.url.in_(urls),
                InspectionRecord.started_at.is_not(None),
                InspectionRecord.finished_at.is_not(None),
            )
            .group_by(InspectionRecord.site_id)
        )
        query = (
            select(SiteRecord.url, InspectionRecord.started_at, InspectionRecord.finished_at)
            .join(SiteRecord, InspectionRecord.site_id == SiteRecord.id)
            .where(InspectionRecord.id.in_(newest))
        )
        return {url: (end - start).total_seconds() for url, start, end in self.session.execute(query)}

    def site_id(self, inspection_id: int) -> int:
        return self._record(inspection_id).site_id

    def report(self, inspection_id: int) -> dict[str, Any]:
        """The stored govinspect.report/1 dict, as written."""
        return self._record(inspection_id).report

    def site_model(self, inspection_id: int) -> dict[str, Any] | None:
        """The crawl stored with the inspection, for re-scoring; None when none was kept."""
        return self._record(inspection_id).site_model

    def findings(self, inspection_id: int) -> list[Finding]:
        self._record(inspection_id)
        rows = self.session.scalars(
            select(FindingRecord)
            .where(FindingRecord.inspection_id == inspection_id)
            .order_by(FindingRecord.id)
        )
        return [_finding(r) for r in rows]

    def finding_keys(self, inspection_id: int) -> dict[str, Finding]:
        self._record(inspection_id)
        rows = self.session.scalars(
            select(FindingRecord)
            .where(FindingRecord.inspection_id == inspection_id)
            .order_by(FindingRecord.id)
        )
        return {r.key or "": _finding(r) for r in rows}

    def recheck(self, earlier_id: int, later_id: int) -> RecheckResult:
        """What was fixed, what was not, what is new between two inspections (by finding key)."""
        before, after = self.finding_keys(earlier_id), self.finding_keys(later_id)
        return RecheckResult(
            fixed=[f for k, f in before.items() if k not in after],
            not_fixed=[f for k, f in after.items() if k in before],
            new=[f for k, f in after.items() if k not in before],
        )


class RunRepository:
    """Batches of inspections: who started them, when, with what parameters."""

    def __init__(self, session: Session):
        self.session = session

    def start(self, kind: str, started_by: str, parameters: dict[str, Any] | None = None) -> int:
        if kind not in RUN_KINDS:
            raise InputError(f"未知的检查批次类型：{kind}（可用：{'、'.join(RUN_KINDS)}）")
        rec = RunRecord(kind=kind, started_by=started_by, parameters=json_ready(parameters or {}))
        self.session.add(rec)
        self.session.flush()
        return rec.id

    def finish(self, run_id: int, status: str = "finished") -> None:
        rec = self.session.get(RunRecord, run_id)
        if rec is None:
            raise NotFoundError(f"检查批次不存在（编号 {run_id}）")
        rec.finished_at, rec.status = now(), status

    def get(self, run_id: int, *, lock: bool = False) -> RunRow | None:
        """The run; `lock` holds its row until the unit of work ends (one finisher at a time)."""
        rec = self.session.get(RunRecord, run_id, with_for_update=lock)
        if rec is None:
            return None
        return RunRow(
            rec.id,
            rec.kind,
            rec.started_by,
            rec.started_at,
            rec.finished_at,
            dict(rec.parameters),
            rec.status,
        )


def _run_task_row(r: RunTaskRecord) -> RunTaskRow:
    return RunTaskRow(
        r.run_id, r.url, dict(r.target), r.status, r.attempts, r.inspection_id, r.worker, r.vantage, r.error
    )


class RunTaskRepository:
    """The sites of a distributed run and the state of each one's task."""

    def __init__(self, session: Session):
        self.session = session

    def add(self, run_id: int, targets: list[dict[str, Any]]) -> list[str]:
        """Queue these targets (dicts with at least "url"); a URL given twice is queued once.
        Returns the URLs queued, in order."""
        if self.session.get(RunRecord, run_id) is None:
            raise NotFoundError(f"检查批次不存在（编号 {run_id}）")
        unique = {t["url"]: t for t in targets}
        for url, target in unique.items():
            self.session.add(RunTaskRecord(run_id=run_id, url=url, target=json_ready(target)))
        self.session.flush()
        return list(unique)

    def lock(self, run_id: int, url: str) -> RunTaskRow | None:
        """The site's row, locked until the unit of work ends (SELECT ... FOR UPDATE on PostgreSQL;
        SQLite has one writer anyway). None when the run has no such site (a local run)."""
        rec = self._locked(run_id, url)
        return _run_task_row(rec) if rec else None

    def _locked(self, run_id: int, url: str) -> RunTaskRecord | None:
        query = select(RunTaskRecord).where(RunTaskRecord.run_id == run_id, RunTaskRecord.url == url)
        return self.session.scalar(query.with_for_update())

    def claim(self, run_id: int, url: str, worker: str, vantage: str) -> RunTaskRow:
        """Mark the site running (one more attempt) unless it is done or cancelled; the row as it
        was before, so the caller knows whether to inspect."""
        rec = self._locked(run_id, url)
        if rec is None:
            raise NotFoundError(f"检查批次 {run_id} 中没有网站 {url}")
        before = _run_task_row(rec)
        run = self.session.get(RunRecord, run_id)
        if run is not None and run.status == "cancelled" and rec.status == "queued":
            rec.status = "cancelled"
            return replace(before, status="cancelled")
        if rec.status in ("queued", "running", "failed"):
            rec.status, rec.attempts, rec.worker, rec.vantage = "running", rec.attempts + 1, worker, vantage
        return before

    def finish(
        self, run_id: int, url: str, status: str, inspection_id: int | None = None, error: str | None = None
    ) -> None:
        if status not in RUN_TASK_STATES:
            raise InputError(f"未知的网站检查状态：{status}")
        rec = self._locked(run_id, url)
        if rec is None:
            raise NotFoundError(f"检查批次 {run_id} 中没有网站 {url}")
        rec.status, rec.error = status, error
        if inspection_id is not None:
            rec.inspection_id = inspection_id

    def list(self, run_id: int) -> list[RunTaskRow]:
        query = select(RunTaskRecord).where(RunTaskRecord.run_id == run_id).order_by(RunTaskRecord.id)
        return [_run_task_row(r) for r in self.session.scalars(query)]

    def progress(self, run_id: int) -> dict[str, int]:
        """Sites per state (every state present, zero when none)."""
        query = (
            select(RunTaskRecord.status, func.count(RunTaskRecord.id))
            .where(RunTaskRecord.run_id == run_id)
            .group_by(RunTaskRecord.status)
        )
        counts = dict.fromkeys(RUN_TASK_STATES, 0)
        counts.update({status: n for status, n in self.session.execute(query)})
        return counts

    def cancel(self, run_id: int) -> int:
        """Cancel the sites still queued (running ones finish); returns how many."""
        query = select(RunTaskRecord).where(RunTaskRecord.run_id == run_id, RunTaskRecord.status == "queued")
        recs = list(self.session.scalars(query.with_for_update()))
        for rec in recs:
            rec.status = "cancelled"
        return len(recs)


class ProbeRepository:
    """Availability probes of sites' home pages, from any vantage point."""

    def __init__(self, session: Session):
        self.session = session

    def add(self, site_id: int, probes: list[Probe], vantage: str = "local") -> None:
        for p in probes:
            self.session.add(
                ProbeRecord(
                    site_id=site_id,
                    at=_naive_local(p.at),
                    outcome="ok" if p.ok else "failed",
                    latency_s=p.elapsed_s,
                    status=p.status,
                    error=p.error,
                    vantage=vantage,
                )
            )

    def list(self, site_id: int, since: dt.datetime | None = None) -> list[Probe]:
        query = (
            select(ProbeRecord).where(ProbeRecord.site_id == site_id).order_by(ProbeRecord.at, ProbeRecord.id)
        )
        if since is not None:
            query = query.where(ProbeRecord.at >= since)
        query = query.where(ProbeRecord.held.is_(False))  # the vantage failed, not the site
        return [_probe(r) for r in self.session.scalars(query)]


# Stored outcomes that mean the home page opened: "ok" (any probe), and the monitor's challenged
# (a WAF stopped our client, the site is up) and maintenance (excluded from the window anyway).
OPEN_OUTCOMES = frozenset({"ok", "challenged", "maintenance"})


def _probe(r: ProbeRecord) -> Probe:
    ok = r.outcome in OPEN_OUTCOMES
    classified = r.outcome not in ("ok", "failed")
    return Probe(
        at=r.at,
        ok=ok,
        elapsed_s=r.latency_s or 0.0,
        status=r.status,
        error=None if ok else r.error,
        source="monitor" if r.final_url is not None else "probe",
        outcome=r.outcome if classified else "",
    )


_ACCOUNT_FIELDS = (
    "name",
    "organiser",
    "feed_url",
    "subject",
    "record_no",
    "record_date",
    "status",
    "connector",
)


class NewMediaRepository:
    """政务新媒体 accounts, keyed by (platform, account_id)."""

    def __init__(self, session: Session):
        self.session = session

    def replace_all(self, accounts: list[Any]) -> tuple[int, int]:
        """Insert or update every account (newmedia.Account); returns (added, updated)."""
        existing = {
            (r.platform, r.account_id): r for r in self.session.scalars(select(NewMediaAccountRecord))
        }
        added = updated = 0
        for account in accounts:
            values = {f: getattr(account, f) for f in _ACCOUNT_FIELDS}
            record = existing.get((account.platform, account.account_id))
            if record is None:
                self.session.add(
                    NewMediaAccountRecord(platform=account.platform, account_id=account.account_id, **values)
                )
                added += 1
            else:
                for key, value in values.items():
                    setattr(record, key, value)
                updated += 1
        self.session.flush()
        return added, updated

    def list(self) -> list[Any]:
        from govinspect.newmedia.model import Account

        records = self.session.scalars(
            select(NewMediaAccountRecord).order_by(NewMediaAccountRecord.platform, NewMediaAccountRecord.id)
        )
        return [
            Account(
                platform=r.platform, account_id=r.account_id, **{f: getattr(r, f) for f in _ACCOUNT_FIELDS}
            )
            for r in records
        ]


class NewMediaCheckRepository:
    """The record of 政务新媒体 checks, newest last; how long an account's connector keeps failing."""

    def __init__(self, session: Session):
        self.session = session

    def add(self, as_of: dt.date, row: dict[str, Any]) -> None:
        """`row` is AccountOutcome.to_dict()."""
        self.session.add(
            NewMediaCheckRecord(
                platform=row["platform"],
                account_id=row["account_id"],
                as_of=as_of,
                status=row["connector_status"],
                verdict=row["verdict"],
                result=json_ready(row),
            )
        )
        self.session.flush()

    def failing_streak(self, platform: str, account_id: str) -> int:
        """Checks in a row, the newest first, whose connector could not read the account."""
        statuses = self.session.scalars(
            select(NewMediaCheckRecord.status)
            .where(NewMediaCheckRecord.platform == platform, NewMediaCheckRecord.account_id == account_id)
            .order_by(NewMediaCheckRecord.id.desc())
        )
        streak = 0
        for status in statuses:
            if status == "ok":
                break
            streak += 1
        return streak


class UnitOfWork:
    """One Session and the repositories over it; see the module docstring."""

    def __init__(self, session: Session):
        self.session = session
        self.sites = SiteRepository(session)
        self.inspections = InspectionRepository(session)
        self.runs = RunRepository(session)
        self.probes = ProbeRepository(session)
        # The supervision workflow (store/workflow.py); imported here to keep one entry point.
        from govinspect.store.workflow import (
            AccountabilityRepository,
            AnnualValueRepository,
            JiucuoRepository,
            RectifyRepository,
            RunSiteRepository,
        )

        self.run_sites = RunSiteRepository(session)
        self.rectify = RectifyRepository(session)
        self.jiucuo = JiucuoRepository(session)
        self.accountability = AccountabilityRepository(session)
        self.annual = AnnualValueRepository(session)
        self.run_tasks = RunTaskRepository(session)
        self.newmedia = NewMediaRepository(session)
        self.newmedia_checks = NewMediaCheckRepository(session)
        self.monitor = MonitorRepository(session)
