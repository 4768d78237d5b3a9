"""The whole inspection against the demo farm: findings must equal the farm's ground truth."""

import datetime as dt
import json

import pytest

from conftest import farm_settings
from govinspect.demo import CHECK_IDS, FarmServer, build_farm
from govinspect.registry import SiteTarget
from govinspect.service import inspect_sites

SITE_CHECKS = set(CHECK_IDS)  # the site-level check ids; the farm's truth covers them all


def finding_key(f) -> tuple[str, str]:
    """A link finding is identified by the dead URL (evidence.target; `url` is the page carrying it)."""
    return key(f.check, f.column, f.evidence.get("target", f.url) if f.check.startswith("links.") else f.url)


def key(check: str, column: str, url: str) -> tuple[str, str]:
    """What identifies a finding: the column for column checks, the URL for link checks."""
    if check.startswith("column."):
        return (check, column)
    if check.startswith("links."):
        return (check, url)
    return (check, "")


def test_every_demo_site_matches_ground_truth(farm_run):
    farm, outcomes, _, _ = farm_run
    problems = []
    for site in farm.sites:
        insp = outcomes[site.url].inspection
        got = sorted(finding_key(f) for f in insp.findings if f.check in SITE_CHECKS)
        want = sorted(key(e.check, e.column, e.url) for e in site.expected if e.check in SITE_CHECKS)
        if got != want:
            problems.append(
                f"{site.host}: missed {sorted(set(want) - set(got))}, extra {sorted(set(got) - set(want))}"
            )
    assert not problems, "\n".join(problems)


def test_every_check_id_is_exercised_by_the_farm(farm_run):
    farm, _, _, _ = farm_run
    exercised = {e.check for s in farm.sites for e in s.expected}
    assert exercised >= SITE_CHECKS


def test_healthy_sites_pass_and_vetoes_fail(farm_run):
    farm, outcomes, _, _ = farm_run
    for site in farm.sites:
        insp = outcomes[site.url].inspection
        if site.healthy:
            assert insp.verdict == "pass" and insp.score == 100, site.host
            assert insp.columns, f"{site.host}: no columns found"
    assert outcomes["http://www.nanhu.gov.cn/"].inspection.vetoes == ["site.unreachable"]
    assert outcomes["http://www.lihe.gov.cn/"].inspection.verdict == "fail"


def test_gbk_sites_decode(farm_run):
    farm, outcomes, _, _ = farm_run
    gbk_sites = [s for s in farm.sites if s.encoding == "gbk"]
    assert gbk_sites
    for site in gbk_sites:
        model = outcomes[site.url].site_model
        if not model.home.ok:
            continue
        assert model.home.encoding in ("gb18030", "gbk"), site.host
        assert site.name in model.home.text


def test_columns_found_on_every_reachable_site(farm_run):
    farm, outcomes, _, _ = farm_run
    for site in farm.sites:
        model = outcomes[site.url].site_model
        if not model.home.ok:
            continue
        found = {c.name: c for c in model.columns}
        unreadable = {e.column for e in site.expected if e.check == "column.unreadable"}
        for column in site.columns:
            if column.kind == "other":
                continue
            assert column.name in found, f"{site.host}: column {column.name} not found"
            if column.name in unreadable:  # the list a script fills: read as unknown, never as empty
                assert found[column.name].unreadable and not found[column.name].empty_text
                continue
            assert found[column.name].kind == column.kind, f"{site.host}: {column.name} classified wrong"
            assert found[column.name].latest == column.newest, f"{site.host}: {column.name} newest date"


def test_reports_and_store(farm_run):
    farm, outcomes, out, store = farm_run
    for site in farm.sites:
        host = site.host
        report = json.loads((out / f"{host}.json").read_text(encoding="utf-8"))
        assert report["schema"] == "govinspect.report/1"
        assert report["site"]["url"] == site.url
        assert (out / f"{host}.html").exists()
        for finding in report["findings"]:
            assert finding["message"] and finding["severity"] in ("veto", "deduct", "info")
            assert finding["url"] or finding["check"].startswith("norms.")
    stored = store.list_inspections(limit=100)
    assert len(stored) == len(farm.sites)


def test_broken_links_on_column_pages_name_their_column(farm_run):
    _, outcomes, _, _ = farm_run
    hexi = outcomes["http://www.hexi.gov.cn/"].inspection
    other = [f for f in hexi.findings if f.check == "links.broken_other"]
    assert other and all(f.column and f.evidence["found_on"] for f in other)
    assert all(f"“{f.column}”" in f.message for f in other)


@pytest.mark.slow
@pytest.mark.parametrize("as_of", [dt.date(2027, 1, 3), dt.date(2028, 2, 29)])
def test_ground_truth_holds_on_other_days(as_of):
    """Year-less list dates ([12-28]) across a new year, and a leap day."""
    farm = build_farm(as_of)
    with FarmServer(farm) as server:
        settings = farm_settings(farm, server, probes=1)
        targets = [SiteTarget(url=s.url, name=s.name) for s in farm.sites]
        outcomes = inspect_sites(targets, repo=None, settings=settings)
    by_url = {o.inspection.url: o.inspection for o in outcomes}
    for site in farm.sites:
        got = sorted(finding_key(f) for f in by_url[site.url].findings if f.check in SITE_CHECKS)
        want = sorted(key(e.check, e.column, e.url) for e in site.expected if e.check in SITE_CHECKS)
        assert got == want, site.host


def detector_key(check: str, url: str) -> tuple[str, str]:
    """Text, spam, guide and message findings are per page; the others per site."""
    if check in ("interact.canned_reply", "interact.no_channel"):
        return (check, "")
    return (check, url)


def test_detectors_match_ground_truth_per_page(farm_run):
    from govinspect.demo import DETECTOR_CHECK_IDS

    farm, outcomes, _, _ = farm_run
    problems = []
    for site in farm.sites:
        insp = outcomes[site.url].inspection
        got = {detector_key(f.check, f.url) for f in insp.findings if f.check in DETECTOR_CHECK_IDS}
        want = {detector_key(e.check, e.url) for e in site.expected if e.check in DETECTOR_CHECK_IDS}
        # On the CMS-family layouts a miss is measured (bench/accuracy.py, tests/quality), an extra
        # finding is a false alarm and fails here as on the first farm.
        missed = set() if site.new_layout else want - got
        if missed or got - want:
            problems.append(f"{site.host}: missed {sorted(missed)}, extra {sorted(got - want)}")
    assert not problems, "\n".join(problems)


def test_cloaked_spam_is_reported_as_shown_only_to_search_engines(farm_run):
    farm, outcomes, _, _ = farm_run
    cloaking_sites = [
        s for s in farm.sites if any(e.detail == "cloaked" and e.url == s.url for e in s.expected)
    ]
    assert cloaking_sites
    for site in cloaking_sites:
        home = [
            f
            for f in outcomes[site.url].inspection.findings
            if f.check == "security.spam_injection" and f.url == site.url
        ]
        assert home and "仅对搜索引擎显示" in home[0].evidence["how"], site.host


def test_every_evidence_field_has_a_chinese_label(farm_run):
    from govinspect.report.labels import EVIDENCE_LABELS

    _, outcomes, _, _ = farm_run
    keys = {k for o in outcomes.values() for f in o.inspection.findings for k in f.evidence}
    assert keys and keys <= set(EVIDENCE_LABELS), sorted(keys - set(EVIDENCE_LABELS))


def test_cloaked_list_pages_are_caught_through_the_search_engine_view(farm_run):
    """The crawler view of sampled list pages and articles, not only the home page."""
    farm, outcomes, _, _ = farm_run
    cloaked = [(s, e) for s in farm.sites for e in s.expected if e.detail == "cloaked" and e.url != s.url]
    assert cloaked
    for site, expected in cloaked:
        found = [
            f
            for f in outcomes[site.url].inspection.findings
            if f.check == "security.spam_injection" and f.url == expected.url
        ]
        assert found and found[0].evidence["how"] == ["仅对搜索引擎显示"], site.host
        terms = found[0].evidence["terms"]
        assert all(any(t in phrase for t in terms) for phrase in expected.text.split()), terms


def test_a_column_reached_by_two_paths_is_one_column(farm_run):
    """云溪区's home page links its news columns by another URL than the navigation."""
    _, outcomes, _, _ = farm_run
    model = outcomes["http://www.yunxi.gov.cn/"].site_model
    news = [c for c in model.columns if c.name == "工作动态"]
    assert len(news) == 1 and news[0].aliases == ["http://www.yunxi.gov.cn/gzdt/index.html?from=sy"]
