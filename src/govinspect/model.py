"""The shared data model: what the crawler produces, what extraction builds, what checks read.

Everything after the crawl is a pure function of a `SiteModel` and `as_of`, so these are plain
dataclasses with no I/O. Layers talk to each other only through these types.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from govinspect.codec import NOT_STORED, from_data, to_data

# Column kinds decide which staleness rule applies (see rules/gov-2019.yaml).
ColumnKind = Literal[
    "dynamic",  # 动态/要闻/工作动态: 14 days
    "policy",  # 通知公告/政策文件: 6 months when top-level
    "long",  # 人事/规划计划 or a declared cycle: 1 year
    "interact",  # 领导信箱/咨询投诉/网上留言
    "service",  # 办事指南/办事服务
    "other",
]

Severity = Literal["veto", "deduct", "info"]


@dataclass
class Page:
    """One fetched URL. `text` is the decoded body (HTML pages only); it is never stored: what the
    checks need of it is read at crawl time (extract/page_facts.py), then only `body_hash` and
    `looks_html` say there was one."""

    url: str  # as requested
    final_url: str  # after redirects
    status: int | None  # None when no response arrived (timeout, DNS, refused ...)
    content_type: str = ""
    encoding: str | None = None  # codec actually used to decode `text`
    text: str = field(default="", metadata=NOT_STORED)
    elapsed_s: float = 0.0
    error: str | None = None  # Chinese, human-readable, when the fetch failed
    redirects: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    size: int = 0  # bytes received (after decompression)
    truncated: bool = False  # body cut at the size cap
    body_hash: str = ""  # SHA-256 of a non-blank `text`, set at crawl time (kept when `text` is not)
    looks_html: bool = False  # `text` began with markup (set with body_hash)
    # Errors of the attempts that failed before the one this page is (fetch retries), oldest first.
    retried_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 400

    @property
    def has_body(self) -> bool:
        """A non-blank body arrived (also once `text` is no longer held)."""
        return bool(self.text.strip()) or bool(self.body_hash)

    @property
    def is_html(self) -> bool:
        ct = self.content_type.lower()
        return "html" in ct or (not ct and (self.text.lstrip()[:1] == "<" or self.looks_html))


@dataclass
class LinkStatus:
    """Outcome of checking one distinct link target."""

    url: str
    status: int | None
    error: str | None = None  # Chinese reason when broken
    found_on: list[str] = field(default_factory=list)  # pages the link appears on
    anchor: str = ""  # link text as first seen

    @property
    def broken(self) -> bool:
        return self.error is not None or self.status is None or self.status >= 400


@dataclass
class Item:
    """An entry of a list page or of the home page: a title, its link and its date."""

    title: str
    url: str
    date: dt.date | None = None
    # Where the date was read: "list" (printed beside or inside the entry), "url" (the CMS's path,
    # a weaker cue), "" (no date).
    date_source: str = ""


@dataclass
class Column:
    """A 栏目 found from the home page navigation (or a per-site override)."""

    name: str
    url: str
    kind: ColumnKind = "other"
    top_level: bool = True
    items: list[Item] = field(default_factory=list)
    empty_text: str | None = None  # e.g. "暂无信息" shown on an empty list page
    pages_read: int = 0
    error: str | None = None  # list page could not be fetched
    # The list page was fetched but neither items nor positive evidence of emptiness were found
    # (extract/list_state.py): Chinese reason; the column is then unknown, never empty or stale.
    unreadable: str | None = None
    hub: bool = False  # a channel page previewing sub-columns (政务公开 …): judged through them
    found_via: str = ""  # Chinese: 导航栏, 网站地图, 栏目页“政务公开” …
    aliases: list[str] = field(default_factory=list)  # other URLs that reach the same column
    list_pages_total: int | None = None  # list pages the pager announces (None: unknown)
    items_sampled: int = 0  # item pages (articles, guides, messages) read from the column
    # Items left out of a summary copy (`summary()`): a batch keeps the counts, not the lists.
    items_dropped: int = field(default=0, metadata=NOT_STORED)

    @property
    def latest(self) -> dt.date | None:
        dates = [i.date for i in self.items if i.date]
        return max(dates) if dates else None

    @property
    def item_count(self) -> int:
        """Items the column listed (those of a summary copy included)."""
        return len(self.items) + self.items_dropped

    def summary(self) -> Column:
        """A copy with only the latest-dated item: what a report says of the column (its count,
        its latest date) without its list."""
        dated = [i for i in self.items if i.date]
        keep = [max(dated, key=lambda i: i.date)] if dated else []
        return replace(self, items=keep, items_dropped=self.item_count - len(keep))


@dataclass
class FooterMarks:
    """The identification marks a government site must show (DESIGN.md norms.*)."""

    site_code: str | None = None  # 网站标识码 (10 digits or bm + 8 digits)
    icp: str | None = None  # e.g. 京ICP备19014889号
    psb: str | None = None  # 公网安备 number text
    conac: str | None = None  # URL or marker of the 党政机关网站标识
    jiucuo: str | None = None  # URL of the 我为政府网站找错 entry
    jiucuo_site_code: str | None = None  # the 标识码 the 找错 entry reports to (site_code= / sitecode=)
    # 标识码 declared only in <meta name="SiteIDCode"> (INDICATORS §9f): not shown to a visitor, so
    # site_code stays None; kept to compare with the 找错 entry's code and for the evidence.
    site_code_declared: str | None = None


@dataclass
class Probe:
    """One availability probe of the home page."""

    at: dt.datetime
    ok: bool
    elapsed_s: float
    status: int | None = None
    error: str | None = None
    # What made the request: "probe" (the probe loop), "crawl" (the crawl's own fetch of the home
    # page, each retry one more), "crawler_view" (the home page as a search engine asks for it).
    source: str = "probe"
    # The monitor's classified outcome (monitor.probe.Outcome) for stored monitor probes; "" for a
    # run's own probes. "maintenance" probes are left out of the availability window.
    outcome: str = ""


@dataclass
class Article:
    """An article page read from a column (a sample per column)."""

    url: str
    title: str = ""
    date: dt.date | None = None  # the page's own publication date
    list_date: dt.date | None = None  # the date the column list shows for it
    # Where `date` was read (extract/article.py: "label", "meta", "url", "text"); "" when unknown,
    # e.g. a crawl stored before sources were kept. Only label/meta dates are publication dates.
    date_source: str = ""
    list_date_source: str = ""  # Item.date_source of the list entry ("list", "url", "")
    source: str = ""  # 来源
    text: str = ""  # body text without navigation
    column: str = ""


@dataclass
class Message:
    """A citizen message (领导信箱/咨询投诉/网上留言) and its reply."""

    url: str
    title: str = ""
    asked: dt.date | None = None
    replied: dt.date | None = None
    reply_text: str = ""
    answered: bool = False
    column: str = ""


@dataclass
class Guide:
    """A service guide (办事指南): element name -> value (None when absent)."""

    url: str
    title: str = ""
    elements: dict[str, str | None] = field(default_factory=dict)
    attachments: list[str] = field(default_factory=list)
    column: str = ""
    # False for a page that is not a guide but links forms (a 表格下载 page, a notice with its 申请表):
    # its attachments are checked (service.attachment_broken), its elements are not judged.
    is_guide: bool = True


@dataclass
class TextBlock:
    """A passage of a page and whether it links to a site outside the government's domains."""

    text: str
    outside_links: bool = False


@dataclass
class PageFacts:
    """What the checks read of one HTML page, taken from its markup at crawl time (extract/)."""

    url: str  # as requested
    final_url: str
    column: str = ""  # the column the page was read from
    body_hash: str = ""  # the same body under two URLs is judged once
    visible_text: str = ""  # what a visitor reads (content checks, spam shown openly)
    link_titles: str = ""  # title attributes of links (spam hides there too)
    hidden_blocks: list[TextBlock] = field(default_factory=list)  # CSS-hidden elements
    script_written: TextBlock | None = None  # what inline scripts write into the page
    outside_links: bool = False  # the page links outside the site and government domains
    # First characters of each text block -> the markup it sits in (security.content_injection)
    block_signatures: dict[str, str] = field(default_factory=dict)


@dataclass
class HomeChannels:
    """Interaction channel entries (领导信箱, 网上留言 ...) shown on the home page."""

    working: int = 0
    dead: list[str] = field(default_factory=list)  # entries without a usable link


@dataclass
class SiteModel:
    """Everything the checks may look at for one site."""

    url: str
    host: str
    name: str = ""
    home: Page | None = None
    home_items: list[Item] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    footer: FooterMarks = field(default_factory=FooterMarks)
    links: list[LinkStatus] = field(default_factory=list)  # every distinct link checked
    home_links: set[str] = field(default_factory=set)  # URLs linked from the home page
    probes: list[Probe] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    guides: list[Guide] = field(default_factory=list)
    page_columns: dict[str, str] = field(default_factory=dict)  # page URL -> column it was read from
    # Pages held with their HTML during the crawl; extract/page_facts.py reads them into page_facts.
    sample_pages: list[Page] = field(default_factory=list, metadata=NOT_STORED)
    crawler_view: Page | None = None  # the home page fetched as a search-engine crawler (cloaking check)
    # Read from the HTML at crawl time (extract/page_facts.py), so checks and rescore need no HTML.
    page_facts: list[PageFacts] = field(default_factory=list)  # the home page first, then sample pages
    crawler_facts: PageFacts | None = None  # of crawler_view
    home_fingerprint: dict | None = None  # extract/fingerprint.py, for security.defacement
    home_channels: HomeChannels | None = None  # None when the home page had no body
    # A sample of list pages and articles fetched as a search-engine crawler too; each pairs with the
    # page of the same `url` in sample_pages. Their facts are kept in crawler_page_facts.
    crawler_views: list[Page] = field(default_factory=list, metadata=NOT_STORED)
    crawler_page_facts: list[PageFacts] = field(default_factory=list)
    pages_fetched: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> count
    errors: list[str] = field(default_factory=list)  # Chinese, crawl-level problems
    # Incremental re-inspection: canonical URL -> {etag, last_modified, content_hash, status, extract}
    # learnt by this crawl, for Store.save_page_cache (crawl_site's `cache` is the previous one).
    page_cache_updates: dict[str, dict] = field(default_factory=dict, metadata=NOT_STORED)
    screenshot: str | None = None  # path of the home page screenshot (PNG), when one was asked for
    baseline: dict | None = None  # accepted home-page fingerprint from the store (security.defacement)


@dataclass
class Finding:
    check: str  # a check id from DESIGN.md
    message: str  # Chinese, one sentence a supervisor can publish
    url: str = ""
    column: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)
    severity: Severity = "info"  # set by the rubric when scoring
    points: float = 0.0  # deduction, set by the rubric

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# Evidence that tells two findings of one check on one page apart (a dead link, a misspelling).
_KEY_EVIDENCE = ("target", "wrong", "mark", "term")


def normalise_location(url: str) -> str:
    """The URL as a location: scheme and host lower-cased, default port, fragment and a trailing
    index page dropped, so the same page is the same location from one inspection to the next."""
    parts = urlsplit((url or "").strip())
    host = (parts.hostname or "").lower()
    port = parts.port if parts.port not in (None, 80, 443) else None
    path = parts.path or "/"
    for index in ("index.html", "index.htm", "index.shtml", "index.jsp", "index.php"):
        if path.endswith("/" + index):
            path = path[: -len(index)]
    netloc = f"{host}:{port}" if port else host
    return urlunsplit((parts.scheme.lower(), netloc, path, parts.query, ""))


def finding_key(finding: Finding) -> str:
    """Stable id of a problem across inspections: check id + normalised location (+ what on the
    page), hashed to a fixed length for indexing. A re-check with the same key is not fixed."""
    subject = next((str(finding.evidence[k]) for k in _KEY_EVIDENCE if finding.evidence.get(k)), "")
    location = f"{finding.check}|{normalise_location(finding.url)}|{finding.column}|{subject}"
    return hashlib.sha256(location.encode("utf-8")).hexdigest()


REPORT_SCHEMA = "govinspect.report/1"


@dataclass
class Inspection:
    """The scored result of inspecting one site; `to_report()` gives the govinspect.report/1 JSON."""

    site_name: str
    url: str
    host: str
    as_of: dt.date
    rubric: str
    verdict: Literal["pass", "fail", "error"]
    score: float
    site_code: str | None = None
    vetoes: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    availability: dict[str, Any] = field(default_factory=dict)  # probes, failures, provisional
    stats: dict[str, Any] = field(default_factory=dict)  # pages, links_checked, elapsed_s, skipped
    started_at: dt.datetime | None = None
    error: str | None = None  # Chinese; set when the site could not be inspected at all

    def summary(self) -> Inspection:
        """A copy for a batch to keep once the site is saved: the same report (`to_report()`),
        without the columns' item lists, the bulk of an inspection."""
        return replace(self, columns=[c.summary() for c in self.columns])

    def to_report(self) -> dict[str, Any]:
        return {
            "schema": REPORT_SCHEMA,
            "site": {"name": self.site_name, "url": self.url, "site_code": self.site_code},
            "as_of": self.as_of.isoformat(),
            "rubric": self.rubric,
            "verdict": self.verdict,
            "score": self.score,
            "vetoes": list(self.vetoes),
            "findings": [f.to_dict() for f in self.findings],
            "columns": [
                {
                    "name": c.name,
                    "url": c.url,
                    "kind": c.kind,
                    "latest": c.latest.isoformat() if c.latest else None,
                    "items": c.item_count,
                    # How much of the column was read and how it was found.
                    "pages_read": c.pages_read,
                    "list_pages_known": c.list_pages_total,
                    "items_sampled": c.items_sampled,
                    "found_via": c.found_via,
                    "hub": c.hub,
                    "unreadable": c.unreadable,
                }
                for c in self.columns
            ],
            "availability": dict(self.availability),
            "stats": dict(self.stats),
            "error": self.error,
        }


def site_model_to_data(site: SiteModel) -> dict[str, Any]:
    """JSON-ready form of a crawl, kept with the inspection so it can be re-scored without crawling.

    Generic (codec.to_data): page bodies and transient crawl state are marked NOT_STORED. Kept
    small for daily province-wide runs: only the broken links (the others only count, and the
    report keeps the count).
    """
    return to_data(replace(site, links=[link for link in site.links if link.broken]))


def site_model_from_data(data: dict[str, Any]) -> SiteModel:
    """The SiteModel `site_model_to_data` stored (generic inverse, codec.from_data)."""
    return from_data(SiteModel, data)
