"""Compact tables of content.typo: vocabulary words, masked words and homophone words in sorted
numpy arrays, read from one cache file.

Built from dictionaries of Python strings, the tables cost a check worker ~170 MB (a string and a
dict entry a word, plus what building them leaves fragmented). Here a word of 2-4 BMP characters is
one uint64 (16 bits a character, `pack`), a Zipf value a uint16 index into the few thousand distinct
values (exact: no float is rounded). The words and the masked patterns are hashed (`_Hashed`: two
candidate buckets of 8 keys a key, one cache line each, ~80% full), so a lookup reads two cache
lines where a binary search of the ~500,000 keys missed the cache a dozen times a key; a lookup is
batched over all the substrings of a run of text at once.

The cache file (`TypoTables.save`/`load`): a JSON header line (format version, the stamp of what
the tables were built from, the small tables, and each array's name, dtype, offset and length),
then the arrays' bytes, read back through mmap (the pages are the page cache's, shared by every
process that reads the same file). A file of another version or stamp is never read: it is built
again.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import math
import mmap
import os
import tempfile
from array import array
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np

FORMAT = 4  # 4: the words and the masked patterns in hashed buckets (`_Hashed`)
_ALIGN = 64
_MASK = ord("?")  # the masked character of a masked-index pattern ('大数?')


def pack(word: str) -> int:
    """A string of at most 4 BMP characters as one integer (16 bits a character); 0 for a string
    that no table holds (longer, or a character outside the BMP)."""
    data = word.encode("utf-16-be")
    if len(data) > 8 or len(data) != 2 * len(word):
        return 0
    return int.from_bytes(data, "big")


def unpack(key: int, size: int) -> str:
    return "".join(chr((key >> (16 * (size - 1 - k))) & 0xFFFF) for k in range(size))


_NONE = 0xFFFF  # a noncharacter: no word holds it (a character outside the BMP, past the text's ends)
_PAD = 3  # _grid's rows before the text's first start


_SHIFTS = np.array([32, 16, 0], dtype=np.uint64)  # a 4-character key to its first 2, 3, 4 characters


@functools.lru_cache(maxsize=4)  # the words and the masked patterns of a text read the same keys (24 bytes a character: few)
def _grid(text: str) -> np.ndarray:
    """grid[start + _PAD, size - 2]: the key (`pack`) of text[start : start + size] for sizes 2-4 and
    starts -_PAD .. len(text); a window reaching past the text or holding a character outside the
    BMP holds _NONE, so no table has its key."""
    n = len(text) + _PAD + 1  # starts
    data = text.encode("utf-16-be")
    if len(data) == 2 * len(text):
        # the 4-character windows are the text's UTF-16 (padded with _NONE) read 8 bytes at every
        # second byte; the 3- and 2-character ones are their first characters
        data = b"\xff\xff" * _PAD + data + b"\xff\xff" * 4
        fours = np.ndarray((n, 1), dtype=">u8", buffer=data, strides=(2, 8))
    else:
        c = np.array([o if o <= 0xFFFF else _NONE for o in map(ord, text)], dtype=np.uint64)
        padded = np.full(n + 3, _NONE, dtype=np.uint64)
        padded[_PAD : _PAD + len(text)] = c
        fours = np.left_shift(padded[:n], np.uint64(48))
        fours |= padded[1 : n + 1] << np.uint64(32)
        fours |= padded[2 : n + 2] << np.uint64(16)
        fours |= padded[3 : n + 3]
        fours = fours[:, None]
    return np.right_shift(fours, _SHIFTS, dtype=np.uint64)


def join_runs(runs: list[str]) -> tuple[str, list[int]]:
    """The runs joined by a character no window of a table holds (their windows are looked up at
    once), and the offset of each."""
    offsets = list(itertools.accumulate((len(r) + 1 for r in runs[:-1]), initial=0))
    return "\uffff".join(runs), offsets


def _view(a: np.ndarray) -> memoryview:
    """A memoryview of a 1-d array of unsigned ints, for fast element access from Python."""
    code = {1: "B", 2: "H", 4: "I", 8: "Q"}[a.dtype.itemsize]
    return memoryview(np.ascontiguousarray(a).view(np.uint8)).cast(code) if len(a) else memoryview(b"").cast(code)


def _find(keys: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Index of each query key in the sorted `keys`, -1 when absent."""
    if not len(keys):
        return np.full(len(query), -1, dtype=np.int64)
    idx = keys.searchsorted(query)
    return np.where(keys.take(idx, mode="clip") == query, idx, -1)


_WAYS = 3  # slots a key may be in
_LOAD = 0.85  # keys a slot (cuckoo insertion of 3 ways fills to ~0.91)
_MULTIPLIERS = np.array([[0x9E3779B97F4A7C15], [0xC2B2AE3D27D4EB4F], [0xD6E8FEB86659FD93]], dtype=np.uint64)


_U32 = np.uint64(32)


def _positions(query: np.ndarray, size: int) -> np.ndarray:
    """The slots (of `size`) each query key may be in, shape (_WAYS, len(query)): the high 32 bits
    of the key times an odd constant (multiplicative hashing, one constant a way), scaled to the
    size."""
    h = np.multiply(query, _MULTIPLIERS)
    np.right_shift(h, _U32, out=h)
    np.multiply(h, np.uint64(size), out=h)
    np.right_shift(h, _U32, out=h)
    return h


class _Hashed:
    """Unique keys in `slots`: a key is in one of its _WAYS slots (`_positions`), so a
    lookup reads three slots where a binary search of the ~500,000 keys missed the cache a dozen
    times a key. A slot no key fills holds a value whose own slots are others, so no query ever
    equals it. Built by cuckoo insertion (a key whose slots are all taken moves one of their keys
    to another of its slots), seeded: the same keys give the same layout."""

    @staticmethod
    def layout(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(slots, the slot of each key)."""
        import random

        n = len(keys)
        size = max(8, math.ceil(n / _LOAD))
        while True:
            # (flat arrays, not a list a key: building the ~600,000 patterns' layout peaks ~160 MB lower)
            ways = _view(_positions(keys, size).ravel())  # ways[w * n + k]: way w of key k
            rng = random.Random(size)
            table = array("q", [-1]) * size  # key number in each slot
            failed = False
            for k in range(n):
                item, came = k, -1
                for _step in range(2000):
                    mine = (ways[item], ways[n + item], ways[2 * n + item])
                    free = [at for at in mine if table[at] < 0]
                    if free:
                        table[free[0]] = item
                        break
                    at = rng.choice([at for at in mine if at != came] or mine)
                    item, table[at] = table[at], item  # move the key there out
                    came = at
                else:
                    failed = True
                    break
            if not failed:
                break
            size += size // 16
        slots = np.zeros(size, dtype=np.uint64)
        taken = np.frombuffer(table, dtype=np.int64)
        full = taken >= 0
        slots[full] = keys[taken[full]]
        # the fillers: two values (not keys) whose slots are disjoint; a slot holds the one whose
        # slots it is not
        values = np.arange(1 << 10, dtype=np.uint64)
        values = values[~np.isin(values, keys)]
        fillers: list[tuple[int, set[int]]] = []
        for v, own in zip(values.tolist(), _positions(values, size).T.tolist(), strict=True):
            if not fillers or not set(own) & fillers[0][1]:
                fillers.append((v, set(own)))
                if len(fillers) == 2:
                    break
        (v1, own1), (v2, _own2) = fillers
        empty = np.flatnonzero(~full)
        slots[empty] = np.where(np.isin(empty, list(own1)), np.uint64(v2), np.uint64(v1))
        where = np.empty(n, dtype=np.int64)
        where[taken[full]] = np.flatnonzero(full)
        return slots, where

    @staticmethod
    def probe(slots: np.ndarray, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(indexes of the query keys found, in order; their slots)."""
        at = _positions(query, len(slots))
        eq = slots.take(at) == query
        found = eq.any(0).nonzero()[0]
        at *= eq  # the slot where the key is, 0 elsewhere
        return found, at.max(0)[found]


_MULTIPLIERS_INT = [int(m) for m in _MULTIPLIERS[:, 0]]


def _slot_finder(slots: np.ndarray):
    """slot_of(key): the slot of one key in the hashed `slots` (`_Hashed`), -1 when absent; in
    Python (a numpy call costs more than the few operations of one key)."""
    view = _view(slots)
    size = len(slots)
    mask = (1 << 64) - 1
    m1, m2, m3 = _MULTIPLIERS_INT

    def slot_of(key: int) -> int:
        for m in (m1, m2, m3):
            at = ((key * m & mask) >> 32) * size >> 32
            if view[at] == key:
                return at
        return -1

    return slot_of


class WordTable(Mapping):
    """word -> Zipf for words of 2-4 characters, as a read-only dict (iterated in the order the
    words were added). `keys` are the hashed slots (`_Hashed`), `zidx` the Zipf index of each slot's
    word, `order` the slot of each word in the order they were added."""

    def __init__(self, keys: np.ndarray, zidx: np.ndarray, zvals: list[float], order: np.ndarray):
        self.keys, self.zidx, self.zvals, self.order = keys, zidx, zvals, order
        self._slot = _slot_finder(keys)
        self._zidx = _view(zidx)
        self._zipfs = np.array(zvals, dtype=np.float64)  # (the same floats as zvals)

    @classmethod
    def build(cls, words: dict[str, float]) -> WordTable:
        zvals = sorted(set(words.values()))
        at = {z: k for k, z in enumerate(zvals)}
        keys = np.array([pack(w) for w in words], dtype=np.uint64)
        if len(keys) and not keys.all():
            raise ValueError("a word of the vocabulary has a character outside the BMP or is too long")
        if len(np.unique(keys)) != len(keys):
            raise ValueError("duplicate words")
        zidx = np.array([at[z] for z in words.values()], dtype=np.uint16 if len(zvals) < 1 << 16 else np.uint32)
        slots, where = _Hashed.layout(keys)
        by_slot = np.zeros(len(slots), dtype=zidx.dtype)
        by_slot[where] = zidx
        return cls(slots, by_slot, zvals, where.astype(np.uint32))  # where[k]: slot of the k-th word

    def arrays(self) -> dict[str, np.ndarray]:
        return {"keys": self.keys, "zidx": self.zidx, "order": self.order}

    # -- the dict interface --

    def get(self, word: str, default=None):
        key = pack(word)
        at = self._slot(key) if key else -1
        return self.zvals[self._zidx[at]] if at >= 0 else default

    def __getitem__(self, word: str) -> float:
        z = self.get(word)
        if z is None:
            raise KeyError(word)
        return z

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __len__(self) -> int:
        return len(self.order)

    def __iter__(self) -> Iterator[str]:
        keys = self.keys
        for i in self.order.tolist():
            key = int(keys[i])
            yield unpack(key, (key.bit_length() + 15) // 16)

    def items(self):  # faster than Mapping's: one pass
        zvals = self.zvals
        keys, zidx = self.keys.tolist(), self.zidx.tolist()
        for i in self.order.tolist():
            key = keys[i]
            yield unpack(key, (key.bit_length() + 15) // 16), zvals[zidx[i]]

    # -- batched lookups --

    def zipfs(self, query: np.ndarray) -> tuple[np.ndarray, list[float]]:
        """(positions of the query keys found, their Zipf values)."""
        hit, slot = _Hashed.probe(self.keys, query)
        zvals = self.zvals
        return hit, [zvals[j] for j in self.zidx.take(slot).tolist()]

    def lookup(self, keys: list[int]) -> list[float | None]:
        """The Zipf of each key (`pack`), None when absent (0 is never a word)."""
        out: list[float | None] = [None] * len(keys)
        hit, zs = self.zipfs(np.array(keys, dtype=np.uint64))
        for k, z in zip(hit.tolist(), zs, strict=True):
            if keys[k]:
                out[k] = z
        return out

    def words_in(self, text: str) -> list[tuple[int, int, float]]:
        """(start, end, Zipf) of every word of 2-4 characters written in `text`, by start, then
        end."""
        return self.words_in_runs([text])[0]

    def words_in_runs(self, runs: list[str]) -> list[list[tuple[int, int, float]]]:
        """words_in of each of `runs`, all looked up at once."""
        text, offsets = join_runs(runs)
        n = len(text)
        if n < 2:
            return [[] for _ in runs]
        query = _grid(text)[_PAD : _PAD + n].ravel()  # by start, then size
        hit, slot = _Hashed.probe(self.keys, query)
        if not len(hit):
            return [[] for _ in runs]
        zipfs = self._zipfs.take(self.zidx.take(slot)).tolist()
        hits = hit.tolist()  # start * 3 + size - 2 (a few dozen: in Python, numpy calls cost more)
        if len(runs) == 1:
            return [[(f // 3, f // 3 + f % 3 + 2, z) for f, z in zip(hits, zipfs, strict=True)]]
        # each run's words (no window reaches over the character joining two runs)
        out = []
        lo = 0
        for first, nxt in zip(offsets, [*offsets[1:], n], strict=True):
            hi = bisect.bisect_left(hits, 3 * nxt, lo)
            out.append([
                (f // 3 - first, f // 3 - first + f % 3 + 2, z) for f, z in zip(hits[lo:hi], zipfs[lo:hi], strict=True)
            ])
            lo = hi
        return out


class MaskedIndex:
    """'大数?' -> the characters that make a word of the pattern ('据': 大数据, with its Zipf): every
    word of a vocabulary with one character masked. Per pattern, the fills of the common words
    (Zipf at least `common`) come first, then the others, each in the order the words were added;
    `get` (a dict, as the detector's proposals read it) holds the common ones only."""

    def __init__(self, patterns, starts, common, chars, zidx, zvals, fills: str | None = None):
        self.patterns = patterns  # hashed pattern keys (`pack`, '?' at the masked place; `_Hashed`)
        # per slot of `patterns`: its fills are chars[starts[k] : starts[k + 1]] (none for a slot no
        # pattern fills), the first common[k] of them common
        self.starts, self.common, self.chars, self.zidx = starts, common, chars, zidx
        self.zvals = zvals
        self._slot = _slot_finder(patterns)
        # element access from Python: memoryviews (a numpy scalar costs ~10 times more), the fills
        # as one string (a slice of it costs less than decoding the slice each time)
        self._starts = _view(starts)
        self._common = _view(common)
        self._zidx = _view(zidx)
        if fills is None:
            fills = str(chars.view(np.uint8), "utf-16-le") if len(chars) else ""
        self._fills = fills  # = chars, decoded
        self._at_least: dict[float, bytes] = {}

    @classmethod
    def build(cls, words: dict[str, float], zvals: list[float], common: float) -> MaskedIndex:
        at = {z: k for k, z in enumerate(zvals)}
        index: dict[int, list[list[tuple[int, int]]]] = {}
        for word, z in words.items():
            entry = (ord(word[0]), at[z])
            for i in range(len(word)):
                groups = index.setdefault(pack(word[:i] + "?" + word[i + 1 :]), [[], []])
                groups[z < common].append((ord(word[i]), entry[1]))
        keys = sorted(index)
        if keys and not keys[0]:
            raise ValueError("a masked pattern outside the BMP")
        slots, where = _Hashed.layout(np.array(keys, dtype=np.uint64))
        fills = [0] * len(slots)  # per slot: how many fills, how many of them common
        counts = [0] * len(slots)
        chars, zidx = [], []
        for j in np.argsort(where).tolist():  # the patterns in the order of their slots
            first, rest = index[keys[j]]
            k = int(where[j])
            counts[k], fills[k] = len(first), len(first) + len(rest)
            for ch, z in first + rest:
                chars.append(ch)
                zidx.append(z)
        starts = [0, *itertools.accumulate(fills)]
        wide = len(zvals) >= 1 << 16
        return cls(
            slots, np.array(starts, dtype=np.uint32), np.array(counts, dtype=np.uint16 if max(counts, default=0) < 1 << 16 else np.uint32),
            np.array(chars, dtype="<u2"), np.array(zidx, dtype=np.uint32 if wide else np.uint16), zvals,
        )

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "patterns": self.patterns, "starts": self.starts, "common": self.common, "chars": self.chars,
            "zidx": self.zidx,
        }

    def find(self, query: np.ndarray) -> np.ndarray:
        """The slot of each query pattern, -1 when absent."""
        out = np.full(len(query), -1, dtype=np.int64)
        hit, slot = _Hashed.probe(self.patterns, query)
        out[hit] = slot
        return out

    def fill_chars(self, found: int) -> tuple[str, int, int]:
        """(the fill characters of the pattern in slot `found`, how many first are common, index of
        its first fill)."""
        lo = self._starts[found]
        return self._fills[lo : self._starts[found + 1]], self._common[found], lo

    def zipf(self, fill: int) -> float:
        """Zipf of the word of fill number `fill`."""
        return self.zvals[self._zidx[fill]]

    def at_least(self, zipf: float) -> bytes:
        """One byte a fill, 1 where its word is at least `zipf` common: selectors for
        itertools.compress (a filter of a pattern's fills in C, not a Python loop a fill)."""
        mask = self._at_least.get(zipf)
        if mask is None:
            common = np.asarray(self.zvals, dtype=np.float64) >= zipf
            mask = self._at_least[zipf] = common[self.zidx].astype(np.uint8).tobytes()
        return mask

    # (size, i - start) of the windows of 2-4 characters around position i: the longest first, then
    # by start (the order content.typo reads them in)
    _AROUND = ((4, 3), (4, 2), (4, 1), (4, 0), (3, 2), (3, 1), (3, 0), (2, 1), (2, 0))
    _ROWS = np.array([_PAD - d for _, d in _AROUND], dtype=np.int64)  # grid row of the window of i: i + this
    _COLS = np.array([size - 2 for size, _ in _AROUND], dtype=np.int64)
    _CLEAR = np.array([~(0xFFFF << (16 * (s - 1 - d))) & (1 << 64) - 1 for s, d in _AROUND], dtype=np.uint64)
    _SET = np.array([_MASK << (16 * (s - 1 - d)) for s, d in _AROUND], dtype=np.uint64)

    def around(self, text: str, positions: list[int]) -> dict[int, list[tuple[int, int, str, int, int]]]:
        """position -> [(size, start, fill characters, how many first are common, first fill)] of
        the windows of `text` around it whose pattern (the window with the position masked) is in
        the index, in `_AROUND` order."""
        return self.around_runs([text], [positions])[0]

    def around_runs(
        self, runs: list[str], positions: list[list[int]]
    ) -> list[dict[int, list[tuple[int, int, str, int, int]]]]:
        """around() of each run at its positions: every window of every position looked up at once."""
        out: list[dict[int, list[tuple[int, int, str, int, int]]]] = [{} for _ in runs]
        text, offsets = join_runs(runs)
        at = [(r, i, offsets[r] + i) for r, ps in enumerate(positions) for i in ps]
        if len(text) < 2 or not at:
            return out
        cols = np.array([p for _, _, p in at], dtype=np.int64)[:, None] + self._ROWS
        query = ((_grid(text)[cols, self._COLS] & self._CLEAR) | self._SET).ravel()
        hits, slots = _Hashed.probe(self.patterns, query)
        if not len(hits):
            return out
        width = len(self._AROUND)
        fills, around = self._fills, self._AROUND
        for f, lo, hi, common in zip(
            hits.tolist(), self.starts.take(slots).tolist(), self.starts[1:].take(slots).tolist(),
            self.common.take(slots).tolist(), strict=True,
        ):
            r, i, _p = at[f // width]
            size, back = around[f % width]
            out[r].setdefault(i, []).append((size, i - back, fills[lo:hi], common, lo))
        return out

    # -- the proposals' dict: '大数?' -> {'据': ('大数据', Zipf)} of the common words --

    def get(self, pattern: str, default=None):
        key = pack(pattern)
        found = self._slot(key) if key else -1
        if found < 0:
            return default
        chars, common, first = self.fill_chars(found)
        at = pattern.index("?")
        fills = {ch: (pattern[:at] + ch + pattern[at + 1 :], self.zipf(first + k)) for k, ch in enumerate(chars[:common])}
        return fills or default

    def __getitem__(self, pattern: str):
        fills = self.get(pattern)
        if fills is None:
            raise KeyError(pattern)
        return fills

    def __contains__(self, pattern: object) -> bool:
        return isinstance(pattern, str) and self.get(pattern) is not None

    def __len__(self) -> int:
        return int(np.count_nonzero(np.diff(self.starts)))  # every pattern has a fill


class HomophoneIndex:
    """'jue ding' -> (('决定', 5.76), ...): words by the toneless readings of their characters, each
    reading a small number (`syllables`), a key of up to 4 of them one uint64."""

    def __init__(self, syllables: dict[str, int], keys, starts, words, zidx, zvals):
        self.syllables = syllables
        self.keys, self.starts, self.words, self.zidx, self.zvals = keys, starts, words, zidx, zvals
        self._keys, self._starts, self._zidx = _view(keys), _view(starts), _view(zidx)
        # every word as 4 characters (its packed key's, big-endian: a shorter word after '\0's)
        self._text = str(words.astype(">u8").tobytes(), "utf-16-be")

    @classmethod
    def build(
        cls, index: dict[str, tuple[tuple[str, float], ...]], readings: Iterator[str], zvals: list[float]
    ) -> HomophoneIndex:
        syllables = {r: k + 1 for k, r in enumerate(sorted(set(readings)))}
        at = {z: k for k, z in enumerate(zvals)}
        rows = sorted((cls._key(syllables, key.split(" ")), words) for key, words in index.items())
        starts, words, zidx = [0], [], []
        for _key, group in rows:
            for word, z in group:
                words.append(pack(word))
                zidx.append(at[z])
            starts.append(len(words))
        return cls(
            syllables, np.array([k for k, _ in rows], dtype=np.uint64), np.array(starts, dtype=np.uint32),
            np.array(words, dtype=np.uint64), np.array(zidx, dtype=np.uint16 if len(zvals) < 1 << 16 else np.uint32),
            zvals,
        )

    @staticmethod
    def _key(syllables: dict[str, int], parts: list[str]) -> int:
        key = 0
        for p in parts:
            key = (key << 16) | syllables[p]
        return key

    def arrays(self) -> dict[str, np.ndarray]:
        return {"keys": self.keys, "starts": self.starts, "words": self.words, "zidx": self.zidx}

    def find(self, query: np.ndarray) -> np.ndarray:
        return _find(self.keys, query)

    def find_keys(self, keys: list[int]) -> list[int]:
        """Index of each key (`_key` of syllable numbers) among the index's, -1 when absent."""
        view = self._keys
        n = len(view)
        at = self.keys.searchsorted(np.array(keys, dtype=np.uint64)).tolist()
        return [i if i < n and view[i] == k else -1 for i, k in zip(at, keys, strict=True)]

    def words_of(self, found: int, size: int) -> tuple[tuple[str, float], ...]:
        text, zvals, zidx = self._text, self.zvals, self._zidx
        return tuple(
            (text[4 * j + 4 - size : 4 * j + 4], zvals[zidx[j]]) for j in range(self._starts[found], self._starts[found + 1])
        )

    def get(self, reading: str, default=None):
        parts = reading.split(" ")
        if len(parts) > 4 or any(p not in self.syllables for p in parts):
            return default
        found = int(self.find(np.array([self._key(self.syllables, parts)], dtype=np.uint64))[0])
        return self.words_of(found, len(parts)) if found >= 0 else default

    def __len__(self) -> int:
        return len(self.keys)


class TypoTables:
    """Everything content.typo reads, as loaded from the cache (or just built)."""

    def __init__(self, words: WordTable, masked: MaskedIndex, homophones: HomophoneIndex, small: dict):
        self.words, self.masked, self.homophones = words, masked, homophones
        self.chars: dict[str, float] = small["chars"]
        self.readings: dict[str, tuple[str, ...]] = {c: tuple(rs) for c, rs in small["readings"].items()}
        self.confusions: dict[str, tuple[str, int, int]] = {c: tuple(v) for c, v in small["confusions"].items()}
        self.learned_pairs = tuple(tuple(p) for p in small["learned_pairs"])
        self.common_pairs = tuple(tuple(p) for p in small["common_pairs"])

    def save(self, path: Path, stamp: str) -> None:
        arrays = {}
        for prefix, table in (("words", self.words), ("masked", self.masked), ("homophones", self.homophones)):
            arrays.update({f"{prefix}.{k}": np.ascontiguousarray(v) for k, v in table.arrays().items()})
        small = {
            "chars": self.chars,
            "readings": self.readings,
            "confusions": self.confusions,
            "learned_pairs": self.learned_pairs,
            "common_pairs": self.common_pairs,
            "zvals": self.words.zvals,
            "syllables": self.homophones.syllables,
        }
        layout, offset = [], 0
        for name, a in arrays.items():
            layout.append([name, a.dtype.str, offset, len(a)])
            offset += -(-a.nbytes // _ALIGN) * _ALIGN
        header = json.dumps(
            {"format": FORMAT, "stamp": stamp, "arrays": layout, "small": small}, ensure_ascii=False
        ).encode()
        start = -(-(len(header) + 1) // _ALIGN) * _ALIGN
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(header + b"\n" + b"\0" * (start - len(header) - 1))
                for (_name, _dtype, at, _n), a in zip(layout, arrays.values(), strict=True):
                    fh.seek(start + at)
                    fh.write(a.tobytes())
                fh.truncate(start + offset)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path, stamp: str) -> TypoTables | None:
        """The tables of the cache file at `path`, None when it is missing, of another format or
        stamp, or damaged."""
        try:
            with open(path, "rb") as fh:
                line = fh.readline()
                header = json.loads(line)
                if header.get("format") != FORMAT or header.get("stamp") != stamp:
                    return None
                start = -(-len(line) // _ALIGN) * _ALIGN
                data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
                arrays, places = {}, {}
                for name, dtype, at, n in header["arrays"]:
                    dt = np.dtype(dtype)
                    if start + at + n * dt.itemsize > len(data):
                        return None
                    arrays[name] = np.frombuffer(data, dtype=dt, count=n, offset=start + at)
                    places[name] = (start + at, n * dt.itemsize)
                # the fill characters decoded from the file, not the mapping (its pages would stay
                # in the process's resident memory, unread)
                at, size = places["masked.chars"]
                fills = str(os.pread(fh.fileno(), size, at), "utf-16-le")
            small = header["small"]
            zvals = [float(z) for z in small["zvals"]]
            words = WordTable(arrays["words.keys"], arrays["words.zidx"], zvals, arrays["words.order"])
            masked = MaskedIndex(
                arrays["masked.patterns"], arrays["masked.starts"], arrays["masked.common"], arrays["masked.chars"],
                arrays["masked.zidx"], zvals, fills,
            )
            homophones = HomophoneIndex(
                small["syllables"], arrays["homophones.keys"], arrays["homophones.starts"],
                arrays["homophones.words"], arrays["homophones.zidx"], zvals,
            )
            return cls(words, masked, homophones, small)
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None
