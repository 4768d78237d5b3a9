from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Integer, MetaData, inspect, text

from govinspect.store import Store
from govinspect.store.migrate import alembic_config
from govinspect.store.models import Base


def schema_diff(store: Store, metadata: MetaData) -> list:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        return compare_metadata(context, metadata)


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_migrated_schema_matches_models(db_url):
    store = Store(db_url)
    try:
        assert store.schema_revision() == head_revision() == "0009"
        assert schema_diff(store, Base.metadata) == []
        tables = set(inspect(store.engine).get_table_names())
        assert {
            "sites",
            "inspections",
            "findings",
            "columns",
            "runs",
            "probes",
            "newmedia_accounts",
            "alembic_version",
        } <= tables
        indexes = {
            ix["name"]
            for t in ("inspections", "findings", "columns", "probes")
            for ix in inspect(store.engine).get_indexes(t)
        }
        assert {
            "ix_inspections_site_id",
            "ix_inspections_run_id",
            "ix_findings_inspection_id",
            "ix_findings_check_id",
            "ix_findings_key",
            "ix_columns_inspection_id",
            "ix_probes_site_id",
        } <= indexes
    finally:
        store.close()


def test_schema_comparison_detects_a_model_change(db_url):
    # Guards the test above: a model column without a migration must show up as a diff.
    changed = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.tables.values():
        table.to_metadata(changed)
    changed.tables["sites"].append_column(Column("extra", Integer))
    store = Store(db_url)
    try:
        diff = schema_diff(store, changed)
        assert [(d[0], d[3].name) for d in diff] == [("add_column", "extra")]
    finally:
        store.close()


def test_migrate_is_idempotent_and_keeps_data(db_url):
    store = Store(db_url)
    site_id = store.upsert_site(name="甲", url="http://www.jia.gov.cn/")
    store.migrate()
    store.close()
    again = Store(db_url)  # migrates on open
    try:
        assert again.schema_revision() == head_revision()
        assert [s.id for s in again.list_sites()] == [site_id]
    finally:
        again.close()


def test_alembic_version_table_lives_in_the_configured_pg_schema(pg_schema):
    url, schema = pg_schema
    store = Store(url)
    try:
        with store.engine.connect() as conn:
            found = conn.execute(
                text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s"),
                {"s": schema},
            ).scalars()
            assert {"alembic_version", "sites", "inspections", "findings", "columns"} <= set(found)
            assert conn.execute(text("SELECT current_schema()")).scalar() == schema
    finally:
        store.close()


def test_sqlite_has_foreign_keys_and_wal(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'sub' / 'dir' / 'g.db'}")  # missing folders are created
    try:
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        store.close()


def test_downgrade_to_base_and_upgrade_again(db_url):
    from govinspect.store.migrate import downgrade, upgrade

    store = Store(db_url)
    try:
        downgrade(store.engine, "base")
        assert set(inspect(store.engine).get_table_names()) <= {"alembic_version"}
        assert store.schema_revision() is None
        upgrade(store.engine)
        assert store.schema_revision() == head_revision() and schema_diff(store, Base.metadata) == []
    finally:
        store.close()


def test_upgrade_to_0003_gives_stored_findings_their_key(db_url):
    """Findings saved under 0002 get the same key a new inspection would give them."""
    from govinspect.model import Finding, finding_key
    from govinspect.store.migrate import downgrade, upgrade

    store = Store(db_url)
    try:
        downgrade(store.engine, "0002")
        with store.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO sites (id, name, url, host, status, created_at, updated_at) "
                    "VALUES (1, '甲', 'http://www.jia.gov.cn/', 'www.jia.gov.cn', '正常', "
                    "'2026-11-01 00:00:00', '2026-11-01 00:00:00')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO inspections (id, site_id, as_of, rubric, verdict, score, vetoes, "
                    "availability, stats, report) VALUES (1, 1, '2026-11-01', 'gov-2019', 'fail', 0, "
                    "'[]', '{}', '{}', '{}')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO findings (inspection_id, check_id, severity, points, url, column_name, "
                    "message, evidence) VALUES (1, 'links.broken_home', 'deduct', 1, "
                    "'HTTP://WWW.JIA.GOV.CN/index.html', '', '首页链接不可用', "
                    '\'{"target": "http://www.jia.gov.cn/old.html"}\')'
                )
            )
        upgrade(store.engine)
        with store.engine.connect() as conn:
            key = conn.execute(text("SELECT key FROM findings")).scalar_one()
        expected = Finding(
            check="links.broken_home",
            message="",
            url="http://www.jia.gov.cn/",
            evidence={"target": "http://www.jia.gov.cn/old.html"},
        )
        assert key == finding_key(expected) and len(key) == 64
    finally:
        store.close()
