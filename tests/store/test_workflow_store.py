"""Repositories of the supervision workflow on SQLite and PostgreSQL: rows in, the same objects out,
history append-only."""

import datetime as dt

import pytest

from govinspect.model import Inspection
from govinspect.store import Store
from govinspect.store.repositories import InputError
from govinspect.workflow.accountability import Record
from govinspect.workflow.calendar import Deadline
from govinspect.workflow.jiucuo import Message, change_status
from govinspect.workflow.rectify import RectifyTask, decide_note, submit_note
from govinspect.workflow.results import Finding

T0 = dt.datetime(2026, 11, 2, 9, 0)


def inspection(name: str, url: str, verdict: str = "pass") -> Inspection:
    return Inspection(name, url, url.split("/")[2], dt.date(2026, 11, 2), "gov-2019", verdict, 90.0)


def test_registry_fields_round_trip(db_url):
    with Store(db_url) as store, store.unit_of_work() as uow:
        site_id = uow.sites.upsert("青山县人民政府", "http://www.qingshan.gov.cn/", "3601230001", level="县")
        uow.sites.update(
            site_id,
            status="已迁移",
            status_since=dt.date(2026, 10, 8),
            status_destination="http://www.jx.gov.cn/qs/",
            supervisor="青山县人民政府办公室",
            contacts={"联系人": "王五", "联系电话": "0791-1234567"},
        )
        row = uow.sites.get(site_id)
        assert (row.status, row.status_since, row.status_destination) == (
            "已迁移",
            dt.date(2026, 10, 8),
            "http://www.jx.gov.cn/qs/",
        )
        assert row.contacts == {"联系人": "王五", "联系电话": "0791-1234567"} and row.level == "县"
        assert uow.sites.by_code("3601230001").id == site_id


def test_run_membership_reconciles_an_inspection_saved_before_an_interruption(db_url):
    with Store(db_url) as store:
        with store.unit_of_work() as uow:
            a = uow.sites.upsert("甲", "http://www.a.gov.cn/")
            b = uow.sites.upsert("乙", "http://www.b.gov.cn/")
            run_id = uow.runs.start("spot_check", "tester", {"as_of": "2026-11-02"})
            uow.run_sites.add(run_id, [b, a])
            # Saved, but the process stopped before noting it: reconcile finds it.
            saved = uow.inspections.add(a, inspection("甲", "http://www.a.gov.cn/"), run_id=run_id)
        with store.unit_of_work() as uow:
            assert [m.state for m in uow.run_sites.list(run_id)] == ["pending", "pending"]
            assert uow.run_sites.reconcile(run_id) == 1
            members = uow.run_sites.list(run_id)
        assert [(m.site_id, m.state, m.inspection_id) for m in members] == [
            (b, "pending", None),
            (a, "done", saved),
        ]


def test_rectify_task_round_trip_and_history_only_grows(db_url):
    finding = Finding("k1", "site.homepage_stale", "veto", 0.0, "首页超过14天未更新", "http://www.a.gov.cn/")
    task = RectifyTask("0", "甲", "1", dt.date(2026, 9, 30), Deadline(dt.date(2026, 10, 10)), (finding,))
    with Store(db_url) as store:
        with store.unit_of_work() as uow:
            site = uow.sites.upsert("甲", "http://www.a.gov.cn/")
            task_id = uow.rectify.add(task, site, None)
        with store.unit_of_work() as uow:
            loaded = uow.rectify.get(task_id).task
        assert loaded.findings == (finding,) and loaded.deadline == Deadline(dt.date(2026, 10, 10))
        noted = submit_note(loaded, "已提交更新计划", by="甲网站", when=T0, finding_keys=["k1"])
        rejected = decide_note(noted, 1, accepted=False, by="监管员", when=T0, reason="未说明原因")
        with store.unit_of_work() as uow:
            uow.rectify.save(task_id, rejected)
        with store.unit_of_work() as uow:
            again = uow.rectify.get(task_id).task
        assert [(n.decision, n.reason) for n in again.notes] == [("不采纳", "未说明原因")]
        assert [e.action for e in again.history] == ["提交说明", "说明不采纳"]
        # A state that dropped an event cannot be saved: history is never rewritten.
        with pytest.raises(InputError), store.unit_of_work() as uow:
            uow.rectify.save(task_id, noted.__class__(**{**noted.__dict__, "history": ()}))


def test_jiucuo_messages_keep_every_change(db_url):
    message = Message("J1", T0, site_code="3601230001", url="http://www.a.gov.cn/x")
    with Store(db_url) as store:
        with store.unit_of_work() as uow:
            site = uow.sites.upsert("甲", "http://www.a.gov.cn/", "3601230001")
            uow.jiucuo.add(message)
        forwarded = change_status(message, "已转办", who="省办", when=T0, site_id=str(site))
        closed = change_status(
            change_status(forwarded, "已受理", who="甲网站", when=T0),
            "已办结",
            who="甲网站",
            when=T0,
            result="已改",
        )
        with store.unit_of_work() as uow:
            uow.jiucuo.save(closed)
        with store.unit_of_work() as uow:
            loaded = uow.jiucuo.get("J1")
            with pytest.raises(InputError):
                uow.jiucuo.add(message)
        assert loaded == closed
        assert [c.to_status for c in loaded.history] == ["已转办", "已受理", "已办结"]


def test_accountability_and_annual_values(db_url):
    with Store(db_url) as store:
        with store.unit_of_work() as uow:
            uow.accountability.add(Record("张三", "甲县", "约谈", dt.date(2026, 2, 1)), "监管员")
            uow.accountability.add(Record("张三", "甲县", "通报批评", dt.date(2025, 2, 1)), "监管员")
            uow.annual.set(2026, "supervision", None, "人员培训/培训次数", "3", "a")
            uow.annual.set(2026, "supervision", None, "人员培训/培训次数", "4", "b")
        with store.unit_of_work() as uow:
            assert [r.record.form for r in uow.accountability.list(2026)] == ["约谈"]
            assert len(uow.accountability.list()) == 2
            assert uow.annual.values(2026, "supervision", None) == {"人员培训/培训次数": "4"}
            assert uow.annual.values(2025, "supervision", None) == {}


def test_a_month_of_runs_gives_the_same_results_on_both_databases(db_url, tmp_path):
    from test_cli_workflow import build_month, ok

    db, first, second = build_month(db_url, tmp_path)
    text = ok("sample", "results", "--db", db)
    assert "抽查5个，合格3个，不合格2个" in text and "合格率60.00%" in text and "环比+10.00个百分点" in text
    text = ok("rectify", "open", "--run", second, "--date", "2026-09-30", "--days", "3", "--db", db)
    assert text.count("2026年10月10日") == 2
    ok(
        "jiucuo",
        "add",
        "--number",
        "J1",
        "--submitted",
        "2026-12-30 10:00",
        "--site-code",
        "3300000002",
        "--db",
        db,
    )
    assert "2027年1月4日（估算）" in ok("jiucuo", "list", "--db", db)
