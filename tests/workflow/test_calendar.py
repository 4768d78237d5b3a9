"""Working-day deadlines. Expected dates are worked out by hand from the 2026 holiday notice as the
chinese_calendar package records it (国庆/中秋: 9-25..9-27 and 10-1..10-7 off, 9-20 (Sun) and 10-10 (Sat)
worked; 春节: 2-15..2-23 off, 2-14 (Sat) and 2-28 (Sat) worked) and the plain week elsewhere."""

import datetime as dt

import pytest

from govinspect.workflow.calendar import (
    DEFAULT_TABLE,
    Deadline,
    HolidayTableError,
    WorkingCalendar,
    add_working_days,
    is_working_day,
    load_calendar,
    parse_table,
    working_days_between,
)

D = dt.date.fromisoformat


def test_package_data_is_the_2026_notice_we_hand_computed_from():
    # 调休 working weekend days and holidays on weekdays, straight from the package, as the premise.
    assert is_working_day(D("2026-10-10")) == (True, False)  # Saturday, worked
    assert is_working_day(D("2026-09-20")) == (True, False)  # Sunday, worked
    assert is_working_day(D("2026-10-05")) == (False, False)  # Monday, 国庆
    assert is_working_day(D("2026-09-25")) == (False, False)  # Friday, 中秋
    assert is_working_day(D("2026-02-23")) == (False, False)  # Monday, 春节
    assert is_working_day(D("2026-02-14")) == (True, False)  # Saturday, worked
    assert is_working_day(D("2026-11-07")) == (False, False)  # an ordinary Saturday


@pytest.mark.parametrize(
    "start, n, expected",
    [
        ("2026-09-29", 3, "2026-10-09"),  # Wed 9-30, then 国庆, then Thu 10-8, Fri 10-9
        ("2026-09-30", 3, "2026-10-10"),  # Thu 10-8, Fri 10-9, Sat 10-10 (调休 Saturday)
        ("2026-09-24", 1, "2026-09-28"),  # Fri 9-25 中秋, weekend, Mon 9-28
        ("2026-09-18", 1, "2026-09-20"),  # Sat 9-19 off, Sun 9-20 worked
        ("2026-02-12", 3, "2026-02-24"),  # Fri 2-13, Sat 2-14 worked, 春节 2-15..2-23, Tue 2-24
        ("2026-02-27", 1, "2026-02-28"),  # Sat 2-28 worked
        ("2026-11-27", 3, "2026-12-02"),  # Fri → Mon 11-30, Tue 12-1, Wed 12-2
        ("2026-11-27", 0, "2026-11-27"),
    ],
)
def test_add_working_days_2026(start, n, expected):
    assert add_working_days(D(start), n) == Deadline(D(expected), False)


def test_datetime_start_counts_from_its_date():
    assert add_working_days(dt.datetime(2026, 9, 30, 23, 59), 3).date == D("2026-10-10")


def test_2027_without_a_table_is_estimated_from_the_week():
    # 2026-12-31 is a Thursday the package knows; 2027-01-01 (Fri) is unknown: counted as working.
    deadline = add_working_days(D("2026-12-30"), 3)
    assert deadline == Deadline(D("2027-01-04"), True)
    assert deadline.label() == "2027年1月4日（估算）"
    assert is_working_day(D("2027-01-01")) == (True, True)
    assert is_working_day(D("2027-01-02")) == (False, True)
    # A deadline that stays inside 2026 is not estimated.
    assert add_working_days(D("2026-12-28"), 3) == Deadline(D("2026-12-31"), False)
    assert str(add_working_days(D("2026-12-28"), 3)) == "2026年12月31日"


def test_local_table_covers_2027(tmp_path):
    table = tmp_path / "h.yaml"
    table.write_text(
        "years:\n  2027:\n    source: 测试\n    holidays: [2027-01-01, '2027-02-06..2027-02-12']\n"
        "    workdays: [2027-02-14]\n",
        encoding="utf-8",
    )
    cal = load_calendar(table)
    # Thu 12-31 (1), Fri 1-1 off, weekend, Mon 1-4 (2), Tue 1-5 (3): no longer estimated.
    assert add_working_days(D("2026-12-30"), 3, cal) == Deadline(D("2027-01-05"), False)
    assert cal.is_working_day(D("2027-02-09")) == (False, False)  # inside the range
    assert cal.is_working_day(D("2027-02-14")) == (True, False)  # Sunday, worked
    assert cal.is_working_day(D("2027-02-13")) == (False, False)  # plain Saturday
    assert cal.local[2027].source == "测试"
    # 2028 is in neither: estimated.
    assert cal.is_working_day(D("2028-03-01")) == (True, True)


def test_local_year_replaces_the_package_for_that_year():
    cal = WorkingCalendar(parse_table({"years": {2026: {"holidays": ["2026-10-08"]}}}))
    assert cal.is_working_day(D("2026-10-01")) == (True, False)  # package says off; table says nothing
    assert cal.is_working_day(D("2026-10-08")) == (False, False)
    assert cal.is_working_day(D("2026-10-10")) == (False, False)  # Saturday, not listed as worked


def test_working_days_between():
    assert working_days_between(D("2026-09-30"), D("2026-10-10")).days == 3
    assert working_days_between(D("2026-10-10"), D("2026-09-30")).days == -3
    assert working_days_between(D("2026-10-01"), D("2026-10-01")).days == 0
    span = working_days_between(D("2026-12-31"), D("2027-01-04"))
    assert (span.days, span.estimated) == (2, True)  # Fri 1-1 (guessed working) and Mon 1-4


def test_shipped_table_loads_and_holds_no_invented_year():
    assert load_calendar(DEFAULT_TABLE).local == {}


@pytest.mark.parametrize(
    "data, message",
    [
        ({"years": {2027: {"holidays": ["2027-13-01"]}}}, "2027-13-01"),
        ({"years": {2027: {"holidays": ["2027-01-05..2027-01-01"]}}}, "2027-01-05..2027-01-01"),
        ({"years": {2027: {"holidays": ["2026-12-31"]}}}, "其他年份"),
        ({"years": {2027: {"holidays": ["2027-01-01"], "workdays": ["2027-01-01"]}}}, "同时列为放假和上班"),
        ({"years": {"二〇二七": {}}}, "年份"),
        ({"years": {2027: {"holidays": "2027-01-01"}}}, "日期列表"),
        (["2027-01-01"], "years"),
    ],
)
def test_bad_tables_are_named(data, message):
    with pytest.raises(HolidayTableError, match=message):
        parse_table(data)


def test_missing_or_broken_file(tmp_path):
    with pytest.raises(HolidayTableError, match="无法读取"):
        load_calendar(tmp_path / "none.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("years: [", encoding="utf-8")
    with pytest.raises(HolidayTableError, match="YAML"):
        load_calendar(bad)


def test_negative_days_refused():
    with pytest.raises(ValueError):
        add_working_days(D("2026-10-01"), -1)
