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
    # The home page fetched as Baiduspider, when the crawler fetched it.
    if site.crawler_facts is not None and site.home is not None:
        home_url = site.home.final_url or site.home.url
        home_facts = next((f for f in site.page_facts if f.url == site.home.url), None)
        found = cloaked_spam(home_facts, site.crawler_facts)
        home_finding = next((f for f in findings if f.url == home_url), None)
        if found and home_finding is None:
            findings.append(_finding(home_url, "", found))
        elif found:
            # One finding per page: what only crawlers are shown joins what is hidden from people.
            merged = {
                "terms": sorted(set(home_finding.evidence["terms"]) | set(found["terms"])),
                "how": sorted(set(home_finding.evidence["how"]) | set(found["how"])),
            }
            findings[findings.index(home_finding)] = _finding(home_url, home_finding.column, merged)
    return findings
