"""Persistence: SQLAlchemy models, Alembic migrations and the Store API (SQLite or PostgreSQL)."""

from govinspect.store.store import (
    DATABASE_URL_ENV,
    InspectionRow,
    NotFoundError,
    SiteRow,
    Store,
    StoreError,
    database_url_from_env,
)

__all__ = [
    "DATABASE_URL_ENV",
    "InspectionRow",
    "NotFoundError",
    "SiteRow",
    "Store",
    "StoreError",
    "database_url_from_env",
]
