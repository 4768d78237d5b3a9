"""Local servers and a fake resolver for the monitor tests: nothing leaves 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from contextlib import asynccontextmanager, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

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


@contextmanager
def receiver(fail_first: int = 0, port: int = 0):
    """A JSON webhook receiver on 127.0.0.1 (on `port`, default any) in its own thread: answers 500
    to the first `fail_first` requests, then 200. Yields (port, accepted bodies, request count)."""
    accepted: list[dict] = []
    requests = [0]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            requests[0] += 1
            if requests[0] <= fail_first:
                self.send_response(500)
            else:
                accepted.append(json.loads(body))
                self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], accepted, requests
    finally:
        server.shutdown()
        server.server_close()
