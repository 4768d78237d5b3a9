"""`govinspect sites …`: the registry from the command line."""

import json

from typer.testing import CliRunner

from govinspect.cli import app
from govinspect.store import Store

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(args))


def test_import_list_override_and_baseline(tmp_path):
    db = f"sqlite:///{tmp_path}/g.db"
    sites = tmp_path / "sites.csv"
    sites.write_text(
        "网站名称,首页网址,网站标识码\n青山县人民政府,www.qingshan.gov.cn,3601230001\n坏行,ftp://x,\n",
        encoding="utf-8",
    )
    result = run("sites", "import", str(sites), "--db", db)
    assert result.exit_code == 0, result.output
    assert "已导入1个网站，跳过1行" in result.output and "第3行" in result.output

    # A second, sparser import adds nothing and erases nothing.
    sparse = tmp_path / "sparse.csv"
    sparse.write_text("url\nhttp://www.qingshan.gov.cn/\n", encoding="utf-8")
    assert run("sites", "import", str(sparse), "--db", db).exit_code == 0
    listed = run("sites", "list", "--db", db)
    assert "青山县人民政府" in listed.output and "3601230001" in listed.output

    good = tmp_path / "o.json"
    good.write_text(
        json.dumps({"columns": [{"name": "政务动态", "url": "/zwdt/"}]}, ensure_ascii=False), encoding="utf-8"
    )
    assert run("sites", "override", "www.qingshan.gov.cn", "--file", str(good), "--db", db).exit_code == 0
    shown = run("sites", "override", "www.qingshan.gov.cn", "--show", "--db", db)
    assert "政务动态" in shown.output

    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = run("sites", "override", "www.qingshan.gov.cn", "--file", str(bad), "--db", db)
    assert result.exit_code == 2 and "不是有效的 JSON" in result.output
    # The bad file did not replace what was stored.
    store = Store(db)
    site = store.site_by_url("http://www.qingshan.gov.cn/")
    assert store.history(site.id).overrides["columns"][0]["name"] == "政务动态"
    with store.unit_of_work() as uow:
        uow.sites.set_baseline(site.id, {"title": "x"})
    store.close()

    result = run("sites", "reset-baseline", "www.qingshan.gov.cn", "--db", db)
    assert result.exit_code == 0 and "已清除" in result.output
    assert "尚无首页基线" in run("sites", "reset-baseline", "www.qingshan.gov.cn", "--db", db).output

    unknown = run("sites", "override", "www.none.gov.cn", "--show", "--db", db)
    assert unknown.exit_code == 2 and "名录中没有网站" in unknown.output
