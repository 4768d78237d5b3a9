"""The command line as a user runs it, including bad input."""

import datetime as dt
import json
import socket

import pytest
from typer.testing import CliRunner

from govinspect.cli import app
from govinspect.demo import FarmServer, build_farm

runner = CliRunner()


@pytest.fixture(scope="module")
def farm_server():
    farm = build_farm(dt.date.today(), include_bad=True)
    with FarmServer(farm) as server:
        yield farm, server


def run(*args, env=None):
    return runner.invoke(app, list(args), env={"HTTP_PROXY": "", "http_proxy": "", **(env or {})})


def test_invalid_url_is_refused_with_chinese_message(tmp_path):
    result = run("check", "ftp://bad", "--out", str(tmp_path / "r"), "--db", f"sqlite:///{tmp_path}/x.db")
    assert result.exit_code == 2
    assert "不是 http/https 地址" in result.output


def test_neither_or_both_targets_is_a_usage_error(tmp_path):
    assert run("check").exit_code == 2
    result = run("check", "http://www.a.gov.cn/", "--sites", str(tmp_path / "s.csv"))
    assert result.exit_code == 2 and "二者选一" in result.output


def test_bad_as_of_and_unknown_rubric(tmp_path):
    assert "格式错误" in run("check", "http://www.a.gov.cn/", "--as-of", "2026-13-01").output
    result = run("check", "http://www.a.gov.cn/", "--rubric", "nope")
    assert result.exit_code == 2 and "找不到评分规则" in result.output


def test_site_list_with_bad_rows_inspects_the_rest(farm_server, tmp_path):
    farm, server = farm_server
    sites = tmp_path / "sites.csv"
    sites.write_text(
        "name,url\n青山县人民政府,http://www.qingshan.gov.cn/\n坏行,mailto:x@y\n"
        "慢站,http://www.manman.gov.cn/\nPDF首页,http://www.pdfhome.gov.cn/\n",
        encoding="utf-8",
    )
    out, db = tmp_path / "out", tmp_path / "g.db"
    args = [
        "check",
        "--sites",
        str(sites),
        "--out",
        str(out),
        "--db",
        f"sqlite:///{db}",
        "--proxy",
        server.proxy_url,
        "--timeout",
        "1",
        "--probes",
        "2",
    ]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert "第3行" in result.output
    good = json.loads((out / "www.qingshan.gov.cn.json").read_text(encoding="utf-8"))
    assert good["verdict"] == "pass"
    hung = json.loads((out / "www.manman.gov.cn.json").read_text(encoding="utf-8"))
    assert hung["vetoes"] == ["site.unreachable"]
    assert "超时" in json.dumps(hung, ensure_ascii=False)
    pdf = json.loads((out / "www.pdfhome.gov.cn.json").read_text(encoding="utf-8"))
    assert pdf["verdict"] == "error" and "不是网页" in pdf["error"]
    assert (out / "index.html").exists()

    # A second run appends to the history: nothing stored before is lost.
    assert run(*args).exit_code == 0
    from govinspect.store import Store

    store = Store(f"sqlite:///{db}")
    assert len(store.list_inspections(limit=50)) == 6
    assert len(store.list_sites()) == 3
    store.close()


def test_unresolvable_host_is_reported_unreachable(tmp_path, monkeypatch):
    # Answer the lookup here, as a resolver would for a name that does not exist: no query leaves the machine.
    real_getaddrinfo = socket.getaddrinfo

    def fake_getaddrinfo(host, *args, **kwargs):
        if str(host).endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    out = tmp_path / "out"
    result = run(
        "check",
        "http://www.does-not-exist.invalid/",
        "--out",
        str(out),
        "--db",
        f"sqlite:///{tmp_path}/g.db",
        "--timeout",
        "2",
        "--probes",
        "1",
    )
    assert result.exit_code == 0, result.output
    report = json.loads((out / "www.does-not-exist.invalid.json").read_text(encoding="utf-8"))
    assert report["vetoes"] == ["site.unreachable"]
    assert "域名无法解析" in json.dumps(report, ensure_ascii=False)


def test_rubric_show():
    result = run("rubric", "show", "gov-2019")
    assert result.exit_code == 0
    assert "空白栏目" in result.output and "home_stale_days = 14" in result.output


def test_a_database_failure_is_reported_and_the_reports_are_still_written(farm_server, tmp_path, monkeypatch):
    from govinspect.store import StoreError
    from govinspect.store.repositories import InspectionRepository

    def broken_save(self, *args, **kwargs):
        raise StoreError("磁盘已满")

    monkeypatch.setattr(InspectionRepository, "add", broken_save)
    farm, server = farm_server
    out = tmp_path / "out"
    result = run(
        "check",
        "http://www.qingshan.gov.cn/",
        "--out",
        str(out),
        "--db",
        f"sqlite:///{tmp_path}/g.db",
        "--proxy",
        server.proxy_url,
        "--probes",
        "1",
    )
    assert result.exit_code == 1  # the run finished, but the history lacks this inspection
    assert "未能保存到数据库" in result.output and "磁盘已满" in result.output
    assert (out / "www.qingshan.gov.cn.json").exists()


def test_messages_are_never_folded_at_the_console_width(tmp_path):
    # A long temporary path (as on some CI machines) must not split a Chinese message across lines.
    deep = tmp_path / ("很长的目录名" * 12) / ("x" * 60)
    deep.mkdir(parents=True)
    bad = deep / "bad.yaml"
    bad.write_text("name: bad\nthresholds:\n  home_stale_dys: 7\n", encoding="utf-8")
    result = runner.invoke(app, ["rubric", "show", str(bad)], env={"COLUMNS": "80"})
    assert result.exit_code == 2
    error_lines = [line for line in result.output.splitlines() if "错误" in line]
    assert len(error_lines) == 1 and str(bad) in error_lines[0] and "第3行" in error_lines[0]
