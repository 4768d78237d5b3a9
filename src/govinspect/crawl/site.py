"""Crawl one site into a SiteModel: probes, home page, columns and their list pages, a sample of
articles, optionally every other page of the site's own host(s) up to the page budget, and a link
check of every distinct link met on the way.

The crawl is the only I/O of an inspection; everything after it is a pure function of the model.
Own-host pages are fetched (GET, links extracted); other hosts are only link-checked. Every URL
is de-duplicated by `canonical_url`, screened against crawler traps and robots.txt, and whatever
is not requested is counted in `SiteModel.skipped` under a Chinese reason.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from govinspect.crawl.traps import TrapGuard, TrapLimits, same_pattern_chain
from govinspect.extract import (
    build_content_model,
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
from govinspect.fetch import Fetcher
from govinspect.fetch.urls import canonical_url
from govinspect.model import Column, LinkStatus, Page, SiteModel

REASON_BUDGET = "超出页面数上限，未访问"
REASON_LINK_BUDGET = "超出链接检查上限，未检查"
REASON_COLUMNS = "超出栏目数上限，未检查"
REASON_ROBOTS = "robots.txt 禁止抓取，未访问"
MAX_SOURCES = 50  # pages kept per link as evidence (found_on); a nav link is on every page
# Attackers show injected links only to search engines: this is what Baidu's crawler sends.
SEARCH_ENGINE_HEADERS = {
    "User-Agent": "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "Referer": "https://www.baidu.com/s?wd=site",
}

# href="mailto:..." and the like; extract_links drops them, the crawler still counts them.
_NON_WEB_HREF = re.compile(
    r"""<(?:a|area)\b[^>]*?\bhref\s*=\s*["']?\s*(([a-zA-Z][a-zA-Z0-9+.\-]*):[^"'\s>]*)""", re.IGNORECASE
)

ProgressCallback = Callable[[str, int], None]
"""on_progress(kind, n): n more of `kind` done; kinds are "page" (fetched) and "link" (checked)."""


def non_web_reason(scheme: str) -> str:
    return f"非网页链接（{scheme}:），未检查"


@dataclass(frozen=True)
class CrawlBudget:
    max_pages: int = 400  # pages fetched and parsed per site (home, list pages, articles, others)
    max_columns: int = 60
    list_pages_per_column: int = 3
    articles_per_column: int = 8  # article sample per column, for the text checks and their links
    items_per_interact_column: int = 20  # message pages read per 领导信箱/留言 column
    items_per_service_column: int = 10  # guide pages read per 办事指南 column
    crawler_view: bool = True  # also fetch the home page as a search engine sees it (cloaked spam)
    max_links: int = 3000  # distinct links checked per site
    probes: int = 3  # availability probes of the home page within this run
    probe_interval_s: float = 1.0
    probe_timeout_s: float = 15.0
    # After the columns, crawl the rest of the own host(s) breadth-first up to max_pages.
    follow_links: bool = False
    follow_concurrency: int = 16  # pages in flight while following links (the fetcher caps per host)
    traps: TrapLimits = field(default_factory=TrapLimits)


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


def _same_site(url: str, hosts: set[str]) -> bool:
    host = host_of(url)
    bare = host.removeprefix("www.")
    return host in hosts or bare in hosts


@dataclass
class _LinkRecord:
    url: str  # as first met
    sources: list[str] = field(default_factory=list)
    anchor: str = ""


class _SiteCrawl:
    """State of one site's crawl; one instance per inspection."""

    def __init__(
        self,
        url: str,
        fetcher: Fetcher,
        budget: CrawlBudget,
        reference: dt.date,
        on_progress: ProgressCallback | None = None,
    ):
        self.url = url
        self.fetcher = fetcher
        self.budget = budget
        self.reference = reference
        self.on_progress = on_progress
        host = host_of(url)
        self.hosts = {host, host.removeprefix("www.")}
        self.pages: dict[str, Page] = {}  # canonical URL -> page (redirect targets too)
        self.fetched = 0  # pages actually requested
        self.links: dict[str, _LinkRecord] = {}  # canonical URL -> where it was met
        self.refused: dict[str, str] = {}  # canonical URL -> why it is never requested
        self.over_budget: set[str] = set()
        self.non_web: set[str] = set()
        self.guard = TrapGuard(budget.traps)
        self.chain: dict[str, int] = {}  # canonical URL -> same-shape pages that led to it
        self.skipped: Counter[str] = Counter()
        self.page_columns: dict[str, str] = {}
        self._inflight: dict[str, asyncio.Future[Page | None]] = {}
        self._frontier: asyncio.Queue[str] | None = None
        self._queued: set[str] = set()

    def progress(self, kind: str, n: int = 1) -> None:
        if self.on_progress is not None and n:
            self.on_progress(kind, n)

    def refusal(self, url: str) -> str:
        key = canonical_url(url)
        return self.refused.get(key) or (REASON_BUDGET if key in self.over_budget else "未访问")

    async def _screen(self, key: str, url: str) -> bool:
        """True when `url` may be requested: not a trap, and robots.txt allows it on our hosts."""
        if key in self.refused:
            return False
        reason, _ = self.guard.check(key, self.chain.get(key, 0))
        if reason is None and _same_site(url, self.hosts) and not await self.fetcher.allowed(url):
            reason = REASON_ROBOTS
        if reason is not None and key not in self.refused:
            self.refused[key] = reason
            self.skipped[reason] += 1
        return reason is None

    async def fetch(self, url: str, *, home: bool = False, keep_text: bool = True) -> Page | None:
        """The page at `url`, fetched once per crawl; None when it is not to be requested."""
        key = canonical_url(url)
        if key in self.pages:
            return self.pages[key]
        if key in self._inflight:
            return await asyncio.shield(self._inflight[key])
        if not home and self.fetched >= self.budget.max_pages:
            if key not in self.over_budget:
                self.over_budget.add(key)
                self.skipped[REASON_BUDGET] += 1
            return None
        future: asyncio.Future[Page | None] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            page = await self._fetch_new(key, url, home=home, keep_text=keep_text)
            future.set_result(page)
            return page
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: waiters re-raise it, nobody else must log it
            raise
        finally:
            del self._inflight[key]

    async def _fetch_new(self, key: str, url: str, *, home: bool, keep_text: bool) -> Page | None:
        if home:
            if not await self.fetcher.allowed(url):
                self.refused[key] = REASON_ROBOTS
                self.skipped[REASON_ROBOTS] += 1
                return None
        elif not await self._screen(key, url):
            return None
        self.fetched += 1
        page = await self.fetcher.get(url)
        self.progress("page")
        if page.ok and page.is_html and page.text:
            self._record_links(page)
        kept = page if keep_text else replace(page, text="", headers={})
        self.pages[key] = kept
        if page.final_url != url:
            self.pages.setdefault(canonical_url(page.final_url), kept)
        return page

    def _record_links(self, page: Page) -> None:
        self._count_non_web_hrefs(page.text)
        source = canonical_url(page.final_url)
        for link in extract_links(page.text, page.final_url):
            key = canonical_url(link.url)
            record = self.links.get(key)
            if record is None:
                record = self.links[key] = _LinkRecord(link.url)
                if same_pattern_chain(source, key):
                    self.chain[key] = self.chain.get(source, 0) + 1
                if self._frontier is not None:
                    self._enqueue(key, link.url)
            if page.url not in record.sources and len(record.sources) < MAX_SOURCES:
                record.sources.append(page.url)
            if link.text and not record.anchor:
                record.anchor = link.text

    def _count_non_web_hrefs(self, html: str) -> None:
        """javascript:, mailto:, tel:, data: ... are never fetched; each distinct href is counted."""
        for match in _NON_WEB_HREF.finditer(html):
            href, scheme = match.group(1), match.group(2).lower()
            if scheme not in ("http", "https") and href not in self.non_web:
                self.non_web.add(href)
                self.skipped[non_web_reason(scheme)] += 1

    def _enqueue(self, key: str, url: str) -> None:
        assert self._frontier is not None
        if key not in self.pages and key not in self._queued and _same_site(url, self.hosts):
            self._queued.add(key)
            self._frontier.put_nowait(url)

    async def fetch_for(self, url: str, column: Column) -> Page | None:
        self.page_columns.setdefault(url, column.name)
        return await self.fetch(url)

    async def crawl_column(self, column: Column) -> None:
        page = await self.fetch_for(column.url, column)
        if page is None:
            column.error = f"栏目页未检查（{self.refusal(column.url)}）"
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
        # A sample of item pages: articles for the text checks, messages, guides; their links
        # are checked too (links.broken_other).
        sample = {
            "interact": self.budget.items_per_interact_column,
            "service": self.budget.items_per_service_column,
        }.get(column.kind, self.budget.articles_per_column)
        articles = [i.url for i in column.items if _same_site(i.url, self.hosts)]
        await asyncio.gather(*(self.fetch_for(url, column) for url in articles[:sample]))

    def expand_sections(self, columns: list[Column], seen: set[str]) -> list[Column]:
        """Sub-columns of section pages (政务公开 → 政策文件, 人事信息 ...), one level down.

        A section page lists no items of its own but links to its sub-columns; it is then not an
        empty column, and its sub-columns are judged as second-level columns.
        """
        found: list[Column] = []
        for column in columns:
            page = self.pages.get(canonical_url(column.url))
            if column.items or column.empty_text or column.error or page is None or not page.text:
                continue
            subs = [
                link
                for link in find_column_links(page.text, page.final_url)
                if link.url not in seen and _same_site(link.url, self.hosts)
            ]
            if not subs:
                continue
            column.kind = "other"  # a navigation section: its sub-columns carry the items
            for link in subs:
                if len(columns) + len(found) >= self.budget.max_columns:
                    self.skipped[REASON_COLUMNS] += 1
                    return found
                seen.add(link.url)
                kind = classify_column(link.name)
                found.append(Column(name=link.name, url=link.url, kind=kind, top_level=False))
        return found

    async def follow_links(self) -> None:
        """Breadth-first over the own host(s), from every link met so far, until max_pages."""
        queue: asyncio.Queue[str] = asyncio.Queue()
        self._frontier = queue
        for key, record in list(self.links.items()):
            self._enqueue(key, record.url)

        async def worker() -> None:
            while True:
                url = await queue.get()
                try:
                    # Past the budget the queue just drains: those links are link-checked instead.
                    if self.fetched < self.budget.max_pages:
                        await self.fetch(url, keep_text=False)
                finally:
                    queue.task_done()

        workers = [asyncio.create_task(worker()) for _ in range(max(1, self.budget.follow_concurrency))]
        try:
            await queue.join()
        finally:
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            self._frontier = None

    async def check_links(self) -> list[LinkStatus]:
        statuses: list[LinkStatus] = []
        todo: list[_LinkRecord] = []
        for key, record in self.links.items():
            page = self.pages.get(key)
            if page is not None:
                # Already fetched while crawling: its outcome is the link's status.
                statuses.append(
                    LinkStatus(
                        url=record.url,
                        status=page.status,
                        error=None if page.ok else (page.error or f"HTTP {page.status}"),
                        found_on=list(record.sources),
                        anchor=record.anchor,
                    )
                )
            elif not await self._screen(key, record.url):
                continue
            elif len(todo) < self.budget.max_links:
                todo.append(record)
            else:
                self.skipped[REASON_LINK_BUDGET] += 1
        self.progress("link", len(statuses))

        async def one(record: _LinkRecord) -> LinkStatus:
            status = await self.fetcher.check_link(
                record.url, found_on=record.sources[0], anchor=record.anchor
            )
            self.progress("link")
            # The fetcher caches per run; the found_on list is ours.
            return LinkStatus(
                url=record.url,
                status=status.status,
                error=status.error,
                found_on=list(record.sources),
                anchor=record.anchor or status.anchor,
            )

        statuses.extend(await asyncio.gather(*(one(r) for r in todo)))
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
    on_progress: ProgressCallback | None = None,
) -> SiteModel:
    """Crawl `url` (its home page) and return the site model. Never raises for network problems.

    `on_progress(kind, n)` is called as work gets done: ("page", 1) per page fetched, ("link", n)
    as link statuses become known. It runs on the event loop: keep it quick.
    """
    budget = budget or CrawlBudget()
    state = _SiteCrawl(url, fetcher, budget, reference, on_progress)
    site = SiteModel(url=url, host=host_of(url), name=name)
    probes_task = asyncio.create_task(_probe_loop(fetcher, url, budget, site.probes))
    try:
        home = await state.fetch(url, home=True)
        site.home = home
        if home is None:
            site.errors.append("robots.txt 禁止抓取首页，未检查（经授权的监管检查可关闭 respect_robots）")
            return site
        if not home.ok:
            site.errors.append(f"首页无法访问：{home.error}")
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
        site.home_links = {record.url for record in state.links.values()}

        seen: set[str] = set()
        for link in find_column_links(home.text, home.final_url):
            if link.url in seen or not _same_site(link.url, state.hosts):
                continue
            seen.add(link.url)
            site.columns.append(Column(name=link.name, url=link.url, kind=classify_column(link.name)))
            if len(site.columns) >= budget.max_columns:
                state.skipped[REASON_COLUMNS] += 1
                break
        crawler_task = (
            asyncio.create_task(fetcher.get(home.final_url, headers=SEARCH_ENGINE_HEADERS))
            if budget.crawler_view
            else None
        )
        await asyncio.gather(*(state.crawl_column(c) for c in site.columns))
        sub_columns = state.expand_sections(site.columns, seen)
        await asyncio.gather(*(state.crawl_column(c) for c in sub_columns))
        site.columns.extend(sub_columns)
        content_pages = {p.url: p for p in state.pages.values() if p.text and p.url in state.page_columns}
        build_content_model(site, content_pages, reference)
        site.sample_pages = [home, *content_pages.values()]  # for the hidden-spam check
        if crawler_task is not None:
            site.crawler_view = await crawler_task
        if budget.follow_links:
            await state.follow_links()
        site.links = await state.check_links()
    finally:
        await probes_task
        site.pages_fetched = state.fetched
        site.skipped = dict(state.skipped)
        site.page_columns = state.page_columns
    return site
