"""CI quality gate: per check id, precision and recall on the whole demo farm (first farm and the
CMS-family layouts) must not fall below what was measured when the gate was set.

Measured with `python bench/accuracy.py --as-of 2026-12-01` (whole-farm table), floored to two
decimals. Raise a floor when a change measurably improves a check; never lower one to let a change
through.
"""

import datetime as dt

import pytest

from conftest import farm_settings
from govinspect.demo import FarmServer, build_farm
from govinspect.demo.scoring import score_sites
from govinspect.registry import SiteTarget
from govinspect.service import inspect_sites

AS_OF = dt.date(2026, 12, 1)
# check id -> (minimum precision, minimum recall)
FLOORS = {
    "column.empty": (1.00, 1.00),
    "column.stale_dynamic": (1.00, 1.00),
    "column.stale_long": (1.00, 1.00),
    "column.stale_policy": (1.00, 1.00),
    "column.unreadable": (1.00, 1.00),
    "content.duplicate": (1.00, 1.00),
    "content.fake_date": (1.00, 1.00),
    "content.serious_error": (1.00, 1.00),
    "content.typo": (1.00, 1.00),
    "home.stale": (1.00, 1.00),
    "interact.canned_reply": (1.00, 1.00),
    "interact.no_channel": (1.00, 1.00),
    "interact.slow_reply": (1.00, 1.00),
    "interact.unanswered": (1.00, 1.00),
    "links.broken_home": (1.00, 1.00),
    "links.broken_other": (1.00, 1.00),
    "norms.conac_missing": (1.00, 1.00),
    "norms.domain": (1.00, 1.00),
    "norms.icp_missing": (1.00, 1.00),
    "norms.jiucuo_missing": (1.00, 1.00),
    "norms.psb_missing": (1.00, 1.00),
    "norms.site_code_missing": (1.00, 1.00),
    "security.spam_injection": (1.00, 1.00),
    "service.attachment_broken": (1.00, 1.00),
    "service.guide_incomplete": (1.00, 1.00),
    "site.unreachable": (1.00, 1.00),
}
# Veto-class checks: a false alarm here names an innocent office in a 通报.
NO_FALSE_ALARMS = (
    "column.empty",
    "column.stale_dynamic",
    "column.stale_policy",
    "home.stale",
    "site.unreachable",
)


@pytest.fixture(scope="module")
def scores():
    farm = build_farm(AS_OF)
    with FarmServer(farm) as server:
        settings = farm_settings(farm, server, probes=1, probe_interval_s=0.1)
        targets = [SiteTarget(url=s.url, name=s.name) for s in farm.sites]
        outcomes = inspect_sites(targets, repo=None, settings=settings)
    by_url = {o.inspection.url: o.inspection for o in outcomes}
    return farm, score_sites(farm.sites, by_url)


def test_every_pinned_check_is_still_measured(scores):
    farm, table = scores
    assert set(FLOORS) <= set(table), sorted(set(FLOORS) - set(table))
    assert any(s.new_layout for s in farm.sites)  # the gate covers the new layouts too


@pytest.mark.parametrize("check", sorted(FLOORS))
def test_precision_and_recall_stay_above_their_floor(scores, check):
    _, table = scores
    score = table[check]
    precision, recall = FLOORS[check]
    assert score.precision >= precision, f"{check}: precision {score.precision:.3f} < {precision}"
    assert score.recall >= recall, f"{check}: recall {score.recall:.3f} < {recall}"


@pytest.mark.parametrize("check", NO_FALSE_ALARMS)
def test_no_false_veto_class_findings(scores, check):
    _, table = scores
    assert table[check].fp == 0
