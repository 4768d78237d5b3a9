"""Availability over the rubric's probe window (站点无法访问: 1 week, ≥ 20 probes a day, ≥ 5 %).

The rule, exactly:
* The window is [now − window_days, now). Probes outside it are ignored.
* A probe is *excluded* (neither success nor failure, listed apart) when its outcome is
  `maintenance` or its time falls in a declared maintenance window [start, end).
* The window is cut into `window_days` consecutive 24-hour days ending at `now` (day 1 is
  [now − 7 d, now − 6 d), …). The result is *final* when every one of those days holds at least
  `min_per_day` counted (not excluded) probes; otherwise it is provisional. A day spent in a
  declared maintenance window therefore leaves the result provisional: that week was not observed.
* share = failures / counted probes (0 when none); `reached` when share ≥ max_failure_share
  ("超过(含)5%").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from govinspect.monitor.probe import ProbeResult

CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")
MaintenanceWindow = tuple[dt.datetime, dt.datetime]  # [start, end)


@dataclass(frozen=True)
class Availability:
    probes: int  # counted probes (maintenance excluded)
    failures: int
    share: float  # failures / probes
    final: bool  # the window is covered: ≥ min_per_day counted probes on each day
    failures_list: list[ProbeResult] = field(default_factory=list)  # oldest first
    excluded: list[ProbeResult] = field(default_factory=list)  # maintenance probes, oldest first
    per_day: list[int] = field(default_factory=list)  # counted probes per day, oldest day first
    reached: bool = False  # share ≥ max_failure_share
    window_start: dt.datetime | None = None
    window_end: dt.datetime | None = None
    required: int = 0  # window_days × min_per_day

    def evidence(self, limit: int = 50) -> list[str]:
        """The failed probes as Chinese lines (China time), for the site.unreachable finding."""
        return [
            f"{p.at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M:%S} {p.reason}（{p.url}）"
            for p in self.failures_list[:limit]
        ]

    def summary(self) -> dict[str, Any]:
        """The `Inspection.availability` dict (probes, failures, required, provisional) plus share."""
        return {
            "probes": self.probes,
            "failures": self.failures,
            "required": self.required,
            "provisional": not self.final,
            "share": round(self.share, 4),
            "excluded": len(self.excluded),
            "per_day": list(self.per_day),
        }


def in_windows(at: dt.datetime, windows: Iterable[MaintenanceWindow]) -> bool:
    return any(start <= at < end for start, end in windows)


def availability(
    probes: Sequence[ProbeResult],
    *,
    now: dt.datetime,
    window_days: int = 7,
    min_per_day: int = 20,
    max_failure_share: float = 0.05,
    maintenance: Iterable[MaintenanceWindow] = (),
) -> Availability:
    windows = list(maintenance)
    start = now - dt.timedelta(days=window_days)
    inside = sorted((p for p in probes if start <= p.at < now), key=lambda p: p.at)
    excluded = [p for p in inside if p.outcome == "maintenance" or in_windows(p.at, windows)]
    excluded_ids = {id(p) for p in excluded}
    counted = [p for p in inside if id(p) not in excluded_ids]
    failed = [p for p in counted if not p.ok]
    per_day = [0] * window_days
    for p in counted:
        per_day[int((p.at - start) // dt.timedelta(days=1))] += 1
    share = len(failed) / len(counted) if counted else 0.0
    return Availability(
        probes=len(counted),
        failures=len(failed),
        share=share,
        final=all(n >= min_per_day for n in per_day),
        failures_list=failed,
        excluded=excluded,
        per_day=per_day,
        reached=bool(counted) and share >= max_failure_share,
        window_start=start,
        window_end=now,
        required=window_days * min_per_day,
    )
