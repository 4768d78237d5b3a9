"""One home-page availability probe, classified.

A probe is one attempt: no retry, one deadline (default 15 s, the rubric's "超过(含)15秒仍打不开")
covering connect, redirects on the site's own registered domain and the body. It never raises: every
outcome comes back as a `ProbeResult` with a Chinese reason.

The Fetcher is not used because it retries and does not hand back the body of a probe; the
Fetcher's own error wording (`fetch.errors.describe`) and decoding (`decode_html`) are reused.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import time
from dataclasses import asdict, dataclass
from typing import Any, Literal
from urllib.parse import urldefrag, urljoin, urlsplit

import aiohttp
from selectolax.lexbor import LexborHTMLParser

from govinspect.extract.html import registered_domain
from govinspect.fetch.decode import decode_html
from govinspect.fetch.errors import describe, http_message, seconds
from govinspect.fetch.js import needs_rendering
from govinspect.fetch.settings import FetchSettings
from govinspect.fetch.urls import clean_href, is_absolute_http
from govinspect.model import Page, Probe

Outcome = Literal[
    "ok",
    "dns",
    "refused",
    "reset",
    "timeout",
    "tls",
    "http_5xx",
    "http_4xx",
    "challenged",  # a WAF/anti-bot page: the site is up, our client is challenged
    "maintenance",  # a 临时关停/系统维护/升级改版 notice page
    "redirect_offsite",  # the home page sends visitors to another registered domain
    "error",  # any other network failure (unreachable network, proxy, malformed response ...)
]

# Outcomes that count as "the home page did not open". challenged and maintenance do not; the
# availability window leaves maintenance out altogether. A redirect to another registered domain
# counts: the site's own home page is not what the visitor gets (hijack, or closed without 报备).
FAILURE_OUTCOMES: frozenset[str] = frozenset(
    {"dns", "refused", "reset", "timeout", "tls", "http_5xx", "http_4xx", "redirect_offsite", "error"}
)
DEFAULT_TIMEOUT_S = 15.0
BODY_LIMIT = 1_000_000  # enough to recognise any notice or challenge page; the rest is not read
MAX_REDIRECTS = 5
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
# Statuses a WAF answers the first visit with (412 瑞数, 521 加速乐, 202/403/503 others).
CHALLENGE_STATUSES = frozenset({202, 403, 412, 503, 521})

# fetch.errors reason codes -> probe outcome.
_NETWORK_OUTCOMES: dict[str, Outcome] = {
    "dns": "dns",
    "refused": "refused",
    "reset": "reset",
    "payload": "reset",
    "timeout": "timeout",
    "slow_body": "timeout",
    "tls": "tls",
}

# A notice page: short, few links, and says the site is closed or being maintained.
_MAINTENANCE_TEXT = re.compile(
    r"临时关停|暂停(?:访问|服务|运行|开放)|(?:系统|网站|服务器)(?:正在)?(?:维护|升级)|停机维护|维护中"
    r"|正在(?:进行)?(?:维护|升级)|升级改版|改版升级|网站改版"
)
NOTICE_TEXT_CHARS = 600
NOTICE_LINKS = 10


@dataclass(frozen=True)
class ProbeResult:
    at: dt.datetime  # start of the probe, timezone-aware (UTC)
    url: str  # as probed
    outcome: Outcome
    ok: bool  # False only for FAILURE_OUTCOMES
    status: int | None
    latency_s: float
    reason: str  # Chinese; what happened ("首页访问正常" when ok)
    vantage: str = "local"
    final_url: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["at"] = self.at.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProbeResult:
        return cls(**{**data, "at": dt.datetime.fromisoformat(data["at"])})

    def as_model_probe(self) -> Probe:
        """The `model.Probe` the site.unreachable check reads (SiteModel.probes)."""
        return Probe(
            at=self.at,
            ok=self.ok,
            elapsed_s=self.latency_s,
            status=self.status,
            error=None if self.ok else self.reason,
        )


def _visible(html: str) -> tuple[str, int]:
    tree = LexborHTMLParser(html)
    links = len(tree.css("a[href]"))
    title = tree.css_first("title")
    tree.strip_tags(["script", "style", "noscript", "template"])
    body = tree.body
    text = " ".join([title.text() if title is not None else "", body.text(separator=" ") if body else ""])
    return " ".join(text.split()), links


def maintenance_notice(html: str) -> str | None:
    """The notice phrase when `html` is a short closure/maintenance page, else None."""
    if not html:
        return None
    text, links = _visible(html)
    if len(text) >= NOTICE_TEXT_CHARS or links >= NOTICE_LINKS:
        return None  # a real home page may mention 系统维护 in a news title
    match = _MAINTENANCE_TEXT.search(text)
    return match.group(0) if match else None


def classify_response(
    status: int, url: str, text: str, content_type: str = "text/html"
) -> tuple[Outcome, str]:
    """(outcome, Chinese reason) of a final, non-redirect response with its decoded body."""
    page = Page(url=url, final_url=url, status=status, content_type=content_type, text=text)
    notice = maintenance_notice(text) if page.is_html else None
    if notice:
        return "maintenance", f"网站显示维护或关停公告（“{notice}”，HTTP {status}）"
    challenge = needs_rendering(page)
    # needs_rendering also flags ordinary JavaScript-built pages; only its challenge verdicts
    # ("JavaScript 安全验证/安全检测/验证页面") mean a WAF stands between us and the site.
    if challenge and challenge.startswith("JavaScript") and (status < 300 or status in CHALLENGE_STATUSES):
        return "challenged", f"网站可访问，但本监测客户端被安全防护拦截：{challenge}（HTTP {status}）"
    if status >= 500:
        return "http_5xx", f"首页返回服务器错误（{http_message(status)}）"
    if status >= 400:
        return "http_4xx", f"首页无法正常打开（{http_message(status)}）"
    return "ok", "首页访问正常"


def _result(
    url: str,
    at: dt.datetime,
    started: float,
    outcome: Outcome,
    reason: str,
    *,
    vantage: str,
    status: int | None = None,
    final_url: str | None = None,
) -> ProbeResult:
    return ProbeResult(
        at=at,
        url=url,
        outcome=outcome,
        ok=outcome not in FAILURE_OUTCOMES,
        latency_s=round(time.monotonic() - started, 4),
        reason=reason,
        status=status,
        vantage=vantage,
        final_url=final_url or url,
    )


async def _read_capped(response: aiohttp.ClientResponse, limit: int) -> bytes:
    """The body up to `limit` bytes; the page must arrive in full (or to the cap) to count as open."""
    chunks: list[bytes] = []
    received = 0
    while received < limit:
        data = await response.content.read(min(64 * 1024, limit - received))
        if not data:
            break
        chunks.append(data)
        received += len(data)
    return b"".join(chunks)


class HomeProber:
    """`async with HomeProber() as prober: await prober.probe(url)`.

    One aiohttp session for many probes; connections are not reused (each probe opens its own, as
    a visitor would), cookies are kept only within a probe (a WAF's cookie-then-redirect works, but
    no clearance carries over to the next probe). `resolver` is for tests and benchmarks.
    """

    def __init__(
        self,
        settings: FetchSettings | None = None,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        vantage: str = "local",
        concurrency: int = 200,
        resolver: aiohttp.abc.AbstractResolver | None = None,
        body_limit: int = BODY_LIMIT,
    ) -> None:
        self.settings = settings or FetchSettings()
        self.timeout_s = timeout_s
        self.vantage = vantage
        self.concurrency = concurrency
        self.resolver = resolver
        self.body_limit = body_limit
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> HomeProber:
        connector = aiohttp.TCPConnector(
            limit=self.concurrency, force_close=True, resolver=self.resolver, use_dns_cache=False
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            headers={
                "User-Agent": self.settings.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5",
            },
            trust_env=self.settings.trust_env,
        )
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def probe(self, url: str, *, timeout_s: float | None = None) -> ProbeResult:
        timeout_s = self.timeout_s if timeout_s is None else timeout_s
        at = dt.datetime.now(dt.UTC)
        started = time.monotonic()
        if self._session is None:
            raise RuntimeError("HomeProber must be used as `async with HomeProber() as p:`")
        if not is_absolute_http(url):
            return _result(url, at, started, "error", f"网址无效（{url}）", vantage=self.vantage)
        try:
            async with asyncio.timeout(timeout_s):
                return await self._walk(url, at, started, timeout_s)
        except TimeoutError:
            reason = f"超过{seconds(timeout_s)}秒首页仍未打开"
            return _result(url, at, started, "timeout", reason, vantage=self.vantage)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a classified result
            code, message = describe(exc, timeout_s)
            return _result(
                url, at, started, _NETWORK_OUTCOMES.get(code, "error"), message, vantage=self.vantage
            )

    async def _walk(self, url: str, at: dt.datetime, started: float, timeout_s: float) -> ProbeResult:
        """Request `url`, following redirects that stay on the site's registered domain."""
        assert self._session is not None
        home_domain = registered_domain(urlsplit(url).hostname or "")
        current, seen, cookies = url, {url}, {}
        client_timeout = aiohttp.ClientTimeout(total=timeout_s)
        for _ in range(MAX_REDIRECTS + 1):
            async with self._session.get(
                current,
                allow_redirects=False,
                proxy=self.settings.proxy,
                timeout=client_timeout,
                cookies=cookies,
            ) as response:
                status = response.status
                extra = {"status": status, "vantage": self.vantage, "final_url": current}
                location = response.headers.get("Location")
                if status in REDIRECT_CODES and location:
                    cookies.update({k: m.value for k, m in response.cookies.items()})
                    target = urldefrag(urljoin(current, clean_href(location))).url
                    if not is_absolute_http(target):
                        return _result(
                            url, at, started, "error", f"首页重定向到无效网址（{target}）", **extra
                        )
                    domain = registered_domain(urlsplit(target).hostname or "")
                    if domain != home_domain:
                        reason = f"首页跳转到其他域名（{target}）"
                        return _result(url, at, started, "redirect_offsite", reason, **extra)
                    if target in seen and not response.cookies:
                        reason = f"首页重定向出现循环（{current} → {target}）"
                        return _result(url, at, started, "error", reason, **extra)
                    seen.add(target)
                    current = target
                    continue
                body = await _read_capped(response, self.body_limit)
                content_type = response.headers.get("Content-Type", "")
            text = decode_html(body, content_type)[0] if body else ""
            mime = content_type.split(";", 1)[0].strip().lower()
            outcome, reason = classify_response(status, current, text, mime)
            return _result(url, at, started, outcome, reason, **extra)
        reason = f"首页重定向次数过多（超过{MAX_REDIRECTS}次）"
        return _result(
            url, at, started, "error", reason, status=None, vantage=self.vantage, final_url=current
        )
