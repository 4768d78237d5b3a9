"""Pre-veto warnings (§9d): each fires between its warning line and its veto, and only then."""

import datetime as dt

import pytest

from govinspect.model import Finding, Inspection
from govinspect.monitor.alerts import SiteMonitorState, observe
from govinspect.monitor.warnings import SECTION_9D, WarningThresholds, pre_veto_warnings
from govinspect.monitor.window import availability

from .helpers import T0, every, probe

AS_OF = dt.date(2026, 12, 8)
NOW = T0 + dt.timedelta(days=7)
SITE = "http://www.mm.gov.cn/"


def week(failures: int, per_day: int = 24):
    """A week of probes (per_day a day), the first `failures` of them timed out."""
    minutes = 24 * 60 // per_day
    probes = every(T0, minutes, per_day * 7)
    return [probe(p.at, "timeout") if i < failures else p for i, p in enumerate(probes)]


def inspection(findings=(), vetoes=()):
    return Inspection(
        site_name="某某县人民政府网",
        url=SITE,
        host="www.mm.gov.cn",
        as_of=AS_OF,
        rubric="gov-2019",
        verdict="pass",
        score=90,
        findings=list(findings),
        vetoes=list(vetoes),
    )


def columns(check, n):
    return [Finding(check=check, message="", url=f"{SITE}c{i}/", column=f"栏目{i}") for i in range(n)]


def codes(warnings):
    return [w.code for w in warnings]


@pytest.mark.parametrize(
    ("failures", "expected"),
    [(5, []), (6, ["warning.unreachable"]), (8, ["warning.unreachable"]), (9, [])],
)
def test_failure_share_between_3_and_5_percent(failures, expected):
    # 168 probes: 5 = 2.98 % (under), 6 = 3.57 %, 8 = 4.76 %, 9 = 5.36 % (the veto, not a warning).
    avail = availability(week(failures), now=NOW)
    warnings = pre_veto_warnings(thresholds=SECTION_9D, as_of=AS_OF, url=SITE, availability=avail)
    assert codes(warnings) == expected


def test_failure_share_message_and_provisional_window():
    avail = availability(week(9)[:100], now=NOW)  # 4 days only: provisional, 9 %
    [warning] = pre_veto_warnings(thresholds=SECTION_9D, as_of=AS_OF, url=SITE, availability=avail)
    assert warning.message == (
        "首页不连通率9.0%，超过预警线3%（达到5%即单项否决）：100次监测中9次无法打开（监测未满一周，结果为暂定）"
    )
    assert warning.evidence["final"] is False and len(warning.evidence["errors"]) == 9


def test_too_few_probes_say_nothing():
    avail = availability(week(3)[:10], now=NOW)
    assert pre_veto_warnings(thresholds=SECTION_9D, as_of=AS_OF, availability=avail) == []


@pytest.mark.parametrize(("days", "warned"), [(10, False), (11, True), (14, True), (15, False)])
def test_home_page_age(days, warned):
    latest = AS_OF - dt.timedelta(days=days)
    warnings = pre_veto_warnings(thresholds=SECTION_9D, as_of=AS_OF, url=SITE, home_latest=latest)
    assert codes(warnings) == (["warning.home_stale"] if warned else [])
    if warned:
        assert warnings[0].message.startswith(f"首页已{days}天未更新（最新信息发布于{latest.isoformat()}）")


def test_home_age_unknown_is_not_a_warning():
    assert pre_veto_warnings(thresholds=SECTION_9D, as_of=AS_OF, inspection=inspection()) == []


@pytest.mark.parametrize(("n", "warned"), [(2, False), (3, True), (4, True), (5, False)])
def test_blank_columns(n, warned):
    insp = inspection(columns("column.empty", n))
    warnings = pre_veto_warnings(thresholds=SECTION_9D, as_of=AS_OF, inspection=insp)
    assert codes(warnings) == (["warning.blank_columns"] if warned else [])
    if warned:
        assert warnings[0].message.startswith(f"空白栏目{n}个，超过预警线2个（达到5个即单项否决）：栏目0")


@pytest.mark.parametrize(("n", "warned"), [(6, False), (7, True), (9, True), (10, False)])
def test_stale_columns_of_every_class_count(n, warned):
    mixed = (
        columns("column.stale_dynamic", 2)
        + columns("column.stale_policy", 2)
        + columns("column.stale_long", n - 4)
    )
    insp = inspection(mixed)
    assert codes(pre_veto_warnings(thresholds=SECTION_9D, as_of=AS_OF, inspection=insp)) == (
        ["warning.stale_columns"] if warned else []
    )


def test_a_reached_veto_replaces_its_warning():
    insp = inspection(
        columns("column.stale_dynamic", 5) + columns("column.stale_long", 2), vetoes=["column.stale_dynamic"]
    )
    assert pre_veto_warnings(thresholds=SECTION_9D, as_of=AS_OF, inspection=insp) == []


def test_thresholds_are_parameters():
    strict = WarningThresholds(0.01, 0.05, 5, 14, 0, 5, 1, 10)
    insp = inspection(columns("column.empty", 1) + columns("column.stale_long", 2))
    warnings = pre_veto_warnings(
        thresholds=strict, as_of=AS_OF, inspection=insp, home_latest=AS_OF - dt.timedelta(days=6)
    )
    assert codes(warnings) == ["warning.home_stale", "warning.blank_columns", "warning.stale_columns"]


def test_warnings_feed_the_alert_state_once():
    insp = inspection(columns("column.empty", 3))
    warnings = pre_veto_warnings(thresholds=SECTION_9D, as_of=AS_OF, inspection=insp)
    state = SiteMonitorState(site="mm", name="某某县人民政府网", url=SITE)
    at = dt.datetime(2026, 12, 8, 1, tzinfo=dt.UTC)
    state, first = observe(state, [w.issue() for w in warnings], at=at)
    state, second = observe(state, [w.issue() for w in warnings], at=at + dt.timedelta(days=1))
    assert [a.kind for a in first] == ["warning"] and second == []
    assert "空白栏目3个" in first[0].message


def test_unreachable_veto_issue_only_on_a_covered_week():
    from govinspect.monitor.warnings import unreachable_issue

    final = availability(week(9), now=NOW)  # 9 / 168 = 5.4 %, 24 a day
    issue = unreachable_issue(final, SITE, veto_share=0.05)
    assert issue.key == "veto:site.unreachable"
    assert issue.reason == "首页在168次监测中9次无法打开，占比5.4%（达到5%即单项否决）"
    assert unreachable_issue(availability(week(8), now=NOW), SITE, veto_share=0.05) is None  # 4.8 %
    thin = availability(week(9)[:100], now=NOW)  # 9 % but only 4 days
    assert unreachable_issue(thin, SITE, veto_share=0.05) is None
