"""A run asked to stop (the web server shutting down) ends soon, keeps what it saved and resumes
with the rest; the farm's hanging site keeps its crawl busy far longer than the test waits."""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import replace

import pytest

from conftest import farm_settings
from govinspect.demo import FarmServer, build_farm
from govinspect.service import workflow as wf
from govinspect.service.inspect import InspectionStopped
from govinspect.store import Store

QUICK, HANGING = "http://www.qingshan.gov.cn/", "http://www.manman.gov.cn/"


def test_a_stopped_run_ends_soon_and_resumes_with_the_rest(tmp_path):
    farm = build_farm(dt.date.today(), include_bad=True)
    names = {s.url: s.name for s in farm.sites}
    store = Store(f"sqlite:///{tmp_path / 'stop.db'}")
    ids = {url: store.upsert_site(names[url], url, region="甲市") for url in (QUICK, HANGING)}
    with FarmServer(farm) as server:
        settings = farm_settings(farm, server, max_pages=30)
        # the hanging site would hold its crawl for minutes with these timeouts
        settings = replace(settings, fetch=replace(settings.fetch, timeout_s=120.0))
        params = wf.sample_parameters(
            ratio="1", count=None, by=[], min_per_group=0, seed="s", as_of=farm.as_of
        )
        run_id = wf.draw_run(store, params, "admin").run_id
        stop, saved, failure = threading.Event(), [], []

        def work():
            try:
                wf.inspect_run(store, settings, run_id, on_result=saved.append, stop=stop)
            except InspectionStopped as exc:
                failure.append(exc)

        thread = threading.Thread(target=work)
        thread.start()
        deadline = time.monotonic() + 120
        while not saved and time.monotonic() < deadline:  # the quick site is inspected and saved
            time.sleep(0.2)
        assert [o.inspection.url for o in saved] == [QUICK]
        stop.set()
        asked = time.monotonic()
        thread.join(timeout=100)
        assert not thread.is_alive(), "the run did not stop"
        assert time.monotonic() - asked < 60  # the hanging site alone holds a crawl for 120 s
    assert failure and "已中断" in str(failure[0])
    run, members = wf.run_members(store, run_id)
    assert run.status != "finished"
    assert members[ids[QUICK]] is not None and members[ids[HANGING]] is None
    assert [t.url for t in wf.pending_targets(store, run_id)] == [HANGING]
    store.close()


def test_a_stop_already_set_inspects_nothing(tmp_path):
    farm = build_farm(dt.date.today())
    store = Store(f"sqlite:///{tmp_path / 'stop.db'}")
    store.upsert_site("青山县人民政府", QUICK, region="甲市")
    with FarmServer(farm) as server:
        settings = farm_settings(farm, server)
        params = wf.sample_parameters(
            ratio="1", count=None, by=[], min_per_group=0, seed="s", as_of=farm.as_of
        )
        run_id = wf.draw_run(store, params, "admin").run_id
        stop = threading.Event()
        stop.set()
        with pytest.raises(InspectionStopped):
            wf.inspect_run(store, settings, run_id, stop=stop)
    assert [t.url for t in wf.pending_targets(store, run_id)] == [QUICK]
    store.close()
