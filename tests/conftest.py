"""Session-wide fixtures: one inspection of the whole demo farm through the service and a store,
shared by every test that only reads its results; the proxy variables of the machine kept out."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from govinspect.crawl import CrawlBudget
from govinspect.demo import Farm, FarmServer, build_farm
from govinspect.fetch import FetchSettings
from govinspect.registry import SiteTarget
from govinspect.service import SiteOutcome, inspect_sites
from govinspect.settings import Settings
from govinspect.store import Store

PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
FARM_DAY = dt.date.today()
PG_URL = os.environ.get("GOVINSPECT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(autouse=True)
def no_proxy_env(monkeypatch):
    """The machine's own proxy settings (and GOVINSPECT_* settings) must not leak into the tests."""
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def farm_settings(farm: Farm, server: FarmServer, **crawl) -> Settings:
    """Settings for inspecting the demo farm behind its proxy, as of the day it was built for."""
    budget = CrawlBudget(**{"probes": 3, "probe_interval_s": 0.2, **crawl})
    return replace(
        Settings(),
        as_of=farm.as_of,
        crawl_date=farm.as_of,
        crawl=budget,
        fetch=FetchSettings(timeout_s=5.0, proxy=server.proxy_url, trust_env=False),
        out_dir=None,
    )


class FarmRun(NamedTuple):
    farm: Farm
    outcomes: dict[str, SiteOutcome]  # by home URL
    out_dir: Path
    store: Store


@pytest.fixture(scope="session")
def farm_run(tmp_path_factory) -> FarmRun:
    """Every demo site inspected once (reports written, everything stored), for the whole session."""
    out = tmp_path_factory.mktemp("reports")
    db = tmp_path_factory.mktemp("db") / "govinspect.db"
    farm = build_farm(FARM_DAY)
    store = Store(f"sqlite:///{db}")
    with FarmServer(farm) as server:
        settings = replace(farm_settings(farm, server), out_dir=out)
        targets = [SiteTarget(url=s.url, name=s.name) for s in farm.sites]
        outcomes = inspect_sites(targets, repo=store, settings=settings)
    yield FarmRun(farm, {o.inspection.url: o for o in outcomes}, out, store)
    store.close()


@pytest.fixture
def pg_schema():
    """(url, schema): the URL's connections put everything, alembic_version included, in a new schema."""
    admin = create_engine(PG_URL, connect_args={"connect_timeout": 3})
    schema = f"gi_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL not reachable at {PG_URL} (set GOVINSPECT_TEST_PG_URL): {exc}")
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False), schema
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pg_url(pg_schema):
    """A PostgreSQL URL whose connections use a new schema (dropped afterwards); skips without a server."""
    url, _schema = pg_schema
    return url
