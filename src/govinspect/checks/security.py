"""安全: gambling/porn spam injected into pages (hidden by CSS, written by script, or cloaked).

Brand names (lexicons/spam.yaml `brands`) fire wherever they appear. Generic terms fire only in
content a visitor does not see (hidden, script-written, crawler-only) and only next to a link to
a non-government site, so a hidden news tab about 打击赌博 or a visible link to a shop does not.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from govinspect.checks.base import CheckContext
from govinspect.checks.lexicons import spam_lexicons
from govinspect.extract.html import (
    absolute_url,
    clean_text,
    node_text,
    parse,
    registered_domain,
    visible_text,
)
from govinspect.model import Finding, Page, SiteModel

_HIDING_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*[01](?:\.\d+)?(?:px|pt|em)?\s*(?:;|$|!)"
    r"|(?:left|top|right|text-indent|margin-left|margin-top)\s*:\s*-\s*\d{3,}"
    r"|(?:^|[;\s])(?:width|height)\s*:\s*[01]px.*overflow\s*:\s*hidden|overflow\s*:\s*hidden.*(?:^|[;\s])(?:width|height)\s*:\s*[01]px"
    r"|opacity\s*:\s*0(?:\.0+)?\s*(?:;|$)|clip\s*:\s*rect\(\s*0",
    re.I | re.S,
)
_COLOR = re.compile(r"(?<![-\w])color\s*:\s*([#\w]+)", re.I)
_BACKGROUND = re.compile(r"background(?:-color)?\s*:\s*([#\w]+)", re.I)
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR = re.compile(r"^\s*([.#])([\w-]+)\s*$")
_DOC_WRITE = re.compile(r"document\.write(?:ln)?\s*\(|\.innerHTML\s*=|insertAdjacentHTML", re.I)
_JS_STRING = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"", re.S)
_JS_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})|%u([0-9a-fA-F]{4})")


def _same_colour(style: str) -> bool:
    colour, background = _COLOR.search(style), _BACKGROUND.search(style)
    return bool(colour and background and colour.group(1).lower() == background.group(1).lower())


def _hiding_selectors(tree: LexborHTMLParser) -> list[str]:
    """.class and #id selectors that <style> blocks hide (the usual spam wrapper)."""
    selectors = []
    for style in tree.css("style"):
        for rule in _CSS_RULE.finditer(style.text() or ""):
            body = rule.group(2)
            if not (_HIDING_STYLE.search(body) or _same_colour(body)):
                continue
            for selector in rule.group(1).split(","):
                m = _SIMPLE_SELECTOR.match(selector)
                if m:
                    selectors.append(f"[class~='{m[2]}']" if m[1] == "." else f"[id='{m[2]}']")
    return selectors


def hidden_nodes(tree: LexborHTMLParser) -> list[LexborNode]:
    """Outermost elements a visitor cannot see."""
    found: dict[int, LexborNode] = {}
    for node in tree.css("[style], [hidden], marquee"):
        style = node.attributes.get("style") or ""
        if "hidden" in node.attributes or _HIDING_STYLE.search(style) or _same_colour(style):
            found[node.mem_id] = node
        elif node.tag == "marquee":
            size = f"{node.attributes.get('width', '')} {node.attributes.get('height', '')}"
            if re.search(r"(?<!\d)[01](?:px)?(?!\d)", size):
                found[node.mem_id] = node
    for selector in _hiding_selectors(tree):
        try:
            for node in tree.css(selector):
                found[node.mem_id] = node
        except Exception:  # noqa: BLE001 - a selector lexbor cannot parse
            continue
    outermost = []
    for node in found.values():
        parent, nested = node.parent, False
        while parent is not None:
            if parent.mem_id in found:
                nested = True
                break
            parent = parent.parent
        if not nested:
            outermost.append(node)
    return outermost


def _outside_links(html_or_node, base: str, own_domain: str) -> list[str]:
    """Links to hosts outside the site and outside government domains."""
    out = []
    for a in html_or_node.css("a[href]"):
        url = absolute_url(a.attributes.get("href"), base)
        if not url:
            continue
        host = urlsplit(url).hostname or ""
        if registered_domain(host) != own_domain and not host.endswith((".gov.cn", ".gov")):
            out.append(url)
    return out


def _script_html(tree: LexborHTMLParser) -> str:
    """What inline scripts write into the page (document.write, innerHTML), escapes decoded."""
    parts = []
    for script in tree.css("script"):
        if script.attributes.get("src"):
            continue
        code = script.text() or ""
        if not _DOC_WRITE.search(code):
            continue
        for m in _JS_STRING.finditer(code):
            parts.append(m.group(1) if m.group(1) is not None else m.group(2) or "")
    text = "".join(parts)
    text = _JS_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2) or m.group(3), 16)), text)
    return unquote(text) if "%" in text else text


def _terms(text: str, lexicon) -> list[str]:
    return sorted({h.term for h in lexicon.find(text)})


def page_spam(page: Page, own_domain: str) -> dict[str, object] | None:
    """Why a page carries spam (the terms and how they are shown), or None."""
    html = page.text or ""
    if not html:
        return None
    base = page.final_url or page.url
    brands, generic = spam_lexicons()
    tree = parse(html)
    hidden = hidden_nodes(tree)
    where: list[str] = []
    found: set[str] = set()
    for node in hidden:
        text = node_text(node) + " " + " ".join(a.attributes.get("title") or "" for a in node.css("a"))
        hit = _terms(text, brands) or (
            _terms(text, generic) if _outside_links(node, base, own_domain) else []
        )
        if hit:
            found.update(hit)
            where.append("CSS隐藏")
    written = _script_html(tree)
    if written:
        script_tree = parse(written)
        text = clean_text(script_tree.body.text(deep=True, separator=" ") if script_tree.body else written)
        hit = _terms(text, brands) or (
            _terms(text, generic) if _outside_links(script_tree, base, own_domain) else []
        )
        if hit:
            found.update(hit)
            where.append("脚本写入")
    visible = (
        visible_text(parse(html))
        + " "
        + " ".join((a.attributes.get("title") or "") for a in tree.css("a[title]"))
    )
    hit = _terms(visible, brands)
    if hit:
        found.update(hit)
        where.append("页面文字")
    if not found:
        return None
    return {"terms": sorted(found), "how": sorted(set(where))}


def cloaked_spam(normal: Page, crawler: Page, own_domain: str) -> dict[str, object] | None:
    """Spam terms the crawler's view shows and the visitor's view does not."""
    brands, generic = spam_lexicons()
    seen = visible_text(parse(normal.text or "")).lower()
    crawler_tree = parse(crawler.text or "")
    crawler_text = visible_text(parse(crawler.text or ""))
    terms = [t for t in _terms(crawler_text, brands) if t not in seen]
    if _outside_links(crawler_tree, crawler.final_url or crawler.url, own_domain):
        terms += [t for t in _terms(crawler_text, generic) if t not in seen]
    if not terms:
        return None
    return {"terms": sorted(set(terms)), "how": ["仅对搜索引擎显示"]}


def _finding(url: str, column: str, found: dict[str, object]) -> Finding:
    terms = "、".join(found["terms"][:5])
    how = "、".join(found["how"])
    return Finding(
        check="security.spam_injection",
        message=f"页面被植入博彩/色情等违规内容（{how}）：{terms}",
        url=url,
        column=column,
        evidence=dict(found),
    )


def check_spam_injection(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    own_domain = registered_domain(site.host or urlsplit(site.url).hostname or "")
    findings = []
    seen: set[str] = set()
    pages = ([site.home] if site.home is not None else []) + list(site.sample_pages)
    bodies: set[int] = set()
    for page in pages:
        url = page.final_url or page.url
        # The same page under two URLs (/ and /index.html) is reported once.
        if url in seen or not page.text or hash(page.text) in bodies:
            continue
        seen.add(url)
        bodies.add(hash(page.text))
        found = page_spam(page, own_domain)
        if found:
            findings.append(_finding(url, site.page_columns.get(page.url, ""), found))
    brands, _ = spam_lexicons()
    for article in site.articles:
        if article.url in seen:
            continue
        terms = _terms(f"{article.title}\n{article.text}", brands)
        if terms:
            findings.append(_finding(article.url, article.column, {"terms": terms, "how": ["页面文字"]}))
    # The home page, and a sample of list pages and articles, fetched as Baiduspider: what only
    # search engines are shown (issue 13 §4).
    pairs: list[tuple[Page, Page, str]] = []
    crawler_view = getattr(site, "crawler_view", None)
    if crawler_view is not None and site.home is not None and crawler_view.text:
        pairs.append((site.home, crawler_view, ""))
    shown = {page.url: page for page in site.sample_pages if page.text}
    for view in getattr(site, "crawler_views", []) or []:
        normal = shown.get(view.url)
        if normal is not None and view.text and normal is not site.home:
            pairs.append((normal, view, site.page_columns.get(normal.url, "")))
    for normal, view, column in pairs:
        url = normal.final_url or normal.url
        found = cloaked_spam(normal, view, own_domain)
        if not found:
            continue
        existing = next((f for f in findings if f.url == url), None)
        if existing is None:
            findings.append(_finding(url, column, found))
        else:
            # One finding per page: what only crawlers are shown joins what is hidden from people.
            merged = {
                "terms": sorted(set(existing.evidence["terms"]) | set(found["terms"])),
                "how": sorted(set(existing.evidence["how"]) | set(found["how"])),
            }
            findings[findings.index(existing)] = _finding(url, existing.column, merged)
    return findings
