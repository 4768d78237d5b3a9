import datetime as dt

import pytest

from govinspect.workflow.accountability import (
    FORMS,
    SEVERITY,
    Record,
    RecordError,
    quarterly_counts,
    year_counts,
)

D = dt.date


def records():
    return [
        Record("张三", "杭州市教育局", "约谈", D(2026, 1, 10)),
        Record("张三", "杭州市教育局", "通报批评", D(2026, 2, 15)),  # same person, same quarter: heavier
        Record("张三", "杭州市教育局", "约谈", D(2026, 3, 1)),  # lighter again: still 通报批评
        Record("李四", "宁波市政府办公厅", "书面检查", D(2026, 3, 31)),
        Record("张三", "宁波市政府办公厅", "约谈", D(2026, 3, 1)),  # another 张三
        Record("王五", "温州市民政局", "调离岗位或免职", D(2026, 3, 5)),
        Record("王五", "温州市民政局", "辞退", D(2026, 3, 20)),
        Record("赵六", "丽水市政府办公厅", "党内警告", D(2026, 2, 2)),
        Record("赵六", " 丽水市政府办公厅", "警告或记过处分", D(2026, 2, 3)),  # stray space: same unit
        Record("张三", "杭州市教育局", "约谈", D(2026, 4, 1)),  # a new quarter counts again
        Record("钱七", "衢州市政府办公厅", "其他", D(2026, 12, 31)),
        Record("钱七", "衢州市政府办公厅", "停职", D(2025, 12, 31)),  # another year
    ]


def test_once_per_person_and_quarter_at_the_heaviest_form():
    q1, q2, q3, q4 = quarterly_counts(records(), 2026)
    assert q1.by_form == {
        "约谈": 1,  # 宁波's 张三
        "书面检查": 1,
        "通报批评": 1,  # 杭州's 张三
        "警告或记过处分": 1,  # 赵六
        "调离岗位或免职": 0,
        "辞退": 1,  # 王五
        "党内警告": 0,
        "停职": 0,
        "其他": 0,
    }
    assert q1.total == 5
    assert (q2.total, q2.by_form["约谈"]) == (1, 1)
    assert q3.total == 0
    assert (q4.total, q4.by_form["其他"]) == (1, 1)
    assert list(q1.by_form) == list(FORMS)  # shown in the official order
    assert year_counts([q1, q2, q3, q4]) == {
        **dict.fromkeys(FORMS, 0),
        "约谈": 2,
        "书面检查": 1,
        "通报批评": 1,
        "警告或记过处分": 1,
        "辞退": 1,
        "其他": 1,
    }
    # The record that counts for each 张三, by date: 杭州's 通报批评 (2-15), 宁波's 约谈 (3-1).
    assert [(r.unit, r.form) for r in q1.counted if r.person == "张三"] == [
        ("杭州市教育局", "通报批评"),
        ("宁波市政府办公厅", "约谈"),
    ]


def test_the_ranking_is_data():
    # A local rule ranking 党内警告 above the 政务处分: 赵六 now counts at 党内警告.
    local = tuple(f for f in SEVERITY if f != "党内警告") + ("党内警告",)
    q1 = quarterly_counts(records(), 2026, severity=local)[0]
    assert q1.by_form["党内警告"] == 1 and q1.by_form["警告或记过处分"] == 0
    with pytest.raises(RecordError, match="轻重顺序缺少"):
        quarterly_counts(records(), 2026, severity=SEVERITY[1:])


def test_bad_records_refused():
    with pytest.raises(RecordError, match="问责形式“批评”无效"):
        quarterly_counts([Record("张三", "某局", "批评", D(2026, 1, 1))], 2026)
    with pytest.raises(RecordError, match="缺少被问责人"):
        quarterly_counts([Record(" ", "某局", "约谈", D(2026, 1, 1))], 2026)


def test_published_quarter_adds_up():
    # 2017Q4 通报 (§6a): 116 约谈 + 17 书面检查 + 52 通报批评 + 2 调离岗位或免职 = 187 people.
    forms = ["约谈"] * 116 + ["书面检查"] * 17 + ["通报批评"] * 52 + ["调离岗位或免职"] * 2
    recs = [Record(f"p{i}", "某单位", form, D(2017, 11, 1)) for i, form in enumerate(forms)]
    q4 = quarterly_counts(recs, 2017)[3]
    assert q4.total == 187 and q4.by_form["通报批评"] == 52
