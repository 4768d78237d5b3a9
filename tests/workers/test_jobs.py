"""Run bookkeeping without workers: idempotent saving (also under parallel writers), progress,
cancelling, retries ending in an error inspection, settings carried to workers, and the CLI's
Chinese errors. PostgreSQL and RabbitMQ are the real local servers."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import replace

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from govinspect import service
from govinspect.cli import app as cli
from govinspect.crawl import CrawlBudget
from govinspect.fetch import FetchSettings
from govinspect.registry import SiteTarget
from govinspect.service import SiteOutcome
from govinspect.settings import Settings
from govinspect.store import NotFoundError, Store
from govinspect.store.models import InspectionRecord
from govinspect.workers import (
    cancel_run,
    inspect_run_task,
    jobs,
    make_app,
    run_progress,
    run_settings,
    settings_data,
)
from govinspect.workers.app import INSPECT_TASK

AS_OF = dt.date(2026, 11, 20)
URLS = ["http://a.gov.cn/", "http://b.gov.cn/", "http://c.gov.cn/"]


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'govinspect.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    with Store(url) as s:
        yield s


def queued_run(store: Store, urls=URLS, parameters: dict | None = None) -> int:
    params = {"settings": settings_data(replace(Settings(), as_of=AS_OF))} | (parameters or {})
    with store.unit_of_work() as uow:
        run_id = uow.runs.start("manual", "test", params)
        uow.run_tasks.add(run_id, [{"url": u, "name": f"站点{i}"} for i, u in enumerate(urls)])
    return run_id


def outcome_for(url: str) -> SiteOutcome:
    target = SiteTarget(url=url, name="某县人民政府")
    return SiteOutcome(service.error_inspection(target, AS_OF, "gov-2019", "测试"), None)


def count_inspections(store: Store) -> int:
    with store.unit_of_work() as uow:
        return uow.session.scalar(select(func.count(InspectionRecord.id)))


def test_saving_a_site_of_a_run_twice_stores_one_inspection(store):
    run_id = queued_run(store)
    target = SiteTarget(url=URLS[0])
    first = service.save_outcome(store, outcome_for(URLS[0]), target, run_id)
    again = service.save_outcome(store, outcome_for(URLS[0]), target, run_id)
    assert again == first
    assert count_inspections(store) == 1
    with store.unit_of_work() as uow:
        row = uow.run_tasks.lock(run_id, URLS[0])
    assert (row.status, row.inspection_id) == ("failed", first)  # an error inspection: failed, kept


def test_a_local_run_without_run_tasks_still_appends(store):
    with store.unit_of_work() as uow:
        run_id = uow.runs.start("manual", "test")
    target = SiteTarget(url=URLS[0])
    ids = {service.save_outcome(store, outcome_for(URLS[0]), target, run_id) for _ in range(2)}
    assert len(ids) == 2


def test_parallel_writers_store_one_inspection_per_site(pg_url):
    """Eight threads (two per site, on four sites) saving at once on PostgreSQL."""
    urls = [f"http://s{i}.gov.cn/" for i in range(4)]
    with Store(pg_url) as store:
        run_id = queued_run(store, urls)
        errors: list[BaseException] = []
        barrier = threading.Barrier(8)

        def save(url: str) -> None:
            try:
                barrier.wait()
                service.save_outcome(store, outcome_for(url), SiteTarget(url=url), run_id)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=save, args=(u,)) for u in urls * 2]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert errors == []
        with store.unit_of_work() as uow:
            rows = uow.inspections.list(run_id=run_id)
        assert sorted(r.site_url for r in rows) == sorted(urls)


def test_progress_counts_sites_per_state(store):
    run_id = queued_run(store)
    with store.unit_of_work() as uow:
        uow.run_tasks.claim(run_id, URLS[0], "w1", "北京")
    service.save_outcome(store, outcome_for(URLS[1]), SiteTarget(url=URLS[1]), run_id)
    progress = run_progress(store, run_id)
    assert progress.counts == {"queued": 1, "running": 1, "done": 0, "failed": 1, "cancelled": 0}
    assert not progress.finished
    assert progress.text() == "排队 1，检查中 1，完成 0，失败 1，已取消 0（共 3）"


def test_cancelled_sites_are_skipped_and_the_run_ends(store):
    run_id = queued_run(store)
    with store.unit_of_work() as uow:
        uow.run_tasks.claim(run_id, URLS[0], "w1", "local")  # running: it will finish
    assert cancel_run(store, run_id) == 2
    result = inspect_run_task(store, run_id, URLS[1], Settings(), worker="w2")
    assert result["skipped"] and result["status"] == "cancelled"
    progress = run_progress(store, run_id)
    assert progress.status == "cancelled" and progress.counts["cancelled"] == 2
    assert count_inspections(store) == 0


def test_unknown_run_or_site_is_a_chinese_not_found(store):
    with pytest.raises(NotFoundError, match="检查批次不存在"):
        inspect_run_task(store, 999, URLS[0], Settings(), worker="w")
    run_id = queued_run(store)
    with pytest.raises(NotFoundError, match="中没有网站"):
        inspect_run_task(store, run_id, "http://unknown.gov.cn/", Settings(), worker="w")


def test_the_last_site_finishes_the_run(store):
    run_id = queued_run(store, URLS[:1])
    with store.unit_of_work() as uow:
        uow.run_tasks.claim(run_id, URLS[0], "w", "local")
    service.save_outcome(store, outcome_for(URLS[0]), SiteTarget(url=URLS[0]), run_id)
    assert jobs.finish_if_complete(store, run_id)
    assert run_progress(store, run_id).status == "finished"


def test_a_site_failing_every_retry_is_stored_as_an_error_inspection(store, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(jobs, "_inspect", broken)
    run_id = queued_run(store, URLS[:1])
    settings = replace(Settings(), database_url=str(store.engine.url.render_as_string(False)), task_retries=2)
    task = make_app(settings).tasks[INSPECT_TASK]
    task.apply(args=[run_id, URLS[0]])  # eager: the retries run at once
    with store.unit_of_work() as uow:
        row = uow.run_tasks.lock(run_id, URLS[0])
        report = uow.inspections.report(row.inspection_id)
    assert row.status == "failed" and row.attempts == 3  # the first try and two retries
    assert report["verdict"] == "error" and "磁盘已满" in row.error
    assert count_inspections(store) == 1
    assert run_progress(store, run_id).status == "finished"


def test_a_run_carries_its_inspection_settings_to_the_workers():
    mine = replace(
        Settings(),
        as_of=AS_OF,
        crawl_date=AS_OF,
        rubric="gov-2015",
        probe_timeout_s=7.0,
        fetch=FetchSettings(timeout_s=3.0, proxy="http://127.0.0.1:9", trust_env=False),
        crawl=CrawlBudget(max_pages=50, probes=2),
    )
    worker = replace(Settings(), database_url="postgresql+psycopg://w@db/x", vantage="广州")
    got = run_settings(worker, settings_data(mine))
    assert (got.fetch, got.crawl, got.as_of, got.crawl_date) == (mine.fetch, mine.crawl, AS_OF, AS_OF)
    assert (got.rubric, got.probe_timeout_s) == ("gov-2015", 7.0)
    assert (got.database_url, got.vantage, got.out_dir) == ("postgresql+psycopg://w@db/x", "广州", None)


# -- the CLI ------------------------------------------------------------------------------------


def sites_file(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text("name,url\n" + "".join(f"站点{i},{u}\n" for i, u in enumerate(URLS)), encoding="utf-8")
    return path


def test_unreachable_broker_is_a_clear_chinese_error(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVINSPECT_BROKER_URL", "amqp://guest:guest@127.0.0.1:1//")
    db = f"sqlite:///{tmp_path / 'g.db'}"
    result = CliRunner().invoke(
        cli, ["check", "--sites", str(sites_file(tmp_path)), "--distributed", "--db", db]
    )
    assert result.exit_code == 2
    assert "无法连接消息队列" in result.output and "127.0.0.1:1" in result.output
    result = CliRunner().invoke(cli, ["worker", "--db", db])
    assert result.exit_code == 2 and "无法连接消息队列" in result.output


def test_status_of_an_unknown_run_is_a_chinese_error(tmp_path):
    result = CliRunner().invoke(cli, ["run", "status", "42", "--db", f"sqlite:///{tmp_path / 'g.db'}"])
    assert result.exit_code == 2 and "检查批次不存在（编号 42）" in result.output


def test_submit_without_waiting_then_status_and_cancel(tmp_path, dist_settings, monkeypatch):
    monkeypatch.setenv("GOVINSPECT_BROKER_URL", dist_settings.broker_url)
    monkeypatch.setenv("GOVINSPECT_QUEUE", dist_settings.queue)  # no worker listens on it
    db = ["--db", dist_settings.database_url]
    runner = CliRunner()
    result = runner.invoke(
        cli, ["check", "--sites", str(sites_file(tmp_path)), "--distributed", "--no-wait", *db]
    )
    assert result.exit_code == 0, result.output
    assert "已提交检查批次 1：3个网站" in result.output
    result = runner.invoke(cli, ["run", "status", "1", "--sites", *db])
    assert result.exit_code == 0 and "检查批次 1（进行中）：排队 3，" in result.output
    result = runner.invoke(cli, ["run", "cancel", "1", *db])
    assert result.exit_code == 0 and "3个排队中的网站不再检查" in result.output
    result = runner.invoke(cli, ["run", "status", "1", *db])
    assert "（已取消）" in result.output and "已取消 3" in result.output
    # the three messages wait in the broker: one per site
    with make_app(dist_settings).connection_for_write() as conn:
        declared = conn.default_channel.queue_declare(dist_settings.queue, passive=True)
    assert declared.message_count == 3


def test_dispatch_starts_untimed_then_longest_sites():
    seconds = {"http://a.gov.cn/": 5.0, "http://b.gov.cn/": 90.0, "http://d.gov.cn/": 30.0}
    urls = ["http://a.gov.cn/", "http://b.gov.cn/", "http://c.gov.cn/", "http://d.gov.cn/"]
    order = jobs.longest_first(urls, lambda asked: {u: s for u, s in seconds.items() if u in asked})
    assert order == ["http://c.gov.cn/", "http://b.gov.cn/", "http://d.gov.cn/", "http://a.gov.cn/"]
