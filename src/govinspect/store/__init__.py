"""Persistence: SQLAlchemy models, Alembic migrations, repositories in units of work (SQLite or PostgreSQL)."""

from govinspect.store.repositories import (
    RUN_KINDS,
    InputError,
    InspectionRow,
    NotFoundError,
    RecheckResult,
    RunRow,
    SiteHistory,
    SiteRow,
    StoreError,
    UnitOfWork,
)
from govinspect.store.store import Store

__all__ = [
    "RUN_KINDS",
    "InputError",
    "InspectionRow",
    "NotFoundError",
    "RecheckResult",
    "RunRow",
    "SiteHistory",
    "SiteRow",
    "Store",
    "StoreError",
    "UnitOfWork",
]
