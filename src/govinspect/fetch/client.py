"""The async HTTP client every other layer fetches through.

One `Fetcher` holds one aiohttp session: a connection pool capped at `total`, a semaphore per
host (`per_host`) and an optional gap between request starts on a host (`delay_s`). Redirects
are followed by hand so the chain is recorded and loops are reported. Network and HTTP problems
never raise: they end up, in Chinese, in `Page.error` / `LinkStatus.error` / `Probe.error`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urljoin

import aiohttp

from govinspect.fetch.decode import decode_html
from govinspect.fetch.errors import describe, http_message
from govinspect.fetch.settings import FetchSettings
from govinspect.fetch.urls import clean_href, host_key, is_absolute_http, is_checkable_link, normalize_url
from govinspect.model import LinkStatus, Page, Probe

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
# Failures worth another attempt; 5xx statuses are retried too, 4xx never.
RETRYABLE_REASONS = frozenset(
    {"timeout", "dns", "refused", "reset", "payload", "unreachable", "connect", "proxy"}
)
LINK_PEEK_BYTES = 4096  # a link check by GET reads no more than this
_CHUNK = 64 * 1024
_MAX_HEADER_FIELD = 64 * 1024  # some sites send very long cookies; aiohttp's default is 8 KB


@dataclass
class _Exchange:
    """One HTTP request/response (no redirect following, no retry)."""

    url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type_header: str = ""
    body: bytes = b""
    truncated: bool = False
    reason: str | None = None  # stats key when `error` is set
    error: str | None = None

    @property
    def mime(self) -> str:
        return self.content_type_header.split(";", 1)[0].strip().lower()

    @property
    def retryable(self) -> bool:
        if self.error is not None:
            return self.reason in RETRYABLE_REASONS
        return self.status is not None and self.status >= 500

    def redirect_target(self) -> str | None:
        location = self.headers.get("Location")
        if self.error is None and self.status in REDIRECT_CODES and location:
            return urldefrag(urljoin(self.url, clean_href(location))).url
        return None


@dataclass
class _Outcome:
    """The last exchange of a request after redirects and retries."""

    last: _Exchange
    redirects: list[str]
    error: str | None  # the exchange's error, a redirect problem, or "HTTP nnn"
    reason: str | None

    @property
    def final_url(self) -> str:
        return self.last.url


def is_text_mime(mime: str) -> bool:
    return mime.startswith("text/") or "html" in mime or "xml" in mime


def _wants_body(mime: str, text_only: bool) -> bool:
    # An unlabelled body is read and sniffed; an attachment is not downloaded by get().
    return not text_only or not mime or is_text_mime(mime)


def _is_decodable(mime: str, body: bytes) -> bool:
    if mime:
        return is_text_mime(mime)
    return b"\x00" not in body[:1024]


def _flatten_headers(headers: Any) -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in headers.items():
        flat[key] = f"{flat[key]}, {value}" if key in flat else value
    return flat


async def _read_capped(response: aiohttp.ClientResponse, limit: int) -> tuple[bytes, bool]:
    """Read at most `limit` bytes of the (decompressed) body; True when more was left unread."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = await response.content.read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    body = b"".join(chunks)
    return (body[:limit], True) if size > limit else (body, False)


def _redirect_error(detail: str) -> str:
    return f"重定向次数过多或出现循环（{detail}）"


class Fetcher:
    """`async with Fetcher(settings) as f:` then `get`, `check_link`, `probe`; `stats` at any time."""

    def __init__(self, settings: FetchSettings | None = None) -> None:
        self.settings = settings or FetchSettings()
        self._session: aiohttp.ClientSession | None = None
        self._probe_session: aiohttp.ClientSession | None = None
        self._host_slots: dict[str, asyncio.Semaphore] = {}
        self._host_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._next_start: dict[str, float] = {}
        self._links: dict[str, tuple[LinkStatus, asyncio.Task[None]]] = {}
        self._counts: Counter[str] = Counter()
        self._errors: Counter[str] = Counter()

    # -- lifecycle -------------------------------------------------------------------------------

    def _new_session(self, limit: int, force_close: bool = False) -> aiohttp.ClientSession:
        s = self.settings
        return aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=limit, force_close=force_close),
            headers={
                "User-Agent": s.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5",
            },
            cookie_jar=aiohttp.CookieJar(unsafe=True),  # accept cookies of sites addressed by IP
            trust_env=s.trust_env,
            max_field_size=_MAX_HEADER_FIELD,
            max_line_size=_MAX_HEADER_FIELD,
        )

    async def __aenter__(self) -> Fetcher:
        self._session = self._new_session(self.settings.total)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        for task in [task for _, task in self._links.values() if not task.done()]:
            task.cancel()
        for session in (self._session, self._probe_session):
            if session is not None:
                await session.close()
        self._session = self._probe_session = None

    def _main_session(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError("Fetcher must be used as `async with Fetcher(settings) as f:`")
        return self._session

    @property
    def stats(self) -> dict[str, Any]:
        return {
            "requests": self._counts["requests"],
            "bytes": self._counts["bytes"],
            "retries": self._counts["retries"],
            "pages": self._counts["pages"],
            "links_checked": len(self._links),
            "link_cache_hits": self._counts["link_cache_hits"],
            "probes": self._counts["probes"],
            "errors": dict(self._errors),
        }

    # -- one exchange ----------------------------------------------------------------------------

    @asynccontextmanager
    async def _host_turn(self, url: str) -> AsyncIterator[None]:
        """Hold one of the host's `per_host` slots, after the politeness gap since the last start."""
        key = host_key(url)
        slot = self._host_slots.setdefault(key, asyncio.Semaphore(max(1, self.settings.per_host)))
        async with slot:
            if self.settings.delay_s > 0:
                async with self._host_locks[key]:
                    loop = asyncio.get_running_loop()
                    wait = self._next_start.get(key, 0.0) - loop.time()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    self._next_start[key] = loop.time() + self.settings.delay_s
            yield

    async def _exchange(
        self,
        session: aiohttp.ClientSession,
        method: str,
        url: str,
        *,
        body_limit: int,
        text_only: bool,
        timeout_s: float,
    ) -> _Exchange:
        result = _Exchange(url)
        self._counts["requests"] += 1
        timeout = aiohttp.ClientTimeout(total=timeout_s, sock_connect=timeout_s, sock_read=timeout_s)
        try:
            async with session.request(
                method, url, allow_redirects=False, proxy=self.settings.proxy, timeout=timeout
            ) as response:
                result.status = response.status
                result.headers = _flatten_headers(response.headers)
                result.content_type_header = response.headers.get("Content-Type", "")
                wanted = method != "HEAD" and result.redirect_target() is None
                if wanted and _wants_body(result.mime, text_only):
                    result.body, result.truncated = await _read_capped(response, body_limit)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a Chinese message
            result.reason, result.error = describe(exc, timeout_s)
        self._counts["bytes"] += len(result.body)
        return result

    async def _with_retries(self, method: str, url: str, retries: int, **kwargs: Any) -> _Exchange:
        attempt = 0
        while True:
            async with self._host_turn(url):
                result = await self._exchange(self._main_session(), method, url, **kwargs)
            if attempt >= retries or not result.retryable:
                return result
            self._counts["retries"] += 1
            await asyncio.sleep(self.settings.backoff_s * 2**attempt)  # outside the host slot
            attempt += 1

    async def _follow(self, method: str, url: str, retries: int, **kwargs: Any) -> _Outcome:
        """Request `url`, following redirects by hand: the chain is recorded and loops are caught."""
        chain: list[str] = []  # URLs that answered with a redirect, in order
        seen = {normalize_url(url)}
        current = url
        while True:
            result = await self._with_retries(method, current, retries, **kwargs)
            target = result.redirect_target()
            if target is None:
                return self._outcome(result, chain)
            chain.append(current)
            if not is_absolute_http(target):
                return _Outcome(result, chain, f"重定向到无法访问的网址（{target}）", "redirect")
            key = normalize_url(target)
            # A redirect back to a visited URL is a loop, unless it just set a cookie (WAF pattern).
            if key in seen and "Set-Cookie" not in result.headers:
                loop = " → ".join([*chain, target])
                return _Outcome(result, chain, _redirect_error(f"出现循环：{loop}"), "redirect")
            if len(chain) > self.settings.max_redirects:
                return _Outcome(
                    result, chain, _redirect_error(f"超过{self.settings.max_redirects}次"), "redirect"
                )
            seen.add(key)
            current = target

    @staticmethod
    def _outcome(result: _Exchange, chain: list[str]) -> _Outcome:
        if result.error is not None:
            return _Outcome(result, chain, result.error, result.reason)
        if result.status is not None and result.status >= 400:
            return _Outcome(result, chain, http_message(result.status), f"http_{result.status}")
        return _Outcome(result, chain, None, None)

    def _count_error(self, reason: str | None) -> None:
        if reason:
            self._errors[reason] += 1

    # -- public API ------------------------------------------------------------------------------

    async def get(self, url: str) -> Page:
        """Fetch a page (redirects followed, retried); never raises for network or HTTP problems."""
        started = time.monotonic()
        self._counts["pages"] += 1
        if not is_absolute_http(url):
            self._count_error("invalid_url")
            return Page(url=url, final_url=url, status=None, error=f"网址无效（{url}）")
        s = self.settings
        outcome = await self._follow(
            "GET", url, s.retries, body_limit=s.max_bytes, text_only=True, timeout_s=s.timeout_s
        )
        last = outcome.last
        page = Page(
            url=url,
            final_url=outcome.final_url,
            status=last.status,
            content_type=last.mime,
            error=outcome.error,
            redirects=outcome.redirects,
            headers=last.headers,
            size=len(last.body),
            truncated=last.truncated,
        )
        if last.body and _is_decodable(last.mime, last.body):
            page.text, page.encoding = decode_html(last.body, last.content_type_header)
        page.elapsed_s = time.monotonic() - started
        self._count_error(outcome.reason)
        return page

    async def check_link(self, url: str, found_on: str | None = None, anchor: str = "") -> LinkStatus:
        """Check a link target once per Fetcher; later and concurrent calls share the first check.

        The returned LinkStatus is shared between calls: `found_on` collects every page given.
        Callers filter with `is_checkable_link` first; other links are never fetched and come
        back with an error saying so.
        """
        checkable = is_checkable_link(url) and is_absolute_http(clean_href(url))
        key = normalize_url(url) if checkable else clean_href(url)
        entry = self._links.get(key)
        if entry is None:
            status = LinkStatus(url=key, status=None, anchor=anchor)
            task = asyncio.ensure_future(self._check(status) if checkable else self._refuse(status))
            entry = self._links[key] = (status, task)
        else:
            self._counts["link_cache_hits"] += 1
        status, task = entry
        if found_on and found_on not in status.found_on:
            status.found_on.append(found_on)
        if anchor and not status.anchor:
            status.anchor = anchor
        await asyncio.shield(task)  # a cancelled caller must not cancel the shared check
        return status

    @staticmethod
    async def _refuse(status: LinkStatus) -> None:
        status.error = f"不是可检查的网页链接（{status.url or '空链接'}）"

    async def _check(self, status: LinkStatus) -> None:
        """HEAD once; unless it gives a clean answer, GET (with retries) and read only a few KB."""
        s = self.settings
        head = await self._follow("HEAD", status.url, 0, body_limit=0, text_only=False, timeout_s=s.timeout_s)
        # Many servers refuse or mishandle HEAD (405, 403, 501, 400, resets ...): GET decides.
        # A name that does not resolve will not resolve for GET either.
        if head.error is None or head.reason == "dns":
            outcome = head
        else:
            outcome = await self._follow(
                "GET",
                status.url,
                s.retries,
                body_limit=LINK_PEEK_BYTES,
                text_only=False,
                timeout_s=s.timeout_s,
            )
        status.status = outcome.last.status
        status.error = outcome.error
        self._count_error(outcome.reason)

    async def probe(self, url: str, timeout_s: float = 15.0) -> Probe:
        """One GET, no retry, redirects not followed: ok iff a complete 2xx/3xx response in time.

        Probes use their own pool (fresh connection each time) so a busy crawl of the same site
        neither delays them nor lends them a warm connection.
        """
        at = dt.datetime.now()
        started = time.monotonic()
        self._counts["probes"] += 1
        if self._probe_session is None:
            self._main_session()  # same lifecycle rule as the rest
            self._probe_session = self._new_session(limit=0, force_close=True)
        if is_absolute_http(url):
            result = await self._exchange(
                self._probe_session,
                "GET",
                url,
                body_limit=self.settings.max_bytes,
                text_only=False,
                timeout_s=timeout_s,
            )
            outcome = self._outcome(result, [])
        else:
            outcome = _Outcome(_Exchange(url), [], f"网址无效（{url}）", "invalid_url")
        elapsed = time.monotonic() - started
        self._count_error(outcome.reason)
        status = outcome.last.status
        return Probe(at=at, ok=outcome.error is None, elapsed_s=elapsed, status=status, error=outcome.error)
