"""Identification marks of a government site (INDICATORS.md §4b) and its name."""

from __future__ import annotations

import re
from html import unescape

from govinspect.extract.html import clean_text, never_raise, parse, visible_text
from govinspect.model import FooterMarks

_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_GAP = r"(?:\s|&nbsp;|&#160;|<[^<>]{0,300}>){0,12}"  # spaces, entities and tags between label and value
_SITE_CODE_RE = re.compile(rf"(?:政府)?网站标识码{_GAP}[:：]?{_GAP}(bm\d{{8}}|\d{{10}})(?![\dA-Za-z])", re.I)
_SITE_CODE_VALUE_RE = re.compile(r"^(\d{10}|bm\d{8})$", re.I)
_ICP_RE = re.compile(r"([\u4e00-\u9fa5])\s?ICP\s?([备證证])\s*(?:案\s*)?[:：]?\s*(\d{5,12})\s*号?(\s*-\s*\d{1,3})?", re.I)
_PSB_RE = re.compile(r"([\u4e00-\u9fa5])\s?公网安备\s*[:：]?\s*(\d{10,16})\s*号?")
_PSB_CODE_RE = re.compile(r"(?:公安机关)?备案(?:编)?号\s*[:：]\s*(\d{14})(?!\d)|recordcode=(\d{10,16})", re.I)
_CONAC_RES = (
    re.compile(r"(?:https?:)?//dcs\.conac\.cn/js/[^\s\"'<>]+", re.I),
    re.compile(r"(?:https?:)?//bszs\.conac\.cn/sitename\?[^\s\"'<>]+", re.I),
    re.compile(r"(?:https?:)?//(?:dcs|bszs)\.conac\.cn[^\s\"'<>]*", re.I),
)
_CONAC_MARKER_RE = re.compile(r"id\s*=\s*[\"']?_ideConac", re.I)
_JIUCUO_RES = (
    re.compile(r"(?:https?:)?//zfwzgl\.www\.gov\.cn/exposure/jiucuo[^\s\"'<>]*", re.I),
    re.compile(r"(?:https?:)?//121\.43\.68\.40/exposure[^\s\"'<>]*", re.I),
)
_JIUCUO_SCRIPT_RE = re.compile(r"<script[^>]*id\s*=\s*[\"']?_jiucuo_[^>]*>", re.I)
_SRC_RE = re.compile(r"src\s*=\s*[\"']?([^\s\"'>]+)", re.I)


def _first(patterns, text: str) -> str | None:
    for pattern in patterns:
        m = pattern.search(text)
        if m:
            return unescape(m.group(0))
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


def _icp(texts: list[str]) -> str | None:
    for text in texts:
        m = _ICP_RE.search(text)
        if m:
            suffix = re.sub(r"\s", "", m[4] or "")
            return f"{m[1]}ICP{m[2]}{m[3]}号{suffix}"
    return None


def _psb(texts: list[str]) -> str | None:
    for text in texts:
        m = _PSB_RE.search(text)
        if m:
            return f"{m[1]}公网安备 {m[2]}号"
    for text in texts:
        m = _PSB_CODE_RE.search(text)
        if m:
            return m[1] or m[2]
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


@never_raise(FooterMarks)
def extract_footer(html: str) -> FooterMarks:
    """The footer marks of a page; each None when absent."""
    raw = _COMMENT_RE.sub(" ", html or "")
    tree = parse(raw)
    text = visible_text(parse(raw))
    texts = [text, raw]  # the raw HTML also covers marks written by document.write()
    conac = _first(_CONAC_RES, raw) or ("_ideConac" if _CONAC_MARKER_RE.search(raw) else None)
    return FooterMarks(
        site_code=_site_code(tree, texts),
        icp=_icp(texts),
        psb=_psb(texts),
        conac=conac,
        jiucuo=_jiucuo(raw),
    )


_TITLE_SPLIT_RE = re.compile(r"\s*(?:[-_|–—·:：>»]|\s{2,})\s*")
_TITLE_NOISE_RE = re.compile(r"^(?:欢迎(?:访问|光临|来到)?|首页|主页|网站首页|门户网站首页|index|home)$", re.I)
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
