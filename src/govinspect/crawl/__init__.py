"""Crawling a site into a SiteModel."""

from govinspect.crawl.site import CrawlBudget, crawl_site, host_of

__all__ = ["CrawlBudget", "crawl_site", "host_of"]
