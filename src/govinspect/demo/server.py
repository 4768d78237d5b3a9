"""Serve a demo farm on 127.0.0.1: as a forward HTTP proxy and as a Host-routed web server.

aiohttp's low-level `web.Server` takes absolute-form request lines (`GET http://host/path HTTP/1.1`)
and then builds `request.url` from the URI's host, so one handler serves both proxy requests and
plain requests routed by the `Host` header. Plain HTTP only: CONNECT (https through the proxy)
is answered 501, and every link the farm generates is http://.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gzip
import hashlib
import threading
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache

from aiohttp import web

from govinspect.demo.types import Farm, Route

COMPRESSIBLE = ("text/", "application/javascript", "application/json")
SERVER_HEADER = "nginx"


def _bad_gateway(host: str) -> Route:
    text = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>502 Bad Gateway</title></head>'
        f"<body><h1>502 Bad Gateway</h1><p>代理服务器无法连接到目标主机 {host}。</p></body></html>"
    )
    return Route(status=502, body=text.encode())


def _etag(body: bytes) -> str:
    # Weak: the same entity is sent gzip-compressed or not.
    return f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'


def _not_modified(request: web.BaseRequest, etag: str, last_modified: dt.datetime) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when present, else If-Modified-Since."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or etag.removeprefix("W/") in tags
    try:
        since = parsedate_to_datetime(request.headers.get("If-Modified-Since", ""))
    except (TypeError, ValueError):
        return False
    return since.tzinfo is not None and last_modified <= since


@lru_cache(maxsize=4096)
def _gzip(body: bytes) -> bytes:
    return gzip.compress(body, mtime=0)  # mtime=0: the same bytes on every run


class FarmServer:
    """Run `farm` in a background thread with its own event loop; usable from sync code and tests."""

    def __init__(self, farm: Farm, host: str = "127.0.0.1", port: int = 0):
        self.farm = farm
        self.host = host
        self.port = port
        self.requests = 0  # answered so far (handy in tests)
        self.not_modified = 0  # of which 304 Not Modified
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.ServerRunner | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    @property
    def proxy_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # --- lifecycle --------------------------------------------------------------------------
    def start(self) -> FarmServer:
        if self._thread is not None:
            return self
        self._thread = threading.Thread(target=self._run, name="demo-farm", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise RuntimeError(f"演示站点服务启动失败：{self._error}") from self._error
        return self

    def stop(self) -> None:
        if self._thread is None or self._loop is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._thread = None

    def __enter__(self) -> FarmServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._setup())
        except BaseException as exc:  # report to the starting thread
            self._error = exc
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            assert self._runner is not None
            loop.run_until_complete(self._runner.cleanup())
            loop.close()

    async def _setup(self) -> None:
        self._runner = web.ServerRunner(web.Server(self._handle), handle_signals=False, shutdown_timeout=0.2)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]

    # --- requests ---------------------------------------------------------------------------
    def _lookup(self, host: str, path_qs: str) -> tuple[Route, float]:
        """The route to answer and the delay before answering."""
        farm = self.farm
        site = farm.find(host)
        if site is None:
            route = farm.resolve(f"http://{host}{path_qs}")
            return (route or _bad_gateway(host)), 0.0
        route = site.route(path_qs)
        if route is None:
            path, _, query = path_qs.partition("?")
            if not path.endswith("/") and not query and site.route(path + "/") is not None:
                # Real servers redirect a directory without its slash.
                route = Route(status=301, headers={"Location": f"http://{host}{path}/"})
            else:
                route = site.not_found
        return route, site.delay + route.delay

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        self.requests += 1
        if request.method == "CONNECT":
            return web.Response(status=501, text="演示站点仅支持 HTTP，不支持 CONNECT 隧道。")
        host = (request.url.host or request.headers.get("Host", "")).lower().split(":")[0]
        query = request.rel_url.raw_query_string
        path_qs = request.rel_url.raw_path + (f"?{query}" if query else "")
        route, delay = self._lookup(host, path_qs)
        if delay:
            await asyncio.sleep(delay)
        headers = {"Content-Type": route.content_type, "Server": SERVER_HEADER, **route.headers}
        body = route.body_for(request.headers.get("User-Agent", ""), request.headers.get("Referer", ""))
        if route.crawler_body is not None:
            headers["Vary"] = "User-Agent, Referer"
        if route.status == 200:
            # Validators for incremental re-inspection; the farm's pages date from its as_of day.
            modified = dt.datetime.combine(self.farm.as_of, dt.time(8), tzinfo=dt.UTC)
            headers.setdefault("ETag", _etag(body))
            headers.setdefault("Last-Modified", format_datetime(modified, usegmt=True))
            if _not_modified(request, headers["ETag"], modified):
                self.not_modified += 1
                kept = ("ETag", "Last-Modified", "Vary", "Server")
                return web.Response(status=304, headers={k: v for k, v in headers.items() if k in kept})
        accepts_gzip = "gzip" in request.headers.get("Accept-Encoding", "").lower()
        if accepts_gzip and len(body) > 256 and route.content_type.startswith(COMPRESSIBLE):
            body = _gzip(body)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = ", ".join(filter(None, [headers.get("Vary"), "Accept-Encoding"]))
        return web.Response(status=route.status, body=body, headers=headers)
