"""找错 lifecycle, deadlines and 办结率. Deadlines by hand over 国庆 2026 (10-1..10-7 off, Sat 10-10 worked)."""

import datetime as dt
from decimal import Decimal

import pytest

from govinspect.workflow.calendar import Deadline
from govinspect.workflow.jiucuo import (
    ACCEPTED,
    CLOSED,
    DUPLICATE,
    FORWARDED,
    PENDING,
    REJECTED,
    ExportError,
    Message,
    TransitionError,
    change_status,
    completion,
    deadline,
    overdue,
    parse_export,
    reminders,
    route,
)
from govinspect.workflow.sites import RegistrySite


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def msg(number, submitted, **kw) -> Message:
    return Message(number, at(submitted), **kw)


def walk(m: Message, *steps) -> Message:
    """Apply (status, when, extra) steps as user 管理员."""
    for to, when, extra in steps:
        m = change_status(m, to, who="管理员", when=at(when), **extra)
    return m


def close(m, forwarded, closed):
    return walk(
        m,
        (FORWARDED, forwarded, {"site_id": "s1"}),
        (ACCEPTED, forwarded, {}),
        (CLOSED, closed, {"result": "已更正"}),
    )


def test_lifecycle_keeps_every_change_with_who_and_when():
    m = msg("J1", "2026-10-08T09:00")
    m = change_status(m, FORWARDED, who="省办张三", when=at("2026-10-08T10:00"), site_id="s1")
    m = change_status(m, ACCEPTED, who="市局李四", when=at("2026-10-09T09:00"))
    m = change_status(m, CLOSED, who="市局李四", when=at("2026-10-09T16:00"), result="已修改错误链接")
    assert m.status == CLOSED and m.result == "已修改错误链接" and m.closed_at == at("2026-10-09T16:00")
    assert [(c.who, c.from_status, c.to_status) for c in m.history] == [
        ("省办张三", PENDING, FORWARDED),
        ("市局李四", FORWARDED, ACCEPTED),
        ("市局李四", ACCEPTED, CLOSED),
    ]
    with pytest.raises(TransitionError, match="已结束"):
        change_status(m, REJECTED, who="x", when=at("2026-10-10T09:00"), reason="无效")


@pytest.mark.parametrize(
    "steps, match",
    [
        ([(CLOSED, {"result": "x"})], "不能从“待转办”变为“已办结”"),
        ([(FORWARDED, {})], "转办须指定"),
        ([(REJECTED, {})], "不予受理须选择原因"),
        ([(REJECTED, {"reason": "太忙"})], "不予受理须选择原因"),
        ([(DUPLICATE, {})], "原留言编号"),
        ([(DUPLICATE, {"duplicate_of": "J9"})], "原留言编号"),  # itself
        ([(FORWARDED, {"site_id": "s1"}), (ACCEPTED, {}), (CLOSED, {})], "办理结果"),
        ([("处理中", {})], "未知的状态"),
    ],
)
def test_refused_steps(steps, match):
    m = msg("J9", "2026-10-08T09:00")
    with pytest.raises(TransitionError, match=match):
        for to, extra in steps:
            m = change_status(m, to, who="管理员", when=at("2026-10-08T10:00"), **extra)


def test_step_before_the_last_one_or_without_a_person_refused():
    m = msg("J1", "2026-10-08T09:00")
    with pytest.raises(TransitionError, match="早于"):
        change_status(m, REJECTED, who="x", when=at("2026-10-08T08:00"), reason="无效")
    with pytest.raises(TransitionError, match="操作人"):
        change_status(m, REJECTED, who=" ", when=at("2026-10-08T10:00"), reason="无效")


def test_handed_back_and_forwarded_again():
    m = walk(
        msg("J1", "2026-10-08T09:00"),
        (FORWARDED, "2026-10-08T10:00", {"site_id": "s1"}),
        (PENDING, "2026-10-08T11:00", {"note": "非本单位网站"}),
        (FORWARDED, "2026-10-08T12:00", {"site_id": "s2"}),
    )
    assert m.site_id == "s2" and m.history[1].note == "非本单位网站"


def test_deadlines_in_working_days():
    assert deadline(msg("A", "2026-09-29T10:00")) == Deadline(dt.date(2026, 10, 9))
    assert deadline(msg("B", "2026-09-30T18:00")) == Deadline(dt.date(2026, 10, 10))  # 调休 Saturday
    assert deadline(msg("C", "2026-12-30T09:00")) == Deadline(dt.date(2027, 1, 4), True)  # 估算
    assert deadline(msg("A", "2026-09-29T10:00"), working_days=1) == Deadline(dt.date(2026, 9, 30))


def test_reminders_and_overdue():
    a, b = msg("A", "2026-09-29T10:00"), msg("B", "2026-09-30T18:00")  # due 10-09 and 10-10
    done = close(msg("D", "2026-09-29T11:00"), "2026-09-29T12:00", "2026-09-30T09:00")
    messages = [b, a, done]
    on_8th = reminders(messages, dt.date(2026, 10, 8))
    assert [(d.message.number, d.working_days_left) for d in on_8th] == [("A", 1)]
    assert [d.message.number for d in reminders(messages, dt.date(2026, 10, 8), within=2)] == ["A", "B"]
    assert [(d.message.number, d.working_days_left) for d in reminders(messages, dt.date(2026, 10, 9))] == [
        ("A", 0),
        ("B", 1),
    ]
    assert [d.message.number for d in overdue(messages, dt.date(2026, 10, 10))] == ["A"]
    late = overdue(messages, dt.date(2026, 10, 12))
    assert [(d.message.number, d.working_days_left) for d in late] == [("A", -2), ("B", -1)]
    # A 2027 deadline carries 估算 into the listing.
    c = msg("C", "2026-12-30T09:00")
    assert overdue([c], dt.date(2027, 1, 5))[0].deadline.estimated


def test_completion_rate_by_hand():
    messages = [
        close(msg("m1", "2026-10-08T09:00"), "2026-10-08T10:00", "2026-10-12T10:00"),  # due 10-12: on time
        close(msg("m2", "2026-10-08T09:00"), "2026-10-08T10:00", "2026-10-14T10:00"),  # late
        walk(msg("m3", "2026-10-09T09:00"), (REJECTED, "2026-10-09T10:00", {"reason": "无效"})),
        walk(msg("m4", "2026-10-09T09:00"), (DUPLICATE, "2026-10-09T10:00", {"duplicate_of": "m1"})),
        walk(
            msg("m5", "2026-10-12T09:00"),
            (FORWARDED, "2026-10-12T10:00", {"site_id": "s1"}),
            (ACCEPTED, "2026-10-13T10:00", {}),
        ),
        walk(
            msg("m6", "2026-10-20T09:00"),
            (FORWARDED, "2026-10-20T10:00", {"site_id": "s1"}),
            (REJECTED, "2026-10-21T10:00", {"reason": "不属实"}),
        ),
        close(msg("m7", "2026-09-30T09:00"), "2026-09-30T10:00", "2026-10-08T10:00"),  # before the period
    ]
    c = completion(messages, dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert (c.received, c.valid, c.closed, c.closed_on_time) == (6, 3, 2, 1)
    assert c.rate == Decimal("66.67") and c.on_time_rate == Decimal("33.33")
    assert [(m.number, why) for m, why in c.excluded] == [
        ("m3", "不予受理（无效）"),
        ("m4", "重复（原留言m1）"),
        ("m6", "不予受理（不属实）"),
    ]
    assert not c.estimated
    assert completion(messages, dt.date(2026, 11, 1), dt.date(2026, 11, 30)).rate is None


SITES = [
    RegistrySite(
        "s1",
        "杭州市政府",
        url="http://www.hangzhou.gov.cn/",
        site_code="3301000001",
        organiser="杭州市政府办公厅",
    ),
    RegistrySite(
        "s2", "浙江省教育厅", url="https://jyt.zj.gov.cn/", site_code="bm12000001", organiser="浙江省教育厅"
    ),
]


def test_routing_by_code_then_url_and_unknown_codes_listed():
    messages = [
        msg("1", "2026-10-08T09:00", site_code="3301000001"),
        msg("2", "2026-10-08T09:00", site_code="BM12000001"),
        msg("3", "2026-10-08T09:00", url="hangzhou.gov.cn/art/2026/10/1/art_1.html"),
        msg("4", "2026-10-08T09:00", site_code="3399999999", url="http://www.hangzhou.gov.cn/x.html"),
        msg("5", "2026-10-08T09:00", url="http://www.example.com/"),
        msg("6", "2026-10-08T09:00", site_code="3301000001", unit="杭州市大数据局"),
    ]
    routed, unknown = route(messages, SITES)
    assert [m.site_id for m in routed] == ["s1", "s2", "s1", "", "", "s1"]
    assert [m.unit for m in routed] == [
        "杭州市政府办公厅",
        "浙江省教育厅",
        "杭州市政府办公厅",
        "",
        "",
        "杭州市大数据局",
    ]
    # An unknown code is not guessed from the address: a person looks at it.
    assert [(u.message.number, u.reason) for u in unknown] == [
        ("4", "网站标识码3399999999不在网站库中"),
        ("5", "未填写网站标识码，出错网址也不属于网站库中的网站"),
    ]


HEADER = [
    "留言编号",
    "网站标识码",
    "问题类型",
    "出错网址",
    "问题描述",
    "提交时间",
    "受理单位",
    "状态",
    "不予受理原因",
    "办理结果",
]


def rows(*values):
    return [dict(zip(HEADER, v, strict=True)) for v in values]


def test_parse_a_good_export():
    messages = parse_export(
        rows(
            [
                "JC1",
                "3301000001",
                "链接错误",
                "http://www.hangzhou.gov.cn/a.html",
                "=cmd|' /C calc'!A0",
                "2026-10-08 09:30:00",
                "",
                "",
                "",
                "",
            ],
            [
                "JC2",
                3301000001.0,
                "错别字",
                "",
                "错字",
                dt.datetime(2026, 10, 9, 8, 0),
                "",
                "已办结",
                "",
                "已更正",
            ],
            [
                "JC3",
                "",
                "其他",
                "http://www.x.gov.cn",
                "广告",
                "2026/10/10 10:00",
                "",
                "不予受理",
                "无效",
                "",
            ],
            ["JC4", "3301000001.0", "其他", "", "同JC1", "2026年10月11日", "", "未处理", "", ""],
        )
    )
    assert [m.number for m in messages] == ["JC1", "JC2", "JC3", "JC4"]
    assert messages[0].description == "=cmd|' /C calc'!A0" and messages[0].status == PENDING
    assert (
        messages[1].site_code == "3301000001"
        and messages[1].status == CLOSED
        and messages[1].result == "已更正"
    )
    assert messages[1].history[0].who == "平台导出"
    assert messages[2].status == REJECTED and messages[2].reject_reason == "无效"
    assert messages[3].submitted == dt.datetime(2026, 10, 11) and messages[3].status == PENDING
    assert messages[3].site_code == "3301000001"  # an Excel number read as text


def test_bad_export_names_every_bad_row_and_imports_nothing():
    with pytest.raises(ExportError) as info:
        parse_export(
            rows(
                ["JC1", "3301000001", "", "", "", "2026-10-08 09:30", "", "", "", ""],  # line 2: good
                ["JC2", "", "", "", "", "昨天", "", "", "", ""],  # 3
                ["JC3", "33010001", "", "", "", "2026-10-08", "", "", "", ""],  # 4
                ["JC4", "", "", "", "", "2026-10-08", "", "不予受理", "", ""],  # 5
                ["JC1", "", "", "", "", "2026-10-08", "", "", "", ""],  # 6
                ["", "", "", "", "", "2026-10-08", "", "已办结", "", ""],  # 7
                ["JC7", "", "", "", "", "2026-10-08", "", "处理中", "", ""],  # 8
                ["JC8", "", "", "", "", "2026-10-08", "", "重复", "", ""],  # 9
            ),
            known=["JC0"],
        )
    lines = [(e.line, e.message) for e in info.value.errors]
    assert [line for line, _ in lines] == [3, 4, 5, 6, 7, 7, 8, 9]
    assert "昨天" in lines[0][1] and "33010001" in lines[1][1] and "不予受理原因" in lines[2][1]
    assert "JC1重复" in lines[3][1] and "缺少留言编号" in lines[4][1] and "办理结果" in lines[5][1]
    assert "处理中" in lines[6][1] and "原留言编号" in lines[7][1]
    assert "第3行" in str(info.value)


def test_export_missing_a_required_column_and_known_numbers():
    with pytest.raises(ExportError, match="第1行：缺少必需的列：编号"):
        parse_export([{"提交时间": "2026-10-08"}])
    with pytest.raises(ExportError, match="JC0重复"):
        parse_export(rows(["JC0", "", "", "", "", "2026-10-08", "", "", "", ""]), known=["JC0"])
    assert parse_export([]) == []
