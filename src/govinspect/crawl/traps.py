"""Crawler traps: URL shapes that can generate pages forever (calendars, endless query strings,
repeated path segments). A `TrapGuard` admits or refuses each distinct URL once, with a Chinese
reason that ends up in `SiteModel.skipped`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

_DIGITS = re.compile(r"\d+")

REASON_URL_TOO_LONG = "网址过长，未访问"
REASON_PATH_LOOP = "路径层级过深或重复（疑似无限目录），未访问"
REASON_QUERY_VARIANTS = "同一页面的查询参数变化过多（疑似无限查询），未访问"
REASON_QUERY_CHAIN = "同类网址逐页无限延伸（疑似日历等无限链接），未访问"
REASON_PATTERN = "同一类网址数量超出上限，未访问"


@dataclass(frozen=True)
class TrapLimits:
    max_url_length: int = 1000
    max_path_depth: int = 15
    max_segment_repeats: int = 3  # the same path segment this many times: /a/b/a/b/a/b
    # A calendar is a chain: each ?date= page is found only on the previous one. Articles by id
    # (ShowArticle.asp?ArticleID=, /art/123.html) are siblings found on list pages, so they are
    # not capped early.
    max_query_chain: int = 50  # hops between pages of the same shape, in discovery order
    max_query_variants: int = 2000  # distinct query strings on one path, however found
    max_per_pattern: int = 50_000  # URLs of the same shape (digits folded, query names), however found


def url_pattern(url: str) -> str:
    """Shape of a URL: host, path with digit runs folded, and the sorted query parameter names.

    /cal?date=2024-01-02 and /cal?date=2024-01-03 share "host/cal?date"; /art/2024/123.html and
    /art/2023/9.html share "host/art/0/0.html".
    """
    parts = urlsplit(url)
    names = sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair})
    path = _DIGITS.sub("0", parts.path)
    return f"{parts.netloc.lower()}{path}?{'&'.join(names)}"


def path_loops(path: str, limits: TrapLimits) -> bool:
    segments = [s for s in path.split("/") if s]
    if len(segments) > limits.max_path_depth:
        return True
    counts = Counter(segments)
    return bool(counts) and max(counts.values()) >= limits.max_segment_repeats


class TrapGuard:
    """Decides, once per distinct (canonical) URL, whether it may be requested."""

    def __init__(self, limits: TrapLimits | None = None) -> None:
        self.limits = limits or TrapLimits()
        self._decided: dict[str, str | None] = {}
        self._queries: dict[str, set[str]] = {}
        self._patterns: Counter[str] = Counter()

    def check(self, key: str, chain: int = 0) -> tuple[str | None, bool]:
        """(reason the URL is refused or None, whether this is the first decision on it).

        `chain`: how many pages of the same shape (`url_pattern`), one after another, led to it.
        """
        if key in self._decided:
            return self._decided[key], False
        reason = REASON_QUERY_CHAIN if chain > self.limits.max_query_chain else self._decide(key)
        self._decided[key] = reason
        return reason, True

    def _decide(self, key: str) -> str | None:
        limits = self.limits
        if len(key) > limits.max_url_length:
            return REASON_URL_TOO_LONG
        parts = urlsplit(key)
        if path_loops(parts.path, limits):
            return REASON_PATH_LOOP
        if parts.query:
            variants = self._queries.setdefault(f"{parts.netloc}{parts.path}", set())
            if len(variants) >= limits.max_query_variants:
                return REASON_QUERY_VARIANTS
            variants.add(parts.query)
        pattern = url_pattern(key)
        if self._patterns[pattern] >= limits.max_per_pattern:
            return REASON_PATTERN
        self._patterns[pattern] += 1
        return None


def same_pattern_chain(source_key: str, target_key: str) -> bool:
    """True when `target` has the shape of the page `source` it was found on: the next step of a
    possible chain (?date=next day, /2026/01/03.html after /2026/01/02.html)."""
    return source_key != target_key and url_pattern(source_key) == url_pattern(target_key)
