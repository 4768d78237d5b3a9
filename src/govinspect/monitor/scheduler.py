"""Slot scheduling: which sites to probe now, spread evenly, each at most once per slot.

A site with interval I seconds has a fixed offset in [0, I) taken from a hash of its id, and is due
at epoch + k·I + offset for every integer k, its slot number. So 2,000 sites at 30 minutes become
about 67 probes a minute instead of 2,000 at the top of the half hour, every daemon computes the
same slots, and a lease on (site, slot) lets only one daemon probe a site in a slot.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import threading
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from govinspect.monitor.probe import DEFAULT_TIMEOUT_S, ProbeResult

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 1800  # 48 probes a day: the rubric asks for ≥ 20
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class MonitoredSite:
    id: str
    url: str
    name: str = ""
    interval_s: float = DEFAULT_INTERVAL_S  # per-site override of the probe cadence (≥ 1 ms)
    timeout_s: float = DEFAULT_TIMEOUT_S


def interval_ms(interval_s: float) -> int:
    return max(1, round(interval_s * 1000))


def offset_ms(site_id: str, interval_s: float) -> int:
    """The site's fixed place in its interval, in milliseconds, in [0, interval_s × 1000)."""
    digest = int(hashlib.sha256(site_id.encode()).hexdigest()[:12], 16)
    return digest % interval_ms(interval_s)


_MS = dt.timedelta(milliseconds=1)


def slot_of(site: MonitoredSite, at: dt.datetime) -> int:
    """The slot whose due time is the latest one at or before `at` (integer ms: no float drift)."""
    return ((at - EPOCH) // _MS - offset_ms(site.id, site.interval_s)) // interval_ms(site.interval_s)


def due_time(site: MonitoredSite, slot: int) -> dt.datetime:
    return EPOCH + _MS * (slot * interval_ms(site.interval_s) + offset_ms(site.id, site.interval_s))


@dataclass(frozen=True)
class Due:
    site: MonitoredSite
    slot: int
    at: dt.datetime


def due_sites(sites: Iterable[MonitoredSite], start: dt.datetime, end: dt.datetime) -> list[Due]:
    """Sites with a due time in [start, end), earliest first; a site comes at most once (its first
    due time) even when its interval is shorter than the span."""
    due = []
    for site in sites:
        slot = slot_of(site, start)
        if due_time(site, slot) < start:
            slot += 1
        at = due_time(site, slot)
        if at < end:
            due.append(Due(site, slot, at))
    return sorted(due, key=lambda d: (d.at, d.site.id))


class Lease(ABC):
    """Who probes (site, slot). The store-backed lease is a unique row per (site, slot)."""

    @abstractmethod
    def try_lease(self, site_id: str, slot: int) -> bool:
        """True for exactly one caller per (site_id, slot), across daemons."""


class InMemoryLease(Lease):
    """For tests and a single process; thread-safe."""

    def __init__(self) -> None:
        self._taken: set[tuple[str, int]] = set()
        self._lock = threading.Lock()

    def try_lease(self, site_id: str, slot: int) -> bool:
        with self._lock:
            if (site_id, slot) in self._taken:
                return False
            self._taken.add((site_id, slot))
            return True


@dataclass
class CycleReport:
    due: int = 0
    probed: int = 0
    leased_elsewhere: int = 0
    errors: list[str] = field(default_factory=list)  # on_result failures, English (operator log)
    outcomes: Counter[str] = field(default_factory=Counter)  # probe outcome -> count


# Outcomes a broken vantage (its own network or resolver down) produces for every site at once.
VANTAGE_OUTCOMES = frozenset({"dns", "refused", "timeout", "error"})


def vantage_suspect(outcomes: Counter[str], *, min_probes: int = 20, share: float = 0.8) -> bool:
    """True when so many sites failed at the network level in one cycle that the probing machine,
    not the sites, is the likely cause: the daemon should then hold those results back from the
    alerts and the availability window (and say so) instead of declaring every site down."""
    total = sum(outcomes.values())
    network = sum(n for outcome, n in outcomes.items() if outcome in VANTAGE_OUTCOMES)
    return total >= min_probes and network >= share * total


Prober = Callable[[MonitoredSite], Awaitable[ProbeResult]]
OnResult = Callable[[MonitoredSite, int, ProbeResult], Awaitable[None]]


async def run_cycle(
    sites: Iterable[MonitoredSite],
    now: dt.datetime,
    prober: Prober,
    lease: Lease,
    on_result: OnResult,
    *,
    tick_s: float = 60.0,
    concurrency: int = 200,
) -> CycleReport:
    """Probe every site due in [now, now + tick_s) whose slot this process wins, at most
    `concurrency` at a time; `on_result(site, slot, result)` stores each result. A failing
    `on_result` is logged and counted, and the other sites go on."""
    report = CycleReport()
    gate = asyncio.Semaphore(concurrency)

    async def one(due: Due) -> None:
        async with gate:
            result = await prober(due.site)
        report.outcomes[result.outcome] += 1
        try:
            await on_result(due.site, due.slot, result)
            report.probed += 1
        except Exception as exc:  # noqa: BLE001 - one site's storage problem must not stop the cycle
            log.exception("storing the probe of %s failed", due.site.id)
            report.errors.append(f"{due.site.id}: {type(exc).__name__}: {exc}")

    tasks = []
    for due in due_sites(sites, now, now + dt.timedelta(seconds=tick_s)):
        report.due += 1
        if lease.try_lease(due.site.id, due.slot):
            tasks.append(asyncio.create_task(one(due)))
        else:
            report.leased_elsewhere += 1
    await asyncio.gather(*tasks)
    return report
