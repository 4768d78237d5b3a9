import datetime as dt

import pytest

from govinspect.extract import date_from_url, find_dates, parse_date

REF = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20", dt.date(2026, 11, 20)),
        ("2026-11-20 10:32", dt.date(2026, 11, 20)),
        ("2026年11月20日", dt.date(2026, 11, 20)),
        ("2026年1月5日", dt.date(2026, 1, 5)),
        ("2026年 11 月 3 日", dt.date(2026, 11, 3)),
        ("[11-20]", dt.date(2026, 11, 20)),
        ("【11-20】", dt.date(2026, 11, 20)),
        ("(2026-11-20)", dt.date(2026, 11, 20)),
        ("2026/11/20", dt.date(2026, 11, 20)),
        ("2026.11.20", dt.date(2026, 11, 20)),
        ("11-20", dt.date(2026, 11, 20)),
        ("11月20日", dt.date(2026, 11, 20)),
        ("二〇二六年十一月二十日", dt.date(2026, 11, 20)),
        ("二〇二六年一月五日", dt.date(2026, 1, 5)),
        ("二〇二五年十二月三十一日", dt.date(2025, 12, 31)),
        ("２０２６－１１－２０", dt.date(2026, 11, 20)),
        ("发布时间：2026-11-20 10:32:11 来源：县政府办", dt.date(2026, 11, 20)),
    ],
)
def test_formats(text, expected):
    assert parse_date(text, REF) == expected


def test_yearless_dates_resolve_to_the_latest_not_after_the_reference():
    assert parse_date("[12-01]", REF) == dt.date(2025, 12, 1)
    assert parse_date("11-22", REF) == dt.date(2026, 11, 22)
    assert parse_date("11-23", REF) == dt.date(2025, 11, 23)
    # Feb 29 goes back to the last leap year.
    assert parse_date("02-29", REF) == dt.date(2024, 2, 29)


@pytest.mark.parametrize(
    "text",
    [
        "2026-13-01",
        "2026-02-30",
        "[02-30]",
        "13月2日",
        "1989-01-01",
        "2028-01-01",
        "二〇二六年十三月一日",
        "1-10月全县固定资产投资",
        "电话：0791-86223344",
        "20-30人",
        "",
        "没有日期",
    ],
)
def test_rejected(text):
    assert parse_date(text, REF) is None


def test_next_year_is_allowed_for_future_dated_items():
    assert parse_date("2027-01-02", REF) == dt.date(2027, 1, 2)


def test_find_dates_in_order():
    text = "成文日期：2026年11月15日 发布日期：2026-11-18 [11-20] 二〇二六年十一月二日"
    assert find_dates(text, REF) == [
        dt.date(2026, 11, 15),
        dt.date(2026, 11, 18),
        dt.date(2026, 11, 20),
        dt.date(2026, 11, 2),
    ]


def test_title_with_year_month_range_is_not_a_date():
    assert find_dates("2026年1-10月经济运行情况", REF) == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://x.gov.cn/xwdt/202611/t20261118_123456.html", dt.date(2026, 11, 18)),
        ("http://www.gov.cn/zhengce/content/2017-06/08/content_5200760.htm", dt.date(2017, 6, 8)),
        ("http://www.baoji.gov.cn/art/2020/11/11/art_406_1230102.html", dt.date(2020, 11, 11)),
        ("http://x.gov.cn/xwdt/202611/abc.html", dt.date(2026, 11, 1)),
        ("http://x.gov.cn/show.asp?id=123", None),
        ("http://x.gov.cn/xwdt/202613/t20261318_1.html", None),
    ],
)
def test_url_dates(url, expected):
    assert date_from_url(url, REF) == expected
