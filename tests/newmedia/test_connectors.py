"""Connectors: feeds (RSS, Atom, JSON Feed), Weibo JSON and manual evidence, parsed without network;
then fetch_recent over a local server for the HTTP statuses."""

import asyncio
import datetime as dt
import json

from aiohttp import web

from govinspect.fetch.client import Fetcher
from govinspect.fetch.settings import FetchSettings
from govinspect.newmedia.connectors import fetch_recent, settle
from govinspect.newmedia.feeds import parse_feed
from govinspect.newmedia.manual import parse_manual
from govinspect.newmedia.model import CHINA_TZ, Account
from govinspect.newmedia.weibo import parse_created_at, parse_weibo
from localserver import serve

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=CHINA_TZ)
AS_OF = NOW.date()

RSS = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>青山发布</title>
<lastBuildDate>Sun, 22 Nov 2026 08:00:00 +0800</lastBuildDate>
<item><title>【置顶】关于开通便民热线的公告</title><link>https://mp.weixin.qq.com/s/a</link>
<pubDate>Mon, 02 Mar 2026 09:30:00 +0800</pubDate><description>&lt;p&gt;热线开通&lt;/p&gt;</description></item>
<item><title>冬季安全生产工作会议召开</title><link>https://mp.weixin.qq.com/s/b</link>
<pubDate>Fri, 20 Nov 2026 01:30:00 GMT</pubDate><description>&lt;p&gt;会议部署&lt;b&gt;重点&lt;/b&gt;工作&lt;/p&gt;</description></item>
</channel></rss>"""


def test_rss_posts_are_china_time_with_kinds_and_plain_text():
    result = parse_feed(RSS.encode(), source="x", fetched_at=NOW)
    assert result.status == "ok"
    pinned, news = result.posts
    assert pinned.kind == "置顶" and news.kind == "原创"
    assert news.published_at == dt.datetime(2026, 11, 20, 9, 30, tzinfo=CHINA_TZ)
    assert news.published_at.utcoffset() == dt.timedelta(hours=8)
    assert "<b>" not in news.text and "重点" in news.text
    assert result.coverage == (pinned.published_at, dt.datetime(2026, 11, 22, 8, 0, tzinfo=CHINA_TZ))


def test_atom_and_json_feed():
    atom = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        "<updated>2026-11-22T08:00:00+08:00</updated><entry><title>a</title><id>1</id>"
        '<link href="https://x/1"/><published>2026-11-21T10:00:00+08:00</published></entry></feed>'
    )
    result = parse_feed(atom.encode(), source="x", fetched_at=NOW)
    assert result.status == "ok" and result.posts[0].url == "https://x/1"
    assert result.posts[0].published_at == dt.datetime(2026, 11, 21, 10, tzinfo=CHINA_TZ)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [
            {
                "id": "9",
                "url": "https://x/9",
                "title": "转发：通知",
                "content_html": "<p>正文</p>",
                "date_published": "2026-11-21T02:00:00Z",
            }
        ],
    }
    result = parse_feed(
        json.dumps(feed).encode(), source="x", fetched_at=NOW, content_type="application/feed+json"
    )
    post = result.posts[0]
    assert (post.kind, post.text, post.published_at.hour) == ("转发", "正文", 10)


def test_bad_feeds_give_a_status_never_an_exception():
    broken = RSS[:-40].encode() + b"<item><title>&bad;</channel>"
    result = parse_feed(broken, source="x", fetched_at=NOW)
    assert result.status == "partial" and "格式错误" in result.detail
    assert parse_feed(b"\x00\xff garbage", source="x", fetched_at=NOW).status == "partial"
    assert parse_feed(b"{not json", source="x", fetched_at=NOW).status == "partial"
    page = "<!DOCTYPE html><html><body>请输入验证码</body></html>".encode()
    result = parse_feed(page, source="x", fetched_at=NOW)
    assert result.status == "blocked" and "验证码" in result.detail
    empty = parse_feed(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>',
        source="x",
        fetched_at=NOW,
    )
    assert empty.status == "empty"


def _rss(days_ago: list[int | None], built_days_ago: int = 0) -> bytes:
    def when(d):
        return (NOW - dt.timedelta(days=d)).strftime("%a, %d %b %Y %H:%M:%S +0800")

    items = "".join(
        f"<item><title>t{i}</title><link>https://x/{i}</link>"
        + (f"<pubDate>{when(d)}</pubDate>" if d is not None else "")
        + "</item>"
        for i, d in enumerate(days_ago)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"<lastBuildDate>{when(built_days_ago)}</lastBuildDate>{items}</channel></rss>"
    ).encode()


def _settled(body: bytes):
    return settle(parse_feed(body, source="x", fetched_at=NOW), as_of=AS_OF, window_days=14)


def test_coverage_decides_ok_or_partial():
    # Ten posts of the last three days do not span two weeks, but the newest proves an update.
    assert _settled(_rss([0, 0, 1, 1, 1, 2, 2, 2, 3, 3])).status == "ok"
    # Everything older than the window, nothing undated: the window is seen whole.
    assert _settled(_rss([20, 30])).status == "ok"
    # An undated item could be the update.
    assert _settled(_rss([None, 20, 30])).status == "partial"
    # The bridge stopped a month ago: it cannot speak for the as-of day.
    stopped = _settled(_rss([30, 40], built_days_ago=30))
    assert stopped.status == "partial" and "未覆盖检查日" in stopped.detail


def _weibo(*mblogs) -> bytes:
    return json.dumps({"ok": 1, "data": {"cards": [{"card_type": 9, "mblog": m} for m in mblogs]}}).encode()


def test_weibo_pinned_and_reposts():
    body = _weibo(
        {
            "id": "1",
            "created_at": "Mon Mar 02 09:30:00 +0800 2026",
            "text": "旧公告",
            "title": {"text": "置顶"},
        },
        {
            "id": "2",
            "created_at": "Sat Nov 21 10:00:00 +0800 2026",
            "text": "<a>转</a>",
            "retweeted_status": {"id": "0"},
        },
        {"id": "3", "created_at": "Fri Nov 20 10:00:00 +0800 2026", "text": "新动态", "isTop": 1},
        {"id": "4", "created_at": "Thu Nov 19 10:00:00 +0800 2026", "text": "原创"},
    )
    result = parse_weibo(body, source="x", fetched_at=NOW)
    assert [p.kind for p in result.posts] == ["置顶", "转发", "置顶", "原创"]
    assert result.posts[3].url == "https://m.weibo.cn/detail/4"


def test_weibo_errors_and_times():
    login = json.dumps({"ok": -100, "url": "https://passport.weibo.com/"}).encode()
    assert parse_weibo(login, source="x", fetched_at=NOW).status == "auth_expired"
    nothing = json.dumps({"ok": 0, "msg": "这里还没有内容"}, ensure_ascii=False).encode()
    assert parse_weibo(nothing, source="x", fetched_at=NOW).status == "empty"
    assert parse_created_at("5分钟前", NOW) == NOW - dt.timedelta(minutes=5)
    assert parse_created_at("昨天 08:15", NOW) == dt.datetime(2026, 11, 21, 8, 15, tzinfo=CHINA_TZ)
    assert parse_created_at("11-03", NOW).date() == dt.date(2026, 11, 3)


def test_manual_evidence():
    account = Account("视频号", "v1", "青山视频")
    text = (
        "platform,account_id,latest_post_time,post_url,title,screenshot,recorded_at,interaction\n"
        "视频号,v1,2026-11-19 09:30,https://c/1,防火提示,shots/v1.png,2026-11-22 10:00,无\n"
        "视频号,v2,2026-01-01 09:30,https://c/2,别的账号,,2026-11-22 10:00,有\n"
    )
    result = parse_manual(text, account, source="m.csv", fetched_at=NOW)
    assert result.status == "ok" and [p.url for p in result.posts] == ["https://c/1"]
    assert result.interaction["working"] is False and "shots/v1.png" in result.detail
    assert (
        parse_manual(text, Account("视频号", "v3", "x"), source="m.csv", fetched_at=NOW).status == "not_found"
    )


def test_fetch_recent_maps_http_answers():
    async def handler(request):
        path = request.path
        if path == "/432":
            return web.Response(status=432, text="busy")
        if path == "/401":
            return web.Response(status=401)
        if path == "/gbk":
            body = '<?xml version="1.0" encoding="gbk"?><rss version="2.0"><channel><title>青山</title>'
            body += "<item><title>会议召开</title><pubDate>Sat, 21 Nov 2026 09:00:00 +0800</pubDate></item></channel></rss>"
            return web.Response(body=body.encode("gbk"), content_type="application/xml", charset="gbk")
        return web.Response(status=404)

    async def run():
        async with serve(handler) as base, Fetcher(FetchSettings(retries=0)) as fetcher:
            out = {}
            for path in ("432", "401", "404", "gbk"):
                account = Account("微信公众号", path, "n", feed_url=f"{base}/{path}")
                out[path] = await fetch_recent(account, as_of=AS_OF, fetcher=fetcher, now=NOW)
            return out

    out = asyncio.run(run())
    assert (out["432"].status, out["401"].status, out["404"].status) == (
        "blocked",
        "auth_expired",
        "not_found",
    )
    assert out["gbk"].status == "ok" and out["gbk"].posts[0].title == "会议召开"


def test_registry_reads_chinese_headers_and_gbk(tmp_path):
    from govinspect.newmedia.registry import read_accounts

    path = tmp_path / "名录.csv"
    text = "平台,账号,名称,开办单位,订阅源,认证主体,备案编号,备案日期,状态\n"
    text += "今日头条,tt1,青山头条,青山县人民政府,https://rss/tt1,青山县人民政府,QS-1,2026/01/15,\n"
    path.write_bytes(text.encode("gbk"))
    (account,) = read_accounts(path)
    assert (account.platform, account.account_id, account.record_date, account.status) == (
        "头条号",
        "tt1",
        "2026-01-15",
        "运行",
    )


def test_parsers_never_raise_on_arbitrary_input():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    json_values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
        max_leaves=20,
    )
    keys = st.sampled_from(
        [
            "ok",
            "data",
            "cards",
            "mblog",
            "card_group",
            "items",
            "tags",
            "title",
            "created_at",
            "date_published",
            "isTop",
            "version",
        ]
    )
    shaped = st.recursive(
        json_values,
        lambda inner: st.dictionaries(keys, inner, max_size=5) | st.lists(inner, max_size=3),
        max_leaves=25,
    )

    @settings(max_examples=150, deadline=None)
    @given(st.one_of(st.binary(max_size=300), shaped.map(lambda v: json.dumps(v).encode())))
    def run(body):
        for result in (
            parse_feed(body, source="x", fetched_at=NOW),
            parse_weibo(body, source="x", fetched_at=NOW),
        ):
            assert result.status in ("ok", "empty", "blocked", "auth_expired", "not_found", "partial")

    run()
