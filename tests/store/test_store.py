from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import event, func, select

from govinspect.model import Column, Finding, Inspection, Item
from govinspect.settings import Settings
from govinspect.store import NotFoundError, Store, StoreError
from govinspect.store.models import ColumnRecord, FindingRecord, InspectionRecord, SiteRecord

URL = "http://www.qingshan.gov.cn/"


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.close()


def make_inspection(score: float = 72.5, as_of: dt.date = dt.date(2026, 11, 22)) -> Inspection:
    return Inspection(
        site_name="青山县人民政府",
        url=URL,
        host="www.qingshan.gov.cn",
        as_of=as_of,
        rubric="gov-2019",
        verdict="fail",
        score=score,
        site_code="3601230001",
        vetoes=["column.empty"],
        findings=[
            Finding(
                check="column.empty",
                message="栏目“通知公告”为空白栏目",
                url=URL + "tzgg/",
                column="通知公告",
                evidence={"text": "暂无信息<script>alert(1)</script>"},
                severity="veto",
            ),
            Finding(
                check="links.broken_home",
                message="首页链接无法访问",
                url=URL + "dead.html",
                evidence={"status": 404, "seen": dt.date(2026, 11, 20)},
                severity="deduct",
                points=1.5,
            ),
        ],
        columns=[
            Column(
                "工作动态", URL + "gzdt/", "dynamic", items=[Item("甲", URL + "a.html", dt.date(2026, 11, 1))]
            ),
            Column("通知公告", URL + "tzgg/", "policy"),
        ],
        availability={"probes": 10, "failures": 0, "required": 140, "provisional": True},
        stats={"pages": 40, "links_checked": 300, "elapsed_s": 12.5},
        started_at=dt.datetime(2026, 11, 22, 9, 0, 0),
    )


def count(store: Store, model) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def test_database_url_comes_from_the_settings(monkeypatch):
    monkeypatch.delenv("GOVINSPECT_DATABASE_URL", raising=False)
    assert Settings.from_env().database_url == "sqlite:///govinspect.db"
    monkeypatch.setenv("GOVINSPECT_DATABASE_URL", "  ")
    assert Settings.from_env().database_url == "sqlite:///govinspect.db"
    monkeypatch.setenv("GOVINSPECT_DATABASE_URL", "postgresql+psycopg://u@db/g")
    assert Settings.from_env().database_url == "postgresql+psycopg://u@db/g"


def test_upsert_site_inserts_then_updates_without_erasing(store):
    site_id = store.upsert_site(
        name="青山县人民政府", url=URL, site_code="3601230001", region="江西", organiser="县政府办"
    )
    site = store.site_by_url(URL)
    assert (site.id, site.name, site.host, site.site_code, site.region, site.status) == (
        site_id,
        "青山县人民政府",
        "www.qingshan.gov.cn",
        "3601230001",
        "江西",
        "正常",
    )
    # A sparse later import: None and blanks must not erase, given values update.
    same = store.upsert_site(
        name="青山县政府", url=URL, site_code=None, region="", organiser=None, level="县级"
    )
    assert same == site_id
    site = store.site_by_url(URL)
    assert (site.name, site.site_code, site.region, site.organiser, site.level) == (
        "青山县政府",
        "3601230001",
        "江西",
        "县政府办",
        "县级",
    )
    assert len(store.list_sites()) == 1
    assert store.site_by_url("http://nowhere.gov.cn/") is None


def test_upsert_site_without_name_uses_host_and_rejects_unknown_fields(store):
    store.upsert_site(name=None, url="http://127.0.0.1:8080/")
    assert store.site_by_url("http://127.0.0.1:8080/").name == "127.0.0.1:8080"
    with pytest.raises(TypeError, match="未知的站点字段"):
        store.upsert_site(name="x", url=URL, colour="red")
    with pytest.raises(ValueError, match="网址不能为空"):
        store.upsert_site(name="x", url=" ")
    assert [s.url for s in store.list_sites()] == ["http://127.0.0.1:8080/"]


def test_save_inspection_round_trip(store):
    site_id = store.upsert_site(name="青山县人民政府", url=URL)
    inspection = make_inspection()
    raw = {"url": URL, "home_links": {"b", "a"}, "probes": [{"at": dt.datetime(2026, 11, 22, 8, 0)}]}
    insp_id = store.save_inspection(site_id, inspection, site_model=raw)

    expected = json.loads(json.dumps(inspection.to_report(), default=str))
    assert store.load_report(insp_id) == expected
    assert store.load_site_model(insp_id) == {
        "url": URL,
        "home_links": ["a", "b"],
        "probes": [{"at": "2026-11-22T08:00:00"}],
    }
    findings = store.findings(insp_id)
    assert [f.check for f in findings] == ["column.empty", "links.broken_home"]
    assert findings[0] == inspection.findings[0]
    assert findings[1].evidence == {"status": 404, "seen": "2026-11-20"}
    assert (findings[1].severity, findings[1].points) == ("deduct", 1.5)

    with store.engine.connect() as conn:
        columns = conn.execute(
            select(ColumnRecord.name, ColumnRecord.kind, ColumnRecord.latest, ColumnRecord.items).order_by(
                ColumnRecord.id
            )
        ).all()
        insp = conn.execute(select(InspectionRecord).where(InspectionRecord.id == insp_id)).one()
    assert [tuple(c) for c in columns] == [
        ("工作动态", "dynamic", dt.date(2026, 11, 1), 1),
        ("通知公告", "policy", None, 0),
    ]
    assert insp.verdict == "fail" and insp.score == 72.5 and insp.vetoes == ["column.empty"]
    assert insp.availability["provisional"] is True and insp.stats["pages"] == 40
    assert insp.started_at == dt.datetime(2026, 11, 22, 9, 0, 0)
    assert insp.finished_at == dt.datetime(2026, 11, 22, 9, 0, 12)


def test_inspections_are_append_only_history(store):
    site_id = store.upsert_site(name="青山", url=URL)
    other_id = store.upsert_site(name="绿水", url="http://www.lvshui.gov.cn/")
    first = store.save_inspection(site_id, make_inspection(score=60.0, as_of=dt.date(2026, 10, 1)))
    first_report = store.load_report(first)
    second = store.save_inspection(site_id, make_inspection(score=90.0))
    third = store.save_inspection(other_id, make_inspection(score=80.0))

    assert store.load_report(first) == first_report
    assert [r.id for r in store.list_inspections()] == [third, second, first]
    history = store.list_inspections(site_id=site_id)
    assert [(r.id, r.score, r.site_name, r.site_url) for r in history] == [
        (second, 90.0, "青山", URL),
        (first, 60.0, "青山", URL),
    ]
    assert [r.id for r in store.list_inspections(limit=1)] == [third]
    assert count(store, FindingRecord) == 6
    assert store.count_inspections() == 3 and store.count_inspections(site_id) == 2


def test_failure_mid_write_leaves_nothing_behind(store):
    site_id = store.upsert_site(name="青山", url=URL)
    kept = store.save_inspection(site_id, make_inspection())

    def explode(*_args):
        raise RuntimeError("disk full")

    # Fails after the inspection and findings rows were sent, while writing the columns.
    event.listen(ColumnRecord, "before_insert", explode)
    try:
        with pytest.raises(StoreError, match="没有写入任何数据.*disk full"):
            store.save_inspection(site_id, make_inspection())
    finally:
        event.remove(ColumnRecord, "before_insert", explode)

    assert [r.id for r in store.list_inspections()] == [kept]
    assert (count(store, InspectionRecord), count(store, FindingRecord), count(store, ColumnRecord)) == (
        1,
        2,
        2,
    )
    assert store.save_inspection(site_id, make_inspection()) > kept  # the store still works


def test_unserialisable_evidence_is_a_clear_error(store):
    site_id = store.upsert_site(name="青山", url=URL)
    bad = make_inspection()
    bad.findings[0].evidence["score"] = float("nan")
    with pytest.raises(StoreError, match="检查结果"):
        store.save_inspection(site_id, bad)
    assert count(store, InspectionRecord) == 0


def test_missing_site_or_inspection(store):
    with pytest.raises(NotFoundError, match="站点不存在"):
        store.save_inspection(12345, make_inspection())
    with pytest.raises(LookupError, match="检查记录不存在"):
        store.load_report(999)
    with pytest.raises(NotFoundError):
        store.findings(999)
    assert count(store, SiteRecord) == 0


def test_database_level_error_rolls_back_on_postgresql(pg_schema):
    # PostgreSQL enforces VARCHAR lengths: the error arrives from the server mid-transaction.
    url, _ = pg_schema
    with Store(url) as store:
        site_id = store.upsert_site(name="青山", url=URL)
        bad = make_inspection()
        bad.findings[1].check = "x" * 100
        with pytest.raises(StoreError, match="没有写入任何数据"):
            store.save_inspection(site_id, bad)
        assert (count(store, InspectionRecord), count(store, FindingRecord)) == (0, 0)


def test_unreachable_database_gives_a_clear_error():
    with pytest.raises(StoreError, match="数据库结构升级失败"):
        Store("postgresql+psycopg://postgres@127.0.0.1:1/none", connect_args={"connect_timeout": 2})


def test_overrides_cache_and_baseline_round_trip(store):
    site_id = store.upsert_site(name="青山县人民政府", url="http://www.qingshan.gov.cn/")
    overrides = {
        "columns": [{"name": "政务动态", "url": "http://www.qingshan.gov.cn/zwdt/", "kind": "dynamic"}]
    }
    with store.unit_of_work() as uow:
        assert uow.sites.overrides(site_id) is None
        uow.sites.set_overrides(site_id, overrides)
    assert store.history(site_id).overrides == overrides
    with store.unit_of_work() as uow:
        uow.sites.set_overrides(site_id, None)
    assert store.history(site_id).overrides is None
    with pytest.raises(LookupError), store.unit_of_work() as uow:
        uow.sites.set_overrides(site_id + 1000, overrides)

    with store.unit_of_work() as uow:
        uow.sites.save_page_cache(
            site_id, {"http://www.qingshan.gov.cn/a.html": {"etag": '"abc"', "status": 200}}
        )
    with store.unit_of_work() as uow:
        uow.sites.save_page_cache(
            site_id, {"http://www.qingshan.gov.cn/a.html": {"content_hash": "h1", "extract": {"n": 1}}}
        )
    cache = store.history(site_id).page_cache
    assert cache["http://www.qingshan.gov.cn/a.html"] == {
        "etag": '"abc"',
        "last_modified": None,
        "content_hash": "h1",
        "status": 200,
        "extract": {"n": 1},
    }

    assert store.history(site_id).baseline is None
    with store.unit_of_work() as uow:
        uow.sites.set_baseline(site_id, {"text_hash": "x", "tags": ["div"]}, inspection_id=None)
        uow.sites.set_baseline(site_id, {"text_hash": "y"}, inspection_id=None)
    assert store.history(site_id).baseline == {"text_hash": "y"}
    with store.unit_of_work() as uow:
        assert uow.sites.clear_baseline(site_id) is True
        assert uow.sites.clear_baseline(site_id) is False


def test_last_seconds_are_each_sites_newest_inspection_time(store):
    from dataclasses import replace

    site_id = store.upsert_site(name="青山", url=URL)
    other = "http://www.lvshui.gov.cn/"
    other_id = store.upsert_site(name="绿水", url=other)
    store.upsert_site(name="白云", url="http://www.baiyun.gov.cn/")  # never inspected
    slow = make_inspection()
    store.save_inspection(site_id, replace(slow, stats={**slow.stats, "elapsed_s": 300}))
    store.save_inspection(site_id, slow)  # newest: 12.5 s
    store.save_inspection(other_id, replace(slow, stats={**slow.stats, "elapsed_s": 40}))
    with store.unit_of_work("读取") as uow:
        seconds = uow.inspections.last_seconds([URL, other, "http://www.baiyun.gov.cn/"])
    assert seconds == {URL: 12.0, other: 40.0}  # stored to the second
