"""Everything the checks need from a site's HTML, read once at crawl time into the SiteModel.

After `read_site_facts(site)` no check (and no re-scoring of a stored crawl) needs a page body:
visible text, hidden blocks, script-written text and outside links of the home and sample pages,
the crawler's view of the home page, the home fingerprint and the home page's channel entries.
"""

from __future__ import annotations

import hashlib
import logging
from urllib.parse import urlsplit

from govinspect.extract.block_styles import block_signatures
from govinspect.extract.channels import home_channels
from govinspect.extract.fingerprint import home_fingerprint
from govinspect.extract.html import parse, registered_domain, visible_text
from govinspect.extract.spam_signals import has_outside_links, hidden_blocks, link_titles, script_written
from govinspect.model import Page, PageFacts, SiteModel

log = logging.getLogger(__name__)


def seal_page(page: Page) -> None:
    """Record that a body arrived (hash, markup or not), so the facts survive without `text`."""
    if page.text.strip():
        page.body_hash = hashlib.sha256(page.text.encode("utf-8", "surrogatepass")).hexdigest()
        page.looks_html = page.text.lstrip()[:1] == "<"


def page_facts(page: Page, own_domain: str, column: str = "") -> PageFacts:
    html = page.text
    base = page.final_url or page.url
    seal_page(page)
    tree = parse(html)  # one parse: the readers first, visible_text (which strips scripts) last
    facts = PageFacts(
        url=page.url,
        final_url=page.final_url,
        column=column,
        body_hash=page.body_hash or hashlib.sha256(html.encode("utf-8", "surrogatepass")).hexdigest(),
        link_titles=link_titles(tree),
        hidden_blocks=hidden_blocks(tree, base, own_domain),
        script_written=script_written(tree, base, own_domain),
        outside_links=has_outside_links(tree, base, own_domain),
        block_signatures=block_signatures(tree),
    )
    facts.visible_text = visible_text(tree)
    return facts


def _fingerprint(page: Page) -> dict | None:
    if not page.ok or not page.is_html or not page.text.strip():
        return None
    try:
        return home_fingerprint(page)
    except Exception:  # noqa: BLE001 - hostile markup: no comparison rather than a failed inspection
        log.exception("home fingerprint failed on %s", page.url)
        return None


def read_site_facts(site: SiteModel) -> None:
    """Fill page_facts, crawler_facts, crawler_page_facts, home_fingerprint and home_channels from the
    pages' HTML."""
    own_domain = registered_domain(site.host or urlsplit(site.url).hostname or "")
    facts, seen = [], set()
    for page in ([site.home] if site.home is not None else []) + list(site.sample_pages):
        if page.url in seen or not page.text:
            continue
        seen.add(page.url)
        facts.append(page_facts(page, own_domain, site.page_columns.get(page.url, "")))
    site.page_facts = facts
    crawler = site.crawler_view
    site.crawler_facts = page_facts(crawler, own_domain) if crawler is not None and crawler.text else None
    site.crawler_page_facts = [
        page_facts(view, own_domain, site.page_columns.get(view.url, ""))
        for view in site.crawler_views
        if view.text
    ]
    home = site.home
    site.home_fingerprint = _fingerprint(home) if home is not None else None
    site.home_channels = (
        home_channels(home.text, home.final_url or site.url)
        if home is not None and home.ok and home.text
        else None
    )
    if home is not None:
        seal_page(home)
