import datetime as dt
import random
from collections import Counter

import pytest

from govinspect.workflow.sampling import (
    SampleError,
    allocate,
    draw_sample,
    largest_remainder,
    plan_sample,
    sample_size,
)
from govinspect.workflow.sites import RegistrySite


def registry() -> list[RegistrySite]:
    """50 市 sites in 杭州, 30 in 宁波, 20 县 sites in 温州, plus 2 closed and 1 migrated site."""
    sites = [RegistrySite(f"hz{i:02d}", f"杭州{i}", level="市", region="杭州") for i in range(50)]
    sites += [RegistrySite(f"nb{i:02d}", f"宁波{i}", level="市", region="宁波") for i in range(30)]
    sites += [RegistrySite(f"wz{i:02d}", f"温州{i}", level="县", region="温州") for i in range(20)]
    sites += [
        RegistrySite("x1", "已关停站", level="市", region="杭州", status="已关停"),
        RegistrySite("x2", "已关停站2", level="县", region="温州", status="已关停"),
        RegistrySite("x3", "已迁移站", level="市", region="宁波", status="已迁移"),
    ]
    return sites


def ids(sites):
    return [s.id for s in sites]


def test_same_seed_same_sites_whatever_the_order():
    first = draw_sample(registry(), ratio=0.1, seed=2026)
    shuffled = registry()
    random.Random(7).shuffle(shuffled)
    assert ids(draw_sample(shuffled, ratio=0.1, seed=2026)) == ids(first)
    assert ids(draw_sample(registry(), ratio=0.1, seed="2026")) == ids(first)  # seed as typed on a CLI
    assert ids(draw_sample(registry(), ratio=0.1, seed=2027)) != ids(first)


def test_proportional_allocation_and_closed_sites_left_out():
    # 100 eligible sites (the 3 closed/migrated ones do not count), 10% → 10: 5 + 3 + 2.
    sample = draw_sample(registry(), ratio=0.1, seed=1)
    assert len(sample) == 10
    assert Counter(s.region for s in sample) == {"杭州": 5, "宁波": 3, "温州": 2}
    assert not {"x1", "x2", "x3"} & set(ids(sample))
    everything = draw_sample(registry(), ratio=1, seed=1)
    assert len(everything) == 100 and not {"x1", "x2", "x3"} & set(ids(everything))


def test_site_closed_after_the_sampling_date_is_still_in_the_pool():
    sites = [
        RegistrySite("a", "甲", status="已关停", status_since=dt.date(2026, 11, 20)),
        RegistrySite("b", "乙"),
    ]
    assert ids(draw_sample(sites, ratio=1, by=(), seed=1, as_of=dt.date(2026, 11, 1))) == ["a", "b"]
    assert ids(draw_sample(sites, ratio=1, by=(), seed=1, as_of=dt.date(2026, 12, 1))) == ["b"]
    assert ids(draw_sample(sites, ratio=1, by=(), seed=1)) == ["b"]


def test_a_closed_site_added_to_the_registry_changes_nothing():
    before = draw_sample(registry()[:100], count=12, seed=5)
    assert ids(draw_sample(registry(), count=12, seed=5)) == ids(before)


def test_plan_by_level_only():
    plan = plan_sample(registry(), count=5, by=("level",))
    # 市 80, 县 20 → quotas 4 and 1.
    assert [(s.key, s.size, s.drawn) for s in plan.strata] == [(("县",), 20, 1), (("市",), 80, 4)]
    assert (plan.eligible, plan.requested, plan.total) == (100, 5, 5)


def test_sample_size():
    assert sample_size(10, ratio=0.3) == 3  # exactly 3, not ceil(3.0000000000000004) = 4
    assert sample_size(10, ratio=0.25) == 3  # 2.5 rounded up: the share is a minimum
    assert sample_size(1500, ratio="0.3") == 450
    assert sample_size(10, count=4) == 4
    for kwargs in ({}, {"ratio": 0.1, "count": 2}, {"ratio": 0}, {"ratio": 1.5}, {"count": 0}, {"count": 11}):
        with pytest.raises(SampleError):
            sample_size(10, **kwargs)


def test_largest_remainder_by_hand():
    # quotas 1.5 / 0.9 / 0.6 → floors 1/0/0; two left go to the largest remainders B (.9), C (.6).
    assert largest_remainder({"A": 5, "B": 3, "C": 2}, 3) == {"A": 1, "B": 1, "C": 1}
    # quotas 3.5 / 1.0 / 0.5 → 3/1/0; one left, A and C tie at .5: the larger stratum A wins.
    assert largest_remainder({"A": 7, "B": 2, "C": 1}, 5) == {"A": 4, "B": 1, "C": 0}
    assert largest_remainder({"A": 50, "B": 30, "C": 20}, 10) == {"A": 5, "B": 3, "C": 2}


def test_allocate_with_a_floor_by_hand():
    # Proportional gives C 0 < floor 1: C fixed at 1; A and B share 4 in 7:2 → 3.11/0.89 → 3 and 1.
    assert allocate({"A": 7, "B": 2, "C": 1}, 5, min_per_group=1) == {"A": 3, "B": 1, "C": 1}
    # A floor larger than a stratum: the stratum gives all it has (B: 2 of floor 3).
    assert allocate({"A": 20, "B": 2, "C": 8}, 10, min_per_group=3) == {"A": 5, "B": 2, "C": 3}
    # Floors alone exceed the request: the sample grows to the floors' sum.
    assert allocate({"A": 10, "B": 10, "C": 10}, 2, min_per_group=1) == {"A": 1, "B": 1, "C": 1}


def test_min_per_group_in_a_draw():
    sample = draw_sample(registry(), count=6, by=("region",), min_per_group=2, seed=3)
    # quotas 3 / 1.8 / 1.2 → 3 / 2 / 1; 温州 below 2 → fixed at 2; 杭州 and 宁波 share 4 as 50:30
    # → 2.5 / 1.5 → 2 / 1 and one left for the tie: the larger 杭州 → 3 / 1; 宁波 now below 2 → fixed
    # at 2; 杭州 takes the remaining 2.
    assert Counter(s.region for s in sample) == {"杭州": 2, "宁波": 2, "温州": 2}


def test_duplicate_ids_and_empty_registry_refused():
    with pytest.raises(SampleError, match="重复"):
        draw_sample([RegistrySite("a", "甲"), RegistrySite("a", "乙")], count=1, seed=1)
    with pytest.raises(SampleError, match="levle"):
        draw_sample(registry(), count=1, by=("levle",), seed=1)
    with pytest.raises(SampleError, match="没有可抽查"):
        draw_sample([RegistrySite("a", "甲", status="已迁移")], count=1, seed=1)
