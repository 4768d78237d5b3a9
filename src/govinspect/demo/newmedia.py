"""Demo 政务新媒体 accounts: feeds served by the demo farm, with ground truth written from the spec.

    nm = build_newmedia_farm(as_of, manual_path=tmp / "manual.csv"); nm.write_manual()
    farm = mount(Farm(as_of, [], {}), nm)         # or mount(build_farm(as_of), nm)
    with FarmServer(farm) as server: ...           # feeds at http://rss.xinmeiti-demo.cn/...

Each case is one account and the check ids the checks must raise for it (INDICATORS
§1b/§9e): a post in the 14 days before as-of keeps an account fresh, pinned posts and future-dated
posts prove nothing, 3 months without a post is a zombie, and whatever the connector cannot read
completely (blocked, malformed, empty, a bridge that stopped) is `newmedia.unverified`, never stale.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from govinspect.demo.types import Farm, Route
from govinspect.newmedia.model import CHINA_TZ, Account

FEED_HOST = "rss.xinmeiti-demo.cn"  # an RSSHub / WeChat-bridge stand-in
WEIBO_HOST = "m.weibo-demo.cn"  # Weibo's mobile JSON stand-in
ORGANISER = "青山县人民政府办公室"

CLEAN_POSTS = (
    (
        "青山县召开冬季安全生产工作会议",
        "会议传达学习了上级有关文件精神，对全县冬季安全生产重点工作作出安排，要求各乡镇压实责任。",
    ),
    (
        "政务服务中心推出周末延时服务",
        "县政务服务中心推出“周末不打烊”服务，群众可在周六上午办理社保、医保等高频事项。",
    ),
    (
        "冬季专场招聘会本周六举行",
        "县人力资源和社会保障局举办冬季专场招聘会，共有八十六家企业提供就业岗位一千二百余个。",
    ),
    (
        "警惕电信网络诈骗",
        "提醒广大群众注意防范电信网络诈骗，不轻信陌生来电，不向陌生账户转账，遇到可疑情况及时报警。",
    ),
    ("寒潮蓝色预警", "县气象台发布寒潮蓝色预警，请广大群众注意防寒保暖，出行注意交通安全。"),
    ("农村公路养护工作推进会召开", "会议总结了今年农村公路养护工作情况，部署了下一步重点任务。"),
)


@dataclass(frozen=True)
class DemoPost:
    title: str
    text: str
    days_ago: int  # negative: in the future
    kind: str = "原创"


@dataclass(frozen=True)
class NewMediaCase:
    account: Account
    expected: frozenset[str]  # check ids the checks must raise for this account
    note: str  # what the case is (Chinese)


@dataclass
class NewMediaFarm:
    as_of: dt.date
    cases: list[NewMediaCase]
    routes: dict[str, Route] = field(default_factory=dict)  # absolute URL -> route
    manual_path: Path = Path("newmedia_manual.csv")
    manual_csv: str = ""

    def write_manual(self) -> Path:
        self.manual_path.write_text(self.manual_csv, encoding="utf-8")
        return self.manual_path

    @property
    def accounts(self) -> list[Account]:
        return [c.account for c in self.cases]


def _when(as_of: dt.date, days_ago: int, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(as_of - dt.timedelta(days=days_ago), dt.time(hour, 30), tzinfo=CHINA_TZ)


def _posts(days: list[int], extra: list[DemoPost] = ()) -> list[DemoPost]:
    clean = [DemoPost(*CLEAN_POSTS[i % len(CLEAN_POSTS)], days_ago=d) for i, d in enumerate(days)]
    return sorted([*extra, *clean], key=lambda p: p.days_ago)


def rss(name: str, link: str, posts: list[DemoPost], as_of: dt.date, *, built_days_ago: int = 0) -> bytes:
    items = "".join(
        f"<item><title>{escape(('【置顶】' if p.kind == '置顶' else '') + p.title)}</title>"
        f"<link>{link}/p/{i}</link><guid>{link}/p/{i}</guid>"
        f"<pubDate>{format_datetime(_when(as_of, p.days_ago))}</pubDate>"
        f"<description>{escape('<p>' + p.text + '</p>')}</description></item>"
        for i, p in enumerate(posts)
    )
    built = format_datetime(_when(as_of, built_days_ago, hour=8))
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(name)}</title><link>{link}</link><description>{escape(name)}</description>"
        f"<lastBuildDate>{built}</lastBuildDate>{items}</channel></rss>"
    ).encode()


def atom(name: str, link: str, posts: list[DemoPost], as_of: dt.date) -> bytes:
    entries = "".join(
        f'<entry><title>{escape(p.title)}</title><id>{link}/a/{i}</id><link href="{link}/a/{i}"/>'
        f"<published>{_when(as_of, p.days_ago).isoformat()}</published>"
        f"<updated>{_when(as_of, p.days_ago).isoformat()}</updated>"
        f'<content type="html">{escape(p.text)}</content></entry>'
        for i, p in enumerate(posts)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(name)}</title><id>{link}</id><updated>{_when(as_of, 0, 8).isoformat()}</updated>"
        f"{entries}</feed>"
    ).encode()


def json_feed(name: str, link: str, posts: list[DemoPost], as_of: dt.date) -> bytes:
    items = [
        {
            "id": f"{link}/v/{i}",
            "url": f"{link}/v/{i}",
            "title": p.title,
            "content_text": p.text,
            "date_published": _when(as_of, p.days_ago).isoformat(),
        }
        for i, p in enumerate(posts)
    ]
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": name,
        "home_page_url": link,
        "items": items,
    }
    return json.dumps(feed, ensure_ascii=False).encode()


def weibo_json(uid: str, posts: list[DemoPost], as_of: dt.date) -> bytes:
    cards = []
    for i, p in enumerate(posts):
        mblog = {
            "id": f"{uid}{i:04d}",
            "created_at": _when(as_of, p.days_ago).strftime("%a %b %d %H:%M:%S %z %Y"),
            "text": f"【{p.title}】{p.text}",
            "comments_count": 3,
        }
        if p.kind == "置顶":
            mblog["isTop"] = 1
            mblog["title"] = {"text": "置顶", "base_color": 1}
        cards.append({"card_type": 9, "mblog": mblog})
    return json.dumps(
        {"ok": 1, "data": {"cardlistInfo": {"containerid": f"107603{uid}"}, "cards": cards}},
        ensure_ascii=False,
    ).encode()


_XML = "application/rss+xml; charset=utf-8"


def build_newmedia_farm(as_of: dt.date, manual_path: Path | str = "newmedia_manual.csv") -> NewMediaFarm:
    nm = NewMediaFarm(as_of=as_of, cases=[], manual_path=Path(manual_path))

    def add(platform, account_id, name, url, route, expected, note, **account):
        if route is not None:
            nm.routes[url] = route
        acc = Account(
            platform=platform,
            account_id=account_id,
            name=name,
            organiser=account.pop("organiser", ORGANISER),
            feed_url=url,
            **account,
        )
        nm.cases.append(NewMediaCase(acc, frozenset(expected), note))

    feed = f"http://{FEED_HOST}"
    link = "https://mp.weixin.qq.com/demo"

    def wx(acc_id, name, posts, expected, note, *, built=0, **account):
        url = f"{feed}/wechat/{acc_id}.xml"
        add(
            "微信公众号",
            acc_id,
            name,
            url,
            Route(content_type=_XML, body=rss(name, f"{link}/{acc_id}", posts, as_of, built_days_ago=built)),
            expected,
            note,
            **account,
        )

    wx("qs_fresh", "青山发布", _posts([1, 3, 6, 9, 15, 20]), [], "每周多次更新")
    add(
        "头条号",
        "qs_toutiao",
        "青山政务头条",
        f"{feed}/toutiao/qs_toutiao.atom",
        Route(
            content_type="application/atom+xml; charset=utf-8",
            body=atom("青山政务头条", f"{feed}/toutiao", _posts([2, 10, 25]), as_of),
        ),
        [],
        "Atom订阅源，2天前有更新",
    )
    wx(
        "qs_stale",
        "青山教育",
        _posts([20, 35, 50]),
        ["newmedia.stale"],
        "最近一条发布于20天前：不更新（否决）",
    )
    add(
        "抖音",
        "qs_douyin",
        "青山文旅",
        f"{feed}/douyin/qs_douyin.json",
        Route(
            content_type="application/feed+json; charset=utf-8",
            body=json_feed("青山文旅", f"{feed}/douyin", _posts([120, 150, 200]), as_of),
        ),
        ["newmedia.stale", "newmedia.zombie"],
        "JSON Feed，最近一条发布于120天前：僵尸账号",
    )
    pinned_old = DemoPost(
        "关于开通政务服务热线的公告", "青山县政务服务便民热线正式开通，欢迎广大群众来电咨询。", 300, "置顶"
    )
    add(
        "微博",
        "5000000001",
        "青山微博",
        f"http://{WEIBO_HOST}/api/container/getIndex?containerid=1076035000000001",
        Route(
            content_type="application/json; charset=utf-8",
            body=weibo_json("5000000001", [pinned_old, *_posts([2, 5, 11])], as_of),
        ),
        [],
        "微博置顶一条300天前的旧内容，其后有2天前的新内容：不算不更新",
    )
    pinned_recent = DemoPost("青山县政务新媒体矩阵介绍", "欢迎关注青山县政务新媒体矩阵。", 3, "置顶")
    add(
        "微博",
        "5000000002",
        "青山应急",
        f"http://{WEIBO_HOST}/api/container/getIndex?containerid=1076035000000002",
        Route(
            content_type="application/json; charset=utf-8",
            body=weibo_json("5000000002", [pinned_recent, *_posts([30, 44])], as_of),
        ),
        ["newmedia.stale"],
        "只有置顶内容是近期的，其余最近一条发布于30天前：置顶不算更新（否决）",
    )
    add(
        "微博",
        "5000000003",
        "青山公安",
        f"http://{WEIBO_HOST}/api/container/getIndex?containerid=1076035000000003",
        Route(
            status=432,
            content_type="text/html; charset=utf-8",
            body="<html><body>访问频繁，请稍后再试</body></html>".encode(),
        ),
        ["newmedia.unverified"],
        "微博接口返回HTTP 432：无法核实，不得否决",
    )
    add(
        "微信公众号",
        "qs_broken",
        "青山卫健",
        f"{feed}/wechat/qs_broken.xml",
        Route(
            content_type=_XML,
            body=rss("青山卫健", f"{link}/qs_broken", _posts([40, 60]), as_of)[:-60]
            + b"<item><title>&bad; <unclosed></channel>",
        ),
        ["newmedia.unverified"],
        "订阅源XML格式错误（截断）：无法核实，不得否决",
    )
    future = DemoPost("2027年工作计划（预发布）", "本文为预发布内容。", -30)
    wx(
        "qs_future",
        "青山住建",
        _posts([40, 55], [future]),
        ["newmedia.stale", "content.fake_date"],
        "一条内容日期在30天后（不能证明更新），其余最近为40天前：不更新且日期异常",
    )
    wx(
        "qs_bridge",
        "青山水利",
        _posts([30, 45]),
        ["newmedia.unverified"],
        "桥接服务30天前停止更新（lastBuildDate 30天前）：无法核实",
        built=30,
    )
    add(
        "微信公众号",
        "qs_empty",
        "青山民政",
        f"{feed}/wechat/qs_empty.xml",
        Route(content_type=_XML, body=rss("青山民政", f"{link}/qs_empty", [], as_of)),
        ["newmedia.unverified"],
        "订阅源没有任何内容：无法核实",
    )
    add(
        "微信公众号",
        "qs_auth",
        "青山税务",
        f"{feed}/wechat/qs_auth.xml",
        Route(status=401, content_type="application/json", body=b'{"error":"token expired"}'),
        ["newmedia.unverified"],
        "桥接服务授权失效（HTTP 401）：无法核实",
    )
    add(
        "微信公众号",
        "qs_gone",
        "青山科协",
        f"{feed}/wechat/qs_gone.xml",
        None,
        ["newmedia.unverified"],
        "订阅源不存在（HTTP 404）：无法核实",
    )
    add(
        "头条号",
        "qs_waf",
        "青山交通",
        f"{feed}/toutiao/qs_waf.atom",
        Route(
            body="<!DOCTYPE html><html><head><title>安全验证</title></head><body>请输入验证码继续访问</body></html>".encode()
        ),
        ["newmedia.unverified"],
        "返回验证码页面（HTTP 200）：被拦截，无法核实",
    )
    advert = DemoPost("年货节福利来啦", "本地特产限时抢购，全场包邮，点击购买即可下单。", 2)
    wx(
        "qs_advert",
        "青山商务",
        _posts([5, 9], [advert]),
        ["newmedia.advert"],
        "发布商业广告（限时抢购、全场包邮、点击购买）",
    )
    typo = DemoPost("全县再接再励推进项目建设", "会议要求各部门再接再励，确保各项工作布署到位、落实见效。", 1)
    wx("qs_typo", "青山发改", _posts([4, 8], [typo]), ["content.typo"], "内容有错别字（再接再励、布署）")
    serious = DemoPost(
        "深入学习贯彻党的二十大精神", "坚持和发展中国特色社会主意，不断推动各项事业高质量发展。", 2
    )
    wx(
        "qs_serious",
        "青山党建",
        _posts([6], [serious]),
        ["content.serious_error"],
        "重要表述错误（中国特色社会主意）",
    )
    wx(
        "qs_subject",
        "青山旅游",
        _posts([1, 5]),
        ["newmedia.subject_mismatch"],
        "认证主体为企业，与开办单位不一致",
        subject="青山文化传媒有限公司",
    )
    wx(
        "qs_unreg",
        "青山镇便民服务",
        _posts([2, 6]),
        ["newmedia.unregistered"],
        "巡查发现、名录中未备案的账号",
        registered=False,
        organiser="青山镇人民政府",
    )
    wx("qs_closed", "青山旧账号", _posts([200]), [], "已关停的账号：不检查更新", status="关停")
    manual = str(nm.manual_path)
    add(
        "视频号",
        "qs_video",
        "青山视频",
        manual,
        None,
        ["newmedia.no_interaction"],
        "人工记录：3天前有更新，但无任何互动功能（留言、私信关闭）",
    )
    add(
        "快手",
        "qs_kuaishou",
        "青山融媒",
        manual,
        None,
        ["newmedia.stale"],
        "人工记录：最近一条发布于25天前（否决）",
    )
    recorded = _when(as_of, 0, 10).isoformat()
    nm.manual_csv = (
        "platform,account_id,latest_post_time,post_url,title,screenshot,recorded_at,interaction,note\n"
        f"视频号,qs_video,{_when(as_of, 3).isoformat()},https://channels.weixin.qq.com/demo/1,冬季防火提示,shots/qs_video.png,{recorded},无,留言和私信均已关闭\n"
        f"快手,qs_kuaishou,{_when(as_of, 25).isoformat()},https://www.kuaishou.com/demo/1,乡村振兴见闻,shots/qs_kuaishou.png,{recorded},有,\n"
    )
    return nm


def mount(farm: Farm, nm: NewMediaFarm) -> Farm:
    """Serve the new-media feeds from `farm` (FarmServer answers them by absolute URL)."""
    farm.routes.update(nm.routes)
    return farm


def newmedia_only_farm(nm: NewMediaFarm) -> Farm:
    return mount(Farm(as_of=nm.as_of, sites=[], externals={}), nm)


REGISTRY_COLUMNS = (
    "platform",
    "account_id",
    "name",
    "organiser",
    "feed_url",
    "subject",
    "record_no",
    "record_date",
    "status",
)


def _csv(accounts: list[Account]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REGISTRY_COLUMNS)
    for i, a in enumerate(accounts, start=1):
        record_no = a.record_no or f"QS-XMT-2026-{i:03d}"
        writer.writerow(
            [
                a.platform,
                a.account_id,
                a.name,
                a.organiser,
                a.feed_url,
                a.subject,
                record_no,
                a.record_date or "2026-01-15",
                a.status,
            ]
        )
    return out.getvalue()


def registry_csv(nm: NewMediaFarm) -> str:
    """The farm's registry (accounts that are registered), as `govinspect newmedia import` reads it."""
    return _csv([a for a in nm.accounts if a.registered])


def found_csv(nm: NewMediaFarm) -> str:
    """Accounts found in patrols but absent from the registry (`newmedia check --found`)."""
    return _csv([a for a in nm.accounts if not a.registered])
