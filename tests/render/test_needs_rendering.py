"""needs_rendering: which fetched pages plain HTTP cannot read (challenge pages, app shells)."""

import datetime as dt
from pathlib import Path

import pytest

from govinspect.demo import build_farm
from govinspect.fetch.js import needs_rendering
from govinspect.model import Page

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_page(name: str, status: int = 200, content_type: str = "text/html") -> Page:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    error = None if status < 400 else f"HTTP {status}"
    return Page(
        url="http://www.example.gov.cn/",
        final_url="http://www.example.gov.cn/",
        status=status,
        content_type=content_type,
        text=text,
        error=error,
    )


@pytest.mark.parametrize(
    ("name", "status", "expected"),
    [
        ("jsl_clearance.html", 521, "加速乐"),
        ("jsl_521.html", 521, "Cookie"),  # obfuscated name: recognised by what the script does
        ("rivers_412.html", 412, "瑞数"),
        ("safedog.html", 200, "安全狗"),
        ("yunsuo.html", 200, "云锁"),
        ("security_check.html", 200, "安全检测"),
        ("cookie_reload.html", 200, "Cookie"),
        ("vue_shell.html", 200, "JavaScript 生成"),
        ("js_redirect.html", 200, "跳转"),
    ],
)
def test_challenge_pages_and_app_shells_need_rendering(name, status, expected):
    reason = needs_rendering(fixture_page(name, status))
    assert reason is not None and expected in reason


def test_an_http_error_whose_body_is_only_a_script_is_a_challenge():
    page = Page(
        url="http://a.gov.cn/",
        final_url="http://a.gov.cn/",
        status=412,
        content_type="text/html",
        text="<html><script src='/x/y.js'></script><script>run()</script></html>",
        error="HTTP 412",
    )
    assert "HTTP 412" in needs_rendering(page)


@pytest.mark.parametrize(
    "page",
    [
        fixture_page("normal_with_noscript.html"),  # scripts, a noscript note, but real text and links
        fixture_page("tiny_static.html"),  # almost empty, but no script would change that
        fixture_page("vue_shell.html", content_type="application/json"),  # not a web page
        Page(url="http://a.gov.cn/", final_url="http://a.gov.cn/", status=None, error="连接被拒绝"),
        Page(
            url="http://a.gov.cn/",
            final_url="http://a.gov.cn/",
            status=404,
            content_type="text/html",
            text="<html><body><script>track()</script><p>页面不存在</p></body></html>",
            error="HTTP 404",
        ),
    ],
)
def test_readable_pages_do_not_need_rendering(page):
    assert needs_rendering(page) is None


def test_no_page_of_the_demo_farm_needs_rendering():
    farm = build_farm(dt.date(2026, 11, 22))
    flagged = []
    checked = 0
    for site in farm.sites:
        for path, route in site.routes.items():
            if not route.content_type.startswith("text/html") or not route.body:
                continue
            url = f"http://{site.host}{path}"
            page = Page(
                url=url,
                final_url=url,
                status=route.status,
                content_type="text/html",
                text=route.body.decode("utf-8", "replace"),
            )
            checked += 1
            if needs_rendering(page):
                flagged.append(url)
    assert checked > 500
    assert flagged == []
