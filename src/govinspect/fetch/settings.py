"""Settings of the fetch layer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FetchSettings:
    # Per HTTP exchange, connect + headers + the whole body: a server that drips bytes is cut off
    # at this deadline, not merely when one read stalls.
    timeout_s: float = 15.0
    per_host: int = 4  # concurrent requests to one host
    total: int = 32  # concurrent connections overall
    # Body cap, counted after decompression (so a gzip bomb stops here too); the rest is not read
    # (Page.truncated).
    max_bytes: int = 5_000_000
    retries: int = 1  # extra attempts after a timeout, connection error or 5xx
    backoff_s: float = 0.5  # wait before retry n is backoff_s * 2**n
    proxy: str | None = None  # explicit proxy, e.g. "http://127.0.0.1:8080"; wins over the environment
    trust_env: bool = True  # honour HTTP_PROXY / HTTPS_PROXY / NO_PROXY when no explicit proxy
    user_agent: str = "govinspect/0.1 (+政府网站检查)"
    max_redirects: int = 10
    # Link checks remembered per Fetcher (a batch shares one): a target linked by many sites is
    # checked once per run. Past this many the oldest finished checks are forgotten.
    link_cache: int = 20_000
    delay_s: float = 0.0  # politeness: minimum gap between request starts on one host
    # robots.txt: obeyed by default (self-checks); switch off only for authorised supervision.
    respect_robots: bool = True
    robots_max_bytes: int = 500_000  # RFC 9309 lets a crawler ignore what follows 500 KiB
