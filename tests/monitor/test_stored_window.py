"""site.unreachable on the monitor's stored probes: the window rules (maintenance left out, final
when every day of the week holds 20 counted probes); a run's own probes keep the old rule."""

import datetime as dt

from govinspect.checks import CheckContext, availability_summary, run_checks
from govinspect.model import Probe, SiteModel
from govinspect.rules import load_rubric

CTX = CheckContext(as_of=dt.date(2026, 12, 1), rubric=load_rubric("gov-2019"))
END = dt.datetime(2026, 12, 1, 8, 0)


def week(per_day: int, failed_every: int = 0, skip_day: int | None = None) -> list[Probe]:
    probes = []
    for day in range(7):
        if day == skip_day:
            continue
        for i in range(per_day):
            at = END - dt.timedelta(days=7 - day) + dt.timedelta(minutes=30 * i + 1)
            ok = not (failed_every and i % failed_every == 0)
            probes.append(
                Probe(
                    at,
                    ok,
                    0.1,
                    502 if not ok else 200,
                    None if ok else "首页返回服务器错误（HTTP 502）",
                    source="monitor",
                    outcome="ok" if ok else "http_5xx",
                )
            )
    return probes


def unreachable(probes):
    site = SiteModel(url="http://www.mm.gov.cn/", host="www.mm.gov.cn", probes=probes)
    return [f for f in run_checks(site, CTX) if f.check == "site.unreachable"]


def test_a_covered_week_of_monitor_probes_is_final():
    probes = week(24, failed_every=6)  # 4 of 24 a day fail: 16.7 %
    [finding] = unreachable(probes)
    assert finding.evidence["provisional"] is False
    assert (finding.evidence["probes"], finding.evidence["failures"]) == (168, 28)
    assert "暂定" not in finding.message
    assert "持续监测" in finding.evidence["errors"][0]


def test_a_missing_day_leaves_the_week_provisional():
    [finding] = unreachable(week(24, failed_every=6, skip_day=3))
    assert finding.evidence["provisional"] is True and "暂定" in finding.message


def test_maintenance_probes_are_left_out():
    probes = week(24)
    notice = "网站显示维护或关停公告（“临时关停”，HTTP 200）"
    probes += [
        Probe(
            END - dt.timedelta(hours=1, minutes=i),
            True,
            0.1,
            200,
            notice,
            source="monitor",
            outcome="maintenance",
        )
        for i in range(5)
    ]
    summary = availability_summary(
        SiteModel(url="http://www.mm.gov.cn/", host="www.mm.gov.cn", probes=probes), CTX
    )
    assert (summary["probes"], summary["failures"], summary["excluded"]) == (168, 0, 5)
    assert summary["provisional"] is False


def test_a_single_runs_probes_keep_the_old_rule():
    at = dt.datetime(2026, 11, 30, 9)
    probes = [Probe(at, False, 15.0, None, "超时"), Probe(at, True, 0.2), Probe(at, True, 0.2)]
    [finding] = unreachable(probes)
    assert finding.evidence["probes"] == 3 and finding.evidence["provisional"] is True
