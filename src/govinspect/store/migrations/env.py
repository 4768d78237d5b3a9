"""Alembic environment for govinspect.

`govinspect.store.migrate.upgrade()` passes its own connection in `config.attributes["connection"]`,
so migrations run on exactly the engine the Store uses (same SQLite file, same PostgreSQL search_path).
Without it (a developer running alembic by hand), the URL comes from `sqlalchemy.url` or
GOVINSPECT_DATABASE_URL.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine, text

from govinspect.store.models import Base

config = context.config
target_metadata = Base.metadata

# Any fixed number: PostgreSQL advisory lock so workers starting together do not migrate twice.
MIGRATION_LOCK_KEY = 7_844_112_019


def database_url() -> str:
    return config.get_main_option("sqlalchemy.url") or os.environ.get("GOVINSPECT_DATABASE_URL", "")


def run_migrations_offline() -> None:
    context.configure(url=database_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_with_connection(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with_connection(connection)
        return
    engine = create_engine(database_url())
    try:
        with engine.begin() as conn:
            run_with_connection(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
