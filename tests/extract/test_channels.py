"""Interaction channels: department mailboxes and 互动 entries are channels, a
generic 互动交流 section link, 在线访谈 and 调查征集 are not; interact.no_channel only on positive
evidence (a dead entry shown, no working one)."""

import datetime as dt

from govinspect.checks.base import CheckContext
from govinspect.checks.interact import check_no_channel
from govinspect.extract.channels import Channel, channel_label, find_channels
from govinspect.extract.page_facts import read_site_facts
from govinspect.model import Column, Page, SiteModel
from govinspect.rules import load_rubric

BASE = "http://www.xx.gov.cn/"
CTX = CheckContext(as_of=dt.date(2026, 11, 22), rubric=load_rubric("gov-2019"))


def test_department_mailboxes_and_interaction_words():
    for label in (
        "局长信箱",
        "主任信箱",
        "书记信箱",
        "县长信箱",
        "纪委书记信箱",
        "互动",
        "公众互动",
        "互动服务",
        "在线咨询",
        "我要写信",
    ):
        assert channel_label(label), label
    for label in ("互动交流", "在线访谈", "调查征集", "电子信箱", "关于开通局长信箱接受群众来信的通知公告"):
        assert not channel_label(label), label


def test_find_channels_with_working_and_dead_entries():
    html = """<div class="hd"><a href="/col/col5/index.html">互动交流</a>
    <a href="/jzxx/">局长信箱</a><a href="javascript:void(0);"><img src="/i/zx.png" alt="在线咨询"></a>
    <img src="/i/ly.png" alt="网上留言"><a href="/ftzb/">在线访谈</a><a href="/dczj/">调查征集</a></div>"""
    assert find_channels(html, BASE) == [
        Channel(label="局长信箱", url="http://www.xx.gov.cn/jzxx/", working=True),
        Channel(label="在线咨询", url=None, working=False),
        Channel(label="网上留言", url=None, working=False),
    ]


def _site(html: str, columns=()) -> SiteModel:
    page = Page(url=BASE, final_url=BASE, status=200, content_type="text/html", text=html)
    site = SiteModel(url=BASE, host="www.xx.gov.cn", home=page, columns=list(columns))
    read_site_facts(site)  # the crawl reads the home page's channels into the model
    return site


def test_no_channel_needs_a_dead_entry_and_no_working_one():
    dead = '<a href="/hdjl/">互动交流</a><a href="#"><img alt="主任信箱"></a><a href="/ftzb/">在线访谈</a>'
    findings = check_no_channel(_site(dead), CTX)
    assert [f.check for f in findings] == ["interact.no_channel"]
    assert findings[0].evidence["dead_entries"] == ["主任信箱"]
    # A working department mailbox is a channel.
    assert check_no_channel(_site(dead + '<a href="/sjxx/">书记信箱</a>'), CTX) == []
    # Nothing found: a person checks (info), never a veto.
    nothing = check_no_channel(_site('<a href="/hdjl/">互动交流</a>'), CTX)
    assert [f.check for f in nothing] == ["interact.channel_not_found"]


def test_interview_column_is_not_a_channel_column():
    dead = '<a href="#"><img alt="领导信箱"></a>'
    interview = Column(name="在线访谈", url=BASE + "ftzb/", kind="interact")
    assert [f.check for f in check_no_channel(_site(dead, [interview]), CTX)] == ["interact.no_channel"]
    mailbox = Column(name="局长信箱", url=BASE + "jzxx/", kind="interact")
    assert check_no_channel(_site(dead, [mailbox]), CTX) == []


def test_channels_on_real_government_pages():
    import gzip
    from pathlib import Path

    from govinspect.fetch import decode_html

    real = Path(__file__).resolve().parents[1] / "fixtures" / "realpages" / "gne_gov"

    def channels(name: str) -> list[str]:
        html = decode_html(gzip.decompress((real / f"{name}.gz").read_bytes()))[0]
        return [c.label for c in find_channels(html, BASE) if c.working]

    shanxi = channels("tests__shanxi__1.html")
    assert {"省长信箱", "部门信箱", "市长信箱", "政务咨询"} <= set(shanxi)
    assert not {"在线访谈", "意见征集"} & set(shanxi)  # shown on the page, not consultation channels
    assert channels("tests__gzggw__1.html") == []  # only the generic 互动交流 section link
