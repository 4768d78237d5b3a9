"""Identification marks of a government site (INDICATORS.md §4b) and its name."""

from __future__ import annotations

import re
from html import unescape

from govinspect.extract.html import clean_text, never_raise, parse, visible_text
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


def _site_code(tree, texts: list[str]) -> str | None:
    for text in texts:
        m = _SITE_CODE_RE.search(text)
        if m:
            return m.group(1)
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


@never_raise(FooterMarks)
def extract_footer(html: str) -> FooterMarks:
    """The footer marks of a page; each None when absent."""
    raw = _COMMENT_RE.sub(" ", html or "")
    tree = parse(raw)
    text = visible_text(parse(raw))
    texts = [text, raw]  # the raw HTML also covers marks written by document.write()
    conac = _first(_CONAC_RES, raw) or ("_ideConac" if "_ideConac" in raw else None)
    return FooterMarks(
        site_code=_site_code(tree, texts),
        icp=_icp(texts),
        psb=_psb(texts),
        conac=conac,
        jiucuo=_jiucuo(raw),
        jiucuo_site_code=_jiucuo_site_code(raw),
    )


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
