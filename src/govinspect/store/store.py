"""The Store: sites and their append-only inspection history in SQLite or PostgreSQL."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from govinspect.model import Finding, Inspection
from govinspect.store import migrate as migrations
from govinspect.store.models import (
    BaselineRecord,
    ColumnRecord,
    FindingRecord,
    InspectionRecord,
    PageCacheRecord,
    SiteRecord,
    now,
)

DATABASE_URL_ENV = "GOVINSPECT_DATABASE_URL"

# Site attributes that upsert_site accepts besides name, url and site_code.
SITE_META_FIELDS = ("host", "level", "kind", "region", "organiser", "status")

T = TypeVar("T")


class StoreError(RuntimeError):
    """A database operation failed; the message is Chinese and says what was not done."""


class NotFoundError(StoreError, LookupError):
    """The requested site or inspection does not exist."""


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


def database_url_from_env(default: str = "sqlite:///govinspect.db") -> str:
    """GOVINSPECT_DATABASE_URL when set (and not blank), else `default`."""
    return os.environ.get(DATABASE_URL_ENV, "").strip() or default


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"无法保存为JSON的值：{type(value).__name__}")


# allow_nan=False: PostgreSQL rejects NaN in JSON, so fail the same way on every backend.
dump_json: Callable[[Any], str] = functools.partial(
    json.dumps, ensure_ascii=False, allow_nan=False, default=_json_default
)


def json_ready(value: Any) -> Any:
    """What the value becomes once stored as JSON (dates → ISO strings), so reads equal writes."""
    return json.loads(dump_json(value))


def _naive_local(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is not None:
        return value.astimezone().replace(tzinfo=None)
    return value


def _host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


def _enable_sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers (web app) do not block the writer (batch run)
    cursor.close()


def make_engine(url: str, **engine_options: Any) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, json_serializer=dump_json, **engine_options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _enable_sqlite_pragmas)
    return engine


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
    )


def _finished_at(inspection: Inspection) -> dt.datetime:
    started = _naive_local(inspection.started_at)
    elapsed = inspection.stats.get("elapsed_s")
    if started is not None and isinstance(elapsed, int | float):
        return (started + dt.timedelta(seconds=elapsed)).replace(microsecond=0)
    return now()


def _inspection_record(site_id: int, inspection: Inspection, site_model: dict | None) -> InspectionRecord:
    report = json_ready(inspection.to_report())
    return InspectionRecord(
        site_id=site_id,
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
                severity=f["severity"],
                points=float(f["points"]),
                url=f["url"] or "",
                column_name=f["column"] or "",
                message=f["message"],
                evidence=f["evidence"] or {},
            )
            for f in report["findings"]
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


class Store:
    """Sites and inspections in one database. `Store(url)` migrates the schema to the latest revision."""

    def __init__(self, url: str, *, migrate: bool = True, **engine_options: Any):
        self.engine = make_engine(url, **engine_options)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        if migrate:
            try:
                self.migrate()
            except Exception:
                self.engine.dispose()
                raise

    # -- schema ---------------------------------------------------------------------------------

    def migrate(self) -> None:
        """`alembic upgrade head`; safe to call again."""
        try:
            migrations.upgrade(self.engine)
        except Exception as exc:
            raise StoreError(f"数据库结构升级失败（{self.engine.url!r}）：{exc}") from exc

    def schema_revision(self) -> str | None:
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    # -- helpers --------------------------------------------------------------------------------

    def _write(self, what: str, work: Callable[[Session], T]) -> T:
        """Run `work` in one transaction; any failure rolls it all back and raises StoreError."""
        try:
            with self._sessions.begin() as session:
                return work(session)
        except (StoreError, IntegrityError):
            raise
        except Exception as exc:
            raise StoreError(f"{what}失败，本次没有写入任何数据：{exc}") from exc

    def _read(self, work: Callable[[Session], T]) -> T:
        with self._sessions() as session:
            return work(session)

    # -- sites ----------------------------------------------------------------------------------

    def upsert_site(self, name: str | None, url: str, site_code: str | None = None, **meta: Any) -> int:
        """Insert or update the site with this URL; returns its id.

        Only values given (not None, not blank) are written, so a sparse import never erases
        what an earlier, richer one stored.
        """
        unknown = sorted(set(meta) - set(SITE_META_FIELDS))
        if unknown:
            raise TypeError(f"未知的站点字段：{'、'.join(unknown)}（可用：{'、'.join(SITE_META_FIELDS)}）")
        if not url or not url.strip():
            raise ValueError("站点网址不能为空")
        given = {"name": name, "site_code": site_code, **meta}
        values = {
            k: v for k, v in given.items() if v is not None and not (isinstance(v, str) and not v.strip())
        }
        try:
            return self._write("保存站点", lambda s: self._upsert_site(s, url, values))
        except IntegrityError:
            # Another process inserted this URL between our SELECT and INSERT: it exists now, update it.
            try:
                return self._write("保存站点", lambda s: self._upsert_site(s, url, values))
            except IntegrityError as exc:
                raise StoreError(f"保存站点失败，本次没有写入任何数据：{exc}") from exc

    @staticmethod
    def _upsert_site(session: Session, url: str, values: dict[str, Any]) -> int:
        rec = session.scalar(select(SiteRecord).where(SiteRecord.url == url))
        if rec is None:
            rec = SiteRecord(url=url, name=_host_of(url), host=_host_of(url))
            session.add(rec)
        for key, value in values.items():
            if getattr(rec, key) != value:
                setattr(rec, key, value)
        session.flush()
        return rec.id

    def list_sites(self) -> list[SiteRow]:
        return self._read(
            lambda s: [_site_row(r) for r in s.scalars(select(SiteRecord).order_by(SiteRecord.id))]
        )

    def get_site(self, url: str) -> SiteRow | None:
        def work(s: Session) -> SiteRow | None:
            rec = s.scalar(select(SiteRecord).where(SiteRecord.url == url))
            return _site_row(rec) if rec else None

        return self._read(work)

    # -- inspections ----------------------------------------------------------------------------

    def save_inspection(self, site_id: int, inspection: Inspection, site_model: dict | None = None) -> int:
        """Append one inspection with its findings and columns, all or nothing; returns its id."""

        def work(s: Session) -> int:
            if s.get(SiteRecord, site_id) is None:
                raise NotFoundError(f"站点不存在（编号 {site_id}），检查结果未保存")
            rec = _inspection_record(site_id, inspection, site_model)
            s.add(rec)
            s.flush()
            return rec.id

        try:
            return self._write(f"保存“{inspection.site_name}”（{inspection.url}）的检查结果", work)
        except IntegrityError as exc:
            raise StoreError(f"保存检查结果失败，本次没有写入任何数据：{exc}") from exc

    def list_inspections(self, site_id: int | None = None, limit: int = 100) -> list[InspectionRow]:
        """Newest (last saved) first."""
        query = (
            select(InspectionRecord, SiteRecord.name, SiteRecord.url)
            .join(SiteRecord, InspectionRecord.site_id == SiteRecord.id)
            .order_by(InspectionRecord.id.desc())
            .limit(limit)
        )
        if site_id is not None:
            query = query.where(InspectionRecord.site_id == site_id)
        return self._read(lambda s: [_inspection_row(rec, name, url) for rec, name, url in s.execute(query)])

    def count_inspections(self, site_id: int | None = None) -> int:
        query = select(func.count(InspectionRecord.id))
        if site_id is not None:
            query = query.where(InspectionRecord.site_id == site_id)
        return self._read(lambda s: s.scalar(query) or 0)

    def _inspection(self, s: Session, insp_id: int) -> InspectionRecord:
        rec = s.get(InspectionRecord, insp_id)
        if rec is None:
            raise NotFoundError(f"检查记录不存在（编号 {insp_id}）")
        return rec

    def load_report(self, insp_id: int) -> dict[str, Any]:
        """The stored govinspect.report/1 dict, as written."""
        return self._read(lambda s: self._inspection(s, insp_id).report)

    def load_site_model(self, insp_id: int) -> dict[str, Any] | None:
        """The raw crawl stored with the inspection, for re-scoring; None when none was kept."""
        return self._read(lambda s: self._inspection(s, insp_id).site_model)

    def findings(self, insp_id: int) -> list[Finding]:
        def work(s: Session) -> list[Finding]:
            self._inspection(s, insp_id)
            rows = s.scalars(
                select(FindingRecord).where(FindingRecord.inspection_id == insp_id).order_by(FindingRecord.id)
            )
            return [
                Finding(
                    check=r.check_id,
                    message=r.message,
                    url=r.url,
                    column=r.column_name,
                    evidence=dict(r.evidence or {}),
                    severity=r.severity,  # type: ignore[arg-type]
                    points=r.points,
                )
                for r in rows
            ]

        return self._read(work)

    # -- lifecycle ------------------------------------------------------------------------------

    # -- per-site overrides, page cache, baselines ----------------------------------------------

    def _site_id(self, s: Session, url: str) -> int:
        site_id = s.scalar(select(SiteRecord.id).where(SiteRecord.url == url))
        if site_id is None:
            raise NotFoundError(f"没有网址为 {url} 的站点")
        return site_id

    def set_site_overrides(self, url: str, overrides: dict[str, Any] | None) -> None:
        """Store (or clear, with None) the extraction overrides of a registered site."""

        def work(s: Session) -> None:
            rec = s.get(SiteRecord, self._site_id(s, url))
            rec.overrides = json_ready(overrides) if overrides else None

        self._write("保存站点个性化配置", work)

    def get_site_overrides(self, url: str) -> dict[str, Any] | None:
        return self._read(lambda s: s.scalar(select(SiteRecord.overrides).where(SiteRecord.url == url)))

    def page_cache(self, site_id: int) -> dict[str, dict[str, Any]]:
        """URL -> {etag, last_modified, content_hash, status, extract} of pages seen before."""

        def work(s: Session) -> dict[str, dict[str, Any]]:
            rows = s.scalars(select(PageCacheRecord).where(PageCacheRecord.site_id == site_id))
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

        return self._read(work)

    def save_page_cache(self, site_id: int, entries: dict[str, dict[str, Any]]) -> None:
        """Insert or update cache entries (URL -> the fields of `page_cache`), in one transaction."""

        def work(s: Session) -> None:
            known = {
                r.url: r for r in s.scalars(select(PageCacheRecord).where(PageCacheRecord.site_id == site_id))
            }
            for url, values in entries.items():
                rec = known.get(url)
                if rec is None:
                    rec = PageCacheRecord(site_id=site_id, url=url)
                    s.add(rec)
                for key in ("etag", "last_modified", "content_hash", "status"):
                    if key in values:
                        setattr(rec, key, values[key])
                if "extract" in values:
                    rec.extract = json_ready(values["extract"])
                rec.fetched_at = now()

        self._write("保存页面缓存", work)

    def baseline(self, site_id: int) -> dict[str, Any] | None:
        """The accepted fingerprint of the site's home page, or None before the first one."""
        return self._read(
            lambda s: s.scalar(select(BaselineRecord.fingerprint).where(BaselineRecord.site_id == site_id))
        )

    def clear_baseline(self, site_id: int) -> bool:
        """Forget the accepted home page (after a legitimate redesign); the next clean inspection
        sets a new one. True when there was one."""

        def work(s: Session) -> bool:
            rec = s.get(BaselineRecord, site_id)
            if rec is None:
                return False
            s.delete(rec)
            return True

        return self._write("清除首页基线", work)

    def set_baseline(
        self, site_id: int, fingerprint: dict[str, Any], inspection_id: int | None = None
    ) -> None:
        def work(s: Session) -> None:
            rec = s.get(BaselineRecord, site_id)
            if rec is None:
                rec = BaselineRecord(site_id=site_id, fingerprint={})
                s.add(rec)
            rec.fingerprint = json_ready(fingerprint)
            rec.inspection_id = inspection_id
            rec.updated_at = now()

        self._write("保存首页基线", work)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
