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
import zlib
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import aiohttp
from protego import Protego
from yarl import URL

from govinspect.fetch.decode import decode_html
from govinspect.fetch.errors import describe, http_message, seconds
from govinspect.fetch.settings import FetchSettings
from govinspect.fetch.urls import clean_href, host_key, is_absolute_http, is_checkable_link, link_key
from govinspect.model import LinkStatus, Page, Probe

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
# Failures worth another attempt; 5xx statuses are retried too, 4xx never.
RETRYABLE_REASONS = frozenset(
    {"timeout", "dns", "refused", "reset", "payload", "unreachable", "connect", "proxy"}
)
# A link check whose HEAD failed for one of these does not try GET: it would fail the same way.
FINAL_LINK_REASONS = frozenset({"dns", "timeout"})
# Appended to the error of a link not requested because its host timed out before.
HUNG_HOST_NOTE = "；同一网站此前的请求已超时且从未响应，本次未再请求"
LINK_PEEK_BYTES = 4096  # a link check by GET reads no more than this
_CHUNK = 64 * 1024  # compressed or plain bytes read from the socket at a time
# Bodies are decompressed here, not by aiohttp, so a gzip bomb never inflates past the size cap.
ACCEPT_ENCODING = "gzip, deflate"
ROBOTS_TIMEOUT_S = 10.0
_MAX_HEADER_FIELD = 64 * 1024  # some sites send very long cookies; aiohttp's default is 8 KB


# Whether to try a timed-out request again: a flag, or asked when the timeout happens.
RetryTimeouts = bool | Callable[[], Awaitable[bool]]


@dataclass
class _Exchange:
    """One HTTP request/response (no redirect following, no retry)."""

    url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type_header: str = ""
    body: bytes = b""
    truncated: bool = False
    received: int = 0  # body bytes (after decompression) read so far
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
    # Scripts are text: a footer's 找错 handler is read from the site's own script files.
    # JSON too: new-media connectors read JSON Feed and Weibo's container JSON through get().
    return mime.startswith("text/") or any(k in mime for k in ("html", "xml", "javascript", "json"))


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


class _UnsupportedEncoding(Exception):
    pass


class _Inflater:
    """Decompresses a body incrementally, never producing more than it is asked for."""

    def __init__(self, content_encoding: str) -> None:
        self.encoding = content_encoding.strip().lower()
        if self.encoding in ("", "identity"):
            self._zlib = None
        elif self.encoding in ("gzip", "x-gzip", "deflate"):
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header, detected
        else:
            raise _UnsupportedEncoding(self.encoding)
        self._started = False

    @property
    def pending(self) -> bool:
        """Input already received but not yet inflated (the last call hit its output limit)."""
        return self._zlib is not None and bool(self._zlib.unconsumed_tail)

    def feed(self, data: bytes, room: int) -> bytes:
        if self._zlib is None:
            return data
        data = data or self._zlib.unconsumed_tail
        try:
            out = self._zlib.decompress(data, room)
        except zlib.error:
            if self._started or self.encoding != "deflate":
                raise
            # "deflate" is often sent raw, without the zlib header the RFC asks for.
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._zlib.decompress(data, room)
        self._started = True
        return out


async def _read_body(response: aiohttp.ClientResponse, limit: int, result: _Exchange) -> None:
    """Read at most `limit` bytes of the decompressed body into `result`; memory stays near `limit`."""
    inflater = _Inflater(response.headers.get("Content-Encoding", ""))
    chunks: list[bytes] = []
    while result.received <= limit:
        data = b""
        if not inflater.pending:
            data = await response.content.read(_CHUNK)
            if not data:
                break
        out = inflater.feed(data, limit + 1 - result.received)
        chunks.append(out)
        result.received += len(out)
    body = b"".join(chunks)
    result.body, result.truncated = (body[:limit], True) if len(body) > limit else (body, False)


def _redirect_error(detail: str) -> str:
    return f"重定向次数过多或出现循环（{detail}）"


def _body_error(exc: BaseException, result: _Exchange, timeout_s: float) -> tuple[str, str] | None:
    """Failures that only happen while reading a body we decompress and time ourselves."""
    if isinstance(exc, _UnsupportedEncoding):
        return "encoding", f"不支持的内容压缩格式（{exc}）"
    if isinstance(exc, zlib.error):
        return "encoding", "响应内容解压失败（压缩数据损坏）"
    if isinstance(exc, TimeoutError) and result.status is not None:
        # Headers arrived, the body did not finish in time: a slow or dripping server.
        return "slow_body", (
            f"读取超时（{seconds(timeout_s)}秒内未读完响应内容，已收到{result.received}字节）"
        )
    return None


@dataclass(frozen=True)
class _Route:
    proxy: URL | str | None = None
    proxy_auth: aiohttp.BasicAuth | None = None
    auth: aiohttp.BasicAuth | None = None  # the host's credentials in ~/.netrc (trust_env)


def _resolve_route(settings: FetchSettings, url: URL) -> _Route:
    """The same choice aiohttp makes per request with trust_env, made once: an explicit proxy
    wins; else HTTP(S)_PROXY unless NO_PROXY covers the host, with ~/.netrc credentials."""
    from aiohttp.helpers import basicauth_from_netrc, get_env_proxy_for_url, netrc_from_env

    if not settings.trust_env:
        return _Route(proxy=settings.proxy)
    auth = None
    netrc = netrc_from_env()
    if netrc is not None and url.host:
        try:
            auth = basicauth_from_netrc(netrc, url.host)
        except LookupError:
            auth = None
    if settings.proxy:
        return _Route(proxy=settings.proxy, auth=auth)
    try:
        proxy, proxy_auth = get_env_proxy_for_url(url)
    except LookupError:
        return _Route(auth=auth)
    return _Route(proxy=proxy, proxy_auth=proxy_auth, auth=auth)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


class Fetcher:
    """`async with Fetcher(settings) as f:` then `get`, `check_link`, `probe`; `stats` at any time."""

    def __init__(self, settings: FetchSettings | None = None) -> None:
        self.settings = settings or FetchSettings()
        self._session: aiohttp.ClientSession | None = None
        self._probe_session: aiohttp.ClientSession | None = None
        self._host_slots: dict[str, asyncio.Semaphore] = {}
        # One of `total` connections, taken before an exchange's clock starts: a request that
        # waits for a connection behind other sites' slow hosts has not timed out (the pool's
        # own limit would count that wait against the target: false broken links and vetoes).
        self._connection_slots = asyncio.Semaphore(max(1, self.settings.total))
        self._host_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._next_start: dict[str, float] = {}
        # link key -> (answer, the check while it runs; None once it answered)
        self._links: dict[str, tuple[LinkStatus, asyncio.Future[None] | None]] = {}
        self._early: set[str] = set()  # checks started by start_link_check, not yet asked for
        # Host keys that answered at least once in this run, and those that timed out before any
        # answer (-> the timeout message): link checks do not ask the latter again.
        self._answered_hosts: set[str] = set()
        self._hung_hosts: dict[str, str] = {}
        self._counts: Counter[str] = Counter()
        self._errors: Counter[str] = Counter()
        self._robots: dict[str, asyncio.Task[Protego | None]] = {}
        self._robots_agent = self.settings.user_agent.split("/", 1)[0].strip() or "*"
        self._routes: dict[tuple[str, str], _Route] = {}  # (scheme, host) -> proxy and auth

    # -- lifecycle -------------------------------------------------------------------------------

    def _new_session(self, limit: int, force_close: bool = False) -> aiohttp.ClientSession:
        s = self.settings
        return aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=limit, force_close=force_close),
            headers={
                "User-Agent": s.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5",
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            auto_decompress=False,
            cookie_jar=aiohttp.CookieJar(unsafe=True),  # accept cookies of sites addressed by IP
            # The environment (proxy variables, netrc) is read once per host by `_route_for`:
            # aiohttp's trust_env reads it on every request, in two thread-pool hops.
            trust_env=False,
            max_field_size=_MAX_HEADER_FIELD,
            max_line_size=_MAX_HEADER_FIELD,
        )

    async def __aenter__(self) -> Fetcher:
        self._session = self._new_session(self.settings.total)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        pending = [task for _, task in self._links.values() if task is not None] + list(self._robots.values())
        for task in pending:
            if not task.done():
                task.cancel()
        for session in (self._session, self._probe_session):
            if session is not None:
                await session.close()
        self._session = self._probe_session = None

    def add_cookies(self, url: str, cookies: dict[str, str]) -> None:
        """Send these cookies to `url`'s host from now on: a WAF clearance cookie the browser
        earned, so plain HTTP reads the rest of the site instead of the challenge page."""
        if cookies:
            self._main_session().cookie_jar.update_cookies(cookies, response_url=URL(url))

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
            "links_checked": self._counts["links_checked"],
            "link_cache_hits": self._counts["link_cache_hits"],
            "hung_host_hits": self._counts["hung_host_hits"],
            "probes": self._counts["probes"],
            "truncated": self._counts["truncated"],
            "robots_fetched": len(self._robots),
            "errors": dict(self._errors),
        }

    # -- one exchange ----------------------------------------------------------------------------

    def _route_for(self, url: str) -> _Route:
        """Proxy (and its auth) and netrc credentials for `url`'s host, resolved once per host: the
        explicit proxy, else (trust_env) what aiohttp's trust_env would pick from the environment."""
        parts = urlsplit(url)
        key = (parts.scheme.lower(), (parts.hostname or "").lower())
        route = self._routes.get(key)
        if route is None:
            try:
                route = _resolve_route(self.settings, URL(url))
            except ValueError:  # aiohttp then reports the URL itself as invalid
                route = _Route(proxy=self.settings.proxy)
            self._routes[key] = route
        return route

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
        headers: dict[str, str] | None = None,
    ) -> _Exchange:
        result = _Exchange(url)
        self._counts["requests"] += 1
        timeout = aiohttp.ClientTimeout(total=timeout_s, sock_connect=timeout_s, sock_read=timeout_s)
        route = self._route_for(url)
        try:
            # The deadline covers the whole exchange, body included: per-read timeouts alone let
            # a server that sends a byte a second hold the worker forever.
            async with asyncio.timeout(timeout_s):
                async with session.request(
                    method,
                    url,
                    allow_redirects=False,
                    proxy=route.proxy,
                    proxy_auth=route.proxy_auth,
                    auth=route.auth,
                    timeout=timeout,
                    headers=headers,
                ) as response:
                    result.status = response.status
                    result.headers = _flatten_headers(response.headers)
                    result.content_type_header = response.headers.get("Content-Type", "")
                    wanted = method != "HEAD" and result.redirect_target() is None
                    if wanted and _wants_body(result.mime, text_only):
                        await _read_body(response, body_limit, result)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a Chinese message
            result.reason, result.error = _body_error(exc, result, timeout_s) or describe(exc, timeout_s)
        self._counts["bytes"] += len(result.body)
        self._counts["truncated"] += result.truncated
        return result

    async def _with_retries(
        self,
        method: str,
        url: str,
        retries: int,
        failures: list[str] | None = None,
        retry_timeouts: RetryTimeouts = True,
        skip_hung: bool = False,
        **kwargs: Any,
    ) -> _Exchange:
        """`failures` (when given) collects the error of every attempt that was retried.
        `skip_hung`: a host that timed out without ever answering in this run is not asked again
        (link checks: a dead partner site linked by many pages costs one timeout, not one each)."""
        attempt = 0
        while True:
            async with self._host_turn(url):
                host = host_key(url)
                hung = self._hung_hosts.get(host) if skip_hung else None
                if hung is not None:
                    # This host never answered and one request to it timed out: that is the answer.
                    self._counts["hung_host_hits"] += 1
                    return _Exchange(url, reason="timeout", error=f"{hung}{HUNG_HOST_NOTE}")
                async with self._connection_slots:
                    result = await self._exchange(self._main_session(), method, url, **kwargs)
            self._note_answer(host, result)
            if attempt >= retries or not result.retryable:
                return result
            if result.reason == "timeout" and not (
                retry_timeouts if isinstance(retry_timeouts, bool) else await retry_timeouts()
            ):
                return result
            if failures is not None:
                failures.append(result.error or http_message(result.status or 0))
            self._counts["retries"] += 1
            await asyncio.sleep(self.settings.backoff_s * 2**attempt)  # outside the host slot
            attempt += 1

    def _note_answer(self, host: str, result: _Exchange) -> None:
        """Remember hosts that answered, and those that timed out without ever answering."""
        if result.status is not None:
            if host not in self._answered_hosts:
                self._answered_hosts.add(host)
                self._hung_hosts.pop(host, None)
        elif result.reason == "timeout" and host not in self._answered_hosts:
            self._hung_hosts.setdefault(host, result.error or "")

    async def _follow(
        self,
        method: str,
        url: str,
        retries: int,
        failures: list[str] | None = None,
        retry_timeouts: RetryTimeouts = True,
        skip_hung: bool = False,
        **kwargs: Any,
    ) -> _Outcome:
        """Request `url`, following redirects by hand: the chain is recorded and loops are caught."""
        chain: list[str] = []  # URLs that answered with a redirect, in order
        seen = {link_key(url)}
        current = url
        while True:
            result = await self._with_retries(
                method, current, retries, failures, retry_timeouts, skip_hung, **kwargs
            )
            target = result.redirect_target()
            if target is None:
                return self._outcome(result, chain)
            chain.append(current)
            if not is_absolute_http(target):
                return _Outcome(result, chain, f"重定向到无法访问的网址（{target}）", "redirect")
            key = link_key(target)
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

    async def get(
        self, url: str, headers: dict[str, str] | None = None, retry_timeouts: RetryTimeouts = True
    ) -> Page:
        """Fetch a page (redirects followed, retried); never raises for network or HTTP problems.

        `headers` replace the session's defaults for this request (e.g. a search-engine
        User-Agent to see what a cloaking site shows crawlers). `retry_timeouts`: whether a
        timed-out attempt is tried again, or an async callable asked when one times out."""
        started = time.monotonic()
        self._counts["pages"] += 1
        if not is_absolute_http(url):
            self._count_error("invalid_url")
            return Page(url=url, final_url=url, status=None, error=f"网址无效（{url}）")
        s = self.settings
        retried: list[str] = []
        outcome = await self._follow(
            "GET",
            url,
            s.retries,
            retried,
            retry_timeouts,
            body_limit=s.max_bytes,
            text_only=True,
            timeout_s=s.timeout_s,
            headers=headers,
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
            retried_errors=retried,
        )
        if last.body and _is_decodable(last.mime, last.body):
            page.text, page.encoding = decode_html(last.body, last.content_type_header)
        page.elapsed_s = time.monotonic() - started
        self._count_error(outcome.reason)
        return page

    async def check_link(self, url: str, found_on: str | None = None, anchor: str = "") -> LinkStatus:
        """Check a link target once per Fetcher; later and concurrent calls share the first check.

        The cache keeps the answer only (status, error, first anchor), never the pages that link
        to it: each call gets its own LinkStatus with `found_on` = [found_on] (the crawl keeps
        its own list of pages), so a target linked by every site of a province stays small.
        Callers filter with `is_checkable_link` first; other links are never fetched and come
        back with an error saying so.
        """
        status, task = self._link_entry(url, anchor)
        if task is not None:
            await asyncio.shield(task)  # a cancelled caller must not cancel the shared check
        return LinkStatus(
            url=status.url,
            status=status.status,
            error=status.error,
            found_on=[found_on] if found_on else [],
            anchor=anchor or status.anchor,
        )

    def start_link_check(self, url: str, anchor: str = "") -> None:
        """Start checking `url` now, without waiting: a later `check_link` of it shares this check.

        A crawl calls it for other hosts' links as it meets them, so a target that hangs times out
        while the site is still being read instead of after it."""
        self._link_entry(url, anchor, early=True)

    def _link_entry(
        self, url: str, anchor: str, early: bool = False
    ) -> tuple[LinkStatus, asyncio.Future[None] | None]:
        checkable = is_checkable_link(url) and is_absolute_http(clean_href(url))
        key = link_key(url) if checkable else clean_href(url)
        entry = self._links.get(key)
        if entry is None:
            status = LinkStatus(url=key, status=None, anchor=anchor)
            task = asyncio.ensure_future(self._check(status) if checkable else self._refuse(status))
            task.add_done_callback(partial(self._answered, key, status))
            entry = self._links[key] = (status, task)
            self._counts["links_checked"] += 1
            if early:
                self._early.add(key)
            self._forget_old_links()
        elif key in self._early and not early:
            self._early.discard(key)  # the check asked for early: not a second use of the cache
        elif not early:
            self._counts["link_cache_hits"] += 1
        return entry

    def _answered(self, key: str, status: LinkStatus, task: asyncio.Task[None]) -> None:
        """A check that answered keeps its answer only: a finished task holds its coroutine and
        context (~0.6 KB a link, ~12 MB for a full cache). A failed check keeps its task, so later
        callers get its error as the first one did."""
        if task.cancelled() or task.exception() is not None:
            return
        if self._links.get(key, (None, None))[0] is status:
            self._links[key] = (status, None)

    def _forget_old_links(self) -> None:
        """Keep the run-wide link cache bounded (settings.link_cache): the oldest finished checks go
        first; a check still running stays, so concurrent callers keep sharing it."""
        cap = max(1, self.settings.link_cache)
        excess = len(self._links) - cap
        if excess <= 0:
            return
        # A tenth of the cache at a time: the scan is then paid once per cap/10 new links.
        excess = max(excess, cap // 10)
        old = [k for k, (_, task) in self._links.items() if task is None or task.done()][:excess]
        for key in old:
            del self._links[key]
            self._early.discard(key)

    @staticmethod
    async def _refuse(status: LinkStatus) -> None:
        status.error = f"不是可检查的网页链接（{status.url or '空链接'}）"

    async def _check(self, status: LinkStatus) -> None:
        """HEAD once; unless it gives a clean answer, GET (with retries) and read only a few KB.

        A timeout is an answer: a target that did not answer HEAD within the timeout is not asked
        again by GET, and a GET that timed out is not retried (one hang costs one timeout)."""
        s = self.settings
        head = await self._follow(
            "HEAD", status.url, 0, skip_hung=True, body_limit=0, text_only=False, timeout_s=s.timeout_s
        )
        # Many servers refuse or mishandle HEAD (405, 403, 501, 400, resets ...): GET decides.
        # A name that does not resolve will not resolve for GET either.
        if head.error is None or head.reason in FINAL_LINK_REASONS:
            outcome = head
        else:
            outcome = await self._follow(
                "GET",
                status.url,
                s.retries,
                retry_timeouts=False,
                skip_hung=True,
                body_limit=LINK_PEEK_BYTES,
                text_only=False,
                timeout_s=s.timeout_s,
            )
        status.status = outcome.last.status
        status.error = outcome.error
        self._count_error(outcome.reason)

    async def allowed(self, url: str) -> bool:
        """Whether robots.txt lets this tool fetch `url` (always True with `respect_robots` off).

        robots.txt is read once per origin and Fetcher. A missing, unreadable or unreachable
        robots.txt allows everything: the page's own fetch then reports the real problem.
        """
        if not self.settings.respect_robots or not is_absolute_http(url):
            return True
        origin = origin_of(url)
        task = self._robots.get(origin)
        if task is None:
            task = self._robots[origin] = asyncio.ensure_future(self._load_robots(origin))
        rules = await asyncio.shield(task)
        return rules is None or rules.can_fetch(url, self._robots_agent)

    async def _load_robots(self, origin: str) -> Protego | None:
        s = self.settings
        outcome = await self._follow(
            "GET",
            f"{origin}/robots.txt",
            0,
            body_limit=s.robots_max_bytes,
            text_only=False,
            timeout_s=min(s.timeout_s, ROBOTS_TIMEOUT_S),
        )
        status = outcome.last.status
        if outcome.error is not None or status is None or not 200 <= status < 300:
            return None
        try:
            return Protego.parse(outcome.last.body.decode("utf-8", "replace"))
        except Exception:  # noqa: BLE001 - a robots.txt we cannot parse restricts nothing
            return None

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
