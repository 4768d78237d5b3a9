"""Units of work over every repository, runs, probes and stable finding keys: SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import importlib.util
from dataclasses import replace
from pathlib import Path

import pytest

from govinspect.model import Finding, Probe, finding_key
from govinspect.store import InputError, Store, StoreError

_spec = importlib.util.spec_from_file_location("store_cases", Path(__file__).with_name("test_store.py"))
cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cases)
URL = cases.URL


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.close()


def test_one_unit_of_work_writes_everything_or_nothing(store):
    with pytest.raises(StoreError, match="没有写入任何数据"), store.unit_of_work() as uow:
        site_id = uow.sites.upsert("青山县人民政府", URL)
        run_id = uow.runs.start("spot_check", "省政务公开办", {"sites": 1})
        uow.inspections.add(site_id, cases.make_inspection(), run_id=run_id)
        raise RuntimeError("断电")
    assert store.list_sites() == [] and store.count_inspections() == 0


def test_runs_group_inspections_and_record_who_and_what(store):
    with store.unit_of_work() as uow:
        site_id = uow.sites.upsert("青山县人民政府", URL)
        run_id = uow.runs.start(
            "self_check", "青山县政务公开办", {"as_of": "2026-11-22", "rubric": "gov-2019"}
        )
        first = uow.inspections.add(site_id, cases.make_inspection(), run_id=run_id)
        uow.inspections.add(site_id, cases.make_inspection())  # a lone inspection: no run
        uow.runs.finish(run_id)
    with store.unit_of_work() as uow:
        run = uow.runs.get(run_id)
        assert (run.kind, run.started_by, run.status) == ("self_check", "青山县政务公开办", "finished")
        assert run.parameters == {"as_of": "2026-11-22", "rubric": "gov-2019"} and run.finished_at
        assert [r.id for r in uow.inspections.list(run_id=run_id)] == [first]
        with pytest.raises(InputError, match="未知的检查批次类型"):
            uow.runs.start("随便", "某人")


def test_probes_are_kept_per_site_with_their_vantage(store):
    t0 = dt.datetime(2026, 11, 22, 9, 0)
    probes = [
        Probe(at=t0, ok=True, elapsed_s=0.31, status=200),
        Probe(at=t0 + dt.timedelta(hours=1), ok=False, elapsed_s=15.0, error="连接超时"),
    ]
    with store.unit_of_work() as uow:
        site_id = uow.sites.upsert("青山县人民政府", URL)
        uow.probes.add(site_id, probes, vantage="省数据中心")
    assert store.history(site_id).probes == probes
    with store.unit_of_work() as uow:
        assert uow.probes.list(site_id, since=t0 + dt.timedelta(minutes=30)) == probes[1:]


def test_a_recheck_says_what_was_fixed(store):
    before = cases.make_inspection()
    empty, broken = before.findings
    # The same dead link reached by another spelling of the page's URL is the same problem.
    after = replace(
        before,
        findings=[
            replace(broken, url=broken.url.replace("http://www.", "HTTP://WWW.")),
            Finding(check="content.typo", message="错别字", url=URL + "a.html", evidence={"wrong": "甲"}),
        ],
    )
    assert finding_key(after.findings[0]) == finding_key(broken)
    with store.unit_of_work() as uow:
        site_id = uow.sites.upsert("青山县人民政府", URL)
        first = uow.inspections.add(site_id, before)
        second = uow.inspections.add(site_id, after)
    with store.unit_of_work() as uow:
        result = uow.inspections.recheck(first, second)
        assert [f.check for f in result.fixed] == ["column.empty"]
        assert [f.check for f in result.not_fixed] == ["links.broken_home"]
        assert [f.check for f in result.new] == ["content.typo"]
        assert uow.inspections.latest_per_site() == [second]
    assert empty.check == "column.empty"


def test_finding_keys_tell_problems_on_one_page_apart():
    a = Finding(check="content.typo", message="", url=URL + "a.html", evidence={"wrong": "甲"})
    b = replace(a, evidence={"wrong": "乙"})
    assert finding_key(a) != finding_key(b)
    assert finding_key(a) == finding_key(replace(a, url=URL + "a.html#p2", message="另一种说法"))
    assert finding_key(replace(a, url=URL + "index.html")) == finding_key(replace(a, url=URL))
