"""总览 widgets and the site page's availability history, from the store as the monitor and the
workflow fill it: 合格率 by month, problems by region, what needs action today, probes by day."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from govinspect.model import Inspection
from govinspect.monitor.alerts import Alert
from govinspect.monitor.probe import ProbeResult
from govinspect.service import workflow as wf
from govinspect.store import Store
from govinspect.web import widgets
from govinspect.web.access import visible_sites
from govinspect.web.trend_charts import pass_rate_svg
from govinspect.workflow.calendar import Deadline
from govinspect.workflow.jiucuo import Message
from govinspect.workflow.rectify import RectifyTask
from webutil import client_for, login, seeded_store

UTC = dt.UTC
NOW = dt.datetime(2026, 12, 1, 4, 0, tzinfo=UTC)  # 12:00 in China


def _probe(at: dt.datetime, outcome: str = "ok", reason: str = "首页访问正常") -> ProbeResult:
    ok = outcome in ("ok", "challenged", "maintenance")
    return ProbeResult(
        at, "http://www.jia.gov.cn/", outcome, ok, 200 if ok else None, 0.2, reason, final_url="x"
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("widgets") / "template.db"
    store, ids = seeded_store(f"sqlite:///{path}")
    # 乙 passed in October 2026; 甲's seeded inspection (2026-11-30) failed
    store.save_inspection(
        ids["b"],
        Inspection(
            site_name="乙县人民政府", url="http://www.yi.gov.cn/", host="www.yi.gov.cn", as_of=dt.date(2026, 10, 15),
            rubric="gov-2019", verdict="pass", score=92.0,
        ),
    )  # fmt: skip
    wf.add_message(store, Message("M-OLD", dt.datetime(2026, 11, 2, 9), url="http://www.jia.gov.cn/"))
    with store.unit_of_work() as uow:
        # 甲: down now, a pre-veto warning open; probes over the last two days
        uow.monitor.save_state(
            ids["a"],
            {
                "status": "down",
                "status_since": "2026-12-01T02:00:00+00:00",
                "last_failure": {"reason": "连接超时（15秒）"},
                "issues": {
                    "warning:warning.home_stale": {"kind": "warning", "since": "2026-11-30T00:00:00+00:00"}
                },
            },
        )
        uow.monitor.add_alerts(
            ids["a"],
            [
                Alert(
                    "warning",
                    str(ids["a"]),
                    "甲县人民政府",
                    NOW - dt.timedelta(days=1),
                    "首页已12天未更新，超过预警线10天",
                    "",
                    "",
                    NOW - dt.timedelta(days=1),
                    "warning:warning.home_stale",
                )  # fmt: skip
            ],
        )
        yesterday = dt.datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
        for i in range(8):
            uow.monitor.add_probe(ids["a"], _probe(yesterday + dt.timedelta(minutes=30 * i)))
        uow.monitor.add_probe(ids["a"], _probe(NOW - dt.timedelta(hours=3)))
        uow.monitor.add_probe(ids["a"], _probe(NOW - dt.timedelta(hours=2), "timeout", "连接超时（15秒）"))
        uow.monitor.add_probe(ids["a"], _probe(NOW - dt.timedelta(hours=1), "timeout", "连接超时（15秒）"))
        uow.monitor.add_probe(ids["a"], _probe(NOW - dt.timedelta(minutes=30), "dns", "域名无法解析"))
        uow.monitor.add_probe(ids["a"], _probe(NOW - dt.timedelta(minutes=20), "maintenance", "维护公告"))
        uow.monitor.add_probe(ids["a"], _probe(NOW - dt.timedelta(days=20), "dns", "很久以前"))
        # a 整改 task of 甲 already past its deadline
        task = RectifyTask(
            str(ids["a"]), "甲县人民政府", "", dt.date(2026, 11, 2), Deadline(dt.date(2026, 11, 30)), ()
        )
        uow.rectify.add(task, ids["a"], None)
    store.close()
    return path, ids


@pytest.fixture
def seeded(template, tmp_path):
    path, ids = template
    db = tmp_path / "web.db"
    shutil.copyfile(path, db)
    store = Store(f"sqlite:///{db}")
    yield store, ids
    store.close()


def _user(store, name):
    from govinspect.web import accounts

    with store.unit_of_work() as uow:
        return next(u for u in accounts.list_users(uow) if u.username == name)


def test_pass_rate_by_month(seeded):
    store, _ids = seeded
    admin = _user(store, "admin")
    months = widgets.pass_rate_by_month(store, visible_sites(store, admin), dt.date(2026, 12, 1), months=3)
    assert [(m.month, m.passed, m.inspected, m.rate) for m in months] == [
        ("2026-10", 1, 1, 100.0),
        ("2026-11", 0, 1, 0.0),
        ("2026-12", 0, 0, None),
    ]
    svg = str(pass_rate_svg(months))
    assert "2026-10 合格率 100%（1/1）" in svg and "2026-11 合格率 0%（0/1）" in svg and "<script" not in svg
    only_jia = widgets.pass_rate_by_month(
        store, visible_sites(store, _user(store, "jia_op")), dt.date(2026, 12, 1), months=3
    )
    assert [m.inspected for m in only_jia] == [0, 1, 0]


def test_problems_by_region(seeded):
    store, _ids = seeded
    rows = widgets.problems_by_region(store, _user(store, "admin"))
    assert rows == [
        {"region": "甲市", "sites": 1, "inspected": 1, "failing": 1, "problems": 2},
        {"region": "乙市", "sites": 1, "inspected": 1, "failing": 0, "problems": 0},
    ]
    assert [r["region"] for r in widgets.problems_by_region(store, _user(store, "yi_sup"))] == ["乙市"]


def test_action_today(seeded):
    store, ids = seeded
    from govinspect.settings import Settings

    today = widgets.action_today(store, _user(store, "admin"), Settings(out_dir=None), now=NOW)
    assert [r.message.number for r in today["jiucuo"]] == ["M-OLD"]
    assert [(d["site"].id, d["left"] < 0) for d in today["rectify"]] == [(ids["a"], True)]
    assert [(w["site"].id, w["reason"]) for w in today["warnings"]] == [
        (ids["a"], "首页已12天未更新，超过预警线10天")
    ]
    assert [(d["site"].id, d["reason"]) for d in today["down"]] == [(ids["a"], "连接超时（15秒）")]
    yi = widgets.action_today(store, _user(store, "yi_sup"), Settings(out_dir=None), now=NOW)
    assert all(not yi[k] for k in ("jiucuo", "rectify", "warnings", "down"))


def test_site_availability_by_day_and_reason(seeded):
    store, ids = seeded
    avail = widgets.site_availability(store, ids["a"], days=7, now=NOW)
    by_day = {d.day: (d.probes, d.failures, d.uptime) for d in avail["daily"]}
    assert len(by_day) == 7
    assert by_day[dt.date(2026, 11, 30)] == (8, 0, 100.0)
    assert by_day[dt.date(2026, 12, 1)] == (4, 3, 25.0)
    assert (avail["probes"], avail["failures"], avail["maintenance"], avail["uptime"]) == (12, 3, 1, 75.0)
    assert avail["reasons"] == [("连接超时（15秒）", 2), ("域名无法解析", 1)]
    assert avail["last_at"] == dt.datetime(2026, 12, 1, 11, 40)  # China time of the newest probe
    assert "2026-12-01 可用率 25%（4次监测，失败3次）" in str(avail["chart"])


def test_overview_and_site_pages_show_the_widgets(seeded):
    store, ids = seeded
    client = client_for(store)
    login(client, "admin")
    html = client.get("/").text
    for text in ("今日待办", "超期找错留言", "M-OLD", "即将到期的整改", "单项否决预警", "首页已12天未更新",
                 "当前无法访问的网站", "合格率变化", "按地区的问题数", "甲市"):  # fmt: skip
        assert text in html, text
    assert re.search(r'<svg class="chart"[^>]*aria-label="合格率变化"', html)
    site = client.get(f"/sites/{ids['a']}").text
    assert "可用性监测（近7天）" in site  # the probes themselves: test_site_availability_by_day_and_reason
    login_jia = client_for(store)
    login(login_jia, "yi_op")
    assert "甲县人民政府" not in login_jia.get("/").text
