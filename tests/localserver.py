"""The one local HTTP server of the tests: aiohttp on 127.0.0.1, port 0 (never the internet).

async with serve(handler) as base:          # handler(request) -> Response (or awaitable)
async with serve({"/a": handler_a}) as base:  # routes: path pattern -> async handler
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from aiohttp import web


@asynccontextmanager
async def serve(handler: Callable | dict) -> AsyncIterator[str]:
    """Serve every method and path with `handler` (or the routes of a dict); yields the base URL
    without a trailing slash."""
    app = web.Application()
    if isinstance(handler, dict):
        for path, route in handler.items():
            app.router.add_route("*", path, route)
    else:

        async def respond(request):
            response = handler(request)
            return await response if asyncio.iscoroutine(response) else response

        app.router.add_route("*", "/{tail:.*}", respond)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
    finally:
        await runner.cleanup()
