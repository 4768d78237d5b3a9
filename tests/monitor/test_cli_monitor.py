"""`govinspect monitor` (in process, short), `monitor status`, `alerts add/list/test`."""

from typer.testing import CliRunner

from govinspect.cli import app

from .farm import UP, WAF, always, farm, outage
from .servers import free_port, receiver

runner = CliRunner()


def cli(*args):
    return runner.invoke(app, list(args))


def test_alerts_add_list_and_test(tmp_path):
    db = f"sqlite:///{tmp_path / 'm.db'}"
    with receiver() as (hook, accepted, _):
        added = cli("alerts", "add", f"json://127.0.0.1:{hook}/hook", "--kinds", "down,recovered", "--db", db)
        assert added.exit_code == 0, added.output
        assert "已添加告警通道 1" in added.output
        digest = cli("alerts", "add", f"json://127.0.0.1:{hook}/daily", "--digest", "--db", db)
        assert digest.exit_code == 0 and "每日汇总" in digest.output
        listed = cli("alerts", "list", "--db", db)
        assert "无法访问、恢复访问" in listed.output and "逐条发送" in listed.output
        tested = cli("alerts", "test", "--db", db)
    assert tested.exit_code == 0, tested.output
    assert [m["title"] for m in accepted] == ["【测试】政府网站监测告警"] * 2


def test_alerts_add_rejects_unknown_kinds_and_channels(tmp_path):
    db = f"sqlite:///{tmp_path / 'm.db'}"
    kinds = cli("alerts", "add", "json://127.0.0.1:1/x", "--kinds", "down,boom", "--db", db)
    assert kinds.exit_code == 2 and "未知的告警类型：boom" in kinds.output
    channel = cli("alerts", "add", "nosuchscheme://x", "--db", db)
    assert channel.exit_code == 2 and "无法识别的通知地址" in channel.output
    assert "尚未添加告警通道" in cli("alerts", "list", "--db", db).output


def test_alerts_test_reports_a_channel_that_fails(tmp_path):
    db = f"sqlite:///{tmp_path / 'm.db'}"
    cli("alerts", "add", f"json://127.0.0.1:{free_port()}/hook", "--db", db)
    tested = cli("alerts", "test", "--db", db)
    assert tested.exit_code == 1 and "失败" in tested.output


def test_monitor_runs_for_a_while_then_status_shows_each_site(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVINSPECT_MONITOR_LIGHT_INTERVAL", "0")
    monkeypatch.setenv("GOVINSPECT_MONITOR_FULL_INTERVAL", "0")
    monkeypatch.setenv("COLUMNS", "300")  # one table row per line
    db = f"sqlite:///{tmp_path / 'm.db'}"
    with farm({"/waf/": always(WAF), "/down/": outage(0, 1000), "/up/": always(UP)}) as (base, _):
        sites = tmp_path / "sites.csv"
        sites.write_text(
            f"name,url\n防护县人民政府网,{base}/waf/\n故障县人民政府网,{base}/down/\n正常县人民政府网,{base}/up/\n",
            encoding="utf-8",
        )
        ran = cli("monitor", "--sites", str(sites), "--probe-interval", "0.2", "--run-for", "2", "--db", db)
    assert ran.exit_code == 0, ran.output
    assert "开始监测3个网站" in ran.output
    status = cli("monitor", "status", "--db", db)
    assert status.exit_code == 0, status.output
    lines = {
        line.split("│")[1].strip(): line for line in status.output.splitlines() if "县人民政府网" in line
    }
    assert "被安全防护拦截" in lines["防护县人民政府网"] and "正常" in lines["防护县人民政府网"]
    assert "无法访问" in lines["故障县人民政府网"] and "服务器错误" in lines["故障县人民政府网"]
    assert "暂定" in lines["正常县人民政府网"]


def test_monitor_without_sites_says_what_to_do(tmp_path):
    result = cli("monitor", "--run-for", "1", "--db", f"sqlite:///{tmp_path / 'm.db'}")
    assert result.exit_code == 2 and "没有可监测的网站" in result.output


def test_a_sites_own_schedule_overrides_the_default(tmp_path):
    from govinspect.monitor.daemon import MonitorSettings
    from govinspect.service.monitor import monitored_sites
    from govinspect.store import Store

    db = f"sqlite:///{tmp_path / 'm.db'}"
    store = Store(db)
    store.upsert_site("甲县人民政府网", "http://www.jia.gov.cn/")
    store.upsert_site("乙县人民政府网", "http://www.yi.gov.cn/")
    store.close()
    result = cli(
        "monitor",
        "schedule",
        "http://www.jia.gov.cn/",
        "--probe-interval",
        "600",
        "--full-interval",
        "0",
        "--db",
        db,
    )
    assert result.exit_code == 0, result.output
    assert "首页监测每600秒" in result.output and "全面检查不做" in result.output
    unknown = cli("monitor", "schedule", "http://www.bing.gov.cn/", "--probe-interval", "600", "--db", db)
    assert unknown.exit_code == 2 and "名录中没有这个网站" in unknown.output
    store = Store(db)
    intervals = {
        s.site.url: s.site.interval_s for s in monitored_sites(store, MonitorSettings(probe_interval_s=1800))
    }
    store.close()
    assert intervals == {"http://www.jia.gov.cn/": 600, "http://www.yi.gov.cn/": 1800}


def test_maintenance_needs_a_registered_site_and_an_end_after_the_start(tmp_path):
    db = f"sqlite:///{tmp_path / 'm.db'}"
    unknown = cli(
        "monitor",
        "maintenance",
        "http://www.bing.gov.cn/",
        "--start",
        "2026-12-05 20:00",
        "--end",
        "2026-12-06 08:00",
        "--db",
        db,
    )
    assert unknown.exit_code == 2 and "名录中没有这个网站" in unknown.output
    backwards = cli(
        "monitor",
        "maintenance",
        "http://www.bing.gov.cn/",
        "--start",
        "2026-12-06 20:00",
        "--end",
        "2026-12-06 08:00",
        "--db",
        db,
    )
    assert backwards.exit_code == 2 and "结束时间应晚于开始时间" in backwards.output
