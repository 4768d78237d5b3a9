"""What the extractor understood of one page (`govinspect page`): a saved file or a fetched URL."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from pathlib import Path

from govinspect.extract.footer import footer_script_urls
from govinspect.extract.page_view import FILE_BASE, describe_page
from govinspect.fetch import Fetcher, FetchSettings, decode_html

MAX_SCRIPTS = 5  # the site's own script files read for a 找错 handler


class PageError(ValueError):
    """A page that cannot be read (message in Chinese)."""


def read_page_file(path: Path) -> str:
    """A saved page decoded exactly as a fetched one (BOM, meta charset, byte heuristics)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PageError(f"无法读取文件 {path}：{exc.strerror or exc}") from exc
    return decode_html(data, None)[0]


async def fetch_page(url: str, settings: FetchSettings) -> tuple[str, str, list[str]]:
    """(final URL, decoded HTML, texts of the footer's own script files) of a fetched page."""
    async with Fetcher(settings) as fetcher:
        page = await fetcher.get(url)
        if not page.ok or not page.text:
            raise PageError(f"无法获取页面 {url}：{page.error or f'HTTP {page.status}'}")
        scripts = []
        for script_url in footer_script_urls(page.text, page.final_url)[:MAX_SCRIPTS]:
            script = await fetcher.get(script_url)
            if script.ok and script.text:
                scripts.append(script.text)
    return page.final_url, page.text, scripts


async def describe_target_async(target: str, as_of: dt.date, settings: FetchSettings) -> dict:
    """The govinspect.page/1 object of a file path or an http(s) URL."""
    path = Path(target)
    if path.exists() or not re.match(r"^https?://", target, re.I):
        if not path.is_file():
            raise PageError(f"“{target}”不是可读取的文件，也不是 http(s) 网址")
        html = await asyncio.to_thread(read_page_file, path)
        page = await asyncio.to_thread(describe_page, html, FILE_BASE + path.name, as_of)
        page["url"] = str(path)
        return page
    url, html, scripts = await fetch_page(target, settings)
    return await asyncio.to_thread(describe_page, html, url, as_of, scripts)


def describe_target(target: str, as_of: dt.date, settings: FetchSettings) -> dict:
    return asyncio.run(describe_target_async(target, as_of, settings))
