"""Run statistics on the three runs of sample_runs.py, counted by hand:

R2 (11 sites): pass s1 s3 s5 s6 s8 s10; fail s2 s4 s7 s9; s11 could not be checked → 6/10 = 60.00%.
R1 (8 sites): pass s1 s13 s14; fail s2 s4 s5 s12 s16 → 3/8 = 37.50%. 环比 +22.50 points.
"""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from govinspect.workflow.results import (
    FamilyProblems,
    FollowUp,
    Rate,
    RepeatFailure,
    Run,
    change_pp,
    run_stats,
)

from .sample_runs import site


def test_pass_rate_overall_and_by_level_region_department(runs):
    r0, r1, r2 = runs
    stats = run_stats(r2, [r1, r0])
    assert stats.overall == Rate(6, 10, 1)
    assert stats.overall.label() == "60.00%"
    assert [u.site_id for u in stats.unchecked] == ["s11"]
    # 省 s8 s10 pass, s9 fail; 市 s1 pass, s2 s4 fail; 县 s3 s5 s6 pass, s7 fail (s11 left out).
    assert stats.by_level == {"省": Rate(2, 3), "市": Rate(1, 3), "县": Rate(3, 4, 1)}
    assert list(stats.by_level) == ["省", "市", "县"]  # the official order of levels
    assert [stats.by_level[k].label() for k in stats.by_level] == ["66.67%", "33.33%", "75.00%"]
    # Regions leave out the provincial departments s8 and s9 (they form the 部门 table).
    assert stats.by_region == {
        "杭州": Rate(2, 3),
        "宁波": Rate(2, 3),
        "温州": Rate(0, 1, 1),
        "浙江省": Rate(1, 1),
    }
    assert stats.by_department == {"省教育厅": Rate(1, 1), "省民政厅": Rate(0, 1)}
    assert stats.sampled == 11 and stats.running == 200
    assert stats.sample_share == Decimal("5.50")


def test_month_on_month_change(runs):
    r0, r1, r2 = runs
    stats = run_stats(r2, [r0, r1])  # the order of the history does not matter
    assert stats.previous.id == "R1"
    assert stats.previous_rate == Rate(3, 8)
    assert stats.change_pp == Decimal("22.50")
    assert run_stats(r2).change_pp is None
    # From exact fractions, rounded once: 2/3 − 1/3 = 33.33 points, not 66.67 − 33.33 = 33.34.
    assert change_pp(Rate(2, 3), Rate(1, 3)) == Decimal("33.33")
    assert change_pp(Rate(82, 100), Rate(116, 120)) == Decimal("-14.67")
    assert Rate(116, 120).label() == "96.67%"
    assert Rate(634, 746).label() == "84.99%"  # (746−112)/746, published as 85%


def test_failing_sites_list_with_vetoes_and_main_problems(runs):
    r0, r1, r2 = runs
    failing = run_stats(r2, [r0, r1]).failing
    assert [f.site_id for f in failing] == ["s4", "s2", "s9", "s7"]  # by region, then name
    s4 = failing[0]
    assert s4.vetoes == ("空白栏目",)
    # Veto first, then deductions by points; at most three.
    assert s4.main_problems == ("空白栏目6个", "未展示ICP备案编号", "其他页面链接不可用1个")
    s7 = failing[3]
    assert s7.vetoes == ()
    assert s7.main_problems == ("首页链接不可用3个", "未展示ICP备案编号", "错别字1处")  # info left out
    assert {f.site_id: f.times_failed for f in failing} == {"s4": 2, "s2": 3, "s9": 1, "s7": 1}


def test_repeat_failures(runs):
    r0, r1, r2 = runs
    assert run_stats(r2, [r1, r0]).repeat_failures == (
        RepeatFailure("s4", "宁波市政府", ("R1", "R2")),
        RepeatFailure("s2", "杭州市教育局", ("R0", "R1", "R2")),
    )


def test_follow_up_of_last_runs_failing_sites(runs):
    r0, r1, r2 = runs
    rechecks = {"s12": site("s12", "鹿城区政府", "pass", "温州", "县")}
    assert run_stats(r2, [r0, r1], rechecks).follow_up == (
        FollowUp("s16", "奉化区政府", "未复查"),
        FollowUp("s4", "宁波市政府", "整改不到位", "R2"),
        FollowUp("s5", "象山县政府", "已整改", "R2"),
        FollowUp("s2", "杭州市教育局", "整改不到位", "R2"),
        FollowUp("s12", "鹿城区政府", "已整改", "复查"),
    )
    # A 复查 result wins over the site's result in this run.
    fixed = {"s2": site("s2", "杭州市教育局", "pass", "杭州", "市")}
    by_id = {f.site_id: f for f in run_stats(r2, [r1], fixed).follow_up}
    assert by_id["s2"] == FollowUp("s2", "杭州市教育局", "已整改", "复查")


def test_main_problems_by_indicator_family(runs):
    _, _, r2 = runs
    families = run_stats(r2).families
    assert families == (
        FamilyProblems(
            "网站可用性", 2, 2, (("文成县政府", "首页链接不可用3个"), ("宁波市政府", "其他页面链接不可用1个"))
        ),
        FamilyProblems(
            "信息更新", 2, 2, (("杭州市教育局", "首页超过14天未更新"), ("宁波市政府", "空白栏目6个"))
        ),
        FamilyProblems("互动回应", 1, 1, (("浙江省民政厅", "留言超过3个月未回复"),)),
        FamilyProblems(
            "内容准确", 2, 2, (("杭州市教育局", "错别字“届时”误为“界时”"), ("文成县政府", "错别字1处"))
        ),
        FamilyProblems(
            "规范", 2, 2, (("宁波市政府", "未展示ICP备案编号"), ("文成县政府", "未展示ICP备案编号"))
        ),
    )


def test_runs_of_another_kind_are_refused(runs):
    r0, _, r2 = runs
    with pytest.raises(ValueError, match="同类"):
        run_stats(r2, [replace(r0, kind="季度抽查")])


def test_empty_run_has_no_rate():
    stats = run_stats(Run("E", "月度抽查", dt.date(2026, 11, 1), ()))
    assert stats.overall.label() == "—" and stats.sample_share is None and stats.failing == ()
