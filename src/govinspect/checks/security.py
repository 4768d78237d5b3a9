"""安全: gambling/porn spam injected into pages (hidden by CSS, written by script, or cloaked).

Brand names (lexicons/spam.yaml `brands`) fire wherever they appear. Generic terms fire only in
content a visitor does not see (hidden, script-written, crawler-only) and only next to a link to
a non-government site, so a hidden news tab about 打击赌博 or a visible link to a shop does not.
What is hidden, script-written or shown only to crawlers is read at crawl time
(extract/spam_signals.py) into `SiteModel.page_facts`; this module reads no HTML.
"""

from __future__ import annotations

from govinspect.checks.base import CheckContext
from govinspect.checks.lexicons import spam_lexicons
from govinspect.model import Finding, PageFacts, SiteModel


def _terms(text: str, lexicon) -> list[str]:
    return sorted({h.term for h in lexicon.find(text)})


def page_spam(facts: PageFacts) -> dict[str, object] | None:
    """Why a page carries spam (the terms and how they are shown), or None."""
    brands, generic = spam_lexicons()
    where: list[str] = []
    found: set[str] = set()
    for block in facts.hidden_blocks:
        hit = _terms(block.text, brands) or (_terms(block.text, generic) if block.outside_links else [])
        if hit:
            found.update(hit)
            where.append("CSS隐藏")
    written = facts.script_written
    if written is not None:
        hit = _terms(written.text, brands) or (_terms(written.text, generic) if written.outside_links else [])
        if hit:
            found.update(hit)
            where.append("脚本写入")
    hit = _terms(facts.visible_text + " " + facts.link_titles, brands)
    if hit:
        found.update(hit)
        where.append("页面文字")
    if not found:
        return None
    return {"terms": sorted(found), "how": sorted(set(where))}


def cloaked_spam(normal: PageFacts | None, crawler: PageFacts) -> dict[str, object] | None:
    """Spam terms the crawler's view shows and the visitor's view does not."""
    brands, generic = spam_lexicons()
    seen = (normal.visible_text if normal is not None else "").lower()
    terms = [t for t in _terms(crawler.visible_text, brands) if t not in seen]
    if crawler.outside_links:
        terms += [t for t in _terms(crawler.visible_text, generic) if t not in seen]
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
    findings = []
    seen: set[str] = set()
    bodies: set[str] = set()
    for facts in site.page_facts:
        url = facts.final_url or facts.url
        # The same page under two URLs (/ and /index.html) is reported once.
        if url in seen or facts.body_hash in bodies:
            continue
        seen.add(url)
        bodies.add(facts.body_hash)
        found = page_spam(facts)
        if found:
            findings.append(_finding(url, facts.column, found))
    brands, _ = spam_lexicons()
    for article in site.articles:
        if article.url in seen:
            continue
        terms = _terms(f"{article.title}\n{article.text}", brands)
        if terms:
            findings.append(_finding(article.url, article.column, {"terms": terms, "how": ["页面文字"]}))
    # The home page, and a sample of list pages and articles, fetched as Baiduspider: what only
    # search engines are shown. Each crawler view pairs with the visitor's view of the same URL.
    facts_of = {facts.url: facts for facts in site.page_facts}
    pairs: list[tuple[PageFacts | None, PageFacts, str, str]] = []
    if site.crawler_facts is not None and site.home is not None:
        home_url = site.home.final_url or site.home.url
        pairs.append((facts_of.get(site.home.url), site.crawler_facts, home_url, ""))
    for view in site.crawler_page_facts:
        normal = facts_of.get(view.url)
        if normal is not None and (site.home is None or normal.url != site.home.url):
            pairs.append((normal, view, normal.final_url or normal.url, normal.column))
    for normal, view, url, column in pairs:
        found = cloaked_spam(normal, view)
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
