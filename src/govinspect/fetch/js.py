"""When plain HTTP is not enough: JavaScript challenge pages and pages that only render with JavaScript.

`needs_rendering(page)` is a pure function of a fetched page. It says, in Chinese, why the page must be
rendered in a browser before anything can be read from it, or returns None when the plain HTML will do.
A false positive only costs a browser render; a false negative leaves a site with no columns, so the
signs below are the ones WAFs on Chinese government sites actually show.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from govinspect.model import Page

# Statuses WAFs answer the first visit with, body = a script that sets a cookie and reloads.
CHALLENGE_STATUSES = frozenset({202, 403, 412, 503, 521})
# A page with less visible text and fewer links than this is "almost empty".
TINY_TEXT_CHARS = 200
TINY_LINKS = 5
SHELL_TEXT_CHARS = 80
SHELL_LINKS = 3

# (pattern, Chinese name): vendor fingerprints, to name the WAF of an almost empty page. Not decisive
# alone: some WAFs leave their script in the real page too.
_VENDOR_SIGNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"__jsl_clearance|__jsluid"), "加速乐/知道创宇（__jsl_clearance）"),
    (re.compile(r"\$_ts\s*=\s*window\[|\$_ts\.(?:nsd|cd)\s*="), "瑞数（$_ts 动态安全脚本）"),
    (re.compile(r"WebShield(?:DR)?SessionVerify", re.IGNORECASE), "安全狗"),
    (re.compile(r"security_session_verify|security_verify_data|YunSuoAutoJump", re.IGNORECASE), "云锁"),
]
# Phrases of challenge pages; only believed on an almost empty page (a normal page may say
# "请开启JavaScript" in a <noscript> note).
_CHALLENGE_TEXT = re.compile(
    r"正在进行安全检测|安全检测中|正在验证|请开启\s*JavaScript|请启用\s*JavaScript|请打开\s*JavaScript"
    r"|浏览器(?:不支持|未启用|禁用了?)\s*JavaScript|enable\s+JavaScript|checking your browser",
    re.IGNORECASE,
)
_SETS_COOKIE = re.compile(r"document\.cookie\s*=")
_NAVIGATES = re.compile(
    r"location\.reload|(?:window|document|self|top)\.location\b|location\.(?:href|replace|assign)\b"
)
_SCRIPT_TAG = re.compile(r"<script\b", re.IGNORECASE)


def _text_and_links(html: str) -> tuple[str, int]:
    """Visible text of the body (no scripts, styles, noscript notes) and the number of links."""
    tree = LexborHTMLParser(html)
    links = len(tree.css("a[href], area[href], frame[src], iframe[src]"))
    tree.strip_tags(["script", "style", "noscript", "template"])
    body = tree.body
    text = body.text(separator=" ") if body is not None else ""
    return " ".join(text.split()), links


def needs_rendering(page: Page) -> str | None:
    """A Chinese reason why `page` must be rendered with JavaScript, or None when its HTML will do."""
    if page.status is None or not page.text or not page.is_html:
        return None  # nothing arrived, or not a web page: a browser would not do better
    html = page.text
    if not _SCRIPT_TAG.search(html):
        return None  # whatever a browser would show is already in the HTML
    text, links = _text_and_links(html)
    if len(text) >= TINY_TEXT_CHARS or links >= TINY_LINKS:
        return None  # a real page, whatever scripts it also carries
    for pattern, vendor in _VENDOR_SIGNS:
        if pattern.search(html):
            return f"JavaScript 安全验证页面（{vendor}）"
    if _CHALLENGE_TEXT.search(html):
        return "JavaScript 安全检测页面（要求浏览器执行脚本）"
    if _SETS_COOKIE.search(html) and _NAVIGATES.search(html):
        return "JavaScript 验证页面（脚本写入 Cookie 后重新加载）"
    if page.status in CHALLENGE_STATUSES:
        return f"JavaScript 验证页面（HTTP {page.status}，响应只有脚本）"
    if not page.ok:
        return None
    if _NAVIGATES.search(html) and links == 0:
        return "页面通过 JavaScript 跳转"
    if len(text) < SHELL_TEXT_CHARS and links < SHELL_LINKS:
        return "页面内容由 JavaScript 生成（网页中几乎没有文字和链接）"
    return None
