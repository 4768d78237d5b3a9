"""absolute_url: what a link's href resolves to, whichever page of the site it is read on."""

from urllib.parse import urljoin, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from govinspect.extract.html import absolute_url

PAGE = "http://www.xx.gov.cn/xwdt/2026/index.html"


def test_hrefs_resolve_against_the_page_or_its_origin():
    assert absolute_url("/zwgk/", PAGE) == "http://www.xx.gov.cn/zwgk/"
    assert absolute_url("../tzgg/a.html#top", PAGE) == "http://www.xx.gov.cn/xwdt/tzgg/a.html"
    assert absolute_url("t20261103_1.html", PAGE) == "http://www.xx.gov.cn/xwdt/2026/t20261103_1.html"
    assert absolute_url("//cdn.xx.gov.cn/a.js", PAGE) == "http://cdn.xx.gov.cn/a.js"
    assert absolute_url("HTTPS://Other.cn/x", PAGE) == "HTTPS://Other.cn/x"
    assert absolute_url(" \n/zwgk/\t", PAGE) == "http://www.xx.gov.cn/zwgk/"
    for href in (
        "",
        None,
        "#",
        "#top",
        "javascript:void(0)",
        "mailto:a@b.cn",
        " tel:123",
    ):
        assert absolute_url(href, PAGE) is None, href


def test_the_same_href_read_on_many_pages_resolves_for_each():
    pages = [f"http://www.s{i}.gov.cn/a/b{i}.html" for i in range(3)] + ["https://x.cn/", "http://y.cn"]
    for page in pages:
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(page))
        assert absolute_url("/same/", page) == origin + "/same/"
        assert absolute_url("rel.html", page) == urljoin(page, "rel.html")


def _reference(href, base):
    """absolute_url as it was before its answers were cached by origin: one href at a time."""
    if not href:
        return None
    href = href.strip().replace("\n", "").replace("\r", "").replace("\t", "")
    if not href or href.startswith("#"):
        return None
    skip = ("javascript:", "mailto:", "tel:", "data:", "vbscript:", "about:", "sms:", "ftp:", "file:")
    if href.lower().startswith(skip):
        return None
    if href.startswith("/") or "://" in href[:10]:
        try:
            parts = urlsplit(base)
            origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None
        except ValueError:
            origin = None
        base = origin or base
    try:
        url = urljoin(base, href).split("#", 1)[0]
    except ValueError:
        return None
    host_start = 7 if url[:7].lower() == "http://" else 8 if url[:8].lower() == "https://" else 0
    if not host_start or len(url) <= host_start or url[host_start] in "/?":
        return None
    return url


_HREF_PARTS = st.sampled_from(
    [
        "/",
        "//",
        "./",
        "../",
        "a",
        "b.html",
        "?q=1",
        "#f",
        " ",
        "\n",
        "\t",
        "http:",
        "HTTP:",
        "https:",
        "://",
        "x.cn",
        "[",
        "javascript:",
        "%20",
        "中文",
    ]
)
_BASES = st.sampled_from([PAGE, "https://a.b.cn/x/y?z=1", "http://h.cn", "HTTP://Up.cn/p/", "not a url", ""])


@given(st.lists(_HREF_PARTS, max_size=6).map("".join), _BASES, _BASES)
def test_an_href_resolves_as_it_did_one_at_a_time_whatever_was_asked_before(href, base, other):
    absolute_url(href, other)  # an earlier answer for the same href on another page
    assert absolute_url(href, base) == _reference(href, base)
