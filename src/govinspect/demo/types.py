"""Data types of the demo farm: sites, their routes and the ground truth."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urlsplit

from govinspect.model import ColumnKind

TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


CRAWLER_UA_RE = re.compile(r"baiduspider|sogou|360spider|haosouspider|bingbot|googlebot|yisouspider", re.I)
SEARCH_REFERER_RE = re.compile(
    r"^https?://(?:[a-z0-9-]+\.)*(?:baidu\.com|sogou\.com|so\.com|sm\.cn|bing\.com|google\.[a-z.]+)(?:[/:?#]|$)",
    re.I,
)


def is_search_engine(user_agent: str, referer: str = "") -> bool:
    """True when a request looks like a search-engine crawler or a visitor arriving from a search engine."""
    return bool(CRAWLER_UA_RE.search(user_agent or "") or SEARCH_REFERER_RE.match(referer or ""))


@dataclass(frozen=True)
class Expected:
    """One finding the inspection engine must raise for a demo site."""

    check: str
    column: str = ""
    url: str = ""
    # What is wrong, for the detector checks: the spam text, the wrong form of a name or expression,
    # the typo, the other report of a twin pair, the disagreeing dates, the missing guide elements ...
    text: str = ""
    detail: str = ""  # how it is hidden or what kind of problem (e.g. "display:none", "cloaked")


class DemoColumn(NamedTuple):
    """A column (栏目) of a demo site as the navigation links it."""

    name: str
    path: str  # as linked from the home navigation, e.g. "/xwdt/"
    kind: ColumnKind
    newest: dt.date | None  # newest item date; None for empty or static columns


@dataclass
class Route:
    """What the farm answers for one URL."""

    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    # Cloaking: the body shown instead of `body` to search-engine crawlers (see `is_search_engine`).
    crawler_body: bytes | None = None

    def body_for(self, user_agent: str = "", referer: str = "") -> bytes:
        if self.crawler_body is not None and is_search_engine(user_agent, referer):
            return self.crawler_body
        return self.body


@dataclass
class DemoSite:
    host: str
    name: str
    layout: str  # "modern" | "portal" | "table"
    encoding: str  # "utf-8" | "gbk"
    site_code: str | None
    columns: list[DemoColumn] = field(default_factory=list)
    expected: list[Expected] = field(default_factory=list)
    # Findings the data also implies outside the core check ids (e.g. service.attachment_broken).
    secondary: list[Expected] = field(default_factory=list)
    routes: dict[str, Route] = field(default_factory=dict)  # "path?query" -> route
    not_found: Route = field(default_factory=lambda: Route(status=404))
    delay: float = 0.0  # added to every response (the hanging site)
    home_items: list[tuple[str, str, dt.date]] = field(default_factory=list)  # (title, url, date)
    new_layout: bool = False  # a layout of another CMS family (JCMS, TRS; bench reports them apart)

    @property
    def url(self) -> str:
        return f"http://{self.host}/"

    @property
    def healthy(self) -> bool:
        return not self.expected

    def column(self, name: str) -> DemoColumn:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    def route(self, path_qs: str) -> Route | None:
        return self.routes.get(path_qs)

    def pages(self) -> dict[str, Route]:
        """Absolute URL -> route, for every HTML page the site serves with status 200."""
        return {
            f"http://{self.host}{p}": r
            for p, r in self.routes.items()
            if r.status == 200 and r.content_type.startswith("text/html")
        }


@dataclass
class Farm:
    as_of: dt.date
    sites: list[DemoSite]
    externals: dict[str, Route]  # other known hosts: every path answers this route
    # Absolute URL -> route on hosts that are not demo sites (the new-media feeds of
    # demo/newmedia.py); another path on such a host is 404.
    routes: dict[str, Route] = field(default_factory=dict)

    def site(self, host: str) -> DemoSite:
        host = host.lower()
        for site in self.sites:
            if site.host == host:
                return site
        raise KeyError(host)

    def find(self, host: str) -> DemoSite | None:
        host = host.lower()
        return next((s for s in self.sites if s.host == host), None)

    def knows(self, host: str) -> bool:
        host = host.lower()
        return (
            host in self.externals
            or any(s.host == host for s in self.sites)
            or any(urlsplit(u).hostname == host for u in self.routes)
        )

    def resolve(self, url: str) -> Route | None:
        """The route the farm serves for an absolute URL; None when the host is unknown (→ 502)."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if self.routes:
            path_qs = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            route = self.routes.get(f"http://{host}{path_qs}")
            if route is not None:
                return route
            if any(urlsplit(u).hostname == host for u in self.routes):
                return Route(status=404, content_type="text/plain; charset=utf-8", body="未找到".encode())
        if host in self.externals:
            if parts.path.lower().endswith((".png", ".gif", ".jpg")):
                return Route(content_type="image/png", body=TINY_PNG)
            return self.externals[host]
        try:
            site = self.site(host)
        except KeyError:
            return None
        path_qs = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return site.route(path_qs) or site.not_found
