"""The demo farm's new-media accounts, read through the farm server: the findings per account
equal the ground truth written from the spec in demo/newmedia.py."""

import asyncio
import datetime as dt

import pytest

from govinspect.demo import FarmServer, build_farm
from govinspect.demo.newmedia import build_newmedia_farm, mount, newmedia_only_farm
from govinspect.fetch.settings import FetchSettings
from govinspect.newmedia.connectors import as_of_noon
from govinspect.newmedia.service import check_accounts
from govinspect.rules import load_rubric

AS_OF = dt.date(2026, 11, 22)
SCORED = {"newmedia.stale", "newmedia.zombie", "newmedia.no_interaction"}


@pytest.fixture(scope="module")
def farm_outcomes(tmp_path_factory):
    nm = build_newmedia_farm(AS_OF, tmp_path_factory.mktemp("nm") / "manual.csv")
    nm.write_manual()
    with FarmServer(newmedia_only_farm(nm)) as server:
        settings = FetchSettings(proxy=server.proxy_url, retries=0)
        outcomes = asyncio.run(
            check_accounts(
                nm.accounts,
                as_of=AS_OF,
                rubric=load_rubric(),
                fetch_settings=settings,
                host_delay_s=0,
                now=as_of_noon(AS_OF),
            )
        )
    return list(zip(nm.cases, outcomes, strict=True))


def test_findings_per_account_match_the_truth(farm_outcomes):
    for case, outcome in farm_outcomes:
        got = {f.check for f in outcome.findings if f.check != "content.typo_suspect"}
        assert got == set(case.expected), (case.account.name, case.note)


def test_farm_covers_the_issue_cases(farm_outcomes):
    statuses = {o.result.status for _, o in farm_outcomes}
    assert statuses == {"ok", "empty", "blocked", "auth_expired", "not_found", "partial"}
    expected = set().union(*(c.expected for c, _ in farm_outcomes))
    assert {"newmedia.stale", "newmedia.zombie", "newmedia.unverified", "content.fake_date"} <= expected


def test_a_bad_feed_never_vetoes(farm_outcomes):
    for case, outcome in farm_outcomes:
        if outcome.result.status != "ok":
            assert outcome.verdict == "unverified" and not outcome.vetoes, case.account.name
            assert all(f.severity == "info" for f in outcome.findings)


def test_veto_accounts_fail_with_the_right_rule(farm_outcomes):
    for case, outcome in farm_outcomes:
        assert set(outcome.vetoes) & SCORED == case.expected & SCORED, case.account.name


def test_feeds_are_served_beside_the_sites():
    farm = mount(build_farm(AS_OF), build_newmedia_farm(AS_OF))
    url = next(u for u in farm.routes if u.endswith("qs_fresh.xml"))
    assert farm.resolve(url).body.startswith(b"<?xml")
    assert farm.resolve(url.replace("qs_fresh", "nobody")).status == 404
    assert farm.resolve("http://www.qingshan.gov.cn/").status == 200


def test_findings_carry_catalogued_evidence_and_the_post(farm_outcomes):
    from govinspect.checks.catalog import CATALOG

    for case, outcome in farm_outcomes:
        for f in outcome.findings:
            assert set(f.evidence) <= set(CATALOG[f.check].evidence), (f.check, set(f.evidence))
            assert f.evidence["account"] == case.account.name and f.url, f.check
            if f.check in ("newmedia.stale", "newmedia.advert", "content.typo", "content.fake_date"):
                assert f.evidence["post_url"] == f.url and f.evidence["post_time"], f.check
