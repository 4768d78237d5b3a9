"""Crawl one site into a SiteModel: probes, home page, columns and their list pages, a sample of
articles, and a link check of every distinct link met on the way.

The crawl is the only I/O of an inspection; everything after it is a pure function of the model.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from govinspect.extract import (
    classify_column,
    empty_column_text,
    extract_footer,
    extract_home_items,
    extract_links,
    extract_list_items,
    extract_site_name,
    find_column_links,
    find_next_pages,
)
from govinspect.fetch import Fetcher, is_checkable_link
from govinspect.model import Column, LinkStatus, Page, SiteModel


@dataclass(frozen=True)
class CrawlBudget:
    max_pages: int = 400  # pages fetched and parsed per site (home, list pages, articles)
    max_columns: int = 60
    list_pages_per_column: int = 3
    articles_per_column: int = 2
    max_links: int = 3000  # distinct links checked per site
    probes: int = 3  # availability probes of the home page within this run
    probe_interval_s: float = 1.0
    probe_timeout_s: float = 15.0


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


def _same_site(url: str, hosts: set[str]) -> bool:
    host = host_of(url)
    bare = host.removeprefix("www.")
    return host in hosts or bare in hosts


class _SiteCrawl:
    """State of one site's crawl; one instance per inspection."""

    def __init__(self, url: str, fetcher: Fetcher, budget: CrawlBudget, reference: dt.date):
        self.url = url
        self.fetcher = fetcher
        self.budget = budget
        self.reference = reference
        host = host_of(url)
        self.hosts = {host, host.removeprefix("www.")}
        self.pages: dict[str, Page] = {}
        self.link_sources: dict[str, list[str]] = {}
        self.link_anchor: dict[str, str] = {}
        self.skipped: Counter[str] = Counter()
        self.page_columns: dict[str, str] = {}

    async def fetch(self, url: str) -> Page | None:
        if url in self.pages:
            return self.pages[url]
        if len(self.pages) >= self.budget.max_pages:
            self.skipped["超出页面数上限"] += 1
            return None
        page = await self.fetcher.get(url)
        self.pages[url] = page
        if page.final_url != url:
            self.pages.setdefault(page.final_url, page)
        if page.ok and page.is_html and page.text:
            self._record_links(page)
        return page

    def _record_links(self, page: Page) -> None:
        for link in extract_links(page.text, page.final_url):
            if not is_checkable_link(link.url):
                continue
            sources = self.link_sources.setdefault(link.url, [])
            if page.url not in sources:
                sources.append(page.url)
            if link.text and link.url not in self.link_anchor:
                self.link_anchor[link.url] = link.text

    async def fetch_for(self, url: str, column: Column) -> Page | None:
        self.page_columns.setdefault(url, column.name)
        return await self.fetch(url)

    async def crawl_column(self, column: Column) -> None:
        page = await self.fetch_for(column.url, column)
        if page is None:
            column.error = "超出页面数上限，未检查"
            return
        if not page.ok or not page.is_html:
            column.error = page.error or f"栏目页无法解析（{page.content_type}）"
            return
        column.pages_read = 1
        column.items = extract_list_items(page.text, page.final_url, self.reference)
        if not column.items:
            column.empty_text = empty_column_text(page.text)
        # More list pages only matter for item counts; the newest items are on the first page.
        for next_url in find_next_pages(page.text, page.final_url)[: self.budget.list_pages_per_column - 1]:
            more = await self.fetch_for(next_url, column)
            if more is None or not more.ok or not more.is_html:
                break
            column.pages_read += 1
            known = {i.url for i in column.items}
            column.items.extend(
                i for i in extract_list_items(more.text, more.final_url, self.reference) if i.url not in known
            )
        # A sample of articles: their links are checked too (links.broken_other).
        articles = [i.url for i in column.items if _same_site(i.url, self.hosts)]
        for url in articles[: self.budget.articles_per_column]:
            await self.fetch_for(url, column)

    async def check_links(self) -> list[LinkStatus]:
        statuses: list[LinkStatus] = []
        todo: list[str] = []
        for url in self.link_sources:
            page = self.pages.get(url)
            if page is not None:
                # Already fetched while crawling: its outcome is the link's status.
                statuses.append(
                    LinkStatus(
                        url=url,
                        status=page.status,
                        error=None if page.ok else (page.error or f"HTTP {page.status}"),
                        found_on=self.link_sources[url],
                        anchor=self.link_anchor.get(url, ""),
                    )
                )
            elif len(todo) < self.budget.max_links:
                todo.append(url)
            else:
                self.skipped["超出链接检查上限"] += 1

        async def one(url: str) -> LinkStatus:
            status = await self.fetcher.check_link(
                url, found_on=self.link_sources[url][0], anchor=self.link_anchor.get(url, "")
            )
            # The fetcher caches per run; the found_on list is ours.
            return LinkStatus(
                url=url,
                status=status.status,
                error=status.error,
                found_on=list(self.link_sources[url]),
                anchor=self.link_anchor.get(url, "") or status.anchor,
            )

        statuses.extend(await asyncio.gather(*(one(u) for u in todo)))
        return statuses


async def _probe_loop(fetcher: Fetcher, url: str, budget: CrawlBudget, out: list) -> None:
    for i in range(budget.probes):
        if i:
            await asyncio.sleep(budget.probe_interval_s)
        out.append(await fetcher.probe(url, timeout_s=budget.probe_timeout_s))


async def crawl_site(
    url: str,
    fetcher: Fetcher,
    *,
    reference: dt.date,
    budget: CrawlBudget | None = None,
    name: str = "",
) -> SiteModel:
    """Crawl `url` (its home page) and return the site model. Never raises for network problems."""
    budget = budget or CrawlBudget()
    state = _SiteCrawl(url, fetcher, budget, reference)
    site = SiteModel(url=url, host=host_of(url), name=name)
    probes_task = asyncio.create_task(_probe_loop(fetcher, url, budget, site.probes))
    try:
        home = await state.fetch(url)
        site.home = home
        if home is None or not home.ok:
            site.errors.append(f"首页无法访问：{home.error if home else '未抓取'}")
            return site
        if not home.is_html or not home.text.strip():
            site.errors.append(f"首页不是网页（内容类型：{home.content_type or '未知'}）")
            return site
        if home.final_url != url:
            # Redirected home (e.g. to /index.html or another host): the final host is in scope too.
            state.hosts.add(host_of(home.final_url))
        site.name = name or extract_site_name(home.text)
        site.footer = extract_footer(home.text)
        site.home_items = extract_home_items(home.text, home.final_url, reference)
        site.home_links = set(state.link_sources)

        seen: set[str] = set()
        for link in find_column_links(home.text, home.final_url):
            if link.url in seen or not _same_site(link.url, state.hosts):
                continue
            seen.add(link.url)
            site.columns.append(Column(name=link.name, url=link.url, kind=classify_column(link.name)))
            if len(site.columns) >= budget.max_columns:
                state.skipped["超出栏目数上限"] += 1
                break
        await asyncio.gather(*(state.crawl_column(c) for c in site.columns))
        site.links = await state.check_links()
    finally:
        await probes_task
        site.pages_fetched = len({id(p) for p in state.pages.values()})
        site.skipped = dict(state.skipped)
        site.page_columns = state.page_columns
    return site
