"""The service core on the demo farm: the stored crawl is the whole contract, rescore reproduces
an inspection, history comes in with one repository call, saving and rendering stay off the loop."""

import asyncio
import datetime as dt
import json
import time
from dataclasses import replace

import pytest

from conftest import farm_settings
from govinspect.crawl.site import READ_FIELDS
from govinspect.demo import FarmServer, build_farm
from govinspect.model import site_model_from_data, site_model_to_data
from govinspect.registry import SiteTarget
from govinspect.rules import load_rubric
from govinspect.service import inspect as inspect_module
from govinspect.service import inspect_site, rescore, rescore_inspection, save_outcome
from govinspect.store import Store
from govinspect.store.codec import json_ready


def test_every_farm_crawl_round_trips_through_json(farm_run):
    for outcome in farm_run.outcomes.values():
        model = outcome.site_model
        data = json.loads(json.dumps(site_model_to_data(model), ensure_ascii=False))
        back = site_model_from_data(data)
        assert site_model_to_data(back) == data, model.url
        assert back.columns == model.columns and back.articles == model.articles
        assert back.page_facts == model.page_facts and back.crawler_facts == model.crawler_facts
        assert back.home_fingerprint == model.home_fingerprint and back.home_channels == model.home_channels
        assert back.links == [link for link in model.links if link.broken]
        assert back.probes == model.probes and back.footer == model.footer
        if model.home is not None:  # the body is not stored; that there was one is
            assert back.home.text == "" and back.home.has_body == model.home.has_body
            assert back.home.is_html == model.home.is_html


def test_rescoring_a_stored_farm_inspection_reproduces_its_findings(farm_run):
    store = farm_run.store
    with store.unit_of_work() as uow:
        ids = uow.inspections.latest_per_site()
        stored = [(uow.inspections.report(i), uow.inspections.site_model(i)) for i in ids]
    assert len(stored) == len(farm_run.farm.sites)
    for report, raw in stored:
        again = rescore_inspection(
            report, raw, load_rubric(report["rubric"]), dt.date.fromisoformat(report["as_of"])
        )
        fresh = json_ready(again.to_report())
        url = report["site"]["url"]
        assert fresh["findings"] == report["findings"], url
        assert (fresh["verdict"], fresh["score"], fresh["vetoes"]) == (
            report["verdict"],
            report["score"],
            report["vetoes"],
        ), url


def test_rescore_with_a_later_date_judges_dates_again(farm_run, tmp_path):
    """A content.fake_date 'later than the inspection day' is judged against the new day, not kept."""
    outcome = next(
        o
        for o in farm_run.outcomes.values()
        if any(f.check == "content.fake_date" and "晚于检查日" in f.message for f in o.inspection.findings)
    )
    with Store(f"sqlite:///{tmp_path / 'g.db'}") as store:
        insp_id = save_outcome(store, outcome, None, None)
        later = farm_run.farm.as_of + dt.timedelta(days=800)
        _, rescored = rescore(store, insp_id, as_of=later)
        _, same = rescore(store, insp_id)
    future = [f for f in rescored.findings if f.check == "content.fake_date" and "晚于检查日" in f.message]
    assert future == []
    assert [f.message for f in same.findings] == [f.message for f in outcome.inspection.findings]


def test_history_is_one_repository_call_and_saving_another(tmp_path, monkeypatch):
    farm = build_farm(dt.date(2026, 11, 22))
    farm.sites = [farm.site("www.qingshan.gov.cn")]
    calls = []
    real = Store.unit_of_work

    def counted(self, *args, **kwargs):
        calls.append(args[0] if args else "")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Store, "unit_of_work", counted)
    with Store(f"sqlite:///{tmp_path / 'g.db'}") as store, FarmServer(farm) as server:
        settings = farm_settings(farm, server, probes=2, probe_interval_s=0.05, max_pages=30)
        target = SiteTarget(url=farm.sites[0].url, name=farm.sites[0].name)
        first = asyncio.run(inspect_site(target, repo=store, settings=settings))
        assert calls == ["读取站点历史", f"保存“{first.inspection.site_name}”（{target.url}）的检查结果"]
        second = asyncio.run(inspect_site(target, repo=store, settings=settings))
        # The stored probes of the first inspection count towards the second one's availability.
        # Every home-page request of a run is a probe: 2 scheduled, the crawl's fetch, the crawler view.
        per_run = len(first.new_probes)
        assert sorted({p.source for p in first.new_probes}) == ["crawl", "crawler_view", "probe"]
        assert len(second.new_probes) == per_run and len(second.site_model.probes) == 2 * per_run
        with store.unit_of_work() as uow:
            assert (
                len(uow.probes.list(second.inspection_id and uow.inspections.site_id(second.inspection_id)))
                == 2 * per_run
            )
            recheck = uow.inspections.recheck(first.inspection_id, second.inspection_id)
    assert recheck.fixed == [] and recheck.new == []
    assert len(recheck.not_fixed) == len(first.inspection.findings)


class LoopLag:
    """Measures how late the event loop wakes a 10 ms sleeper: the loop's blocking."""

    def __init__(self):
        self.worst = 0.0
        self.task = None

    async def _run(self):
        while True:
            t0 = time.monotonic()
            await asyncio.sleep(0.01)
            self.worst = max(self.worst, time.monotonic() - t0 - 0.01)

    def start(self):
        self.task = asyncio.create_task(self._run())

    async def stop(self):
        self.task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await self.task


# Long against the crawl's own parsing on the loop (up to ~0.2 s a page batch on a loaded machine).
SLOW_WRITE_S = 2.5  # a blocked loop shows all of it; sub-second hiccups of a loaded machine stay under half
WRITES: list[tuple[float, float]] = []  # (start, end) of each slow write, time.time()


def slow_writer(inspection, settings):
    """A report renderer as slow as a large XLSX/DOCX, blocking its thread."""
    start = time.time()
    time.sleep(SLOW_WRITE_S)
    WRITES.append((start, time.time()))
    return []


def test_the_lag_monitor_sees_a_renderer_run_on_the_loop():
    # Guards the test below: rendering on the loop would be seen.
    async def main():
        lag = LoopLag()
        lag.start()
        await asyncio.sleep(0.05)
        slow_writer(None, None)
        await asyncio.sleep(0.05)
        await lag.stop()
        return lag.worst

    assert asyncio.run(main()) >= SLOW_WRITE_S * 0.8


@pytest.mark.slow
def test_report_writing_does_not_delay_probes_of_other_sites(tmp_path, monkeypatch):
    """One site is saved and written (slowly) while another site's probes run: their intervals hold."""
    monkeypatch.setattr(inspect_module, "write_site_reports", slow_writer)
    WRITES.clear()
    farm = build_farm(dt.date(2026, 11, 22))
    farm.sites = [farm.site("www.qingshan.gov.cn"), farm.site("www.baishui.gov.cn")]
    interval = 0.2
    with Store(f"sqlite:///{tmp_path / 'g.db'}") as store, FarmServer(farm) as server:
        base = replace(farm_settings(farm, server, max_pages=10, probe_interval_s=interval), out_dir=tmp_path)
        quick = replace(base, crawl=replace(base.crawl, probes=1))  # done (and written) early
        probing = replace(base, crawl=replace(base.crawl, probes=25))  # probes for about 5 s

        async def main():
            lag = LoopLag()
            lag.start()
            a, b = farm.sites
            outcomes = await asyncio.gather(
                inspect_site(SiteTarget(url=a.url, name=a.name), repo=store, settings=quick),
                inspect_site(SiteTarget(url=b.url, name=b.name), repo=store, settings=probing),
            )
            await lag.stop()
            return outcomes, lag.worst

        (written, probed), worst = asyncio.run(main())
    assert written.inspection_id and probed.inspection_id
    start, end = WRITES[0]
    during = [p for p in probed.site_model.probes if start <= p.at.timestamp() <= end]
    assert during, "the other site was probed while the report was written"
    # Rendering on the loop would block it (and delay the probes) for the whole write.
    assert worst < SLOW_WRITE_S / 2, f"event loop blocked {worst:.2f} s"
    at = [p.at for p in probed.site_model.probes]
    gaps = [(y - x).total_seconds() for x, y in zip(at, at[1:], strict=False)]
    assert max(gaps) < interval + SLOW_WRITE_S / 2, gaps


@pytest.mark.parametrize("backlog", [0, 10**6])
def test_pages_read_here_or_in_the_check_worker_give_the_same_inspection(monkeypatch, backlog):
    """A busy check worker leaves the parsing of a crawl's pages to this process: the inspection and
    the stored model are the same wherever the pages were read (and the same as in a thread)."""
    farm = build_farm(dt.date(2026, 11, 22))
    host = "www.hongfeng.gov.cn"  # a cloaked home page: crawler views and their facts too

    def inspect(processes: int, backlog: int):
        monkeypatch.setattr(inspect_module, "_WORKER_BACKLOG", backlog)
        with FarmServer(farm) as server:
            settings = replace(farm_settings(farm, server, probes=1), check_processes=processes)
            return asyncio.run(inspect_site(SiteTarget(url=f"http://{host}/"), repo=None, settings=settings))

    def unordered(value):
        # Pages are kept in the order their fetches finished: a crawl's timing, not its reading.
        return (
            sorted(value, key=lambda v: json.dumps(v, sort_keys=True)) if isinstance(value, list) else value
        )

    def comparable(outcome):
        # What the reading gives (READ_FIELDS and the seals of the kept pages), and the report.
        data = site_model_to_data(outcome.site_model)
        read = {name: unordered(data[name]) for name in READ_FIELDS}
        read["seals"] = [(data[p]["body_hash"], data[p]["looks_html"]) for p in ("home", "crawler_view")]
        report = json_ready(outcome.inspection.to_report())
        report.pop("stats"), report.pop("availability")
        report["findings"] = unordered(report["findings"])
        return report, read

    in_thread = comparable(inspect(0, backlog))
    in_worker = comparable(inspect(1, backlog))
    assert in_worker == in_thread
    assert in_worker[1]["page_facts"] and in_worker[1]["articles"] and in_worker[1]["crawler_facts"]
    assert in_worker[1]["seals"][0][0] and in_worker[1]["seals"][1][0]
