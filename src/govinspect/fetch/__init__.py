"""Fetch layer: async HTTP with politeness, retries, proxies, redirects, size caps and decoding."""

from govinspect.fetch.client import Fetcher
from govinspect.fetch.decode import decode_html
from govinspect.fetch.settings import FetchSettings
from govinspect.fetch.urls import is_checkable_link

__all__ = ["FetchSettings", "Fetcher", "decode_html", "is_checkable_link"]
