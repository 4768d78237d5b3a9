"""The alert state machine: one alert per transition, flapping once, maintenance silent, restart-safe."""

import datetime as dt
import json

from govinspect.monitor.alerts import AlertSettings, Issue, SiteMonitorState, observe, step

from .helpers import T0, URL, probe

STEP = dt.timedelta(minutes=30)
CODES = {".": "ok", "x": "timeout", "5": "http_5xx", "m": "maintenance", "c": "challenged"}


def new_state() -> SiteMonitorState:
    return SiteMonitorState(site="mm", name="某某县人民政府网", url=URL)


def feed(pattern: str, state=None, start=T0, **kwargs):
    """Probe results written as characters (see CODES), one every 30 minutes.
    Returns (state, [(probe index, alert), …])."""
    state = state or new_state()
    out = []
    for i, char in enumerate(pattern.replace(" ", "")):
        state, alerts = step(state, probe(start + i * STEP, CODES[char]), **kwargs)
        out += [(i, a) for a in alerts]
    return state, out


def kinds(alerts):
    return [(i, a.kind) for i, a in alerts]


def test_steady_up_site_never_alerts():
    assert feed("." * 50)[1] == []


def test_one_failed_probe_is_not_an_outage():
    # Isolated failures 12 probes apart: never 2 in a row, at most 4 changes among any 20 probes.
    assert feed("...x" + "...........x" * 3 + "...")[1] == []


def test_isolated_failures_close_together_are_flapping():
    # Failures at 3, 13, 22, 30: the last 20 probes (12..31) hold 6 changes > 25 % of 20.
    _, alerts = feed("...x.........x........x.......x...")
    assert kinds(alerts) == [(31, "flapping")]


def test_down_after_two_failures_then_recovered_after_two_successes_exactly_once():
    state, alerts = feed("... xxxxxx ...... x .")
    assert kinds(alerts) == [(4, "down"), (10, "recovered")]
    down, recovered = alerts[0][1], alerts[1][1]
    assert down.since == T0 + 3 * STEP  # the first failed probe
    assert down.reason == "超过15秒首页仍未打开"
    assert down.evidence_url == URL
    # Chinese message: site name, what happened, since when (China time), the failure reason.
    assert down.message.startswith(
        "【政府网站监测】某某县人民政府网首页无法访问，连续2次监测失败（自2026-12-01 09:30起）"
    )
    assert "原因：超过15秒首页仍未打开" in down.message
    assert recovered.since == T0 + 9 * STEP
    assert "首页已恢复访问" in recovered.message
    assert "此前自2026-12-01 09:30起无法访问约3小时" in recovered.message
    assert state.status == "up"


def test_a_site_first_seen_down_is_alerted_and_first_seen_up_is_not():
    assert kinds(feed("xx")[1]) == [(1, "down")]
    assert kinds(feed("..")[1]) == []


def test_thresholds_are_settings():
    settings = AlertSettings(down_after=3, recover_after=1)
    assert kinds(feed("xx.xxx.", settings=settings)[1]) == [(5, "down"), (6, "recovered")]


def test_challenged_probes_are_not_failures():
    assert feed("...cccc...")[1] == []


def test_alternating_results_give_one_flapping_alert_and_then_silence():
    state, alerts = feed(".x" * 30)
    # Singles never reach the 2-failure threshold; changes reach 6 of the last 20 at probe 6.
    assert kinds(alerts) == [(6, "flapping")]
    assert "不稳定" in alerts[0][1].message and "状态变化6次" in alerts[0][1].message
    assert state.flapping is True


def test_flapping_with_real_outages_suppresses_down_and_recovered_until_it_settles():
    state, alerts = feed("xx..xx..xx..xx..xx..xx..")
    # Each outage alerts until the 6th change among the last 20 probes (at probe 12); then silence.
    assert kinds(alerts) == [
        (1, "down"),
        (3, "recovered"),
        (5, "down"),
        (7, "recovered"),
        (9, "down"),
        (11, "recovered"),
        (12, "flapping"),
    ]
    # Steady from probe 22: the last 20 probes hold ≤ 2 changes from probe 37 on (window 18..37 holds
    # the changes 19→20 and 21→22 only) -> one recovered, stable again.
    state, later = feed("." * 30, state=state, start=T0 + 24 * STEP)
    assert kinds(later) == [(37 - 24, "recovered")]
    assert "恢复稳定" in later[0][1].message
    assert state.flapping is False
    # And the ordinary rules apply again.
    _, again = feed("xx", state=state, start=T0 + 60 * STEP)
    assert kinds(again) == [(1, "down")]


def test_flapping_that_settles_down_is_reported_down():
    state, _ = feed(".x" * 10)
    _, alerts = feed("x" * 25, state=state, start=T0 + 20 * STEP)
    assert [a.kind for _, a in alerts] == ["down"]
    assert "仍无法访问" in alerts[0][1].message


def test_maintenance_notice_probes_suppress_alerts_and_keep_counters():
    state, alerts = feed("... x mmmm x ...")
    # The notice probes are skipped: the two failures around them are consecutive.
    assert kinds(alerts) == [(8, "down"), (10, "recovered")]


def test_declared_maintenance_window_suppresses_alerts():
    state, alerts = feed("xxxxxx", in_maintenance=True)
    assert alerts == [] and state.status == "unknown"


def test_state_survives_a_restart_at_any_point():
    pattern = "...xxx..x.x.x.x.x.x.x....................xx....."
    _, straight = feed(pattern)
    for cut in range(1, len(pattern)):
        state, first = feed(pattern[:cut])
        restored = SiteMonitorState.from_dict(json.loads(json.dumps(state.to_dict())))
        _, second = feed(pattern[cut:], state=restored, start=T0 + cut * STEP)
        joined = [(i, a.kind, a.since) for i, a in first] + [(i + cut, a.kind, a.since) for i, a in second]
        assert joined == [(i, a.kind, a.since) for i, a in straight], cut


def test_step_does_not_mutate_its_input():
    state = new_state()
    before = state.to_dict()
    step(state, probe(T0, "timeout"))
    assert state.to_dict() == before


def test_alert_ids_are_stable_and_round_trip():
    _, alerts = feed("xx")
    alert = alerts[0][1]
    assert alert.id == f"mm|down||{(T0).isoformat()}"
    from govinspect.monitor.alerts import Alert

    assert Alert.from_dict(json.loads(json.dumps(alert.to_dict()))) == alert


SPAM = Issue(
    "spam", "spam:http://www.mm.gov.cn/a/1.html", "页面含赌博暗链“澳门皇冠”", "http://www.mm.gov.cn/a/1.html"
)
VETO = Issue("veto", "veto:column.empty", "空白栏目5个（超过(含)5个即单项否决）")


def test_issues_alert_once_when_they_appear():
    state = new_state()
    day = dt.timedelta(days=1)
    state, first = observe(state, [SPAM, VETO], at=T0)
    assert [a.kind for a in first] == ["spam", "veto"]
    assert first[0].evidence_url == "http://www.mm.gov.cn/a/1.html"
    assert "某某县人民政府网发现疑似违规内容" in first[0].message and "澳门皇冠" in first[0].message
    assert first[1].evidence_url == URL  # no page of its own: the site
    state, second = observe(state, [SPAM, VETO], at=T0 + day)
    assert second == []
    # The spam is gone, then back: a new alert. The veto was not checked this time: kept.
    state, third = observe(state, [], at=T0 + 2 * day, checked=["spam"])
    state, fourth = observe(state, [SPAM, VETO], at=T0 + 3 * day)
    assert third == [] and [a.kind for a in fourth] == ["spam"]


def test_issues_are_silent_in_maintenance():
    state, alerts = observe(new_state(), [SPAM], at=T0, in_maintenance=True)
    assert alerts == [] and state.issues == {}


def test_issues_from_an_inspection():
    from govinspect.model import Finding, Inspection
    from govinspect.monitor.alerts import issues_from_inspection

    spam_url = "http://www.mm.gov.cn/a/1.html"
    findings = [
        Finding("security.spam_injection", "页面含赌博暗链", url=spam_url),
        Finding("column.empty", "栏目“通知公告”为空白栏目", url="http://www.mm.gov.cn/tzgg/"),
        Finding("column.empty", "栏目“人事信息”为空白栏目", url="http://www.mm.gov.cn/rs/"),
    ]
    insp = Inspection(
        site_name="某某县人民政府网",
        url=URL,
        host="www.mm.gov.cn",
        as_of=dt.date(2026, 12, 1),
        rubric="gov-2019",
        verdict="fail",
        score=0,
        findings=findings,
        vetoes=["security.spam_injection", "column.empty"],
    )
    issues = issues_from_inspection(insp)
    assert issues == [
        Issue("spam", f"spam:{spam_url}", "页面含赌博暗链", spam_url),
        Issue("veto", "veto:column.empty", "栏目“通知公告”为空白栏目等2项", "http://www.mm.gov.cn/tzgg/"),
    ]
