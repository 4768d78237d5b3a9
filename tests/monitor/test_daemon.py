"""The daemon on the store: local sites on 127.0.0.1, alerts to a local JSON webhook receiver."""

import asyncio
import datetime as dt
from collections import Counter
from dataclasses import replace

from govinspect.monitor.daemon import MonitorDaemon, MonitorSettings
from govinspect.service.monitor import add_subscription, monitor_status, monitored_sites
from govinspect.store import Store

from .farm import UP, WAF, always, farm, flapping, outage
from .servers import free_port, receiver

FAST = MonitorSettings(
    probe_interval_s=0.2,
    probe_timeout_s=3,
    tick_s=0.2,
    delivery_every_s=0.2,
    delivery_backoff_s=0.05,
    light_interval_s=0,
    full_interval_s=0,
    min_per_day=1,
    window_days=1,
)
PLANS = {
    "/outage/": outage(3, 6),
    "/flaky/": flapping,
    "/waf/": always(WAF),
    "/steady/": always(UP),
}
NAMES = {
    "/outage/": "甲县人民政府网",
    "/flaky/": "乙县人民政府网",
    "/waf/": "丙县人民政府网",
    "/steady/": "丁县人民政府网",
}


def register(store: Store, base: str) -> dict[str, int]:
    return {path: store.upsert_site(NAMES[path], base + path) for path in PLANS}


def run_daemon(store: Store, settings: MonitorSettings, seconds: float, **kwargs) -> None:
    daemon = MonitorDaemon(store, monitored_sites(store, settings), settings, **kwargs)
    asyncio.run(asyncio.wait_for(daemon.run(run_for_s=seconds), seconds + 30))


def test_outage_flapping_and_challenge_give_one_alert_per_state_change(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'm.db'}")
    with receiver() as (hook, accepted, _), farm(PLANS) as (base, hits):
        ids = register(store, base)
        add_subscription(store, f"json://127.0.0.1:{hook}/alerts")
        run_daemon(store, FAST, 5.0)
    titles = Counter(m["title"] for m in accepted)
    assert titles == Counter(
        {
            "【网站无法访问】甲县人民政府网": 1,
            "【网站恢复访问】甲县人民政府网": 1,
            "【网站访问不稳定】乙县人民政府网": 1,
        }
    )
    down = next(m for m in accepted if m["title"].startswith("【网站无法访问】"))
    assert "首页返回服务器错误（HTTP 502" in down["message"]
    assert hits["/outage/"] > 9  # the outage was over well before the end
    with store.unit_of_work() as uow:
        waf = uow.monitor.probes(ids["/waf/"])
        outage_probes = uow.monitor.probes(ids["/outage/"])
        assert uow.monitor.outbox("pending") == []
    assert waf and {p.outcome for p in waf} == {"challenged"}
    assert [p.outcome for p in outage_probes].count("http_5xx") == 6
    # Every request the farm answered is a stored probe.
    assert len(outage_probes) == hits["/outage/"]
    status = {s.url: s for s in monitor_status(store, FAST)["sites"]}
    assert status[base + "/waf/"].status == "up" and status[base + "/waf/"].window.failures == 0
    assert status[base + "/flaky/"].flapping
    store.close()


def test_vantage_failure_holds_the_probes_instead_of_alerting_every_site(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'm.db'}")
    dead = free_port()  # nothing listens: every probe is refused, as when our own network is down
    site_ids = [store.upsert_site(f"{i}号县人民政府网", f"http://127.0.0.1:{dead}/s{i}/") for i in range(6)]
    settings = replace(FAST, vantage_min_probes=5)
    with receiver() as (hook, accepted, _):
        add_subscription(store, f"json://127.0.0.1:{hook}/alerts")
        run_daemon(store, settings, 2.0)
    assert accepted == []
    since = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    with store.unit_of_work() as uow:
        assert uow.monitor.held_count(since) >= 6
        assert all(uow.monitor.probes(i) == [] for i in site_ids)  # not in the window
        assert uow.monitor.states() == {}
    store.close()


def test_a_declared_maintenance_window_and_a_closure_notice_raise_no_alert(tmp_path):
    from govinspect.service.monitor import add_maintenance

    from .farm import DOWN

    closure = (200, "<html><head><title>通知</title></head><body>本网站临时关停，敬请谅解。</body></html>")
    store = Store(f"sqlite:///{tmp_path / 'm.db'}")
    plans = {"/declared/": always(DOWN), "/notice/": always(closure)}
    with receiver() as (hook, accepted, _), farm(plans) as (base, _hits):
        declared = store.upsert_site("戊县人民政府网", base + "/declared/")
        notice = store.upsert_site("己县人民政府网", base + "/notice/")
        now = dt.datetime.now(dt.UTC)
        add_maintenance(
            store, base + "/declared/", now - dt.timedelta(hours=1), now + dt.timedelta(hours=1), "报备"
        )
        add_subscription(store, f"json://127.0.0.1:{hook}/alerts")
        run_daemon(store, FAST, 2.0)
    assert accepted == []
    with store.unit_of_work() as uow:
        declared_probes = uow.monitor.probes(declared)
        notice_probes = uow.monitor.probes(notice)
    assert declared_probes and {p.outcome for p in declared_probes} == {"maintenance"}
    assert "HTTP 502" in declared_probes[0].reason  # what the probe saw is kept
    assert notice_probes and {p.outcome for p in notice_probes} == {"maintenance"}
    store.close()
