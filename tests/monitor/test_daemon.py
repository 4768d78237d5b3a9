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
    with (
        receiver() as (hook, accepted, _),
        receiver() as (hook2, outage_only, _),
        farm(PLANS) as (base, hits),
    ):
        ids = register(store, base)
        add_subscription(store, f"json://127.0.0.1:{hook}/alerts")
        add_subscription(store, f"json://127.0.0.1:{hook2}/a", sites=[base + "/outage/"], kinds=["down"])
        run_daemon(store, FAST, 5.0)
    titles = Counter(m["title"] for m in accepted)
    assert titles == Counter(
        {
            "【网站无法访问】甲县人民政府网": 1,
            "【网站恢复访问】甲县人民政府网": 1,
            "【网站访问不稳定】乙县人民政府网": 1,
        }
    )
    assert [m["title"] for m in outage_only] == ["【网站无法访问】甲县人民政府网"]
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


def test_a_light_check_reports_spam_shown_to_search_engines_once(tmp_path):
    from aiohttp import web

    from govinspect.settings import Settings

    from .pages import HOME
    from .servers import serve

    cloaked = HOME.replace("</body>", '<a href="http://www.k8-bet.com/">澳门新葡京</a></body>')

    async def handler(request):
        if request.path != "/":
            return web.Response(status=404, text="<html><body>404</body></html>", content_type="text/html")
        crawler = "Baiduspider" in request.headers.get("User-Agent", "")
        return web.Response(text=cloaked if crawler else HOME, content_type="text/html")

    db = f"sqlite:///{tmp_path / 'm.db'}"
    store = Store(db)
    app_settings = Settings(database_url=db, out_dir=None)

    async def go(hook):
        async with serve(handler) as port:
            store.upsert_site("庚县人民政府网", f"http://127.0.0.1:{port}/")
            add_subscription(store, f"json://127.0.0.1:{hook}/alerts")
            daemon = MonitorDaemon(store, monitored_sites(store, FAST), FAST, app_settings=app_settings)
            first = await daemon.run_check(daemon.sites[0], "light")
            again = await daemon.run_check(daemon.sites[0], "light")
            await daemon.deliver_due()
            return first, again

    with receiver() as (hook, accepted, _):
        first, again = asyncio.run(asyncio.wait_for(go(hook), 120))
    assert [i.kind for i in first] == ["spam"] and [i.key for i in again] == [i.key for i in first]
    assert [m["title"] for m in accepted] == ["【发现违规内容】庚县人民政府网"]
    assert "澳门新葡京" in accepted[0]["message"]
    assert store.count_inspections() == 0  # a light check's partial crawl is not an inspection of record
    store.close()


def test_light_and_full_checks_are_leased_once_per_slot_across_daemons(tmp_path):
    from govinspect.settings import Settings

    store = Store(f"sqlite:///{tmp_path / 'm.db'}")
    for i in range(3):
        store.upsert_site(f"{i}号县人民政府网", f"http://127.0.0.1:9/s{i}/")
    settings = replace(FAST, light_interval_s=1.0, full_interval_s=2.0)
    started = []

    async def go():
        daemons = [
            MonitorDaemon(
                store, monitored_sites(store, settings), settings, app_settings=Settings(), owner=f"d{k}"
            )
            for k in range(2)
        ]
        for d in daemons:

            async def fake_check(stored, job, d=d):
                started.append((d.owner, stored.site.url, job))
                return []

            d.run_check = fake_check
        start = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
        for d in daemons:  # both see the same 4 seconds
            await d.schedule_checks(start, start + dt.timedelta(seconds=4))
        await asyncio.sleep(0)

    asyncio.run(go())
    jobs = Counter(job for _owner, _url, job in started)
    # A window starts a site's job at most once (its first due slot); the second daemon finds
    # every one of those leases taken.
    assert jobs == Counter({"light": 3, "full": 3})
    assert {owner for owner, _u, _j in started} == {"d0"}
    store.close()


def test_the_daily_digest_lists_the_days_alerts_once(tmp_path):
    from govinspect.monitor.alerts import CHINA_TZ, SiteMonitorState, step

    from .helpers import probe

    store = Store(f"sqlite:///{tmp_path / 'm.db'}")
    site_id = store.upsert_site("甲县人民政府网", "http://www.jia.gov.cn/")
    day = dt.date(2026, 12, 1)
    at = dt.datetime(2026, 12, 1, 10, 0, tzinfo=CHINA_TZ)
    state = SiteMonitorState(
        site="http://www.jia.gov.cn/", name="甲县人民政府网", url="http://www.jia.gov.cn/"
    )
    raised = []
    for i, outcome in enumerate(["ok", "ok", "http_5xx", "http_5xx"]):
        state, alerts = step(state, probe(at + dt.timedelta(minutes=30 * i), outcome))
        raised += alerts
    assert [a.kind for a in raised] == ["down"]
    with receiver() as (hook, accepted, _):
        add_subscription(store, f"json://127.0.0.1:{hook}/daily", digest=True)
        with store.unit_of_work() as uow:
            uow.monitor.add_alerts(site_id, raised)
            uow.monitor.save_state(site_id, state.to_dict())
        daemon = MonitorDaemon(store, monitored_sites(store, FAST), FAST)
        assert daemon.enqueue_digest(day) == 1
        assert daemon.enqueue_digest(day) == 0  # once a day, even after a restart
        assert daemon.enqueue_digest(day - dt.timedelta(days=1)) == 1
        sent = asyncio.run(daemon.deliver_due())
    assert sent == 2
    digest = next(m for m in accepted if "2026-12-01" in m["title"])
    assert "当日告警1条：无法访问1次" in digest["message"]
    assert "甲县人民政府网 首页仍无法访问" in digest["message"]
    earlier = next(m for m in accepted if "2026-11-30" in m["title"])
    assert "无告警" not in earlier["message"] and "当日告警" not in earlier["message"]
    store.close()


def test_vantage_protection_looks_past_a_tick_with_few_probes(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'm.db'}")
    dead = free_port()
    for i in range(3):  # 3 probes a tick, fewer than the 5 the share needs
        store.upsert_site(f"{i}号县人民政府网", f"http://127.0.0.1:{dead}/s{i}/")
    settings = replace(FAST, vantage_min_probes=5)
    with receiver() as (hook, accepted, _):
        add_subscription(store, f"json://127.0.0.1:{hook}/alerts")
        run_daemon(store, settings, 2.0)
    assert accepted == []
    with store.unit_of_work() as uow:
        held = uow.monitor.held_count(dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
        total = uow.monitor.probe_count()
    assert total >= 9 and held >= total - 3  # only the first tick's probes were counted
    store.close()
