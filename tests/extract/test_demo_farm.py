"""The extractors on the demo farm's pages (the farm is written independently of the extractors)."""

import datetime as dt

import pytest

demo = pytest.importorskip("govinspect.demo")

from govinspect.extract import (  # noqa: E402
    classify_column,
    empty_column_text,
    extract_footer,
    extract_list_items,
    find_column_links,
)

AS_OF = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def sites():
    # The first farm: its columns are all on the home page. The CMS-family layouts hide some behind a
    # hub or the 网站地图 and fill one list by script; the crawl's tests judge them (tests/test_end_to_end.py).
    farm = demo.build_farm(AS_OF).sites
    return [s for s in farm if not s.new_layout and s.route("/") and s.route("/").status == 200]


def text_of(site, path: str) -> str:
    route = site.route(path)
    codec = "utf-8" if site.encoding.lower().replace("-", "") == "utf8" else "gb18030"
    return route.body.decode(codec, errors="replace")


def test_every_site_has_a_home_page(sites):
    assert len(sites) >= 3
    assert {s.layout for s in sites} == {"modern", "portal", "table"}


def test_columns_of_every_demo_site_are_found(sites):
    for site in sites:
        found = {c.url: c.name for c in find_column_links(text_of(site, "/"), site.url)}
        expected = {f"http://{site.host}{c.path}": c.name for c in site.columns}
        assert found == expected, site.host
        kinds = {c.name: c.kind for c in site.columns}
        assert {name: classify_column(name) for name in found.values()} == kinds, site.host


def test_newest_item_of_every_column_list_page(sites):
    for site in sites:
        for column in site.columns:
            route = site.route(column.path)
            if route is None or route.status != 200:
                continue
            html = text_of(site, column.path)
            items = extract_list_items(html, f"http://{site.host}{column.path}", AS_OF)
            latest = max((i.date for i in items if i.date), default=None)
            assert latest == column.newest, (site.host, column.name)
            if not items and column.kind != "other":
                assert empty_column_text(html), (site.host, column.name)


def test_footer_site_code_matches_the_farm(sites):
    for site in sites:
        assert extract_footer(text_of(site, "/")).site_code == site.site_code, site.host
