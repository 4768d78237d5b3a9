"""availability(): hand-computed shares, the coverage rule, maintenance exclusion."""

import datetime as dt

import pytest

from govinspect.monitor.window import availability

from .helpers import T0, every, probe

NOW = T0 + dt.timedelta(days=7)
HOUR = dt.timedelta(hours=1)


def week_hourly(failed_hours: set[int], outcome: str = "timeout"):
    """168 hourly probes over [T0, NOW), the given hours failed."""
    return [probe(T0 + h * HOUR, outcome if h in failed_hours else "ok") for h in range(168)]


def test_eight_failures_in_168_is_under_five_percent():
    result = availability(week_hourly({1, 2, 3, 30, 31, 100, 150, 167}), now=NOW)
    assert (result.probes, result.failures) == (168, 8)
    assert result.share == pytest.approx(8 / 168)  # 4.76 %
    assert result.final is True
    assert result.per_day == [24] * 7
    assert result.reached is False
    assert [p.at for p in result.failures_list] == [T0 + h * HOUR for h in (1, 2, 3, 30, 31, 100, 150, 167)]


def test_nine_failures_in_168_reaches_the_veto():
    result = availability(week_hourly(set(range(9))), now=NOW)
    assert result.failures == 9
    assert result.reached is True  # 5.36 %


def test_exactly_five_percent_counts_as_reached():
    # 20 probes a day (every 72 min) = 140 probes; 7 failures = 5.00 % ("超过(含)").
    probes = every(T0, 72, 140)
    for i in (0, 20, 40, 60, 80, 100, 120):
        probes[i] = probe(probes[i].at, "http_5xx")
    result = availability(probes, now=NOW)
    assert (result.probes, result.failures, result.per_day) == (140, 7, [20] * 7)
    assert result.final is True and result.reached is True
    six = availability([p for i, p in enumerate(probes) if i != 120], now=NOW)
    assert (six.probes, six.failures, six.final, six.reached) == (139, 6, False, False)  # day 7 has 19


def test_one_thin_day_keeps_the_result_provisional():
    probes = every(T0, 72, 140)
    del probes[45]  # day 3 (probes 40..59) keeps 19
    result = availability(probes, now=NOW)
    assert result.per_day == [20, 20, 19, 20, 20, 20, 20]
    assert result.final is False
    assert result.summary()["provisional"] is True


def test_probes_outside_the_window_are_ignored():
    probes = week_hourly(set()) + [
        probe(T0 - dt.timedelta(seconds=1), "timeout"),  # before the window
        probe(NOW, "timeout"),  # the window is [start, now)
    ]
    result = availability(probes, now=NOW)
    assert (result.probes, result.failures) == (168, 0)


def test_challenged_probes_count_as_up():
    probes = week_hourly(set(range(20)), outcome="challenged")
    result = availability(probes, now=NOW)
    assert (result.probes, result.failures, result.share) == (168, 0, 0.0)


def test_maintenance_probes_and_declared_windows_are_excluded_and_listed():
    probes = week_hourly({10, 11}, outcome="maintenance")  # notice pages shown
    probes[50] = probe(T0 + 50 * HOUR, "timeout")  # inside the declared window below
    probes[51] = probe(T0 + 51 * HOUR, "timeout")
    probes[100] = probe(T0 + 100 * HOUR, "timeout")  # a real failure
    declared = [(T0 + 50 * HOUR, T0 + 52 * HOUR)]
    result = availability(probes, now=NOW, maintenance=declared)
    assert [p.at for p in result.excluded] == [T0 + h * HOUR for h in (10, 11, 50, 51)]
    assert (result.probes, result.failures) == (164, 1)
    assert result.per_day == [22, 24, 22, 24, 24, 24, 24]  # hours 10-11 on day 1, 50-51 on day 3
    assert result.share == pytest.approx(1 / 164)


def test_evidence_lines_are_in_china_time():
    result = availability(week_hourly({0}), now=NOW)
    assert result.evidence() == ["2026-12-01 08:00:00 超过15秒首页仍未打开（http://www.mm.gov.cn/）"]


def test_no_probes():
    result = availability([], now=NOW)
    assert (result.probes, result.share, result.final, result.reached) == (0, 0.0, False, False)
    assert result.summary()["required"] == 140
