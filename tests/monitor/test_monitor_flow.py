"""The domain layer end to end, without the store: run_cycle probes local sites with the real
HomeProber, each result steps a JSON-serialised alert state, alerts go through the outbox to a
local JSON webhook receiver. What the daemon will do, minus the database."""

import asyncio
import datetime as dt
import json

from aiohttp import web

from govinspect.monitor.alerts import SiteMonitorState, step
from govinspect.monitor.notify import AppriseSender, Subscription, deliver, route
from govinspect.monitor.probe import HomeProber
from govinspect.monitor.scheduler import InMemoryLease, MonitoredSite, run_cycle
from govinspect.monitor.window import availability

from .pages import HOME, JSL_521
from .servers import FakeResolver, receiver, serve

NAMES = {"www.steady.gov.cn", "www.outage.gov.cn", "www.flaky.gov.cn", "www.waf.gov.cn"}


def test_outage_flapping_and_challenge_reach_the_webhook_exactly_as_state_changes():
    # Per round, what each site answers ("up", "down" = HTTP 502, "waf" = 加速乐 521 challenge).
    rounds = 24
    plan = {
        "www.steady.gov.cn": ["up"] * rounds,
        "www.outage.gov.cn": ["up"] * 3 + ["down"] * 5 + ["up"] * (rounds - 8),
        "www.flaky.gov.cn": ["up", "down"] * (rounds // 2),
        "www.waf.gov.cn": ["waf"] * rounds,
    }
    current = {}

    async def handler(request):
        mode = current[request.host.split(":")[0]]
        if mode == "down":
            return web.Response(
                status=502, text="<html><body>502 Bad Gateway</body></html>", content_type="text/html"
            )
        if mode == "waf":
            return web.Response(status=521, text=JSL_521, content_type="text/html")
        return web.Response(text=HOME, content_type="text/html")

    stored_states: dict[str, str] = {}  # site id -> JSON, as the store will keep it
    probes: dict[str, list] = {}
    outbox = []

    async def go(hook_port):
        start = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
        subs = [Subscription(f"json://127.0.0.1:{hook_port}/alerts")]
        async with serve(handler) as port, HomeProber(timeout_s=3, resolver=FakeResolver(NAMES)) as prober:
            sites = [
                MonitoredSite(
                    n.split(".")[1],
                    f"http://{n}:{port}/",
                    name=f"{n.split('.')[1]}县人民政府网",
                    interval_s=60,
                )
                for n in plan
            ]

            async def probe(site):
                return await prober.probe(site.url, timeout_s=site.timeout_s)

            async def on_result(site, slot, result):
                raw = stored_states.get(site.id)
                state = (
                    SiteMonitorState.from_dict(json.loads(raw))
                    if raw
                    else SiteMonitorState(site=site.id, name=site.name, url=site.url)
                )
                state, alerts = step(state, result)
                stored_states[site.id] = json.dumps(state.to_dict())
                probes.setdefault(site.id, []).append(result)
                outbox.extend(route(alerts, subs, now=result.at))

            lease = InMemoryLease()
            for r in range(rounds):
                for name, modes in plan.items():
                    current[name] = modes[r]
                report = await run_cycle(
                    sites, start + dt.timedelta(minutes=r), probe, lease, on_result, tick_s=60
                )
                assert report.probed == 4
                outbox[:] = await deliver(outbox, AppriseSender())

    with receiver() as (hook_port, accepted, _):
        asyncio.run(asyncio.wait_for(go(hook_port), 60))

    assert all(item.status == "sent" for item in outbox)
    titles = [m["title"] for m in accepted]
    # In time order: outage down (round 5), flaky 不稳定 (round 7: 6 changes), outage back (round 10).
    assert titles == [
        "【网站无法访问】outage县人民政府网",
        "【网站访问不稳定】flaky县人民政府网",
        "【网站恢复访问】outage县人民政府网",
    ]
    assert "首页返回服务器错误（HTTP 502）" in accepted[0]["message"]
    assert "不稳定" in accepted[1]["message"]
    assert "首页已恢复访问" in accepted[2]["message"]
    # The WAF site was challenged every time, never down.
    assert {p.outcome for p in probes["waf"]} == {"challenged"}
    now = max(p.at for ps in probes.values() for p in ps) + dt.timedelta(seconds=1)
    waf = availability(probes["waf"], now=now, min_per_day=1, window_days=1)
    assert (waf.probes, waf.failures) == (rounds, 0)
    outage = availability(probes["outage"], now=now, min_per_day=1, window_days=1)
    assert (outage.probes, outage.failures) == (rounds, 5)
