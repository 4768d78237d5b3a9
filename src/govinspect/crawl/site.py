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
import hashlib
import re
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from govinspect.crawl.frontier import SPILL_AT, Frontier, LinkBook, LinkRecord, MetLink, ScratchFile
from govinspect.crawl.traps import TrapGuard, TrapLimits, path_loops, same_pattern_chain
from govinspect.extract import (
    build_content_model,
    classify_column,
    extract_footer,
    extract_home_items,
    extract_links,
    extract_list_items,
    extract_site_name,
    find_column_links,
    find_next_pages,
)
from govinspect.extract.links import (
    column_key,
    find_sitemap_url,
    hub_sub_columns,
    sitemap_columns,
)
from govinspect.extract.list_state import read_list_state
from govinspect.extract.page_facts import read_site_facts
from govinspect.fetch import Fetcher
from govinspect.fetch.js import needs_rendering
from govinspect.fetch.urls import canonical_url, is_absolute_http, is_checkable_link
from govinspect.model import Column, Item, LinkStatus, Page, Probe, SiteModel
from govinspect.registry.importer import column_excluded, override_columns

if TYPE_CHECKING:
    from govinspect.fetch.browser import Renderer

REASON_BUDGET = "超出页面数上限，未访问"
REASON_LINK_BUDGET = "超出链接检查上限，未检查"
REASON_COLUMNS = "超出栏目数上限，未检查"
REASON_DEADLINE = "超过单站检查时限，提前结束"
REASON_DEADLINE_COLUMNS = "超过单站检查时限，栏目页未检查"
REASON_LINK_DEADLINE = "超过链接检查时限，未检查"
REASON_ROBOTS = "robots.txt 禁止抓取，未访问"
REASON_NO_BROWSER = "页面需要 JavaScript 渲染，但未安装 Chromium"
REASON_NOT_MODIFIED = "页面未变化（304），沿用上次读取的链接"
REASON_SAME_CONTENT = "页面内容未变化（哈希相同），沿用上次读取的链接"
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
    # Item pages read per column (articles for the text checks, messages, guides): at least these
    # when the budget allows, growing with the page budget left after the list pages up to
    # `sample_growth` times as many, spread over the list (newest first, then across its pages).
    articles_per_column: int = 8
    items_per_interact_column: int = 20  # message pages per 领导信箱/留言 column
    items_per_service_column: int = 10  # guide pages per 办事指南 column
    sample_growth: int = 3
    crawler_view: bool = True  # also fetch the home page as a search engine sees it (cloaked spam)
    crawler_view_pages: int = 6  # ... and this many sampled list pages and articles
    use_sitemap: bool = True  # columns listed only on the 网站地图 page are columns too
    footer_scripts: int = 3  # same-site scripts read to find a 找错 handler defined outside the page
    max_links: int = 3000  # distinct links checked per site
    probes: int = 3  # availability probes of the home page within this run
    probe_interval_s: float = 1.0
    probe_timeout_s: float = 15.0
    # Reading one site (home, columns, samples, following links) stops after this many seconds
    # and the site is judged on what was read; None: no limit. Link checks have their own limit.
    site_deadline_s: float | None = 600.0
    link_deadline_s: float | None = None  # None: as long as site_deadline_s
    # After the columns, crawl the rest of the own host(s) breadth-first up to max_pages.
    follow_links: bool = False
    follow_concurrency: int = 16  # pages in flight while following links (the fetcher caps per host)
    # Distinct links kept in memory; past this the link records move to a scratch SQLite file
    # (crawl/frontier.py), as the frontier of follow_links always is.
    links_in_memory: int = SPILL_AT
    traps: TrapLimits = field(default_factory=TrapLimits)
    # Headless Chromium (crawl_site's `renderer`) for the home page and list pages: "auto" renders
    # only the pages plain HTTP cannot read (fetch/js.py), "always" renders the home page anyway.
    render: Literal["auto", "never", "always"] = "auto"
    screenshot_dir: str | None = None  # save the rendered home page as <dir>/<host>.png


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


def _same_site(url: str, hosts: set[str]) -> bool:
    host = host_of(url)
    bare = host.removeprefix("www.")
    return host in hosts or bare in hosts


def column_identity(url: str) -> str:
    """One key per column list: /xwdt/, /xwdt/index.html and http://HOST/xwdt are the same."""
    return column_key(canonical_url(url))


def spread_sample(items: list[Item], size: int, newest: int) -> list[Item]:
    """`size` items of a list: the `newest` most recent first, the rest spread evenly over the
    remaining entries (the later list pages included), so a sample is not only the top."""
    if len(items) <= size:
        return list(items)
    ordered = sorted(items, key=lambda i: (i.date is None, -(i.date.toordinal() if i.date else 0)))
    head = min(size, newest)
    rest, wanted = ordered[head:], size - head
    if wanted <= 0:
        return ordered[:head]
    step = len(rest) / wanted
    return ordered[:head] + [rest[int(k * step)] for k in range(wanted)]


def merge_duplicate_columns(columns: list[Column]) -> list[Column]:
    """A column reached by two paths (nav and 网站地图, two URLs of one list) counts once: lists whose
    first-page entries are the same are one column; the first found keeps the others as aliases."""
    kept: list[Column] = []
    by_items: dict[tuple[str, ...], Column] = {}
    for column in columns:
        # A hub previews its sub-columns' newest items: it is never the same list as one of them.
        signature = () if column.hub else tuple(i.url for i in column.items[:20])
        first = by_items.get(signature) if signature else None
        if first is not None:
            first.aliases.append(column.url)
            continue
        if signature:
            by_items[signature] = column
        kept.append(column)
    return kept


PageCache = dict[str, dict]
"""Canonical URL -> {etag, last_modified, content_hash, status, extract} (Store.page_cache)."""


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _header(page: Page, name: str, limit: int) -> str | None:
    """A response header (any case), or None when absent or longer than the store keeps."""
    value = next((v for k, v in page.headers.items() if k.lower() == name.lower()), None)
    return value if value and len(value) <= limit else None


def _validators(page: Page) -> dict[str, str | None]:
    return {"etag": _header(page, "ETag", 512), "last_modified": _header(page, "Last-Modified", 64)}


def conditional_headers(entry: dict | None) -> dict[str, str] | None:
    """If-None-Match / If-Modified-Since from a page cache entry, or None when it has neither."""
    headers = {}
    if entry and entry.get("etag"):
        headers["If-None-Match"] = entry["etag"]
    if entry and entry.get("last_modified"):
        headers["If-Modified-Since"] = entry["last_modified"]
    return headers or None


def _links_extract(found: list[MetLink], non_web: list[tuple[str, str]]) -> dict:
    """What a followed page gave, compactly, so an unchanged page need not be read again."""
    return {"links": [[url, anchor] for _, url, anchor in found], "non_web": [list(p) for p in non_web]}


class _SiteCrawl:
    """State of one site's crawl; one instance per inspection."""

    def __init__(
        self,
        url: str,
        fetcher: Fetcher,
        budget: CrawlBudget,
        reference: dt.date,
        on_progress: ProgressCallback | None = None,
        renderer: Renderer | None = None,
        cache: PageCache | None = None,
    ):
        self.url = url
        self.renderer = renderer
        self.render_checked: set[str] = set()  # canonical URLs already judged for rendering
        self.render_notes: list[str] = []  # Chinese, for SiteModel.errors
        self.fetcher = fetcher
        self.budget = budget
        self.reference = reference
        self.on_progress = on_progress
        host = host_of(url)
        self.hosts = {host, host.removeprefix("www.")}
        self.pages: dict[str, Page] = {}  # canonical URL -> page (redirect targets too)
        self.fetched = 0  # pages actually requested
        self._scratch: ScratchFile | None = None  # on disk: the frontier, many link records
        self.links = LinkBook(self.scratch, MAX_SOURCES, budget.links_in_memory)  # canonical URL -> where met
        self.refused: dict[str, str] = {}  # canonical URL -> why it is never requested
        self.over_budget: set[str] = set()
        self.non_web: set[str] = set()
        self.guard = TrapGuard(budget.traps)
        self.chain: dict[str, int] = {}  # canonical URL -> same-shape pages that led to it
        self.skipped: Counter[str] = Counter()
        self.page_columns: dict[str, str] = {}
        self.list_urls: set[str] = set()  # column list pages as requested (the rest are items)
        self._inflight: dict[str, asyncio.Future[Page | None]] = {}
        self._frontier: Frontier | None = None  # while follow_links runs, and after for outcomes
        self._following = False
        # Pages seen by the last inspection of this site; None: the crawl is not incremental.
        self.cache: PageCache | None = cache
        self.cache_updates: PageCache = {}  # what this crawl learnt, for Store.save_page_cache
        self.link_todo: list[LinkRecord] = []  # links check_links asks the fetcher about
        self.link_known = 0  # link statuses check_links knew without asking
        self.early_checks = 0  # other hosts' links whose check started when met (_check_early)
        # Whether a timed-out home page is asked again (crawl_site: not when the probes failed too).
        self.home_retry: bool | Callable[[], Awaitable[bool]] = True
        self.first_probe: asyncio.Task[Probe] | None = None  # the run's first availability probe

    def scratch(self) -> ScratchFile:
        if self._scratch is None:
            self._scratch = ScratchFile()
        return self._scratch

    def close(self) -> None:
        """Delete the scratch file, if the crawl needed one."""
        if self._scratch is not None:
            self._scratch.close()

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

    async def fetch(
        self, url: str, *, home: bool = False, keep_text: bool = True, depth: int = 0
    ) -> Page | None:
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
            page = await self._fetch_new(key, url, home=home, keep_text=keep_text, depth=depth)
            future.set_result(page)
            return page
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: waiters re-raise it, nobody else must log it
            raise
        finally:
            del self._inflight[key]

    async def _fetch_new(
        self, key: str, url: str, *, home: bool, keep_text: bool, depth: int = 0
    ) -> Page | None:
        if home:
            if not await self.fetcher.allowed(url):
                self.refused[key] = REASON_ROBOTS
                self.skipped[REASON_ROBOTS] += 1
                return None
        elif not await self._screen(key, url):
            return None
        self.fetched += 1
        # Only pages read for their links alone are asked "changed since?": a 304 leaves no text,
        # and the checks read the text of the others (list pages, articles, the home page).
        cached = None if home or keep_text or self.cache is None else self.cache.get(key)
        retry = self.home_retry if home else True
        if home:
            page = await self._get_home(url, retry)
        else:
            page = await self.fetcher.get(url, headers=conditional_headers(cached), retry_timeouts=retry)
        self.progress("page")
        if home and page.final_url != url:
            # Redirected home (e.g. to another host): the final host is in scope too, before its
            # links are recorded (they are the site's own, not other hosts' links to check).
            self.hosts.add(host_of(page.final_url))
        if page.status == 304 and cached is not None:
            page = replace(page, status=cached.get("status") or 200)
            self._reuse_links(key, page, cached, REASON_NOT_MODIFIED, depth)
        elif page.ok and page.is_html and page.text:
            digest = None if home or self.cache is None else content_hash(page.text)
            if (
                cached is not None
                and cached.get("content_hash") == digest
                and "links" in (cached.get("extract") or {})
            ):
                self._reuse_links(key, page, {**cached, **_validators(page)}, REASON_SAME_CONTENT, depth)
            else:
                found, non_web = self._record_links(page, depth)
                if digest is not None:
                    self.cache_updates[key] = {
                        **_validators(page),
                        "content_hash": digest,
                        "status": page.status,
                        "extract": None if keep_text else _links_extract(found, non_web),
                    }
        if keep_text or self._frontier is None:
            kept = page if keep_text else replace(page, text="", headers={})
            self.pages[key] = kept
            if page.final_url != url:
                self.pages.setdefault(canonical_url(page.final_url), kept)
        else:  # a followed page: its outcome waits on disk for the link check
            error = None if page.ok else (page.error or f"HTTP {page.status}")
            self._frontier.finish(key, page.status, error, url)
            if page.final_url != url:
                self._frontier.finish(canonical_url(page.final_url), page.status, error, page.final_url)
        return page

    async def _get_home(self, url: str, retry: bool | Callable[[], Awaitable[bool]]) -> Page:
        """The home page; given up when the first availability probe (a GET of the same URL that
        started no later) has already found it not answering within a timeout at least as long as
        the fetch's: a site whose robots.txt hung first then costs one timeout, not two."""
        probe = self.first_probe
        get = asyncio.ensure_future(self.fetcher.get(url, retry_timeouts=retry))
        if probe is None or self.budget.probe_timeout_s < self.fetcher.settings.timeout_s:
            return await get
        started = time.monotonic()
        try:
            await asyncio.wait({get, probe}, return_when=asyncio.FIRST_COMPLETED)
            if not get.done() and _timed_out(probe, self.budget.probe_timeout_s):
                failed = probe.result()
                get.cancel()
                await asyncio.gather(get, return_exceptions=True)
                return Page(
                    url=url,
                    final_url=url,
                    status=None,
                    error=failed.error,
                    elapsed_s=time.monotonic() - started,
                )
            return await get
        finally:
            if not get.done():
                get.cancel()

    def _reuse_links(self, key: str, page: Page, cached: dict, reason: str, depth: int) -> None:
        """An unchanged followed page: its links as read last time, its cache entry carried over."""
        extract = cached.get("extract") or {}
        source = canonical_url(page.final_url)
        found = [(canonical_url(url), url, anchor) for url, anchor in extract.get("links", [])]
        self._count_non_web(tuple(pair) for pair in extract.get("non_web", []))
        self._record_found(page.url, source, found, depth)
        self.cache_updates[key] = {**cached, "status": page.status}
        self.skipped[reason] += 1

    def _record_links(self, page: Page, depth: int = 0) -> tuple[list[MetLink], list[tuple[str, str]]]:
        """Record the links of `page`; returns them (key, URL, anchor) and its non-web hrefs."""
        non_web = self._count_non_web_hrefs(page.text)
        found = [
            (canonical_url(link.url), link.url, link.text)
            for link in extract_links(page.text, page.final_url, nav=False)
        ]
        self._record_found(page.url, canonical_url(page.final_url), found, depth)
        return found, non_web

    def _record_found(self, page_url: str, source: str, found: list[MetLink], depth: int) -> None:
        for key, url, anchor in self.links.meet(page_url, found):
            if same_pattern_chain(source, key):
                self.chain[key] = self.chain.get(source, 0) + 1
            if self._following:
                self._enqueue(key, url, depth + 1)
            elif not _same_site(url, self.hosts):
                self._check_early(key, url, anchor)

    def _check_early(self, key: str, url: str, anchor: str) -> None:
        """Start the link check of another host's link as soon as it is met: a target that hangs
        then times out while the site is read, not after it. Only links check_links will ask
        about anyway (within the link budget, no trap shape), so this adds no request."""
        if len(self.links) > self.budget.max_links or self.early_checks >= self.budget.max_links:
            return
        limits = self.guard.limits
        if len(key) > limits.max_url_length or self.chain.get(key, 0) > limits.max_query_chain:
            return
        if path_loops(urlsplit(key).path, limits):
            return
        if not is_checkable_link(url) or not is_absolute_http(url):
            return
        self.early_checks += 1
        self.fetcher.start_link_check(url, anchor)

    def _count_non_web_hrefs(self, html: str) -> list[tuple[str, str]]:
        """javascript:, mailto:, tel:, data: ... are never fetched; each distinct href is counted."""
        found = {}
        for match in _NON_WEB_HREF.finditer(html):
            href, scheme = match.group(1), match.group(2).lower()
            if scheme not in ("http", "https"):
                found[href] = scheme
        self._count_non_web(found.items())
        return list(found.items())

    def _count_non_web(self, hrefs) -> None:
        for href, scheme in hrefs:
            if href not in self.non_web:
                self.non_web.add(href)
                self.skipped[non_web_reason(scheme)] += 1

    def _enqueue(self, key: str, url: str, depth: int) -> None:
        assert self._frontier is not None
        if key not in self.pages and _same_site(url, self.hosts):
            self._frontier.add(key, url, depth)  # the frontier drops URLs it has seen

    async def rendered(self, page: Page, what: str, *, force: bool = False) -> Page:
        """`page`, or what Chromium shows of it when plain HTTP cannot read it (budget.render).

        The rendered page replaces the plain one for the rest of the crawl; its links are recorded.
        """
        key = canonical_url(page.url)
        if self.budget.render == "never" or key in self.render_checked:
            return page
        self.render_checked.add(key)
        reason = needs_rendering(page) or ("按要求使用浏览器渲染" if force else None)
        if reason is None:
            return page
        if self.renderer is None:
            self.skipped[REASON_NO_BROWSER] += 1
            self.render_notes.append(f"{what}需要 JavaScript 渲染（{reason}），但未安装 Chromium：{page.url}")
            return page
        shown = await self.renderer.render(page.final_url or page.url)
        self.progress("page")
        if not shown.ok:
            self.render_notes.append(f"{what}渲染失败（{reason}）：{shown.error}：{page.url}")
            return page
        # A passed challenge leaves a clearance cookie: plain HTTP reuses it for the rest of the site.
        self.fetcher.add_cookies(
            shown.final_url or page.url, await self.renderer.cookies(shown.final_url or page.url)
        )
        shown = replace(shown, url=page.url, redirects=page.redirects)
        self._record_links(shown)
        for url in (page.url, page.final_url, shown.final_url):
            self.pages[canonical_url(url)] = shown
        return shown

    async def fetch_for(self, url: str, column: Column) -> Page | None:
        self.page_columns.setdefault(url, column.name)
        return await self.fetch(url)

    async def crawl_column(self, column: Column) -> None:
        self.list_urls.add(column.url)
        page = await self.fetch_for(column.url, column)
        if page is None:
            column.error = f"栏目页未检查（{self.refusal(column.url)}）"
            return
        page = await self.rendered(page, f"栏目“{column.name}”的列表页")
        if not page.ok or not page.is_html:
            column.error = page.error or f"栏目页无法解析（{page.content_type}）"
            return
        column.pages_read = 1
        selectors = {  # per-site overrides (crawl_site sets self.overrides)
            "selector": getattr(self, "overrides", {}).get("list_selector"),
            "date_selector": getattr(self, "overrides", {}).get("date_selector"),
        }
        column.items = extract_list_items(page.text, page.final_url, self.reference, **selectors)
        reading = read_list_state(page.text, column.items)
        if reading.state == "empty":
            column.empty_text = reading.evidence
        elif reading.state == "unreadable":
            column.unreadable = reading.evidence
        # More list pages only matter for item counts and the spread of the sample; the newest
        # items are on the first page.
        next_pages = find_next_pages(page.text, page.final_url)
        column.list_pages_total = 1 + len(next_pages)
        if hub_sub_columns(page.text, page.final_url) and not next_pages:
            column.hub = True  # a channel page: its preview blocks lead to the real columns
            return
        for next_url in next_pages[: self.budget.list_pages_per_column - 1]:
            self.list_urls.add(next_url)
            more = await self.fetch_for(next_url, column)
            if more is not None:
                more = await self.rendered(more, f"栏目“{column.name}”的列表页")
            if more is None or not more.ok or not more.is_html:
                break
            column.pages_read += 1
            known = {i.url for i in column.items}
            column.items.extend(
                i
                for i in extract_list_items(more.text, more.final_url, self.reference, **selectors)
                if i.url not in known
            )

    def base_sample(self, column: Column) -> int:
        return {
            "interact": self.budget.items_per_interact_column,
            "service": self.budget.items_per_service_column,
        }.get(column.kind, self.budget.articles_per_column)

    async def sample_columns(self, columns: list[Column], reserve: int = 0) -> None:
        """Item pages of every column (articles, messages, guides), sized by the budget left.

        Their links are checked too (links.broken_other). Each column gets an equal share of the
        pages left (minus `reserve`), at least its base sample when the budget allows and at most
        `sample_growth` times it."""
        readable = [c for c in columns if c.items and not c.hub]
        if not readable:
            return
        room = max(0, self.budget.max_pages - self.fetched - reserve)
        if self.budget.follow_links:
            room //= 2  # the other half of what is left is for following the site's other pages
        share = room // len(readable)

        async def one(column: Column) -> None:
            base = self.base_sample(column)
            size = max(1, min(base * max(1, self.budget.sample_growth), share))
            own = [i for i in column.items if _same_site(i.url, self.hosts)]
            picked = spread_sample(own, size, base)
            pages = await asyncio.gather(*(self.fetch_for(i.url, column) for i in picked))
            column.items_sampled = sum(1 for p in pages if p is not None and p.ok)

        await asyncio.gather(*(one(c) for c in readable))

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
                if column_identity(link.url) not in seen and _same_site(link.url, self.hosts)
            ]
            if not subs:
                continue
            column.kind = "other"  # a navigation section: its sub-columns carry the items
            column.hub, column.unreadable = True, None
            for link in subs:
                if len(columns) + len(found) >= self.budget.max_columns:
                    self.skipped[REASON_COLUMNS] += 1
                    return found
                seen.add(column_identity(link.url))
                kind = classify_column(link.name)
                found.append(
                    Column(
                        name=link.name,
                        url=link.url,
                        kind=kind,
                        top_level=False,
                        found_via=f"栏目页“{column.name}”",
                    )
                )
        return found

    def expand_hubs(self, columns: list[Column], seen: set[str]) -> list[Column]:
        """The real columns behind the 更多 links of hub pages (政务公开, 互动交流 …), one level down."""
        found: list[Column] = []
        for column in columns:
            page = self.pages.get(canonical_url(column.url))
            if not column.hub or page is None or not page.text:
                continue
            for link in hub_sub_columns(page.text, page.final_url):
                key = column_identity(link.url)
                if key in seen or not _same_site(link.url, self.hosts):
                    continue
                if len(columns) + len(found) >= self.budget.max_columns:
                    self.skipped[REASON_COLUMNS] += 1
                    return found
                seen.add(key)
                found.append(
                    Column(
                        name=link.name,
                        url=link.url,
                        kind=classify_column(link.name),
                        top_level=False,
                        found_via=f"栏目页“{column.name}”",
                    )
                )
        return found

    async def sitemap_columns(self, home: Page, seen: set[str]) -> list[Column]:
        """Columns listed on the site's 网站地图 page that the home page does not link."""
        url = find_sitemap_url(home.text, home.final_url)
        if url is None or not _same_site(url, self.hosts):
            return []
        page = await self.fetch(url)
        if page is None or not page.ok or not page.text:
            return []
        found = []
        for link in sitemap_columns(page.text, page.final_url):
            key = column_identity(link.url)
            if key in seen or not _same_site(link.url, self.hosts):
                continue
            seen.add(key)
            found.append(
                Column(name=link.name, url=link.url, kind=classify_column(link.name), found_via="网站地图")
            )
        return found

    async def footer_script_marks(self, home: Page, footer) -> None:
        """A 找错 entry drawn by a same-site script (image + handler in a .js file): read the script."""
        from govinspect.extract import footer as footer_module

        script_urls = getattr(footer_module, "footer_script_urls", None)
        from_script = getattr(footer_module, "jiucuo_from_script", None)
        # A handler call ("javascript:Link('…')") is confirmed by the script that defines it.
        unconfirmed = not footer.jiucuo or footer.jiucuo.lower().startswith("javascript:")
        if not unconfirmed or script_urls is None or from_script is None:
            return
        urls = [u for u in script_urls(home.text, home.final_url) if _same_site(u, self.hosts)]
        for url in urls[: self.budget.footer_scripts]:
            if self.fetched >= self.budget.max_pages:
                return
            self.fetched += 1
            script = await self.fetcher.get(url)
            self.progress("page")
            entry, code = from_script(script.text) if script.ok and script.text else (None, None)
            if entry:
                footer.jiucuo = entry
                footer.jiucuo_site_code = footer.jiucuo_site_code or code
                return

    async def crawler_views(self, columns: list[Column]) -> list[Page]:
        """List pages and articles fetched as a search engine asks for them (cloaking): the first
        list page of each column, then the newest article of each, in column order."""
        lists, articles = [], []
        for column in columns:
            page = self.pages.get(canonical_url(column.url))
            if page is not None and page.ok and page.text and not column.hub:
                lists.append(page)
            newest = next((i for i in column.items if _same_site(i.url, self.hosts)), None)
            item = self.pages.get(canonical_url(newest.url)) if newest is not None else None
            if item is not None and item.ok and item.text:
                articles.append(item)
        half = self.budget.crawler_view_pages // 2
        chosen = lists[:half] + articles[: self.budget.crawler_view_pages - min(half, len(lists))]
        room = max(0, self.budget.max_pages - self.fetched)
        chosen = chosen[:room]
        self.fetched += len(chosen)
        views = await asyncio.gather(
            *(self.fetcher.get(p.final_url or p.url, headers=SEARCH_ENGINE_HEADERS) for p in chosen)
        )
        self.progress("page", len(views))
        # Keyed by the URL of the page people see, so the check pairs them.
        return [replace(v, url=p.url) for p, v in zip(chosen, views, strict=True) if v.ok]

    async def follow_links(self) -> None:
        """Breadth-first over the own host(s), from every link met so far, until max_pages.

        The queue and the outcomes of the pages it leads to live in a scratch SQLite file, so a
        100,000-page site does not live in memory.
        """
        frontier = self._frontier = Frontier(scratch=self.scratch())
        self._following = True
        for key, record in self.links.items():
            self._enqueue(key, record.url, 1)
        width = max(1, self.budget.follow_concurrency)
        running: set[asyncio.Task[Page | None]] = set()
        ready: deque[tuple[str, str, int]] = deque()  # taken from the frontier a batch at a time
        try:
            while True:
                # Past the budget the queue is left as it is: those links are link-checked instead.
                room = min(width, self.budget.max_pages - self.fetched) - len(running)
                if room > 0 and not ready:
                    ready.extend(frontier.take(4 * width))
                while room > 0 and ready:
                    _, url, depth = ready.popleft()
                    running.add(asyncio.create_task(self.fetch(url, keep_text=False, depth=depth)))
                    room -= 1
                if not running:
                    break
                done, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    task.result()  # a bug in the crawler must not pass silently
        finally:
            self._following = False
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)
            frontier.flush()

    def _outcome(self, key: str) -> tuple[int | None, str | None] | None:
        """(status, error) of a URL fetched while crawling, or None when it was not."""
        page = self.pages.get(key)
        if page is not None:
            return page.status, None if page.ok else (page.error or f"HTTP {page.status}")
        return self._frontier.outcome(key) if self._frontier is not None else None

    async def check_links(self, statuses: list[LinkStatus]) -> None:
        """Append the status of every link met to `statuses` as it becomes known (a time limit
        around this call keeps the ones already checked)."""
        todo = self.link_todo
        for key, record in self.links.items():
            outcome = self._outcome(key)
            if outcome is not None:
                # Already fetched while crawling: its outcome is the link's status.
                status, error = outcome
                statuses.append(
                    LinkStatus(
                        url=record.url,
                        status=status,
                        error=error,
                        found_on=record.sources if self.links.on_disk else list(record.sources),
                        anchor=record.anchor,
                    )
                )
            elif not await self._screen(key, record.url):
                continue
            elif len(todo) < self.budget.max_links:
                todo.append(record)
            else:
                self.skipped[REASON_LINK_BUDGET] += 1
        self.link_known = len(statuses)
        self.progress("link", len(statuses))

        async def one(record: LinkRecord) -> None:
            status = await self.fetcher.check_link(
                record.url, found_on=record.sources[0], anchor=record.anchor
            )
            self.progress("link")
            # The fetcher caches per run; the found_on list is ours.
            statuses.append(
                LinkStatus(
                    url=record.url,
                    status=status.status,
                    error=status.error,
                    found_on=list(record.sources),
                    anchor=record.anchor or status.anchor,
                )
            )

        await asyncio.gather(*(one(r) for r in todo))


def _timed_out(probe: asyncio.Task[Probe], timeout_s: float) -> bool:
    """A finished probe that got no response within its timeout."""
    if not probe.done() or probe.cancelled() or probe.exception() is not None:
        return False
    result = probe.result()
    return not result.ok and result.status is None and result.elapsed_s >= 0.9 * timeout_s


def _probe_of(page: Page, source: str, timeout_s: float, error: str | None = None) -> Probe:
    """A request for the home page made by the crawl, as availability evidence."""
    if error is not None:
        return Probe(at=dt.datetime.now(), ok=False, elapsed_s=0.0, error=error, source=source)
    slow = page.elapsed_s > timeout_s
    return Probe(
        at=dt.datetime.now(),
        ok=page.ok and not slow,
        elapsed_s=page.elapsed_s,
        status=page.status,
        error=page.error or (f"超过{timeout_s:g}秒未完成" if slow else None),
        source=source,
    )


def _probes_of_fetch(page: Page, timeout_s: float, source: str = "crawl") -> list[Probe]:
    """A fetch of the home page by the crawl: one failed probe per retried attempt, then the last
    one (a fetch that succeeded only on retry still counts its failures)."""
    failed = [_probe_of(page, source, timeout_s, error) for error in page.retried_errors]
    return [*failed, _probe_of(page, source, timeout_s)]


def _schedule_probes(fetcher: Fetcher, url: str, budget: CrawlBudget, out: list) -> list[asyncio.Task[Probe]]:
    """The run's availability probes on their own clock: probe i starts i intervals after the
    first, whether or not the earlier ones (or the crawl) have finished, so a hanging home page
    costs one timeout in all, not one per probe. Each appends its probe to `out` when done."""

    async def one(i: int) -> Probe:
        await asyncio.sleep(i * budget.probe_interval_s)
        probe = await fetcher.probe(url, timeout_s=budget.probe_timeout_s)
        out.append(probe)
        return probe

    return [asyncio.create_task(one(i)) for i in range(budget.probes)]


def _home_retry(probes: list[asyncio.Task[Probe]]) -> Callable[[], Awaitable[bool]]:
    """Asked when the home page timed out: try again unless the first probe failed as well
    (it started before the home request, so waiting for it costs nothing more): a dead site
    then finishes after one timeout instead of two."""

    async def retry() -> bool:
        if not probes:
            return True
        first = await asyncio.shield(probes[0])
        return first.ok

    return retry


async def _take_screenshot(site: SiteModel, home: Page, directory: str, renderer: Renderer | None) -> None:
    """The home page as a browser shows it, saved as evidence; problems go to site.errors."""
    if renderer is None:
        site.errors.append(f"未能截取首页截图：{REASON_NO_BROWSER}")
        return
    from govinspect.fetch.browser import screenshot_name

    path = Path(directory) / screenshot_name(site.url)
    try:
        site.screenshot = str(await renderer.screenshot(home.final_url or home.url, path))
    except Exception as exc:  # evidence is optional: a failed screenshot must not fail the crawl
        site.errors.append(f"首页截图失败：{exc}")


async def crawl_site(url: str, fetcher: Fetcher, **options) -> SiteModel:
    """Crawl `url` (its home page) and return the site model, its pages read: crawl_site_unread
    (same options) with the reading done here."""
    site, pending = await crawl_site_unread(url, fetcher, **options)
    # Parsing every kept page is the crawl's largest CPU item: off the loop.
    await asyncio.to_thread(finish_reading, site, pending)
    return site


@dataclass
class PendingReading:
    """The parsing a crawl leaves for `finish_reading`, wherever that runs (a thread, the check
    worker process): the content model of the pages read for the columns (articles, messages,
    guides), then the facts of the home, sample and crawler-view pages (extract/page_facts.py)."""

    reference: dt.date
    # The pages the content model is read from (None: the home page was not read, no content
    # model), and the column of each page as the crawl knew it when the reading stopped (the
    # model's own map is filled in only at the end of crawl_site).
    content_pages: dict[str, Page] | None = None
    page_columns: dict[str, str] = field(default_factory=dict)


def finish_reading(site: SiteModel, pending: PendingReading) -> None:
    """Fill the site model's articles, messages, guides and page facts from the kept HTML.
    Pure CPU over the model; it leaves `site.sample_pages` (the HTML) to the caller."""
    if pending.content_pages is not None:
        crawled, site.page_columns = site.page_columns, pending.page_columns
        try:
            build_content_model(site, pending.content_pages, pending.reference)
        finally:
            site.page_columns = crawled
    read_site_facts(site)


# What finish_reading fills in (tests/crawl check it changes nothing else), besides the seal
# (body_hash, looks_html) of the pages it read that the model keeps.
READ_FIELDS = (
    "articles",
    "messages",
    "guides",
    "page_facts",
    "crawler_facts",
    "crawler_page_facts",
    "home_fingerprint",
    "home_channels",
)


def _kept_pages(site: SiteModel) -> list[Page | None]:
    return [site.home, site.crawler_view, *site.crawler_views]


def reading_of(site: SiteModel) -> dict:
    """What finish_reading added to `site`, for `apply_reading` on a copy of the model elsewhere
    (finish_reading ran in another process on a pickled copy)."""
    seals = [(p.body_hash, p.looks_html) if p is not None else None for p in _kept_pages(site)]
    return {"fields": {name: getattr(site, name) for name in READ_FIELDS}, "seals": seals}


def apply_reading(site: SiteModel, reading: dict) -> None:
    for name, value in reading["fields"].items():
        setattr(site, name, value)
    for page, seal in zip(_kept_pages(site), reading["seals"], strict=True):
        if page is not None and seal is not None:
            page.body_hash, page.looks_html = seal


async def crawl_site_unread(
    url: str,
    fetcher: Fetcher,
    *,
    reference: dt.date,
    budget: CrawlBudget | None = None,
    name: str = "",
    on_progress: ProgressCallback | None = None,
    renderer: Renderer | None = None,
    overrides: dict | None = None,
    cache: PageCache | None = None,
) -> tuple[SiteModel, PendingReading]:
    """Crawl `url` (its home page) and return the site model with the reading left to do.
    Never raises for network problems.

    `on_progress(kind, n)` is called as work gets done: ("page", 1) per page fetched, ("link", n)
    as link statuses become known. It runs on the event loop: keep it quick.
    `renderer` (fetch/browser.py) renders the pages plain HTTP cannot read and takes the home page
    screenshot; without it such pages are recorded in `skipped` and `errors`.
    `cache` (Store.page_cache) makes the crawl incremental: pages followed for their links are
    asked whether they changed (ETag / Last-Modified) and an unchanged one (304, or the same
    SHA-256 body) gives its links as last time. `SiteModel.page_cache_updates` is the new cache.

    The pages kept are not parsed here: `finish_reading(site, pending)` does that (crawl_site in a
    thread; the service in the check worker process, so the crawl's event loop keeps its core).
    """
    budget = budget or CrawlBudget()
    state = _SiteCrawl(url, fetcher, budget, reference, on_progress, renderer, cache)
    site = SiteModel(url=url, host=host_of(url), name=name)
    # Probes run on their own clock (their count, interval and timeout), never on the deadline.
    probes = _schedule_probes(fetcher, url, budget, site.probes)
    state.home_retry = _home_retry(probes)
    state.first_probe = probes[0] if probes else None
    reading = _SiteReading(PendingReading(reference))
    abandoned = False
    try:
        try:
            async with asyncio.timeout(budget.site_deadline_s):
                await _read_site(state, site, reading, name, overrides, renderer)
        except TimeoutError:
            _finish_after_deadline(state, site, reading)
        if reading.check_links:
            link_limit = budget.link_deadline_s or budget.site_deadline_s
            try:
                async with asyncio.timeout(link_limit):
                    await state.check_links(site.links)
            except TimeoutError:
                unchecked = len(state.link_todo) - len(site.links) + state.link_known
                state.skipped[REASON_LINK_DEADLINE] += max(0, unchecked)
                site.errors.append(f"链接检查超过时限（{link_limit:g}秒），其余链接未检查")
    except asyncio.CancelledError:
        abandoned = True
        raise
    finally:
        if reading.crawler_task is not None and not reading.crawler_task.done():
            reading.crawler_task.cancel()  # the deadline stopped the reading before it was used
        if abandoned:  # a stopped run or a server shutting down: nothing waits for probes or screenshots
            for task in [*probes, reading.screenshot_task]:
                if task is not None:
                    task.cancel()
            state.close()
            raise asyncio.CancelledError
        if reading.screenshot_task is not None:
            await reading.screenshot_task
        try:
            await asyncio.gather(*probes)
        finally:
            for task in probes:  # cancelled while waiting: the probes go too
                task.cancel()
        site.errors.extend(state.render_notes)
        site.pages_fetched = state.fetched
        site.skipped = dict(state.skipped)
        site.page_columns = state.page_columns
        site.page_cache_updates = state.cache_updates
        state.close()
    return site, reading.pending


@dataclass
class _SiteReading:
    """How far the reading of a site got (the deadline may stop it anywhere)."""

    pending: PendingReading
    check_links: bool = False  # the home page was read: its links and the others are checked
    content_built: bool = False
    crawler_task: asyncio.Task[Page] | None = None
    screenshot_task: asyncio.Task[None] | None = None


def _build_content(state: _SiteCrawl, site: SiteModel, reading: _SiteReading) -> None:
    """The pages the content model is read from, as they are now (finish_reading parses them)."""
    content_pages = {p.url: p for p in state.pages.values() if p.text and p.url in state.page_columns}
    reading.pending.content_pages = content_pages
    reading.pending.page_columns = dict(state.page_columns)
    site.sample_pages = [site.home, *content_pages.values()]  # for the hidden-spam check
    reading.content_built = True


def _finish_after_deadline(state: _SiteCrawl, site: SiteModel, reading: _SiteReading) -> None:
    """The site deadline passed: keep what was read, say what was not (skipped and errors)."""
    limit = state.budget.site_deadline_s
    if site.home is None:
        site.errors.append(f"首页在检查时限（{limit:g}秒）内未能读取，未检查")
        return
    unread = [c for c in site.columns if c.pages_read == 0 and c.error is None]
    for column in unread:
        # An unread column is unknown, never judged stale or empty; nor is its page link-checked
        # (the reading just ran out of time on it).
        column.error = "检查时限已到，栏目页未检查"
        state.refused[canonical_url(column.url)] = REASON_DEADLINE_COLUMNS
    state.skipped[REASON_DEADLINE] += 1
    if unread:
        state.skipped[REASON_DEADLINE_COLUMNS] += len(unread)
    names = "、".join(c.name for c in unread[:10]) + ("等" if len(unread) > 10 else "")
    site.errors.append(
        f"检查时限（{limit:g}秒）已到，已读取{state.fetched}个页面；"
        + (f"未检查的栏目：{names}" if unread else "其余页面未读取")
    )
    if reading.check_links and not reading.content_built:
        _build_content(state, site, reading)


async def _read_site(
    state: _SiteCrawl,
    site: SiteModel,
    reading: _SiteReading,
    name: str,
    overrides: dict | None,
    renderer: Renderer | None,
) -> None:
    """Home page, columns, samples, crawler views and (optionally) the rest of the site."""
    url, budget, fetcher, reference = state.url, state.budget, state.fetcher, state.reference
    home = await state.fetch(url, home=True)
    if home is not None:
        site.probes.extend(_probes_of_fetch(home, budget.probe_timeout_s))
        home = await state.rendered(home, "首页", force=budget.render == "always")
        if budget.screenshot_dir is not None and home.status is not None:
            reading.screenshot_task = asyncio.create_task(
                _take_screenshot(site, home, budget.screenshot_dir, renderer)
            )
    site.home = home
    if home is None:
        site.errors.append("robots.txt 禁止抓取首页，未检查（经授权的监管检查可关闭 respect_robots）")
        return
    if not home.ok:
        site.errors.append(f"首页无法访问：{home.error}")
        return
    if not home.is_html or not home.text.strip():
        site.errors.append(f"首页不是网页（内容类型：{home.content_type or '未知'}）")
        return
    reading.check_links = True
    if home.final_url != url:
        # Redirected home (e.g. to /index.html or another host): the final host is in scope too.
        state.hosts.add(host_of(home.final_url))
    site.name = name or extract_site_name(home.text)
    site.footer = extract_footer(home.text)
    site.home_items = extract_home_items(home.text, home.final_url, reference)
    site.home_links = {record.url for record in state.links.values()}

    await state.footer_script_marks(home, site.footer)

    seen: set[str] = set()  # column_identity of every column, whichever path found it
    # Per-site overrides (registry): a configured column list replaces the heuristics (and may
    # name other hosts of the site); excluded columns are dropped either way.
    state.overrides = overrides or {}
    configured = override_columns(overrides, home.final_url)
    found = configured or [(c.name, c.url, None) for c in find_column_links(home.text, home.final_url)]
    for col_name, col_url, col_kind in found:
        key = column_identity(col_url)
        if key in seen or (configured is None and not _same_site(col_url, state.hosts)):
            continue
        seen.add(key)
        if column_excluded(overrides, col_name, col_url, home.final_url):
            continue
        site.columns.append(
            Column(
                name=col_name,
                url=col_url,
                kind=col_kind or classify_column(col_name),
                found_via="站点配置" if configured else "首页",
            )
        )
        if len(site.columns) >= budget.max_columns:
            state.skipped[REASON_COLUMNS] += 1
            break
    if configured is None and budget.use_sitemap and len(site.columns) < budget.max_columns:
        extra = await state.sitemap_columns(home, seen)
        extra = [c for c in extra if not column_excluded(overrides, c.name, c.url, home.final_url)]
        room = budget.max_columns - len(site.columns)
        if len(extra) > room:
            state.skipped[REASON_COLUMNS] += len(extra) - room
        site.columns.extend(extra[:room])
    if budget.crawler_view:
        reading.crawler_task = asyncio.create_task(fetcher.get(home.final_url, headers=SEARCH_ENGINE_HEADERS))
    await asyncio.gather(*(state.crawl_column(c) for c in site.columns))
    sub_columns = state.expand_sections(site.columns, seen) + state.expand_hubs(site.columns, seen)
    # Known before they are read, so a deadline can name them as not checked.
    site.columns.extend(sub_columns)
    await asyncio.gather(*(state.crawl_column(c) for c in sub_columns))
    site.columns = merge_duplicate_columns(site.columns)
    reserve = budget.crawler_view_pages if budget.crawler_view else 0
    await state.sample_columns(site.columns, reserve=reserve)
    _build_content(state, site, reading)
    if reading.crawler_task is not None:
        site.crawler_view = await reading.crawler_task
        site.probes.extend(_probes_of_fetch(site.crawler_view, budget.probe_timeout_s, "crawler_view"))
        site.crawler_views = await state.crawler_views(site.columns)
    if budget.follow_links:
        await state.follow_links()
