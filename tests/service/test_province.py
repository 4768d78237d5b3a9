"""Province-scale behaviour on local servers: one hanging link target costs one timeout
for the whole batch, a per-site deadline ends a slow site with what it has and says what was not
checked, sites at once follow the request caps, and a batch can keep only the summaries."""

import asyncio
import datetime as dt
import time
from collections import Counter
from dataclasses import replace

from aiohttp import web

from govinspect.crawl import CrawlBudget, crawl_site
from govinspect.crawl.site import REASON_DEADLINE, REASON_DEADLINE_COLUMNS
from govinspect.fetch import Fetcher, FetchSettings
from govinspect.registry import SiteTarget
from govinspect.service import inspect_many
from govinspect.settings import Settings
from localserver import serve

DAY = dt.date(2026, 11, 20)
COLUMNS = ("政务动态", "通知公告", "政策文件", "人事任免")


def run(coro, limit_s: float = 20.0):
    return asyncio.run(asyncio.wait_for(coro, limit_s))


def html(body: str) -> web.Response:
    page = f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>某某县人民政府</title></head><body>{body}</body></html>'
    return web.Response(text=page, content_type="text/html")


def home_page(prefix: str, extra: str = "") -> str:
    nav = "".join(f'<li><a href="{prefix}col{i}/">{name}</a></li>' for i, name in enumerate(COLUMNS))
    return f"<ul>{nav}</ul>{extra}<p>某某县人民政府 版权所有</p>"


def column_page(name: str) -> str:
    items = "".join(
        f'<li><a href="art{k}.html">关于做好{name}工作的通知{k}</a><span>2026-11-{10 + k}</span></li>'
        for k in range(5)
    )
    return f"<h2>{name}</h2><ul>{items}</ul>"


def quick_settings(**fetch) -> Settings:
    budget = CrawlBudget(probes=1, probe_timeout_s=1.0, crawler_view=False, use_sitemap=False)
    fetch_settings = FetchSettings(timeout_s=0.5, retries=1, backoff_s=0.01, trust_env=False, **fetch)
    return replace(Settings(), crawl=budget, fetch=fetch_settings, out_dir=None, as_of=DAY, crawl_date=DAY)


def test_five_sites_linking_to_one_hanging_target_cost_one_timeout():
    hang_hits = Counter()

    async def hang(request):
        hang_hits[request.method] += 1
        await asyncio.sleep(10)
        return html("late")

    def sites_handler(target: str):
        async def handler(request):
            parts = request.path.strip("/").split("/")
            if request.path == "/robots.txt":
                return web.Response(status=404)
            if len(parts) == 1:  # /sN/: a home page linking to the hanging partner site
                return html(home_page(f"/{parts[0]}/", f'<a href="{target}/partner">合作单位</a>'))
            if len(parts) == 2:
                return html(column_page("政务动态"))
            return html("<p>正文</p>")

        return handler

    async def go():
        async with serve(hang) as target, serve(sites_handler(target)) as base:
            targets = [SiteTarget(url=f"{base}/s{i}/") for i in range(5)]
            outcomes = await inspect_many(targets, repo=None, settings=quick_settings())
            return target, outcomes

    target, outcomes = run(go())
    assert sum(hang_hits.values()) == 1  # HEAD once, no GET fallback, no retry, shared by the run
    for outcome in outcomes:
        partner = [link for link in outcome.site_model.links if link.url == target + "/partner"]
        assert len(partner) == 1 and partner[0].broken and "超时" in partner[0].error


def slow_site(hits: Counter, delay_s: float):
    """Home page at once; every column list page after `delay_s`."""

    async def handler(request):
        hits[request.path] += 1
        if request.path == "/robots.txt":
            return web.Response(status=404)
        if request.path == "/":
            return html(home_page("/", '<a href="/about.html">关于我们</a>'))
        if request.path.endswith("/"):
            await asyncio.sleep(delay_s)
            return html(column_page("政务动态"))
        return html("<p>正文</p>")

    return handler


def test_site_deadline_ends_a_slow_site_with_what_it_has():
    async def go():
        hits = Counter()
        budget = CrawlBudget(
            probes=1, probe_timeout_s=5.0, crawler_view=False, use_sitemap=False, site_deadline_s=1.0
        )
        fetch = FetchSettings(timeout_s=8.0, retries=0, trust_env=False)
        async with serve(slow_site(hits, delay_s=4.0)) as base, Fetcher(fetch) as f:
            started = time.monotonic()
            site = await crawl_site(base + "/", f, reference=DAY, budget=budget)
            return site, time.monotonic() - started, base

    site, elapsed, base = run(go())
    assert elapsed < 3.0  # not the 4 s the column pages take
    assert site.home is not None and site.home.ok
    assert site.skipped[REASON_DEADLINE] == 1 and site.skipped[REASON_DEADLINE_COLUMNS] == len(COLUMNS)
    assert all(c.error == "检查时限已到，栏目页未检查" and c.pages_read == 0 for c in site.columns)
    assert any("检查时限（1秒）已到" in e and "政务动态" in e for e in site.errors)
    # Links met on the home page are still checked, on their own limit.
    assert base + "/about.html" in {link.url for link in site.links}
    assert len(site.probes) >= 1 and site.probes[0].ok


def test_deadline_inspection_does_not_judge_unread_columns():
    async def go():
        hits = Counter()
        settings = quick_settings().with_options(site_deadline=1.0)
        async with serve(slow_site(hits, delay_s=4.0)) as base:
            return await inspect_many([SiteTarget(url=base + "/")], repo=None, settings=settings)

    (outcome,) = run(go())
    checks = {f.check for f in outcome.inspection.findings}
    assert not checks & {"column.empty", "column.stale_dynamic", "column.stale_policy", "column.stale_long"}
    assert outcome.inspection.stats["skipped"][REASON_DEADLINE_COLUMNS] == len(COLUMNS)
    assert any("检查时限" in e for e in outcome.inspection.stats["crawl_errors"])


def test_without_a_deadline_hit_the_site_is_read_as_before():
    async def go():
        hits = Counter()
        budget = CrawlBudget(probes=1, crawler_view=False, use_sitemap=False, site_deadline_s=30.0)
        fetch = FetchSettings(timeout_s=5.0, retries=0, trust_env=False)
        async with serve(slow_site(hits, delay_s=0.0)) as base, Fetcher(fetch) as f:
            return await crawl_site(base + "/", f, reference=DAY, budget=budget)

    site = run(go())
    assert REASON_DEADLINE not in site.skipped
    assert all(c.pages_read == 1 and c.error is None and len(c.items) == 5 for c in site.columns)


def test_sites_at_once_follow_the_request_caps():
    assert Settings().sites_at_once() == 16  # 32 requests, 4 per host: 8 sites fill it, twice that
    caps = FetchSettings(total=12, per_host=4)
    assert replace(Settings(), fetch=caps).sites_at_once() == 6
    polite = FetchSettings(total=12, per_host=4, delay_s=1.0)  # about one request per site at a time
    assert replace(Settings(), fetch=polite).sites_at_once() == 24
    assert replace(Settings(), site_concurrency=3).sites_at_once() == 3
    assert Settings.from_env({"GOVINSPECT_SITE_CONCURRENCY": "5"}).sites_at_once() == 5


def test_sites_at_once_caps_the_sites_in_flight():
    busy = {"now": 0, "max": 0}

    async def handler(request):
        if request.path == "/robots.txt":
            return web.Response(status=404)
        busy["now"] += 1
        busy["max"] = max(busy["max"], busy["now"])
        await asyncio.sleep(0.2)
        busy["now"] -= 1
        return web.Response(status=503)  # each site is its home page only

    async def go():
        settings = replace(quick_settings(), site_concurrency=2)
        settings = replace(settings, fetch=replace(settings.fetch, retries=0))
        settings = replace(settings, crawl=replace(settings.crawl, probes=0))
        async with serve(handler) as base:
            targets = [SiteTarget(url=f"{base}/s{i}/") for i in range(6)]
            return await inspect_many(targets, repo=None, settings=settings)

    outcomes = run(go())
    assert len(outcomes) == 6 and busy["max"] == 2


def test_a_batch_can_keep_only_the_summaries():
    seen_models = []

    async def go():
        async with serve(slow_site(Counter(), delay_s=0.0)) as base:
            targets = [SiteTarget(url=f"{base}/")]
            return await inspect_many(
                targets,
                repo=None,
                settings=quick_settings(),
                keep_models=False,
                on_result=lambda o: seen_models.append(o.site_model),
            )

    (outcome,) = run(go())
    assert outcome.site_model is None and outcome.new_probes == []
    assert outcome.inspection.stats["pages"] >= 1
    assert seen_models[0] is not None and seen_models[0].columns  # the callback saw the whole site


def test_site_deadline_setting_and_options():
    assert Settings().crawl.site_deadline_s == 600.0
    assert Settings().with_options(site_deadline=45).crawl.site_deadline_s == 45
    env = Settings.from_env({"GOVINSPECT_SITE_DEADLINE": "90"})
    assert env.crawl.site_deadline_s == 90.0


def test_cli_passes_site_deadline_and_sites_at_once(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from govinspect import cli

    seen = {}

    def fake_run(targets, settings, parameters):
        seen["settings"] = settings
        return []

    monkeypatch.setattr(cli, "run_and_report", fake_run)
    result = CliRunner().invoke(
        cli.app,
        ["check", "http://www.example.gov.cn/", "--site-deadline", "120", "--sites-at-once", "7"],
    )
    assert result.exit_code == 0, result.output
    assert seen["settings"].crawl.site_deadline_s == 120.0 and seen["settings"].sites_at_once() == 7


# -- probes on their own clock, checks in a worker process, summaries only -------------------------


def test_a_hanging_home_page_costs_one_timeout_and_its_probes_overlap():
    gets = Counter()
    hanging = {"now": 0, "max": 0}
    finished: list[str] = []

    async def hang(request):
        if request.path == "/robots.txt":
            return web.Response(status=404)
        gets[request.method] += 1
        hanging["now"] += 1
        hanging["max"] = max(hanging["max"], hanging["now"])
        try:
            await asyncio.sleep(6)  # past every timeout
        finally:
            hanging["now"] -= 1
        return html("late")

    async def go():
        settings = quick_settings()
        budget = replace(settings.crawl, probes=3, probe_interval_s=0.1)
        settings = replace(settings, crawl=budget, probe_timeout_s=3.0).with_options(timeout=3.0)
        async with serve(hang) as dead, serve(slow_site(Counter(), delay_s=0.0)) as alive:
            targets = [SiteTarget(url=dead + "/"), SiteTarget(url=alive + "/")]
            return await inspect_many(
                targets, repo=None, settings=settings, on_result=lambda o: finished.append(o.inspection.url)
            )

    dead, alive = run(go(), limit_s=40)
    # Three probes and one home request: the timed-out home page is not asked again when the
    # first probe timed out too; the probes did not wait for each other (all three were out at once).
    assert gets == Counter({"GET": 4}) and hanging["max"] >= 3
    # Each of the four requests counts as a failed probe (the crawl's home request is one too).
    assert dead.inspection.availability["probes"] == 4 and dead.inspection.availability["failures"] == 4
    # The other site's probes and crawl went on meanwhile: it was done first, with every probe ok.
    assert finished[0] == alive.inspection.url and alive.inspection.availability["failures"] == 0


def _die_once(marker: str) -> int:
    """In the check worker: exit hard the first time (a kill), answer the second time."""
    import os
    from pathlib import Path

    if not Path(marker).exists():
        Path(marker).write_text("died")
        os._exit(1)
    return os.getpid()


def _die_always(*args, **kwargs):
    import os

    os._exit(1)


def test_a_check_worker_that_dies_mid_task_is_replaced_and_the_task_retried(tmp_path):
    from govinspect.service.checkpool import CheckPool

    pool = CheckPool(1)
    try:
        pid = run(pool.run(_die_once, str(tmp_path / "marker")), limit_s=60)
    finally:
        pool.shutdown()
    assert (tmp_path / "marker").exists() and pool.restarts == 1 and pid > 0


def test_a_site_whose_checks_always_kill_the_worker_is_reported_and_the_batch_goes_on(monkeypatch):
    from govinspect.service import inspect as inspect_module
    from govinspect.service.checkpool import CheckPool

    pool = CheckPool(1)
    monkeypatch.setattr(inspect_module, "check_pool", lambda n: pool)
    monkeypatch.setattr(inspect_module, "build_inspection", _die_always)

    async def go():
        async with serve(slow_site(Counter(), delay_s=0.0)) as base:
            return await inspect_many([SiteTarget(url=base + "/")], repo=None, settings=quick_settings())

    try:
        (outcome,) = run(go(), limit_s=90)
    finally:
        pool.shutdown()
    assert outcome.inspection.verdict == "error"
    assert "检查进程异常退出" in outcome.inspection.error and pool.restarts == 3


def test_a_killed_check_worker_loses_no_site_of_the_batch():
    import os
    import signal

    from govinspect.service.checkpool import check_pool

    pool = check_pool(1)
    killed: list[int] = []

    def kill_after_first(outcome) -> None:
        if not killed:
            killed.extend(pool.worker_pids())
            for pid in killed:
                os.kill(pid, signal.SIGKILL)

    async def go(settings, on_result=None):
        async with serve(slow_site(Counter(), delay_s=0.0)) as base:
            targets = [SiteTarget(url=f"{base}/?s={i}") for i in range(3)]
            return await inspect_many(targets, repo=None, settings=settings, on_result=on_result)

    settings = replace(quick_settings(), site_concurrency=1, check_processes=1)
    in_process = run(go(settings, kill_after_first), limit_s=90)
    in_thread = run(go(replace(settings, check_processes=0)), limit_s=60)
    assert killed and not set(killed) & set(pool.worker_pids())  # a new worker took over
    assert [o.inspection.verdict for o in in_process] == [o.inspection.verdict for o in in_thread]
    assert "error" not in {o.inspection.verdict for o in in_process}
    assert [sorted(f.check for f in o.inspection.findings) for o in in_process] == [
        sorted(f.check for f in o.inspection.findings) for o in in_thread
    ]


def test_check_processes_setting():
    assert Settings().check_processes == 1
    assert Settings.from_env({"GOVINSPECT_CHECK_PROCESSES": "0"}).check_processes == 0


def test_a_batch_keeping_summaries_holds_no_site_model():
    import gc
    import weakref

    models: list[weakref.ref] = []

    async def go():
        async with serve(slow_site(Counter(), delay_s=0.0)) as base:
            targets = [SiteTarget(url=f"{base}/?s={i}") for i in range(3)]
            return await inspect_many(
                targets,
                repo=None,
                settings=quick_settings(),
                keep_models=False,
                on_result=lambda o: models.append(weakref.ref(o.site_model)),
            )

    outcomes = run(go())
    gc.collect()
    assert len(models) == 3 and all(ref() is None for ref in models)
    assert all(o.site_model is None and o.inspection.columns for o in outcomes)


def test_a_batch_keeping_summaries_keeps_the_report_but_not_the_column_lists():
    import gc
    import weakref

    reports: dict[str, dict] = {}
    items: list[weakref.ref] = []

    def on_result(outcome) -> None:
        insp = outcome.inspection
        reports[insp.url] = insp.to_report()
        items.extend(weakref.ref(i) for c in insp.columns for i in c.items)

    async def go():
        async with serve(slow_site(Counter(), delay_s=0.0)) as base:
            targets = [SiteTarget(url=f"{base}/?s={i}") for i in range(2)]
            return await inspect_many(
                targets, repo=None, settings=quick_settings(), keep_models=False, on_result=on_result
            )

    outcomes = run(go())
    gc.collect()
    assert [o.inspection.to_report() for o in outcomes] == [reports[o.inspection.url] for o in outcomes]
    listed = sum(r["items"] for report in reports.values() for r in report["columns"])
    alive = sum(1 for ref in items if ref() is not None)
    dated = sum(1 for report in reports.values() for r in report["columns"] if r["latest"])
    assert len(items) == listed > dated and alive == dated  # one item a dated column: its latest


UNGUARDED_SCRIPT = """
import asyncio, os, sys
from collections import Counter
sys.path[:0] = {paths!r}
from test_province import SiteTarget, inspect_many, quick_settings, serve, slow_site
print("top level", os.getpid(), flush=True)

async def go():
    async with serve(slow_site(Counter(), delay_s=0.0)) as base:
        return await inspect_many([SiteTarget(url=base + "/")], repo=None, settings=quick_settings())

(outcome,) = asyncio.run(go())
print("verdict", outcome.inspection.verdict, flush=True)
"""


def test_a_script_without_a_main_guard_is_not_run_again_by_the_check_worker(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    here = Path(__file__).resolve().parent
    script = tmp_path / "batch.py"
    script.write_text(UNGUARDED_SCRIPT.format(paths=[str(here), str(here.parent)]))
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=180, check=False
    )
    lines = done.stdout.splitlines()
    assert done.returncode == 0, done.stderr[-2000:]
    assert sum(line.startswith("top level") for line in lines) == 1
    assert lines[-1] in ("verdict pass", "verdict fail")
