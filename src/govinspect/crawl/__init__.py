"""Crawling a site into a SiteModel."""

from govinspect.crawl.site import (
    CrawlBudget,
    PendingReading,
    apply_reading,
    crawl_site,
    crawl_site_unread,
    finish_reading,
    host_of,
    reading_of,
)

__all__ = [
    "CrawlBudget",
    "PendingReading",
    "apply_reading",
    "crawl_site",
    "crawl_site_unread",
    "finish_reading",
    "host_of",
    "reading_of",
]
