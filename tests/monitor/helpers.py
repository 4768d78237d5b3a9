"""ProbeResult builders for the pure monitor tests."""

import datetime as dt

from govinspect.monitor.probe import FAILURE_OUTCOMES, ProbeResult

T0 = dt.datetime(2026, 12, 1, 0, 0, tzinfo=dt.UTC)
URL = "http://www.mm.gov.cn/"
REASONS = {
    "ok": "首页访问正常",
    "timeout": "超过15秒首页仍未打开",
    "http_5xx": "首页返回服务器错误（HTTP 502）",
    "refused": "连接被拒绝（www.mm.gov.cn:80）",
    "challenged": "网站可访问，但本监测客户端被安全防护拦截",
    "maintenance": "网站显示维护或关停公告（“临时关停”，HTTP 200）",
}


def probe(at: dt.datetime, outcome: str = "ok", url: str = URL) -> ProbeResult:
    return ProbeResult(
        at=at,
        url=url,
        outcome=outcome,
        ok=outcome not in FAILURE_OUTCOMES,
        status=None if outcome in ("timeout", "refused") else 200,
        latency_s=0.1,
        reason=REASONS.get(outcome, outcome),
    )


def every(start: dt.datetime, minutes: int, count: int, outcome: str = "ok") -> list[ProbeResult]:
    return [probe(start + dt.timedelta(minutes=minutes * i), outcome) for i in range(count)]
