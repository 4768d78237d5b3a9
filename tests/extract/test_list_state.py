"""A column is empty only on positive evidence; a list read as nothing is unreadable."""

from govinspect.extract.list_state import empty_list_container, read_list_state
from govinspect.model import Item

ITEM = Item("关于做好冬季安全生产工作的通知", "http://www.xx.gov.cn/tzgg/1.html")


def page(body: str) -> str:
    return f'<html><body><div class="nav"><a href="/">首页</a></div>{body}</body></html>'


def test_items_read_are_items_whatever_the_page_says():
    assert read_list_state(page("暂无信息"), [ITEM]).state == "items"


def test_the_page_saying_so_is_empty():
    for note in ("暂无信息", "暂无数据", "没有相关信息", "本栏目暂无内容！"):
        reading = read_list_state(page(f'<div class="list"><p>{note}</p></div>'), [])
        assert reading.state == "empty" and note.rstrip("！") in reading.evidence, note


def test_an_empty_list_container_is_empty():
    reading = read_list_state(page('<h2>通知公告</h2><ul class="news-list"></ul>'), [])
    assert reading.state == "empty" and "ul" in reading.evidence


def test_an_empty_table_list_is_empty():
    html = page('<table class="list" width="100%"><tbody></tbody></table>')
    assert read_list_state(html, []).state == "empty"


def test_a_container_a_script_fills_later_proves_nothing():
    html = page(
        '<ul id="infolist" class="list"></ul><script>$.getJSON("/data/a.json", function(d){})</script>'
    )
    assert empty_list_container(html) is None
    assert read_list_state(html, []).state == "unreadable"


def test_empty_containers_of_the_footer_or_header_prove_nothing():
    html = page('<footer><ul class="linklist"></ul></footer><div id="main"><p>栏目内容</p></div>')
    assert read_list_state(html, []).state == "unreadable"


def test_jcms_data_island_without_records_is_empty():
    island = (
        '<div id="12345"><script type="text/xml"><datastore><nextgroup><![CDATA[]]></nextgroup>'
        "<totalrecord>0</totalrecord><recordset></recordset></datastore></script></div>"
    )
    reading = read_list_state(page(island), [])
    assert reading.state == "empty" and "datastore" in reading.evidence


def test_jcms_data_island_with_records_the_extractor_missed_is_unreadable():
    island = (
        '<script type="text/xml"><datastore><totalrecord>1</totalrecord><recordset>'
        '<record><![CDATA[<li><a href="/art/2026/11/2/art_1_2.html">标题很长的一条信息</a></li>]]></record>'
        "</recordset></datastore></script>"
    )
    assert read_list_state(page(island), []).state == "unreadable"


def test_a_pager_counting_zero_records_is_empty():
    assert read_list_state(page('<div class="page">共0条记录 第1/1页</div>'), []).state == "empty"


def test_a_page_with_nothing_readable_is_unreadable_with_a_reason():
    reading = read_list_state(page("<div>请使用新版浏览器访问</div>"), [])
    assert reading.state == "unreadable" and "人工" not in reading.evidence and reading.evidence


def test_no_real_page_is_called_empty_for_lack_of_items():
    """Real article and portal pages (none an empty column), read as if their list yielded nothing:
    their empty side lists (share buttons, search suggestions, an empty ul.list) are no evidence."""
    import gzip
    from pathlib import Path

    from govinspect.fetch.decode import decode_html

    root = Path(__file__).resolve().parents[1] / "fixtures" / "realpages"
    pages = sorted(root.glob("*/*.html.gz")) + sorted(root.glob("*/original/*.html.gz"))
    assert len(pages) >= 40
    called_empty = []
    for path in pages:
        html, _ = decode_html(gzip.decompress(path.read_bytes()), "")
        if read_list_state(html, []).state == "empty":
            called_empty.append(path.name)
    assert called_empty == []
