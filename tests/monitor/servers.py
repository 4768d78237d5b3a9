"""Local servers and a fake resolver for the monitor tests: nothing leaves 127.0.0.1."""

from __future__ import annotations

import asyncio
import socket
from contextlib import asynccontextmanager

from aiohttp import web
from aiohttp.abc import AbstractResolver


class FakeResolver(AbstractResolver):
    """Every name in `names` resolves to 127.0.0.1; any other name fails like a real lookup."""

    def __init__(self, names: set[str]) -> None:
        self.names = names
        self.lookups: list[str] = []

    async def resolve(self, host, port=0, family=socket.AF_INET):
        self.lookups.append(host)
        if host not in self.names and host != "127.0.0.1":
            raise OSError(socket.EAI_NONAME, "Name or service not known")
        return [
            {
                "hostname": host,
                "host": "127.0.0.1",
                "port": port,
                "family": socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
        ]

    async def close(self) -> None:
        return None


@asynccontextmanager
async def serve(handler, ssl_context=None):
    """Serve every path with `handler` on 127.0.0.1:0; yields the port."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=ssl_context)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    try:
        yield port
    finally:
        await runner.cleanup()


@asynccontextmanager
async def raw_server(on_connect):
    """A bare TCP server: `on_connect(reader, writer)` decides what the client sees."""
    server = await asyncio.start_server(on_connect, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield port
    finally:
        server.close()
        await server.wait_closed()


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
