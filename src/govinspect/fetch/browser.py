"""Headless Chromium for the pages plain HTTP cannot read: JavaScript challenge pages and app shells.

Playwright for Python drives Debian's Chromium (`apt-get install chromium`); a browser is never
downloaded (`playwright install` is not part of govinspect). Playwright is an optional extra: when it
or Chromium is missing, `Renderer` raises `RenderUnavailable` with a Chinese message saying what to
install. The browser starts on the first render, so a run in which no page needs it pays nothing.

One browser context per `Renderer`: cookies a challenge page sets are kept, so the other pages of
the site (list pages, the screenshot) pass without another challenge.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from govinspect.fetch.errors import http_message, seconds
from govinspect.fetch.js import needs_rendering
from govinspect.fetch.settings import FetchSettings
from govinspect.model import Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1366, "height": 900}
MAX_SCREENSHOT_HEIGHT = 6000  # px; a full government home page, not an endless feed
CHALLENGE_WAIT_S = 5.0  # a page still showing a challenge gets this long to reload itself
NETWORK_IDLE_S = 3.0  # wait at most this long for scripts' requests (column lists by XHR) to finish
MIN_RENDER_TIMEOUT_S = 20.0  # a render loads scripts and may reload: more than one plain exchange
_SKIPPED_RESOURCES = frozenset({"image", "media", "font"})  # not needed to read the DOM

NO_PLAYWRIGHT = (
    "未安装 Playwright：请在虚拟环境中运行 pip install 'govinspect[render]'（无需 playwright install）"
)
NO_CHROMIUM = (
    "未安装 Chromium：请运行 apt-get install -y chromium（使用系统自带的 /usr/bin/chromium，不会下载浏览器）"
)


class RenderUnavailable(RuntimeError):
    """Playwright or Chromium is missing; the message (Chinese) says what to install."""


def unavailable_reason(executable: str = CHROMIUM) -> str | None:
    """Why rendering is impossible on this machine (Chinese), or None when it is possible."""
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return NO_PLAYWRIGHT
    if not (Path(executable).is_file() and os.access(executable, os.X_OK)) and not shutil.which(executable):
        return NO_CHROMIUM
    return None


def browser_proxy(settings: FetchSettings) -> dict[str, str] | None:
    """The proxy Chromium should use, with the fetcher's rules: explicit proxy, else the environment."""
    if settings.proxy:
        return {"server": settings.proxy}
    if not settings.trust_env:
        return None
    server = next(
        (
            os.environ[k]
            for k in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy")
            if os.environ.get(k)
        ),
        None,
    )
    if not server:
        return None
    bypass = os.environ.get("NO_PROXY") or os.environ.get("no_proxy") or ""
    return {"server": server, "bypass": bypass} if bypass else {"server": server}


def render_error(exc: BaseException, timeout_s: float) -> str:
    """Chinese description of a failed render (Playwright reports Chromium's net:: error codes)."""
    text = str(exc)
    if type(exc).__name__ == "TimeoutError" or "Timeout" in text.split("\n", 1)[0]:
        return f"页面渲染超时（超过{seconds(timeout_s)}秒）"
    known = {
        "ERR_NAME_NOT_RESOLVED": "域名无法解析",
        "ERR_CONNECTION_REFUSED": "连接被拒绝",
        "ERR_CONNECTION_RESET": "连接被中断",
        "ERR_CONNECTION_CLOSED": "连接被中断（服务器提前关闭了连接）",
        "ERR_EMPTY_RESPONSE": "连接被中断（服务器没有返回任何内容）",
        "ERR_PROXY_CONNECTION_FAILED": "代理服务器错误（无法连接代理）",
        "ERR_TUNNEL_CONNECTION_FAILED": "代理服务器错误（无法建立隧道）",
        "ERR_TOO_MANY_REDIRECTS": "重定向次数过多",
        "ERR_ADDRESS_UNREACHABLE": "网络不可达",
        "ERR_INTERNET_DISCONNECTED": "网络不可达",
        "ERR_TIMED_OUT": f"连接超时（超过{seconds(timeout_s)}秒未响应）",
    }
    for code, message in known.items():
        if code in text:
            return f"页面渲染失败：{message}"
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return f"页面渲染失败（{first[:160]}）"


class Renderer:
    """`async with Renderer(settings) as r: page = await r.render(url)`; never raises for a bad site."""

    def __init__(
        self,
        settings: FetchSettings | None = None,
        *,
        executable: str = CHROMIUM,
        concurrency: int = 4,
    ) -> None:
        self.settings = settings or FetchSettings()
        self.executable = executable
        self._gate = asyncio.Semaphore(max(1, concurrency))  # tabs open at once
        self._start_lock = asyncio.Lock()
        self._playwright: Any = None
        self._browser: Any = None
        self._context: Any = None
        self.renders = 0  # pages rendered (handy in tests and statistics)

    async def __aenter__(self) -> Renderer:
        reason = unavailable_reason(self.executable)
        if reason is not None:
            raise RenderUnavailable(reason)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        context, browser, driver = self._context, self._browser, self._playwright
        self._context = self._browser = self._playwright = None
        for closer in (
            context and context.close,
            browser and browser.close,
            driver and driver.stop,
        ):
            # A browser that already died has nothing left to close.
            if closer is not None:
                with contextlib.suppress(Exception):
                    await closer()

    async def _ensure_started(self) -> Any:
        """The browser context, launching Chromium on first use."""
        async with self._start_lock:
            if self._context is not None:
                return self._context
            from playwright.async_api import async_playwright

            proxy = browser_proxy(self.settings)
            args = list(CHROMIUM_ARGS) if proxy else [*CHROMIUM_ARGS, "--no-proxy-server"]
            driver = await async_playwright().start()
            try:
                browser = await driver.chromium.launch(
                    executable_path=self.executable, args=args, proxy=proxy, headless=True
                )
                self._context = await browser.new_context(
                    user_agent=self.settings.user_agent,
                    locale="zh-CN",
                    viewport=VIEWPORT,
                    # The plain fetch already judged the certificate; here we only want the DOM.
                    ignore_https_errors=True,
                    service_workers="block",
                )
            except Exception:
                await driver.stop()
                raise
            self._playwright, self._browser = driver, browser
            return self._context

    def _timeout(self, timeout_s: float | None) -> float:
        return timeout_s if timeout_s is not None else max(self.settings.timeout_s, MIN_RENDER_TIMEOUT_S)

    async def render(self, url: str, timeout_s: float | None = None) -> Page:
        """The page at `url` as a browser shows it: `text` is the DOM after scripts ran and any
        challenge reload settled. Failures end up in `Page.error` (Chinese)."""
        timeout = self._timeout(timeout_s)
        started = time.monotonic()
        page = Page(url=url, final_url=url, status=None, encoding="utf-8")
        try:
            context = await self._ensure_started()
        except Exception as exc:
            page.error = f"无法启动 Chromium（{str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__}）"
            return page
        async with self._gate:
            tab = await context.new_page()
            try:
                await tab.route("**/*", _skip_heavy_resources)
                response = await self._open(tab, url, timeout)
                page.final_url = tab.url
                page.text = await _content(tab)
                if response is not None:
                    page.status = response.status
                    page.headers = dict(response.headers)
                    page.content_type = page.headers.get("content-type", "").split(";", 1)[0].strip().lower()
                page.content_type = page.content_type or "text/html"
                if page.status is not None and page.status >= 400:
                    page.error = http_message(page.status)
                elif (reason := needs_rendering(page)) is not None:
                    page.error = f"浏览器渲染后仍无法读取页面（{reason}）"
            except Exception as exc:
                page.error = render_error(exc, timeout)
            finally:
                await _close_quietly(tab)
        self.renders += 1
        page.size = len(page.text.encode("utf-8"))
        page.elapsed_s = time.monotonic() - started
        return page

    async def cookies(self, url: str) -> dict[str, str]:
        """Cookies the browser holds for `url` (e.g. a passed challenge's clearance cookie), so
        plain HTTP can reuse them; empty before the browser has started."""
        if self._context is None:
            return {}
        return {c["name"]: c["value"] for c in await self._context.cookies(url)}

    async def screenshot(self, url: str, path: str | Path, timeout_s: float | None = None) -> Path:
        """Save a PNG of `url` as rendered (up to MAX_SCREENSHOT_HEIGHT px tall) at `path`.

        Raises RenderUnavailable when no browser can be started and RuntimeError (Chinese) when
        the page cannot be loaded."""
        timeout = self._timeout(timeout_s)
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        reason = unavailable_reason(self.executable)
        if reason is not None:
            raise RenderUnavailable(reason)
        context = await self._ensure_started()
        async with self._gate:
            tab = await context.new_page()
            try:
                try:
                    await self._open(tab, url, timeout)
                    height = await tab.evaluate(
                        "() => Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)"
                    )
                except Exception as exc:
                    raise RuntimeError(render_error(exc, timeout)) from exc
                height = max(VIEWPORT["height"], min(int(height or 0), MAX_SCREENSHOT_HEIGHT))
                clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height}
                await tab.screenshot(path=str(target), full_page=True, clip=clip, timeout=timeout * 1000)
            finally:
                await _close_quietly(tab)
        return target

    async def _open(self, tab: Any, url: str, timeout_s: float) -> Any:
        """Navigate and wait until the page stops navigating (challenge reloads) and its scripts'
        requests are done. Returns the main document's last response."""
        deadline = time.monotonic() + timeout_s
        last: dict[str, Any] = {"response": None, "navigations": 0}

        def on_response(response: Any) -> None:
            request = response.request
            if request.is_navigation_request() and request.frame == tab.main_frame:
                last["response"] = response

        def on_navigated(frame: Any) -> None:
            if frame == tab.main_frame:
                last["navigations"] += 1

        tab.on("response", on_response)
        tab.on("framenavigated", on_navigated)
        response = await tab.goto(url, wait_until="load", timeout=timeout_s * 1000)
        last["response"] = last["response"] or response
        while (left := deadline - time.monotonic()) > 0:
            seen = last["navigations"]
            try:
                await tab.wait_for_load_state("load", timeout=left * 1000)
                await tab.wait_for_load_state("networkidle", timeout=min(left, NETWORK_IDLE_S) * 1000)
            except Exception as exc:
                if type(exc).__name__ != "TimeoutError":
                    raise
            if last["navigations"] != seen:
                continue  # a challenge reloaded meanwhile: wait for the new document
            if needs_rendering(_as_page(tab.url, await _content(tab))) is None:
                break
            # Still a challenge page: its script may reload after a delay.
            try:
                await tab.wait_for_event("framenavigated", timeout=min(left, CHALLENGE_WAIT_S) * 1000)
            except Exception as exc:
                if type(exc).__name__ != "TimeoutError":
                    raise
                break
        return last["response"]


def _as_page(url: str, html: str) -> Page:
    return Page(url=url, final_url=url, status=200, content_type="text/html", text=html)


async def _skip_heavy_resources(route: Any) -> None:
    if route.request.resource_type in _SKIPPED_RESOURCES:
        await route.abort()
    else:
        await route.continue_()


async def _content(tab: Any, attempts: int = 5) -> str:
    """The DOM as HTML; retried while a late navigation is still replacing the document."""
    for attempt in range(attempts):
        try:
            return await tab.content()
        except Exception:
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(0.2)
    return ""


async def _close_quietly(tab: Any) -> None:
    with contextlib.suppress(Exception):
        await tab.close()


def screenshot_name(url: str) -> str:
    """File name of a site's home page screenshot: its host, made safe for any file system."""
    host = urlsplit(url).netloc.lower() or "site"
    return "".join(c if c.isalnum() or c in ".-" else "_" for c in host) + ".png"
