"""Reproducible stratified random samples of the registry (抽查).

Same seed + same registry ⇒ same sites, whatever order the registry comes in: each site gets a rank
from a hash of (seed, site id) and every stratum takes its lowest-ranked sites. A hash (not
random.Random) keeps the draw the same across Python versions, and adding one site to the registry
moves at most that site in or out of its stratum.

Allocation across strata is proportional to their sizes with largest-remainder rounding; a floor
(`min_per_group`, e.g. "每省不少于5个") lifts small strata to the floor (or to their size if smaller)
and the rest of the sample is shared proportionally among the other strata. When the floors alone
exceed the requested size the sample grows to the floors' sum.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from govinspect.workflow.sites import LEFT_STATUSES


class SampleError(ValueError):
    """The sample cannot be drawn as asked (message in Chinese)."""


@dataclass(frozen=True)
class Stratum:
    key: tuple[Any, ...]  # values of the `by` attributes
    size: int  # eligible sites in the stratum
    drawn: int


@dataclass(frozen=True)
class SamplePlan:
    eligible: int
    requested: int
    strata: tuple[Stratum, ...]

    @property
    def total(self) -> int:
        return sum(s.drawn for s in self.strata)


def eligible_sites(sites: Iterable[Any], as_of: dt.date | None = None) -> list[Any]:
    """Sites still in the pool: not closed or migrated (as of `as_of` when the status carries a date)."""
    kept = []
    for site in sites:
        left = getattr(site, "status", "运行") in LEFT_STATUSES
        since = getattr(site, "status_since", None)
        if left and as_of is not None and since is not None and since > as_of:
            left = False  # closed after the sampling date: still running then
        if not left:
            kept.append(site)
    return kept


def sample_size(eligible: int, *, ratio: float | str | None = None, count: int | None = None) -> int:
    """Sites to draw: `count`, or `ratio` of the eligible sites rounded up (the share is a minimum)."""
    if (ratio is None) == (count is None):
        raise SampleError("请指定抽查比例或抽查数量（二者选一）")
    if count is not None:
        if count < 1:
            raise SampleError("抽查数量应为正整数")
        if count > eligible:
            raise SampleError(f"抽查数量{count}超过可抽查的网站数{eligible}")
        return count
    share = Fraction(str(ratio))  # str: 0.3 is exactly 3/10, not 0.30000000000000004
    if not 0 < share <= 1:
        raise SampleError(f"抽查比例应大于0且不超过1（如 0.3 表示30%），收到 {ratio}")
    return math.ceil(share * eligible)


def largest_remainder(sizes: dict[Hashable, int], total: int) -> dict[Hashable, int]:
    """Share `total` in proportion to `sizes` (Hamilton method); ties go to the larger, then earlier key."""
    whole = sum(sizes.values())
    if whole == 0:
        return dict.fromkeys(sizes, 0)
    quotas = {k: Fraction(total * n, whole) for k, n in sizes.items()}
    alloc = {k: min(math.floor(q), sizes[k]) for k, q in quotas.items()}
    order = sorted(sizes, key=lambda k: (-(quotas[k] - math.floor(quotas[k])), -sizes[k], _sort_key(k)))
    left = total - sum(alloc.values())
    for k in order:
        if left <= 0:
            break
        if alloc[k] < sizes[k]:
            alloc[k] += 1
            left -= 1
    return alloc


def allocate(sizes: dict[Hashable, int], total: int, min_per_group: int = 0) -> dict[Hashable, int]:
    """Proportional allocation with a floor of min(min_per_group, size) for every stratum."""
    floors = {k: min(min_per_group, n) for k, n in sizes.items()}
    if total <= sum(floors.values()):
        return floors
    fixed: dict[Hashable, int] = {}
    while True:
        free = {k: n for k, n in sizes.items() if k not in fixed}
        alloc = largest_remainder(free, total - sum(fixed.values()))
        below = [k for k in free if alloc[k] < floors[k]]
        if not below:
            return {k: fixed.get(k, alloc.get(k, 0)) for k in sizes}
        fixed.update({k: floors[k] for k in below})


def _sort_key(value: Any) -> tuple:
    return (
        tuple((v is None, str(v)) for v in value)
        if isinstance(value, tuple)
        else ((value is None, str(value)),)
    )


def _rank(seed: int | str, site_id: str) -> bytes:
    return hashlib.sha256(f"{seed}\x00{site_id}".encode()).digest()


def _strata(sites: list[Any], by: Sequence[str]) -> dict[tuple, list[Any]]:
    groups: dict[tuple, list[Any]] = {}
    for site in sites:
        groups.setdefault(tuple(getattr(site, attr, "") or "" for attr in by), []).append(site)
    return dict(sorted(groups.items(), key=lambda item: _sort_key(item[0])))


def _check_sites(sites: list[Any], by: Sequence[str]) -> None:
    seen: set[str] = set()
    for site in sites:
        missing = [attr for attr in by if not hasattr(site, attr)]
        if missing:
            raise SampleError(f"无法按“{'、'.join(missing)}”分层：网站记录没有该字段")
        site_id = str(site.id)
        if site_id in seen:
            raise SampleError(f"网站编号“{site_id}”重复：抽样需要唯一的网站编号")
        seen.add(site_id)


def plan_sample(
    sites: Iterable[Any],
    *,
    ratio: float | str | None = None,
    count: int | None = None,
    by: Sequence[str] = ("level", "region"),
    min_per_group: int = 0,
    as_of: dt.date | None = None,
) -> SamplePlan:
    """How many sites each stratum gives (for display before drawing)."""
    pool = eligible_sites(sites, as_of)
    _check_sites(pool, by)
    if not pool:
        raise SampleError("没有可抽查的网站（已关停、已迁移的网站不参加抽查）")
    requested = sample_size(len(pool), ratio=ratio, count=count)
    groups = _strata(pool, by)
    alloc = allocate({k: len(v) for k, v in groups.items()}, requested, min_per_group)
    return SamplePlan(len(pool), requested, tuple(Stratum(k, len(v), alloc[k]) for k, v in groups.items()))


def draw_sample(
    sites: Iterable[Any],
    *,
    ratio: float | str | None = None,
    count: int | None = None,
    by: Sequence[str] = ("level", "region"),
    min_per_group: int = 0,
    seed: int | str,
    as_of: dt.date | None = None,
) -> list[Any]:
    """The sampled sites, ordered by stratum then site id. Sites need `id`, `status` and the `by` fields."""
    sites = list(sites)
    plan = plan_sample(sites, ratio=ratio, count=count, by=by, min_per_group=min_per_group, as_of=as_of)
    groups = _strata(eligible_sites(sites, as_of), by)
    drawn = []
    for stratum in plan.strata:
        members = sorted(groups[stratum.key], key=lambda s: _rank(seed, str(s.id)))
        drawn.extend(sorted(members[: stratum.drawn], key=lambda s: str(s.id)))
    return drawn
