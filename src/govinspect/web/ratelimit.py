"""A small in-process sliding-window rate limiter for the public 找错 intake.

Why not a library (`limits`, `slowapi`): the app serves from one process (uvicorn, one worker),
so the counters need no shared backend; this is a few lines with a lock and a bound on memory,
where `slowapi` would also wrap every route. Behind a reverse proxy the client address is the one
uvicorn's --proxy-headers (trusted --forwarded-allow-ips) puts in the scope.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable


class RateLimiter:
    """At most `limit` hits per `window_s` seconds for each key (a client address)."""

    def __init__(
        self,
        limit: int,
        window_s: float,
        *,
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.limit, self.window_s, self.max_keys, self.clock = limit, window_s, max_keys, clock
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str) -> float:
        """Count one hit; 0 when allowed, else the seconds until the next one would be."""
        now = self.clock()
        with self._lock:
            hits = self._hits.pop(key, None) or deque()
            while hits and hits[0] <= now - self.window_s:
                hits.popleft()
            self._hits[key] = hits  # most recently used last
            while len(self._hits) > self.max_keys:  # forget the least recently seen address
                self._hits.popitem(last=False)
            if len(hits) >= self.limit:
                return max(0.0, hits[0] + self.window_s - now)
            hits.append(now)
            return 0.0
