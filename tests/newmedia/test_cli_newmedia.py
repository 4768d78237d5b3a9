"""`govinspect newmedia import|list|check` against the demo farm's feeds."""

import datetime as dt
import json

from typer.testing import CliRunner

from govinspect.cli import app
from govinspect.demo import FarmServer
from govinspect.demo.newmedia import build_newmedia_farm, found_csv, newmedia_only_farm, registry_csv

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(args))


def _farm_registry(day: dt.date, tmp_path):
    """The new-media farm (its manual evidence written) and its registry CSV."""
    nm = build_newmedia_farm(day, tmp_path / "manual.csv")
    nm.write_manual()
    registry = tmp_path / "accounts.csv"
    registry.write_text(registry_csv(nm), encoding="utf-8")
    return nm, registry


def test_import_is_all_or_nothing_and_names_every_bad_row(tmp_path):
    db = f"sqlite:///{tmp_path}/g.db"
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "platform,account_id,name,organiser,feed_url,备案日期,status\n"
        "微信,qs1,青山发布,青山县人民政府,https://x/1.xml,2026-01-01,运行\n"
        "飞信,qs2,青山二,青山县人民政府,,2026-01-01,运行\n"
        "微博,,青山三,青山县人民政府,,2026-13-01,停用\n"
        "微信公众号,qs1,重复,青山县人民政府,,,\n",
        encoding="utf-8",
    )
    result = run("newmedia", "import", str(bad), "--db", db)
    assert result.exit_code != 0
    for text in ("第3行", "飞信", "第4行", "缺少account_id", "停用", "第5行", "与第2行重复"):
        assert text in result.output, text
    listed = run("newmedia", "list", "--db", db)
    assert listed.exit_code == 0 and "共0个账号" in listed.output


def test_check_json_per_account_matches_the_farm_truth(tmp_path):
    day = dt.date.today()
    nm, registry = _farm_registry(day, tmp_path)
    found = tmp_path / "found.csv"
    found.write_text(found_csv(nm), encoding="utf-8")
    db = f"sqlite:///{tmp_path}/g.db"
    imported = run("newmedia", "import", str(registry), "--db", db)
    assert imported.exit_code == 0 and f"新增{len(nm.cases) - 1}个" in imported.output
    assert "青山微博" in run("newmedia", "list", "--db", db).output
    with FarmServer(newmedia_only_farm(nm)) as server:
        args = ["newmedia", "check", "--db", db, "--found", str(found), "--proxy", server.proxy_url]
        result = run(*args, "--as-of", day.isoformat(), "--format", "json", "--delay", "0")
        table = run(*args, "--delay", "0")
        third = run(*args, "--format", "json", "--delay", "0")
    assert result.exit_code == 0, result.output
    rows = {(r["platform"], r["account_id"]): r for r in map(json.loads, result.output.splitlines())}
    assert len(rows) == len(nm.cases)
    for case in nm.cases:
        row = rows[(case.account.platform, case.account.account_id)]
        got = {f["check"] for f in row["findings"] if f["check"] != "content.typo_suspect"}
        assert got == set(case.expected), case.account.name
        assert row["connector_status"] in ("ok", "empty", "blocked", "auth_expired", "not_found", "partial")
    fresh = rows[("微信公众号", "qs_fresh")]
    assert (
        fresh["last_post"].startswith((day - dt.timedelta(days=1)).isoformat()) and fresh["verdict"] == "pass"
    )
    assert rows[("微博", "5000000003")]["connector_status"] == "blocked"
    assert table.exit_code == 0 and "需人工核实" in table.output and "青山教育" in table.output
    # The third check in a row that cannot read an account raises one alert; a readable one never.
    rows = {(r["platform"], r["account_id"]): r for r in map(json.loads, third.output.splitlines())}
    assert (
        rows[("微博", "5000000003")]["failing_streak"] == 3
        and "连续3次" in rows[("微博", "5000000003")]["alert"]
    )
    assert (
        rows[("微信公众号", "qs_fresh")]["failing_streak"] == 0
        and "alert" not in rows[("微信公众号", "qs_fresh")]
    )
    assert (
        "alert" not in rows[("微信公众号", "qs_broken")]
        or rows[("微信公众号", "qs_broken")]["failing_streak"] >= 3
    )


def test_check_a_sample_stratified_by_platform(tmp_path):
    day = dt.date.today()
    nm, registry = _farm_registry(day, tmp_path)
    running = [c.account for c in nm.cases if c.account.registered and c.account.status == "运行"]
    platforms = {a.platform for a in running}
    with FarmServer(newmedia_only_farm(nm)) as server:
        args = ["newmedia", "check", "--accounts", str(registry), "--proxy", server.proxy_url, "--delay", "0"]
        args += ["--format", "json", "--as-of", day.isoformat(), "--seed", "2026"]
        result = run(*args, "--sample-count", str(len(platforms)), "--min-per-platform", "1")
        again = run(*args, "--sample-count", str(len(platforms)), "--min-per-platform", "1")
        bad = run(*args, "--sample", "1.5")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == len(platforms) and {r["platform"] for r in rows} == platforms  # one per platform
    keys = [(r["platform"], r["account_id"]) for r in rows]
    again_keys = [(r["platform"], r["account_id"]) for r in map(json.loads, again.output.splitlines())]
    assert keys == again_keys  # same seed, same registry: same accounts
    assert bad.exit_code == 2 and "抽查比例应大于0且不超过1" in bad.output
