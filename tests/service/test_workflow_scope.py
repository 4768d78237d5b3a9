"""A supervisor's part of the 抽查 workflow: draws limited to their regions, statistics, 通报 and run
lists computed over the sites they may see (service.workflow, no crawl: inspections are stored)."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from openpyxl import load_workbook

from govinspect.model import Finding, Inspection
from govinspect.service import workflow as wf
from govinspect.store import Store

DAY = dt.date(2026, 11, 2)
SITES = {  # url: (name, region, verdict)
    "http://www.a.gov.cn/": ("甲一县政府", "甲市", "fail"),
    "http://www.b.gov.cn/": ("甲二县政府", "甲市甲二县", "pass"),
    "http://www.c.gov.cn/": ("乙一县政府", "乙市", "fail"),
    "http://www.d.gov.cn/": ("乙二县政府", "乙市", "pass"),
}


def _store(tmp_path) -> tuple[Store, dict[str, int]]:
    store = Store(f"sqlite:///{tmp_path / 'g.db'}")
    ids = {
        url: store.upsert_site(name, url, region=region, level="县")
        for url, (name, region, _) in SITES.items()
    }
    return store, ids


def _inspect_all(store: Store, run_id: int) -> None:
    """Store each member's inspection as the crawl would have (the verdicts of SITES)."""
    _run, members = wf.run_members(store, run_id)
    with store.unit_of_work() as uow:
        for site_id in members:
            site = uow.sites.get(site_id)
            verdict = SITES[site.url][2]
            findings = (
                [Finding("home.stale", "首页超过14天未更新", site.url, severity="veto")]
                if verdict == "fail"
                else []
            )
            insp = Inspection(
                site.name, site.url, site.url.split("/")[2], DAY, "gov-2019", verdict, 90.0,
                vetoes=[f.check for f in findings], findings=findings,
            )  # fmt: skip
            uow.inspections.add(site.id, insp, run_id=run_id)
        uow.run_sites.reconcile(run_id)


def _params(**kw):
    base = {"ratio": "1", "count": None, "by": ["region"], "min_per_group": 0, "seed": "1", "as_of": DAY}
    return wf.sample_parameters(**{**base, **kw})


def test_a_draw_limited_to_regions_takes_only_their_sites(tmp_path):
    store, ids = _store(tmp_path)
    drawn = wf.draw_run(store, _params(regions=["甲市"]), "sup")
    _run, members = wf.run_members(store, drawn.run_id)
    assert set(members) == {
        ids["http://www.a.gov.cn/"],
        ids["http://www.b.gov.cn/"],
    }  # 甲市 covers 甲市甲二县
    assert _run.parameters["running_by_level"] == {"县": 2}
    # without regions the parameters are what they were before (older runs still resume)
    assert "regions" not in _params()
    store.close()


def test_statistics_and_bulletin_over_the_sites_a_user_may_see(tmp_path):
    store, ids = _store(tmp_path)
    run_id = wf.draw_run(store, _params(), "admin").run_id
    _inspect_all(store, run_id)
    whole = wf.run_results(store, run_id)
    assert (whole.sampled, whole.overall.passed, whole.overall.failed) == (4, 2, 2)
    assert whole.running == 4

    yi = {ids["http://www.c.gov.cn/"], ids["http://www.d.gov.cn/"]}
    part = wf.run_results(store, run_id, yi)
    assert (part.sampled, part.overall.passed, part.overall.failed) == (2, 1, 1)
    assert [f.name for f in part.failing] == ["乙一县政府"]
    assert part.running == 0  # the running sites of a part of the province are not known

    stats, files = wf.bulletin_documents(store, ["docx", "xlsx"], run_id=run_id, site_ids=yi)
    assert stats.sampled == 2
    cells = {c.text for t in Document(io.BytesIO(files["docx"])).tables for r in t.rows for c in r.cells}
    assert "乙一县政府" in cells and "甲一县政府" not in cells
    book = load_workbook(io.BytesIO(files["xlsx"]), read_only=True)
    listed = [r[2] for r in book["附件3 突出问题网站名单"].iter_rows(min_row=2, values_only=True)]
    assert listed == ["乙一县政府"]

    summaries = wf.run_summaries(store, yi)
    assert [(s.run.id, s.sites, s.done, s.passed, s.failed) for s in summaries] == [(run_id, 2, 2, 1, 1)]
    assert wf.run_summaries(store, set()) == []
    store.close()
