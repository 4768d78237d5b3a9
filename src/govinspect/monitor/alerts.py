"""The alert state machine: one alert per state change, never one per probe.

`step(state, probe)` feeds one probe; `observe(state, issues, at=…)` feeds what the daily checks and
inspections found (spam, defacement, vetoes, warnings). Both are pure: they return a new state and
the alerts to send. The state is a plain dataclass that goes to and from a JSON-ready dict, so the
daemon can keep it in the store and pick up after a restart exactly where it stopped.

Availability:
* down after `down_after` consecutive failed probes (default 2), recovered after `recover_after`
  consecutive successes (default 2); a site first seen down is alerted, a site first seen up is not.
* flapping: among the last `flap_window` probes (default 20), more than `flap_start` × window
  changes between consecutive results (> 5 of 20) ⇒ one 不稳定 alert, then no down/recovered alerts
  until the changes fall to `flap_stop` × window or fewer (≤ 2 of 20); the site is then reported in
  its current state (down, or recovered).
* maintenance (a declared window, or a probe that saw a 临时关停/维护 notice) suppresses alerts and
  leaves the counters as they were.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from govinspect.model import Inspection
from govinspect.monitor.probe import ProbeResult

CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")

AlertKind = Literal["down", "recovered", "flapping", "spam", "defacement", "veto", "warning"]
IssueKind = Literal["spam", "defacement", "veto", "warning"]
ISSUE_KINDS: tuple[IssueKind, ...] = ("spam", "defacement", "veto", "warning")
KIND_NAMES = {
    "down": "无法访问",
    "recovered": "恢复访问",
    "flapping": "不稳定",
    "spam": "发现违规内容",
    "defacement": "疑似被篡改",
    "veto": "出现单项否决问题",
    "warning": "预警",
}


def china_time(at: dt.datetime) -> str:
    return f"{at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}"


def _duration(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [
        f"{days}天" if days else "",
        f"{hours}小时" if hours else "",
        f"{minutes}分钟" if minutes else "",
    ]
    return "".join(parts) or "不到1分钟"


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    site: str  # site id (the daemon's key; the home URL when there is no other)
    site_name: str
    since: dt.datetime  # when the new state began
    reason: str  # Chinese
    evidence_url: str
    message: str  # Chinese, complete: site name, what happened, since when, evidence link
    at: dt.datetime  # when the alert was raised
    key: str = ""  # the issue key for spam/defacement/veto/warning alerts

    @property
    def id(self) -> str:
        """Stable identity: the same transition always gives the same id (outbox de-duplication)."""
        return f"{self.site}|{self.kind}|{self.key}|{self.since.isoformat()}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["since"], data["at"] = self.since.isoformat(), self.at.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Alert:
        return cls(
            **{
                **data,
                "since": dt.datetime.fromisoformat(data["since"]),
                "at": dt.datetime.fromisoformat(data["at"]),
            }
        )


@dataclass(frozen=True)
class Issue:
    """Something a check found that deserves one alert when it first appears."""

    kind: IssueKind
    key: str  # stable per problem, e.g. "veto:column.empty" or "spam:http://…/x.html"
    reason: str  # Chinese
    evidence_url: str = ""


@dataclass(frozen=True)
class AlertSettings:
    down_after: int = 2
    recover_after: int = 2
    flap_window: int = 20
    flap_start: float = 0.25  # flapping when changes > flap_start × flap_window
    flap_stop: float = 0.10  # settled when changes ≤ flap_stop × flap_window


@dataclass
class SiteMonitorState:
    site: str
    name: str
    url: str
    status: Literal["unknown", "up", "down"] = "unknown"  # confirmed by the streak thresholds
    status_since: str | None = None  # ISO time the confirmed status began
    announced: Literal["up", "down", "flapping"] = "up"  # what recipients were last told
    flapping: bool = False
    streak_ok: bool | None = None  # result of the current run of equal probe results
    streak: int = 0
    streak_since: str | None = None
    last_failure: dict[str, Any] | None = None  # {at, reason, url, outcome}
    history: list[list[Any]] = field(default_factory=list)  # [[ISO time, ok], …], last flap_window
    issues: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> {kind, since (ISO)}

    def to_dict(self) -> dict[str, Any]:
        return copy.deepcopy(asdict(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SiteMonitorState:
        return cls(**copy.deepcopy(data))


def _changes(history: list[list[Any]]) -> int:
    return sum(1 for a, b in zip(history, history[1:], strict=False) if a[1] != b[1])


def _alert(
    state: SiteMonitorState,
    kind: AlertKind,
    since: dt.datetime,
    at: dt.datetime,
    what: str,
    reason: str,
    evidence_url: str,
    key: str = "",
) -> Alert:
    name = state.name or state.site
    message = f"【政府网站监测】{name}{what}（自{china_time(since)}起）。"
    if reason:
        message += f"原因：{reason}。"
    if evidence_url:
        message += f"证据：{evidence_url}"
    return Alert(kind, state.site, name, since, reason, evidence_url, message.rstrip("。") + "。", at, key)


def _down_alert(state: SiteMonitorState, at: dt.datetime, settled: bool = False) -> Alert:
    failure = state.last_failure or {}
    since = dt.datetime.fromisoformat(state.status_since or at.isoformat())
    what = "首页访问不稳定的状态已结束，首页仍无法访问" if settled else "首页无法访问"
    if not settled:
        what += f"，连续{state.streak}次监测失败"
    return _alert(state, "down", since, at, what, failure.get("reason", ""), failure.get("url", state.url))


def _recovered_alert(
    state: SiteMonitorState, at: dt.datetime, down_since: str | None, settled: bool = False
) -> Alert:
    since = dt.datetime.fromisoformat(state.status_since or at.isoformat())
    if settled:
        what = "首页访问已恢复稳定"
    else:
        what = f"首页已恢复访问，连续{state.streak}次监测正常"
        if down_since:
            outage = since - dt.datetime.fromisoformat(down_since)
            what += (
                f"，此前自{china_time(dt.datetime.fromisoformat(down_since))}起无法访问约{_duration(outage)}"
            )
    return _alert(state, "recovered", since, at, what, "", state.url)


def step(
    state: SiteMonitorState,
    probe: ProbeResult,
    *,
    settings: AlertSettings = AlertSettings(),  # noqa: B008 - frozen, shared safely
    in_maintenance: bool = False,
) -> tuple[SiteMonitorState, list[Alert]]:
    """Feed one probe; returns the new state and the alerts this probe triggers (usually none)."""
    new = SiteMonitorState.from_dict(state.to_dict())
    if in_maintenance or probe.outcome == "maintenance":
        return new, []  # 临时关停/declared window: no alert, counters untouched
    at = probe.at.isoformat()
    if new.streak_ok is probe.ok:
        new.streak += 1
    else:
        new.streak_ok, new.streak, new.streak_since = probe.ok, 1, at
    if not probe.ok:
        new.last_failure = {"at": at, "reason": probe.reason, "url": probe.url, "outcome": probe.outcome}
    new.history = [*new.history, [at, probe.ok]][-settings.flap_window :]

    previous, down_since = new.status, None
    if probe.ok and new.streak >= settings.recover_after and new.status != "up":
        down_since = new.status_since if new.status == "down" else None
        new.status, new.status_since = "up", new.streak_since
    elif not probe.ok and new.streak >= settings.down_after and new.status != "down":
        new.status, new.status_since = "down", new.streak_since

    alerts: list[Alert] = []
    changes = _changes(new.history)
    if not new.flapping and changes > settings.flap_start * settings.flap_window:
        new.flapping, new.announced = True, "flapping"
        first_change = next(b[0] for a, b in zip(new.history, new.history[1:], strict=False) if a[1] != b[1])
        failure = (new.last_failure or {}).get("reason", "")
        what = f"首页访问不稳定：最近{len(new.history)}次监测中状态变化{changes}次，在恢复稳定前不再逐次告警"
        alerts.append(
            _alert(
                new,
                "flapping",
                dt.datetime.fromisoformat(first_change),
                probe.at,
                what,
                f"最近一次失败：{failure}" if failure else "",
                new.url,
            )
        )
        return new, alerts
    if new.flapping:
        if changes > settings.flap_stop * settings.flap_window or new.status == "unknown":
            return new, alerts  # still unstable: suppressed
        new.flapping = False
        if new.status == "down":
            alerts.append(_down_alert(new, probe.at, settled=True))
        else:
            alerts.append(_recovered_alert(new, probe.at, None, settled=True))
        new.announced = new.status
        return new, alerts
    if new.status != previous and new.status != new.announced:
        if new.status == "down":
            alerts.append(_down_alert(new, probe.at))
        elif new.announced == "down":
            alerts.append(_recovered_alert(new, probe.at, down_since))
        new.announced = new.status
    return new, alerts


_ISSUE_WHAT = {
    "spam": "发现疑似违规内容（赌博、色情等暗链或页面）",
    "defacement": "首页疑似被篡改",
    "veto": "出现单项否决问题",
    "warning": "出现预警（尚未达到单项否决）",
}


def observe(
    state: SiteMonitorState,
    issues: Iterable[Issue],
    *,
    at: dt.datetime,
    checked: Iterable[IssueKind] = ISSUE_KINDS,
    in_maintenance: bool = False,
    scope: tuple[str, ...] | None = None,
) -> tuple[SiteMonitorState, list[Alert]]:
    """Feed what a check run found. An issue alerts when its key first appears; keys of the
    `checked` kinds that are no longer found are forgotten (and alert again if they come back).
    `scope` (key prefixes) narrows both to what a partial run (the daily light check) looks at,
    so it does not forget what only the full inspection sees."""
    new = SiteMonitorState.from_dict(state.to_dict())
    if in_maintenance:
        return new, []
    checked = set(checked)

    def in_scope(key: str) -> bool:
        return scope is None or key.startswith(scope)

    found = {i.key: i for i in issues if i.kind in checked and in_scope(i.key)}
    for key in [k for k, v in new.issues.items() if v["kind"] in checked and in_scope(k) and k not in found]:
        del new.issues[key]
    alerts = []
    for key, issue in found.items():
        if key in new.issues:
            continue
        new.issues[key] = {"kind": issue.kind, "since": at.isoformat()}
        alerts.append(
            _alert(
                new,
                issue.kind,
                at,
                at,
                _ISSUE_WHAT[issue.kind],
                issue.reason,
                issue.evidence_url or new.url,
                key,
            )
        )
    return new, alerts


# Checks with an alert kind of their own; their veto is not alerted a second time.
_OWN_KIND: dict[str, IssueKind] = {"security.spam_injection": "spam", "security.defacement": "defacement"}


def issues_from_inspection(inspection: Inspection) -> list[Issue]:
    """Spam and defacement findings (one issue per page) and vetoes (one per check) of an inspection."""
    issues = [
        Issue(_OWN_KIND[f.check], f"{_OWN_KIND[f.check]}:{f.url}", f.message, f.url)
        for f in inspection.findings
        if f.check in _OWN_KIND
    ]
    for check in inspection.vetoes:
        if check in _OWN_KIND:
            continue
        found = [f for f in inspection.findings if f.check == check]
        first = found[0] if found else None
        reason = first.message if first else check
        if len(found) > 1:
            reason += f"等{len(found)}项"
        issues.append(Issue("veto", f"veto:{check}", reason, first.url if first else inspection.url))
    return issues
