"""decode_html and is_checkable_link: pure functions, no network."""

import codecs

from hypothesis import given, settings
from hypothesis import strategies as st

from govinspect.fetch import decode_html, is_checkable_link
from govinspect.fetch.decode import canonical_codec, charset_from_meta, looks_like_gb
from govinspect.fetch.urls import link_key

TITLE = "某某县人民政府 通知公告：关于开展政府网站检查的通知"


def page(meta: str = "") -> str:
    return f"<html><head>{meta}<title>{TITLE}</title></head><body><p>{TITLE}</p></body></html>"


def test_gbk_with_charset_only_in_meta():
    body = page('<meta charset="gbk">').encode("gbk")
    assert decode_html(body, "text/html") == (page('<meta charset="gbk">'), "gb18030")


def test_meta_http_equiv_charset():
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=GB2312">'
    assert decode_html(page(meta).encode("gbk"), None) == (page(meta), "gb18030")


def test_header_utf8_but_body_gbk_prefers_meta():
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=gbk">'
    text, codec = decode_html(page(meta).encode("gbk"), "text/html; charset=utf-8")
    assert (text, codec) == (page(meta), "gb18030")


def test_header_gbk_but_body_utf8_prefers_utf8():
    text, codec = decode_html(page('<meta charset="gbk">').encode("utf-8"), "text/html; charset=GBK")
    assert codec == "utf-8" and TITLE in text


def test_bom_wins_over_declared_charsets():
    body = codecs.BOM_UTF8 + page('<meta charset="gbk">').encode("utf-8")
    text, codec = decode_html(body, "text/html; charset=gb2312")
    assert codec == "utf-8" and text.startswith("<html>") and TITLE in text


def test_utf16_bom():
    text, codec = decode_html(codecs.BOM_UTF16_LE + page().encode("utf-16-le"), None)
    assert codec == "utf-16-le" and TITLE in text


def test_gb2312_declared_with_gb18030_only_characters():
    # 䶮 (U+4DAE) and 𠀀 (U+20000) exist only in GB18030 (4-byte sequences).
    html = page('<meta charset="gb2312">').replace("某某县", "刘䶮𠀀县")
    text, codec = decode_html(html.encode("gb18030"), "text/html; charset=gb2312")
    assert codec == "gb18030" and "刘䶮𠀀县" in text and "\ufffd" not in text


def test_undeclared_short_gbk_is_gb18030_not_a_detector_guess():
    # charset_normalizer alone calls this cp949.
    html = "<html><body><a href='/a'>首页</a><a>政务公开</a></body></html>"
    assert decode_html(html.encode("gbk"), None) == (html, "gb18030")


def test_undeclared_utf8():
    assert decode_html(page().encode("utf-8"), "text/html") == (page(), "utf-8")


def test_latin1_declared_on_chinese_page():
    html = page('<meta charset="iso-8859-1">')
    assert decode_html(html.encode("gbk"), None) == (html, "gb18030")


def test_western_page_is_not_taken_for_chinese():
    html = "<html><body>Café résumé naïve déjà vu — Zürich Straße</body></html>"
    text, _ = decode_html(html.encode("cp1252"), "text/html; charset=windows-1252")
    assert text == html
    assert not looks_like_gb(html.encode("cp1252"))


def test_ascii_page_keeps_declared_codec():
    assert decode_html(b"<html><body>hello</body></html>", "text/html; charset=gbk")[1] == "gb18030"


def test_undecodable_bytes_still_give_text():
    text, codec = decode_html(b"<p>\xff\xfe\xff\x80\x80</p>" * 3, "text/html; charset=utf-8")
    assert isinstance(text, str) and text.startswith("<p>") and codec


def test_unknown_declared_charset_is_ignored():
    assert decode_html(page('<meta charset="no-such-codec">').encode("utf-8"), None)[1] == "utf-8"


def test_charset_helpers():
    assert canonical_codec("GB2312") == canonical_codec("x-gbk") == canonical_codec("cp936") == "gb18030"
    assert canonical_codec("UTF8") == "utf-8" and canonical_codec("bogus") is None
    assert (
        charset_from_meta(b'<meta content="text/html;charset=utf-16" http-equiv="Content-Type">') == "utf-8"
    )
    assert charset_from_meta(b"x" * 5000 + b'<meta charset="gbk">') is None  # beyond the 4 KB window


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=300),
    st.sampled_from([None, "text/html", "text/html; charset=gbk", "text/html; charset=utf-8"]),
)
def test_decode_never_raises(body, header):
    text, codec = decode_html(body, header)
    assert isinstance(text, str) and codecs.lookup(codec)


def test_is_checkable_link():
    for good in (
        "http://a.gov.cn/x",
        "HTTPS://a.gov.cn",
        "/zwgk/index.html",
        "../a.html",
        "//cdn.gov.cn/x.js",
        "a.html?x=1#y",
    ):
        assert is_checkable_link(good), good
    bad = (
        "javascript:void(0)",
        " JavaScript:;",
        "java\nscript:alert(1)",
        "mailto:ba@gov.cn",
        "tel:12345",
        "data:text/html,hi",
        "#",
        "#top",
        "",
        "   ",
        None,
        "ftp://a.gov.cn/f",
        "weixin://dl",
    )
    for link in bad:
        assert not is_checkable_link(link), link


def test_link_key_drops_fragment_and_lowercases_host():
    assert link_key("HTTP://WWW.Gov.CN/A/b.html?x=1#frag") == "http://www.gov.cn/A/b.html?x=1"
    assert link_key("http://www.gov.cn") == "http://www.gov.cn/"
