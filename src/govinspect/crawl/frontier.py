"""Crawl state on disk for very large sites: the frontier and the link records, in one scratch
SQLite file (stdlib sqlite3, no journal: the file is thrown away with the crawl).

`Frontier` is the breadth-first queue of a crawl that follows links: each URL enters once (its
canonical form is the key) and leaves in the order it entered. A URL stays queued until it is
marked done with its outcome (HTTP status, error): a frontier reopened from its file gives back
what was still to do, and the outcomes of followed pages never need to be held in memory.

`LinkBook` holds the distinct links met while crawling, with the pages they were met on (capped)
and their first anchor text: in memory while small, moved to the scratch file past `spill_at`.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

QUEUED, DONE = 0, 1
_BATCH = 1000  # buffered writes per transaction
_SQL_VARS = 500  # keys per "IN (...)" query, well under SQLite's variable limit
SPILL_AT = 20_000  # distinct links kept in memory before the link book moves to disk


class ScratchFile:
    """A SQLite file for one crawl's state. `path=None`: a temporary file that `close()` deletes."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.owned = path is None
        if path is None:
            fd, name = tempfile.mkstemp(prefix="govinspect-crawl-", suffix=".sqlite")
            os.close(fd)
            path = name
        self.path = Path(path)
        self.db = sqlite3.connect(self.path, isolation_level=None)  # transactions are explicit
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "temp_store=MEMORY", "cache_size=-8000"):
            self.db.execute(f"PRAGMA {pragma}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        if self.db is None:
            return
        self.db.close()
        self.db = None  # type: ignore[assignment]
        if self.owned:
            self.path.unlink(missing_ok=True)


# -- frontier --------------------------------------------------------------------------------------

# The queue order is the rowid: SQLite gives each new row max(rowid) + 1 and a duplicate dropped by
# INSERT OR IGNORE takes none. take() walks the rowids forward, so no other index is needed.
_FRONTIER = """
CREATE TABLE IF NOT EXISTS frontier (
    key TEXT PRIMARY KEY,      -- canonical URL: the seen-set
    url TEXT NOT NULL,         -- the URL as found, the one requested
    depth INTEGER NOT NULL,    -- links followed from the pages the crawl started from
    state INTEGER NOT NULL,    -- 0 queued, 1 done
    status INTEGER,            -- outcome once done
    error TEXT
)
"""


class Frontier:
    """FIFO of URLs with de-duplication, in a scratch SQLite file.

    Additions and outcomes are buffered and written in batches; every read sees them.
    """

    def __init__(self, path: str | Path | None = None, scratch: ScratchFile | None = None) -> None:
        self._own_scratch = scratch is None
        self.scratch = scratch or ScratchFile(path)
        self.scratch.db.execute(_FRONTIER)
        self._adds: list[tuple[str, str, int]] = []
        self._outcomes: list[tuple[int | None, str | None, str, str]] = []
        self._cursor = 0  # rowid of the last row handed out by take()

    def add(self, key: str, url: str, depth: int = 0) -> None:
        """Queue `url` (canonical form `key`) unless it was ever queued before."""
        self._adds.append((key, url, depth))
        if len(self._adds) >= _BATCH:
            self.flush()

    def finish(self, key: str, status: int | None, error: str | None, url: str = "") -> None:
        """Record the outcome of `key`: it is done. A key never queued (a redirect target) is added."""
        self._outcomes.append((status, error, key, url or key))
        if len(self._outcomes) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        adds, outcomes = self._adds, self._outcomes
        if not adds and not outcomes:
            return
        self._adds, self._outcomes = [], []
        with self.scratch.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO frontier (key, url, depth, state) VALUES (?, ?, ?, 0)", adds
            )
            db.executemany(
                "INSERT INTO frontier (key, url, depth, state, status, error) VALUES (?3, ?4, -1, 1, ?1, ?2)"
                " ON CONFLICT (key) DO UPDATE SET state = 1, status = ?1, error = ?2",
                outcomes,
            )

    def take(self, n: int = 1) -> list[tuple[str, str, int]]:
        """Up to `n` queued (key, url, depth), oldest first, not handed out before by this object."""
        self.flush()
        rows = self.scratch.db.execute(
            "SELECT key, url, depth, rowid FROM frontier WHERE rowid > ? AND state = 0 ORDER BY rowid LIMIT ?",
            (self._cursor, n),
        ).fetchall()
        if rows:
            self._cursor = rows[-1][3]
        return [(key, url, depth) for key, url, depth, _ in rows]

    def outcome(self, key: str) -> tuple[int | None, str | None] | None:
        """(status, error) of a done key, else None."""
        self.flush()
        row = self.scratch.db.execute(
            "SELECT status, error FROM frontier WHERE key = ? AND state = 1", (key,)
        )
        found = row.fetchone()
        return None if found is None else (found[0], found[1])

    def __contains__(self, key: object) -> bool:
        self.flush()
        return self.scratch.db.execute("SELECT 1 FROM frontier WHERE key = ?", (key,)).fetchone() is not None

    def __len__(self) -> int:
        """Keys ever queued or finished."""
        self.flush()
        return self.scratch.db.execute("SELECT COUNT(*) FROM frontier").fetchone()[0]

    def queued(self) -> int:
        """Keys not done yet, handed out or not."""
        self.flush()
        return self.scratch.db.execute("SELECT COUNT(*) FROM frontier WHERE state = 0").fetchone()[0]

    def close(self) -> None:
        if self.scratch.db is None:
            return
        self.flush()
        if self._own_scratch:
            self.scratch.close()

    def __enter__(self) -> Frontier:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- link records ----------------------------------------------------------------------------------

_LINKS = """
CREATE TABLE IF NOT EXISTS links (
    key TEXT PRIMARY KEY,      -- canonical URL
    url TEXT NOT NULL,         -- as first met
    anchor TEXT NOT NULL,      -- first non-empty link text
    sources TEXT NOT NULL,     -- pages it was met on, one per line, at most max_sources
    n INTEGER NOT NULL         -- lines in sources
)
"""


@dataclass
class LinkRecord:
    url: str  # as first met
    sources: list[str] = field(default_factory=list)
    anchor: str = ""


MetLink = tuple[str, str, str]  # (canonical key, URL as found, anchor text)


class LinkBook:
    """Distinct links met while crawling: key -> LinkRecord, in memory up to `spill_at` links and
    in a scratch SQLite file (from `scratch()`) after that. Records read back from disk are copies."""

    def __init__(
        self,
        scratch: Callable[[], ScratchFile],
        max_sources: int = 50,
        spill_at: int = SPILL_AT,
    ) -> None:
        self._scratch_factory = scratch
        self.max_sources = max_sources
        self.spill_at = spill_at
        self._memory: dict[str, LinkRecord] | None = {}
        self._db: sqlite3.Connection | None = None
        self._count = 0
        # On disk: links whose record can no longer change (sources full, anchor known). A nav
        # link is on every page; this spares the database most of each page's links.
        self._settled: set[str] = set()

    @property
    def on_disk(self) -> bool:
        return self._memory is None

    def __len__(self) -> int:
        return self._count

    def meet(self, source: str, links: list[MetLink]) -> list[MetLink]:
        """Record the links found on page `source`; returns those never met before, in page order."""
        new = (
            self._meet_in_memory(source, links)
            if self._memory is not None
            else self._meet_on_disk(source, links)
        )
        self._count += len(new)
        if self._memory is not None and len(self._memory) > self.spill_at:
            self._spill()
        return new

    def _meet_in_memory(self, source: str, links: list[MetLink]) -> list[MetLink]:
        assert self._memory is not None
        new: list[MetLink] = []
        for key, url, anchor in links:
            record = self._memory.get(key)
            if record is None:
                record = self._memory[key] = LinkRecord(url)
                new.append((key, url, anchor))
            if len(record.sources) < self.max_sources and source not in record.sources:
                record.sources.append(source)
            if anchor and not record.anchor:
                record.anchor = anchor
        return new

    def _meet_on_disk(self, source: str, links: list[MetLink]) -> list[MetLink]:
        assert self._db is not None
        first: dict[str, MetLink] = {}  # key -> first occurrence on this page, first non-empty anchor
        for key, url, anchor in links:
            if key in self._settled:
                continue
            seen = first.get(key)
            if seen is None:
                first[key] = (key, url, anchor)
            elif anchor and not seen[2]:
                first[key] = (key, seen[1], anchor)
        known: dict[str, tuple[int, str]] = {}  # key -> (sources listed, anchor) of links met before
        keys = list(first)
        for i in range(0, len(keys), _SQL_VARS):
            chunk = keys[i : i + _SQL_VARS]
            query = f"SELECT key, n, anchor FROM links WHERE key IN ({','.join('?' * len(chunk))})"
            known.update((key, (n, anchor)) for key, n, anchor in self._db.execute(query, chunk))
        new = [first[key] for key in keys if key not in known]
        grow = [(source, key) for key, (n, _) in known.items() if n < self.max_sources]
        self._settled.update(
            key for key, (n, anchor) in known.items() if n >= self.max_sources and (anchor or first[key][2])
        )
        named = [(first[key][2], key) for key, (_, anchor) in known.items() if not anchor and first[key][2]]
        with self.scratch.transaction() as db:
            db.executemany(
                "INSERT INTO links (key, url, anchor, sources, n) VALUES (?, ?, ?, ?, 1)",
                ((key, url, anchor, source) for key, url, anchor in new),
            )
            # A page listed already (a rendered page recorded again) is not listed twice.
            db.executemany(
                "UPDATE links SET sources = sources || char(10) || ?1, n = n + 1 WHERE key = ?2"
                " AND instr(char(10) || sources || char(10), char(10) || ?1 || char(10)) = 0",
                grow,
            )
            db.executemany("UPDATE links SET anchor = ? WHERE key = ?", named)
        return new

    def _spill(self) -> None:
        assert self._memory is not None
        self.scratch = self._scratch_factory()
        self.scratch.db.execute(_LINKS)
        self._db = self.scratch.db
        with self.scratch.transaction() as db:
            db.executemany(
                "INSERT INTO links (key, url, anchor, sources, n) VALUES (?, ?, ?, ?, ?)",
                (
                    (key, r.url, r.anchor, "\n".join(r.sources), len(r.sources))
                    for key, r in self._memory.items()
                ),
            )
        self._memory = None

    def get(self, key: str) -> LinkRecord | None:
        if self._memory is not None:
            return self._memory.get(key)
        assert self._db is not None
        row = self._db.execute("SELECT url, anchor, sources FROM links WHERE key = ?", (key,)).fetchone()
        return None if row is None else LinkRecord(row[0], row[2].split("\n"), row[1])

    def items(self) -> Iterator[tuple[str, LinkRecord]]:
        """(key, record) in the order links were first met."""
        if self._memory is not None:
            yield from list(self._memory.items())
            return
        assert self._db is not None
        names: dict[str, str] = {}  # one string object per source page, however many links share it
        rows = self._db.execute("SELECT key, url, anchor, sources FROM links ORDER BY rowid")
        for key, url, anchor, sources in _iterate(rows):
            listed = [names.setdefault(s, s) for s in sources.split("\n")]
            yield key, LinkRecord(url, listed, anchor)

    def values(self) -> Iterator[LinkRecord]:
        return (record for _, record in self.items())

    def keys(self) -> Iterator[str]:
        return (key for key, _ in self.items())


def _iterate(cursor: sqlite3.Cursor, size: int = 1000) -> Iterator[tuple]:
    while rows := cursor.fetchmany(size):
        yield from rows
