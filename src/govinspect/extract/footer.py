"""Identification marks of a government site (INDICATORS.md §4b) and its name."""

from __future__ import annotations

import re
from html import unescape

from govinspect.extract.html import clean_text, never_raise, parse, visible_text
from govinspect.extract.visibility import remove_hidden
from govinspect.model import FooterMarks

_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_GAP = r"(?:\s|&nbsp;|&#160;|<[^<>]{0,300}>){0,12}"  # spaces, entities and tags between label and value
# Patterns start with a literal so that the regex engine can skip through large pages.
_SITE_CODE_RE = re.compile(rf"网站标识码{_GAP}[:：]?{_GAP}(bm\d{{8}}|\d{{10}})(?![\dA-Za-z])", re.I)
_SITE_CODE_VALUE_RE = re.compile(r"^(\d{10}|bm\d{8})$", re.I)
_ICP_RE = re.compile(r"ICP\s?([备證证])\s*(?:案\s*)?[:：]?\s*(\d{5,12})\s*号?(\s*-\s*\d{1,3})?")
_PSB_RE = re.compile(r"公网安备\s*[:：]?\s*(\d{10,16})\s*号?")
_PROVINCE_RE = re.compile(r"([\u4e00-\u9fa5])\s?$")
_PSB_CODE_RES = (re.compile(r"备案(?:编)?号\s*[:：]\s*(\d{14})(?!\d)"), re.compile(r"recordcode=(\d{10,16})"))
# Host first, scheme added back from what precedes: a leading optional group would make the
# engine try every position of a large page.
_CONAC_RES = (
    re.compile(r"//dcs\.conac\.cn/js/[^\s\"'<>]+"),
    re.compile(r"//bszs\.conac\.cn/sitename\?[^\s\"'<>]+"),
    re.compile(r"//(?:dcs|bszs)\.conac\.cn[^\s\"'<>]*"),
)
_JIUCUO_RES = (
    re.compile(r"//zfwzgl\.www\.gov\.cn/exposure/jiucuo[^\s\"'<>]*"),
    re.compile(r"//121\.43\.68\.40/exposure[^\s\"'<>]*"),
)
_JIUCUO_SCRIPT_RE = re.compile(r"<script[^>]*id\s*=\s*[\"']?_jiucuo_[^>]*>", re.I)
_SRC_RE = re.compile(r"src\s*=\s*[\"']?([^\s\"'>]+)", re.I)


def _first(patterns, text: str) -> str | None:
    """The first URL one of the host-first patterns finds, with its scheme when written."""
    for pattern in patterns:
        m = pattern.search(text)
        if m:
            before = text[max(0, m.start() - 6) : m.start()].lower()
            scheme = "https:" if before.endswith("https:") else "http:" if before.endswith("http:") else ""
            return unescape(scheme + m.group(0))
    return None


def _site_code(texts: list[str]) -> str | None:
    """The 标识码 shown on the page (visible text, or written by a script into it)."""
    for text in texts:
        m = _SITE_CODE_RE.search(text)
        if m:
            return m.group(1)
    return None


def _declared_site_code(tree) -> str | None:
    """<meta name="SiteIDCode">: declared in the head, not shown to a visitor (INDICATORS §9f)."""
    for meta in tree.css("meta[name]"):
        if (meta.attributes.get("name") or "").lower() == "siteidcode":
            value = clean_text(meta.attributes.get("content"))
            if _SITE_CODE_VALUE_RE.match(value):
                return value
    return None


def _province(text: str, at: int) -> str | None:
    """The one-character province abbreviation written before a mark (京ICP备…, 京公网安备…)."""
    m = _PROVINCE_RE.search(text[max(0, at - 2) : at])
    return m.group(1) if m else None


def _icp(texts: list[str]) -> str | None:
    for text in texts:
        for m in _ICP_RE.finditer(text):
            province = _province(text, m.start())
            if province:
                suffix = re.sub(r"\s", "", m[3] or "")
                return f"{province}ICP{m[1]}{m[2]}号{suffix}"
    return None


def _psb(texts: list[str]) -> str | None:
    for text in texts:
        for m in _PSB_RE.finditer(text):
            province = _province(text, m.start())
            if province:
                return f"{province}公网安备 {m[1]}号"
    for pattern in _PSB_CODE_RES:
        for text in texts:
            m = pattern.search(text)
            if m:
                return m[1]
    return None


def _jiucuo(raw: str) -> str | None:
    found = _first(_JIUCUO_RES, raw)
    if found:
        return found
    m = _JIUCUO_SCRIPT_RE.search(raw)
    if m:
        src = _SRC_RE.search(m.group(0))
        return unescape(src.group(1)) if src else "_jiucuo_"
    return None


_JIUCUO_CODE_RE = re.compile(r"""(?:[?&;]site_?code=|\bsitecode\s*=\s*["']?)([A-Za-z0-9]{6,16})""", re.I)


def _jiucuo_site_code(raw: str) -> str | None:
    """The 标识码 the 找错 entry files reports under: the link's site_code= or the script's sitecode."""
    for m in _JIUCUO_SCRIPT_RE.finditer(raw):
        code = _JIUCUO_CODE_RE.search(m.group(0))
        if code:
            return code.group(1)
    for pattern in _JIUCUO_RES:
        for link in pattern.finditer(raw):
            code = _JIUCUO_CODE_RE.search(unescape(link.group(0)))
            if code:
                return code.group(1)
    return None


# ---- 找错 entries drawn by a local relay or a click handler --------------------------------------

_JIUCUO_WORD_RE = re.compile(r"jiucuo|zhaocuo|找错|纠错", re.I)
_CODE = r"(?:bm\d{8}|\d{10})"
# A link of the site's own that relays to the platform: /jiucuo.html?site_code=3300000020
_RELAY_RE = re.compile(
    rf"""<a\b[^>]*?href\s*=\s*["']?([^\s"'>]*[?&;](?:site_?code)=({_CODE})[^\s"'>]*)[^>]*>(.{{0,400}}?)</a>""",
    re.I | re.S,
)
# <img src="…/jiucuo.png" onclick="Link('3300000020')">: the handler gets the site code.
_HANDLER_RE = re.compile(
    rf"""<[a-z]+\b[^>]*?\bonclick\s*=\s*["']?\s*(?:javascript:)?\s*([A-Za-z_$][\w$.]*)\s*\(\s*['"]?({_CODE})['"]?[^>]*>""",
    re.I,
)
_PLATFORM_URL_RE = re.compile(
    r"(?:https?:)?//(?:zfwzgl\.www\.gov\.cn|121\.43\.68\.40)/exposure/jiucuo[^\s\"'<>+]*", re.I
)
_SCRIPT_CODE_RE = re.compile(rf"""site_?code\s*[=:]\s*["']?({_CODE})(?![\dA-Za-z])""", re.I)
_INLINE_SCRIPT_RE = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", re.I | re.S)
_SCRIPT_SRC_RE = re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']?([^\s"'>]+)""", re.I)
_LIBRARY_RE = re.compile(r"jquery|bootstrap|swiper|vue|react|layui|echarts|polyfill|html5shiv|respond", re.I)


def jiucuo_from_script(js_text: str) -> tuple[str | None, str | None]:
    """The 找错 platform URL a script opens and the site code it writes literally, each None when absent.

    The handler's own argument carries the code when the script only concatenates it."""
    text = js_text or ""
    m = _PLATFORM_URL_RE.search(text)
    url = m.group(0) if m else None
    if url and url.startswith("//"):
        url = "https:" + url
    code = _SCRIPT_CODE_RE.search(text)
    return url, code.group(1) if code else None


def _function_body(name: str, scripts: list[str]) -> str | None:
    """The text of the script defining `name` (function Link(…) / Link = function / var Link = …)."""
    short = re.escape(name.split(".")[-1])
    definition = re.compile(
        rf"function\s+{short}\s*\(|\b{short}\s*[:=]\s*(?:async\s+)?function\b|\b{short}\s*=\s*\("
    )
    for script in scripts:
        m = definition.search(script)
        if m:
            return script[m.start() : m.start() + 3000]
    return None


def _handler_jiucuo(raw: str, scripts: list[str]) -> tuple[str | None, str | None]:
    """(entry, site code) of a 找错 image or link whose click handler passes the site code."""
    for m in _HANDLER_RE.finditer(raw):
        name, code = m.group(1), m.group(2)
        body = _function_body(name, _INLINE_SCRIPT_RE.findall(raw) + scripts)
        url, script_code = jiucuo_from_script(body) if body else (None, None)
        if url:
            return _with_code(url, code), script_code or code
        if _JIUCUO_WORD_RE.search(m.group(0)):
            # The image says 找错 and hands over a site code; its function lives in a script file
            # not read here (footer_script_urls lists them for the crawl).
            return f"javascript:{name}('{code}')", script_code or code
    return None, None


def _with_code(url: str, code: str) -> str:
    """The platform URL as the handler opens it: the argument completes a concatenated site_code=."""
    if re.search(r"site_?code=$", url, re.I):
        return url + code
    if re.search(r"site_?code=", url, re.I):
        return url
    return f"{url}{'&' if '?' in url else '?'}site_code={code}"


def _relay_jiucuo(raw: str) -> tuple[str | None, str | None]:
    for m in _RELAY_RE.finditer(raw):
        href, code, inner = m.group(1), m.group(2), m.group(3)
        if _JIUCUO_WORD_RE.search(href) or _JIUCUO_WORD_RE.search(inner):
            return unescape(href), code
    return None, None


@never_raise(list)
def footer_script_urls(html: str, base: str) -> list[str]:
    """The site's own script files the footer's 找错 handler may be defined in, in page order: only
    when a click handler passes a site code to a function the page does not define itself."""
    from urllib.parse import urljoin, urlsplit

    from govinspect.extract.html import registered_domain

    raw = _COMMENT_RE.sub(" ", html or "")
    inline = _INLINE_SCRIPT_RE.findall(raw)
    if not any(_function_body(m.group(1), inline) is None for m in _HANDLER_RE.finditer(raw)):
        return []
    domain = registered_domain(urlsplit(base).netloc)
    urls: list[str] = []
    for src in _SCRIPT_SRC_RE.findall(raw):
        url = urljoin(base, unescape(src))
        if urlsplit(url).scheme not in ("http", "https") or _LIBRARY_RE.search(url.rsplit("/", 1)[-1]):
            continue
        if registered_domain(urlsplit(url).netloc) == domain and url not in urls:
            urls.append(url)
    return urls


@never_raise(FooterMarks)
def extract_footer(html: str, scripts: list[str] | None = None) -> FooterMarks:
    """The footer marks of a page; each None when absent.

    `scripts`: texts of the page's own script files (footer_script_urls), where a 找错 image's
    click handler may be defined; without them such an entry is still recognised by its image."""
    raw = _COMMENT_RE.sub(" ", html or "")
    tree = parse(raw)
    text = visible_text(remove_hidden(parse(raw)))
    texts = [text, _script_text(raw)]  # marks written by document.write() count as shown
    conac = _first(_CONAC_RES, raw) or ("_ideConac" if "_ideConac" in raw else None)
    jiucuo, jiucuo_code = _jiucuo(raw), _jiucuo_site_code(raw)
    if jiucuo is None:
        jiucuo, code = _relay_jiucuo(raw)
        if jiucuo is None:
            jiucuo, code = _handler_jiucuo(raw, list(scripts or []))
        jiucuo_code = jiucuo_code or code
    return FooterMarks(
        site_code=_site_code(texts),
        icp=_icp([text, raw]),
        psb=_psb([text, raw]),
        conac=conac,
        jiucuo=jiucuo,
        jiucuo_site_code=jiucuo_code,
        site_code_declared=_declared_site_code(tree),
    )


def _script_text(raw: str) -> str:
    """Inline scripts' text with tags removed: a code a script writes into the page is shown."""
    return re.sub(r"<[^<>]{0,300}>", " ", " ".join(_INLINE_SCRIPT_RE.findall(raw)))


_TITLE_SPLIT_RE = re.compile(r"\s*(?:[-_|–—·:：>»]|\s{2,})\s*")
_TITLE_NOISE_RE = re.compile(
    r"^(?:欢迎(?:访问|光临|来到)?|首页|主页|网站首页|门户网站首页|index|home)$", re.I
)
_ORG_RE = re.compile(r"政府|人民|局|委员会|厅|办公室|网|中心|院|部|署|会")


@never_raise(str)
def extract_site_name(html: str) -> str:
    """<meta name="SiteName">, else the site part of the cleaned <title>."""
    tree = parse(html)
    for meta in tree.css("meta[name]"):
        if (meta.attributes.get("name") or "").lower() == "sitename":
            name = clean_text(meta.attributes.get("content"))
            if name:
                return name
    title_node = tree.css_first("title")
    title = clean_text(title_node.text()) if title_node is not None else ""
    title = re.sub(r"^欢迎(?:访问|光临|来到)", "", title).strip()
    parts = [p for p in _TITLE_SPLIT_RE.split(title) if p and not _TITLE_NOISE_RE.match(p)]
    if not parts:
        return title
    org = [p for p in parts if _ORG_RE.search(p)]
    return (org[-1] if org else parts[0]).strip()
