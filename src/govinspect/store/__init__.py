"""Persistence: SQLAlchemy models, Alembic migrations, repositories in units of work (SQLite or PostgreSQL)."""

from govinspect.store.repositories import (
    RUN_KINDS,
    RUN_TASK_STATES,
    InputError,
    InspectionRow,
    NotFoundError,
    RecheckResult,
    RunRow,
    RunTaskRow,
    SiteHistory,
    SiteRow,
    StoreError,
    UnitOfWork,
)
from govinspect.store.store import Store

__all__ = [
    "RUN_KINDS",
    "RUN_TASK_STATES",
    "InputError",
    "InspectionRow",
    "NotFoundError",
    "RecheckResult",
    "RunRow",
    "RunTaskRow",
    "SiteHistory",
    "SiteRow",
    "Store",
    "StoreError",
    "UnitOfWork",
]
