"""Per-site overrides in the registry: validation, CSV/XLSX import, the store as their home."""

import json

import pytest

from govinspect.registry import OverridesError, read_sites, validate_overrides
from govinspect.registry.importer import column_excluded, override_columns

GOOD = {
    "columns": [
        {"name": "政务动态", "url": "/zwdt/"},
        {"name": "政策文件", "url": "/zcwj/", "kind": "policy"},
    ],
    "exclude_columns": ["网上商城"],
    "list_selector": "ul.list li",
    "date_selector": "span.date",
}


def test_validate_accepts_the_schema_and_rejects_with_chinese_reasons():
    assert validate_overrides(json.dumps(GOOD)) == GOOD
    assert validate_overrides({}) == {}
    cases = {
        '{"columns": [': "不是有效的 JSON",
        "[1, 2]": "应为 JSON 对象",
        '{"colums": []}': "未知的项：colums",
        '{"columns": [{"name": "甲"}]}': "columns 第1项应含栏目名称 name 和网址 url",
        '{"columns": [{"name": "甲", "url": "/a/", "kind": "news"}]}': "kind“news”无效",
        '{"exclude_columns": "网上商城"}': "exclude_columns 应为",
        '{"list_selector": "ul[["}': "list_selector 不是有效的 CSS 选择器",
        '{"date_selector": ""}': "date_selector 应为非空",
    }
    for text, message in cases.items():
        with pytest.raises(OverridesError, match=message.replace("[", r"\[")):
            validate_overrides(text)


def test_csv_overrides_column_and_bad_json_names_the_row(tmp_path):
    path = tmp_path / "sites.csv"
    good = json.dumps({"exclude_columns": ["网上商城"]}, ensure_ascii=False).replace('"', '""')
    path.write_text(
        "网站名称,首页网址,个性化配置\n"
        f'甲县,www.jia.gov.cn,"{good}"\n'
        '乙县,www.yi.gov.cn,"{columns: oops}"\n'
        "丙县,www.bing.gov.cn,\n",
        encoding="utf-8",
    )
    targets, errors = read_sites(path)
    assert [(t.name, t.overrides) for t in targets] == [
        ("甲县", {"exclude_columns": ["网上商城"]}),
        ("丙县", None),
    ]
    [error] = errors
    assert error.row == 3 and error.message.startswith("第3行：个性化配置不是有效的 JSON")


def test_xlsx_overrides_column(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["name", "url", "overrides"])
    book.active.append(["甲县", "http://www.jia.gov.cn/", json.dumps(GOOD, ensure_ascii=False)])
    book.active.append(["乙县", "http://www.yi.gov.cn/", '{"list_selector": "ul[["}'])
    path = tmp_path / "sites.xlsx"
    book.save(path)
    targets, errors = read_sites(path)
    assert [t.overrides for t in targets] == [GOOD]
    assert [e.row for e in errors] == [3] and "CSS 选择器" in errors[0].message


def test_applying_overrides_resolves_relative_urls():
    home = "http://www.jia.gov.cn/index.html"
    assert override_columns(GOOD, home) == [
        ("政务动态", "http://www.jia.gov.cn/zwdt/", None),
        ("政策文件", "http://www.jia.gov.cn/zcwj/", "policy"),
    ]
    assert override_columns({"exclude_columns": ["x"]}, home) is None and override_columns(None, home) is None
    assert column_excluded(GOOD, "网上商城", "http://www.jia.gov.cn/shop/", home)
    assert column_excluded({"exclude_columns": ["shop/"]}, "商城", "http://www.jia.gov.cn/shop/", home)
    assert not column_excluded(GOOD, "政务动态", "http://www.jia.gov.cn/zwdt/", home)


def test_the_site_history_brings_the_stored_overrides(tmp_path):
    from govinspect.service import load_history, set_site_overrides
    from govinspect.store import Store

    with Store(f"sqlite:///{tmp_path / 'gi.db'}") as store:
        site_id = store.upsert_site(name="甲县", url="http://www.jia.gov.cn/")
        set_site_overrides(store, site_id, GOOD)
        assert load_history(store, "http://www.jia.gov.cn/").overrides == GOOD
        assert load_history(store, "http://www.new.gov.cn/").overrides is None
        set_site_overrides(store, site_id, None)
        assert load_history(store, "http://www.jia.gov.cn/").overrides is None
