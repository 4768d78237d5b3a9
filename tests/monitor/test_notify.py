"""Outbox delivery through apprise to local receivers; routing; the daily digest."""

import asyncio
import datetime as dt
import json

import apprise

from govinspect.monitor.alerts import SiteMonitorState, step
from govinspect.monitor.notify import (
    AppriseSender,
    OutboxItem,
    Subscription,
    build_digest,
    deliver,
    digest_items,
    dingtalk_url,
    redact,
    route,
    wecom_url,
)

from .helpers import T0, URL, probe
from .servers import free_port, receiver


def run(coro, limit_s: float = 20.0):
    return asyncio.run(asyncio.wait_for(coro, limit_s))


def down_alert():
    state = SiteMonitorState(site="mm", name="某某县人民政府网", url=URL)
    state, _ = step(state, probe(T0, "timeout"))
    _, alerts = step(state, probe(T0 + dt.timedelta(minutes=30), "timeout"))
    return alerts[0]


NOW = T0 + dt.timedelta(hours=1)


def test_json_webhook_receives_the_chinese_alert():
    alert = down_alert()
    with receiver() as (port, accepted, requests):
        items = route([alert], [Subscription(f"json://127.0.0.1:{port}/hook")], now=NOW)
        done = run(deliver(items, AppriseSender(), now=NOW))
    assert [i.status for i in done] == ["sent"]
    assert done[0].attempts == 1 and done[0].sent_at == NOW
    assert len(accepted) == 1
    assert accepted[0]["title"] == "【网站无法访问】某某县人民政府网"
    assert accepted[0]["message"] == alert.message
    assert "首页无法访问" in accepted[0]["message"] and "超过15秒首页仍未打开" in accepted[0]["message"]


def test_receiver_failing_twice_gets_exactly_one_alert_after_retries():
    waits = []

    async def no_wait(seconds):
        waits.append(seconds)

    with receiver(fail_first=2) as (port, accepted, requests):
        items = route([down_alert()], [Subscription(f"json://127.0.0.1:{port}/")], now=NOW)
        done = run(deliver(items, AppriseSender(), now=NOW, attempts=3, backoff_s=0.5, sleep=no_wait))
    assert requests[0] == 3
    assert len(accepted) == 1
    assert (done[0].status, done[0].attempts, done[0].last_error) == ("sent", 3, None)
    assert waits == [0.5, 1.0]  # exponential backoff between attempts


def test_unreachable_receiver_leaves_the_item_pending_with_its_error(caplog):
    port = free_port()
    items = route([down_alert()], [Subscription(f"json://127.0.0.1:{port}/")], now=NOW)

    async def no_wait(seconds):
        return None

    done = run(deliver(items, AppriseSender(timeout_s=2), now=NOW, attempts=2, backoff_s=10, sleep=no_wait))
    item = done[0]
    assert (item.status, item.attempts) == ("pending", 2)
    assert item.last_error.startswith("发送失败（json://127.0.0.1")
    assert item.next_attempt == NOW + dt.timedelta(seconds=10 * 2**2)
    assert any("not delivered" in r.message for r in caplog.records)
    # Not due yet: untouched. Due later, tried again; it survives a JSON round trip meanwhile.
    stored = [OutboxItem.from_dict(json.loads(json.dumps(i.to_dict()))) for i in done]
    assert stored == done
    again = run(
        deliver(stored, AppriseSender(timeout_s=2), now=NOW + dt.timedelta(seconds=39), sleep=no_wait)
    )
    assert again == done
    with receiver() as (port2, accepted, _):
        moved = [OutboxItem.from_dict({**stored[0].to_dict(), "channel": f"json://127.0.0.1:{port2}/"})]
        later = run(deliver(moved, AppriseSender(), now=NOW + dt.timedelta(seconds=40), sleep=no_wait))
    assert later[0].status == "sent" and len(accepted) == 1


def test_an_invalid_channel_is_an_error_not_a_crash():
    items = route([down_alert()], [Subscription("nosuchscheme://x")], now=NOW)

    async def no_wait(seconds):
        return None

    done = run(deliver(items, AppriseSender(), now=NOW, attempts=1, sleep=no_wait))
    assert done[0].status == "pending" and "无效的通知地址" in done[0].last_error


def test_sent_items_are_not_sent_again():
    class Counting:
        calls = 0

        async def send(self, channel, title, body):
            Counting.calls += 1

    items = route([down_alert()], [Subscription("json://x/")], now=NOW)
    first = run(deliver(items, Counting(), now=NOW))
    run(deliver(first, Counting(), now=NOW))
    assert Counting.calls == 1


def test_routing_by_site_and_kind_and_stable_ids():
    alert = down_alert()
    subs = [
        Subscription("json://a/"),
        Subscription("json://b/", sites=frozenset({"other"})),
        Subscription("json://c/", kinds=frozenset({"spam"})),
        Subscription("json://d/", sites=frozenset({"mm"}), kinds=frozenset({"down"})),
        Subscription("json://e/", digest=True),
    ]
    items = route([alert], subs, now=NOW)
    assert [i.channel for i in items] == ["json://a/", "json://d/"]
    assert [i.id for i in route([alert], subs, now=NOW)] == [i.id for i in items]
    assert items[0].id != items[1].id


def test_channel_urls_are_understood_by_apprise_and_secrets_redacted():
    for url in (
        dingtalk_url("0123456789abcdef", "SECabcdef0123456789"),
        wecom_url("693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"),
        "mailtos://duty:pass@smtp.example.gov.cn?to=duty@example.gov.cn",
        "json://127.0.0.1:8080/hook",
        "jsons://hooks.example.gov.cn/alerts",
    ):
        assert apprise.Apprise.instantiate(url) is not None, url
    assert "SECabcdef0123456789" not in redact(dingtalk_url("0123456789abcdef", "SECabcdef0123456789"))


def test_daily_digest():
    alert = down_alert()
    title, body = build_digest(
        dt.date(2026, 12, 1), [alert], open_problems=["某某县人民政府网 首页仍无法访问"]
    )
    assert title == "政府网站监测日报（2026-12-01）"
    assert body.splitlines() == [
        "当日告警1条：无法访问1次。",
        "· 2026-12-01 08:30 某某县人民政府网 无法访问：超过15秒首页仍未打开",
        "仍未解决的问题1项：",
        "· 某某县人民政府网 首页仍无法访问",
    ]
    assert "无告警" in build_digest(dt.date(2026, 12, 1), [])[1]
    items = digest_items(
        dt.date(2026, 12, 1),
        [alert],
        [Subscription("json://a/"), Subscription("json://b/", digest=True, kinds=frozenset({"spam"}))],
        now=NOW,
    )
    assert [i.channel for i in items] == ["json://b/"]
    assert "无告警" in items[0].body  # b only wants spam
