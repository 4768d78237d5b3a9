"""Checks and scoring in a long-lived worker process, so a batch uses the second core.

The checks over a crawled site (text checks, the content.typo character model, duplicates ...)
are the CPU-heavy part of an inspection. In a thread they share the GIL with the event loop that
drives every fetch and probe of the batch; in a spawned process they run beside it. The process
is started once (on first use) and reused for every site of every batch of this process, so the
typo model (~250 MB) is loaded once, there and not in the parent.

A worker that dies (killed, out of memory) breaks the pool: it is replaced and the sites whose
checks were in it are checked again; a site that still cannot be checked gets a Chinese error
(`CheckWorkerLost`), never a silent loss. `processes=0` runs the checks in a thread, as before.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import multiprocessing
import sys
import threading
import types
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

# A broken pool is replaced and the work tried again this many times in all: a site whose checks
# were merely in the same process as another site's crash gets another chance.
ATTEMPTS = 3
WORKER_LOST = "检查进程异常退出（可能被系统终止或内存不足），已重试{attempts}次仍未完成，该站点未能检查"


class CheckWorkerLost(RuntimeError):
    """The check worker died on every attempt; the message is in Chinese for the report."""


class CheckPool:
    """`await pool.run(fn, *args)`: fn(*args) in the worker process (fn and args picklable)."""

    def __init__(self, processes: int) -> None:
        self.processes = max(1, processes)
        self._executor: ProcessPoolExecutor | None = None
        self._generation = 0  # bumped by each restart, so concurrent failures restart once
        self._lock = threading.Lock()
        self._in_thread = False  # processes cannot be started here: run in a thread instead
        self.restarts = 0

    def _current(self) -> tuple[ProcessPoolExecutor, int]:
        with self._lock:
            if self._executor is None:
                # spawn, not fork: the parent has an event loop, sockets and threads that a
                # forked child must not inherit.
                context = multiprocessing.get_context("spawn")
                self._executor = ProcessPoolExecutor(max_workers=self.processes, mp_context=context)
            return self._executor, self._generation

    def _restart(self, generation: int) -> None:
        with self._lock:
            if generation != self._generation or self._executor is None:
                return  # another caller already replaced it
            broken, self._executor = self._executor, None
            self._generation += 1
            self.restarts += 1
        broken.shutdown(wait=False, cancel_futures=True)
        log.warning("check worker process died; a new one is started")

    def worker_pids(self) -> list[int]:
        """Process ids of the running workers (for tests and diagnostics)."""
        with self._lock:
            executor = self._executor
        processes = getattr(executor, "_processes", None) or {}
        return [p.pid for p in list(processes.values()) if p.is_alive()]

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        call = partial(fn, *args, **kwargs)
        if self._in_thread:
            return await asyncio.to_thread(call)
        for attempt in range(1, ATTEMPTS + 1):
            executor, generation = self._current()
            try:
                with _bare_main():  # the worker is started here, on first use or after a death
                    future = executor.submit(call)
                return await asyncio.wrap_future(future)
            except BrokenProcessPool:
                self._restart(generation)
                if attempt == ATTEMPTS:
                    raise CheckWorkerLost(WORKER_LOST.format(attempts=ATTEMPTS - 1)) from None
            except (AssertionError, OSError, RuntimeError) as exc:
                # No child processes here (a daemonic worker, a sandbox, interpreter shutdown):
                # the checks run in a thread from now on.
                log.warning("check worker process could not start (%s); checks run in a thread", exc)
                self._in_thread = True
                return await asyncio.to_thread(call)
        raise AssertionError("unreachable")

    def shutdown(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def _bare_main() -> Iterator[None]:
    """Start workers without the caller's __main__: spawn re-imports a script's main module in
    the child, and a script without an `if __name__ == "__main__"` guard would run its whole
    batch again there. The checks live in this package; the worker needs nothing of __main__."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


_pools: dict[int, CheckPool] = {}
_pools_lock = threading.Lock()


def check_pool(processes: int) -> CheckPool | None:
    """The process-wide pool of `processes` check workers, or None for 0 (checks in a thread)."""
    if processes <= 0:
        return None
    with _pools_lock:
        pool = _pools.get(processes)
        if pool is None:
            pool = _pools[processes] = CheckPool(processes)
        return pool


@atexit.register
def _shutdown_pools() -> None:
    for pool in list(_pools.values()):
        pool.shutdown()
