"""Fixtures giving each test an empty database: a SQLite file, or a fresh PostgreSQL schema."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'govinspect.db'}"
    url, _schema = request.getfixturevalue("pg_schema")
    return url
