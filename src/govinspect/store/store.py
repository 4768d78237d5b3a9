"""The Store: one database (SQLite or PostgreSQL), opened in units of work.

`Store(url)` migrates the schema to the latest revision. Work goes through
`with store.unit_of_work() as uow:` (store/repositories.py); the few methods below are
one-statement conveniences, each its own unit of work.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from govinspect.model import Finding, Inspection
from govinspect.store import migrate as migrations
from govinspect.store.codec import dump_json, json_ready
from govinspect.store.repositories import (
    SITE_META_FIELDS,
    InputError,
    InspectionRow,
    NotFoundError,
    SiteHistory,
    SiteRow,
    StoreError,
    UnitOfWork,
)

__all__ = [
    "SITE_META_FIELDS",
    "InspectionRow",
    "NotFoundError",
    "SiteHistory",
    "SiteRow",
    "Store",
    "StoreError",
    "dump_json",
    "json_ready",
    "make_engine",
]


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


class Store:
    """Sites, runs, inspections and probes in one database."""

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

    # -- units of work --------------------------------------------------------------------------

    @contextmanager
    def unit_of_work(self, what: str = "数据库操作") -> Iterator[UnitOfWork]:
        """One transaction over every repository: all of it is written, or (on any error) none."""
        try:
            with self._sessions.begin() as session:
                yield UnitOfWork(session)
        except (StoreError, LookupError, InputError, AssertionError):
            raise
        except Exception as exc:
            raise StoreError(f"{what}失败，本次没有写入任何数据：{exc}") from exc

    # -- conveniences (one unit of work each) ---------------------------------------------------

    def upsert_site(self, name: str | None, url: str, site_code: str | None = None, **meta: Any) -> int:
        """Insert or update the site with this URL; returns its id (see SiteRepository.upsert)."""
        try:
            with self.unit_of_work("保存站点") as uow:
                return uow.sites.upsert(name, url, site_code, **meta)
        except StoreError as exc:
            if not isinstance(exc.__cause__, IntegrityError):
                raise
        # Another process inserted this URL between our SELECT and INSERT: it exists now, update it.
        with self.unit_of_work("保存站点") as uow:
            return uow.sites.upsert(name, url, site_code, **meta)

    def list_sites(self) -> list[SiteRow]:
        with self.unit_of_work() as uow:
            return uow.sites.list()

    def get_site(self, site_id: int) -> SiteRow | None:
        with self.unit_of_work() as uow:
            return uow.sites.get(site_id)

    def site_by_url(self, url: str) -> SiteRow | None:
        with self.unit_of_work() as uow:
            return uow.sites.by_url(url)

    def save_inspection(
        self, site_id: int, inspection: Inspection, site_model: dict | None = None, run_id: int | None = None
    ) -> int:
        """Append one inspection with its findings and columns, all or nothing; returns its id."""
        with self.unit_of_work(f"保存“{inspection.site_name}”（{inspection.url}）的检查结果") as uow:
            return uow.inspections.add(site_id, inspection, site_model, run_id)

    def list_inspections(self, site_id: int | None = None, limit: int = 100) -> list[InspectionRow]:
        with self.unit_of_work() as uow:
            return uow.inspections.list(site_id, limit)

    def count_inspections(self, site_id: int | None = None) -> int:
        with self.unit_of_work() as uow:
            return uow.inspections.count(site_id)

    def load_report(self, inspection_id: int) -> dict[str, Any]:
        with self.unit_of_work() as uow:
            return uow.inspections.report(inspection_id)

    def load_site_model(self, inspection_id: int) -> dict[str, Any] | None:
        with self.unit_of_work() as uow:
            return uow.inspections.site_model(inspection_id)

    def findings(self, inspection_id: int) -> list[Finding]:
        with self.unit_of_work() as uow:
            return uow.inspections.findings(inspection_id)

    def history(self, site_id: int | None) -> SiteHistory:
        with self.unit_of_work() as uow:
            return uow.sites.history(site_id)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
