"""Settings of the fetch layer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FetchSettings:
    timeout_s: float = 15.0  # per HTTP exchange (connect + headers + body)
    per_host: int = 4  # concurrent requests to one host
    total: int = 32  # concurrent connections overall
    max_bytes: int = 5_000_000  # body cap; the rest is not read (Page.truncated)
    retries: int = 1  # extra attempts after a timeout, connection error or 5xx
    backoff_s: float = 0.5  # wait before retry n is backoff_s * 2**n
    proxy: str | None = None  # explicit proxy, e.g. "http://127.0.0.1:8080"; wins over the environment
    trust_env: bool = True  # honour HTTP_PROXY / HTTPS_PROXY / NO_PROXY when no explicit proxy
    user_agent: str = "govinspect/0.1 (+政府网站检查)"
    max_redirects: int = 10
    delay_s: float = 0.0  # politeness: minimum gap between request starts on one host
