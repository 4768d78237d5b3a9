"""A local site farm for the daemon tests, in its own thread (so a daemon subprocess can probe it
too): each path is a site; `plans[path](n)` says what its n-th request (from 1) gets."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .pages import HOME, JSL_521

DOWN = (502, "<html><body>502 Bad Gateway</body></html>")
UP = (200, HOME)
WAF = (521, JSL_521)


def always(answer):
    return lambda n: answer


def outage(first_up: int, down: int):
    """Up for `first_up` requests, down (HTTP 502) for the next `down`, then up again."""
    return lambda n: DOWN if first_up < n <= first_up + down else UP


def flapping(n: int):
    return UP if n % 2 else DOWN


@contextmanager
def farm(plans: dict[str, Callable[[int], tuple[int, str]]]):
    """Yields (base URL, request counts per path)."""
    hits: Counter[str] = Counter()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            with lock:
                hits[self.path] += 1
                n = hits[self.path]
            plan = plans.get(self.path)
            status, body = plan(n) if plan else (404, "<html><body>404</body></html>")
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
