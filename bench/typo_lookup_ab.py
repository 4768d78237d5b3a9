"""Same-process A/B of content.typo's table lookups: another checkout's typotables.py (A) against
this one's (B), alternated per sentence (the order alternating too), the run caches emptied before
each run. Both variants see the same machine load, so a few per cent show; timing whole processes
against each other on a shared machine swings by +-20% (speed changes of the lookups, issue 13).

    python bench/typo_lookup_ab.py ../main/src/govinspect/checks/typotables.py
    python bench/typo_lookup_ab.py OTHER/typotables.py around_runs     # only that method swapped
    python bench/typo_lookup_ab.py --free [words_in_runs ...]   # B: the answers from a dict filled
                                                                 # in a first pass (free lookups)

Prints sentences/s (CPU time) of each variant and B/A (> 1: this checkout is faster), on texts the
process never saw (law + med held halves) and on the 公文 held half. Only the methods swap: both
variants read this checkout's tables and spelling.py. `--free` bounds what faster lookups can gain:
B answers each call from a dict of the answers of a first pass (A: this checkout's lookups).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from detectors import spelling_pairs  # noqa: E402
from govinspect.checks import spelling as sp  # noqa: E402
from govinspect.checks import typotables as tt  # noqa: E402
from typo_speed_ab import alternate, held_sets  # noqa: E402

METHODS = {
    "words_in_runs": "WordTable", "around_runs": "MaskedIndex", "words_of": "HomophoneIndex", "find_keys": "HomophoneIndex"
}


def _answered(method):
    """`method` answered from a dict of its answers (filled on first call)."""
    answers: dict = {}

    def free(self, *args):
        key = tuple(
            a if isinstance(a, int) else tuple(map(tuple, a)) if a and isinstance(a[0], list) else tuple(a)
            for a in args
        )
        got = answers.get(key)
        if got is None:
            got = answers[key] = method(self, *args)
        return got

    return free


def main(argv: list[str]) -> None:
    free = argv[0] == "--free"
    other = tt
    if not free:
        spec = importlib.util.spec_from_file_location("other_typotables", argv[0])
        other = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(other)
        if other.FORMAT != tt.FORMAT:  # its methods would read this checkout's tables in another layout
            sys.exit(f"{argv[0]}: table format {other.FORMAT}, this checkout's is {tt.FORMAT}: use bench/typo_speed_ab.py")
    swapped = argv[1:] or list(METHODS)
    theirs = {n: getattr(other, c).__dict__[n] for n, c in METHODS.items()}
    ours = {n: getattr(tt, c).__dict__[n] for n, c in METHODS.items()}
    if free:
        ours = {n: _answered(m) for n, m in ours.items()}

    def use(variant: str) -> None:
        for n, c in METHODS.items():
            setattr(getattr(tt, c), n, ours[n] if variant == "B" and n in swapped else theirs[n])

    def clear() -> None:
        sp._WORDS_IN.clear()
        sp._cover_zipf.cache_clear()
        sp._segment_sides.cache_clear()
        tt._grid.cache_clear()
        other._grid.cache_clear()

    sp.warm()
    use("B")
    for s, _ in spelling_pairs("ecspell_odw.train", "tune"):  # as a worker that has read some pages
        sp.find_typos(s)
    for label, sentences in held_sets(spelling_pairs).items():
        if free:  # the answers B reads
            use("B")
            for s in sentences:
                clear()
                sp.find_typos(s)

        def prepare(v: str):
            use(v)
            clear()
            return sp.find_typos

        alternate(label, sentences, prepare, ("this", "free") if free else ("other", "this"))
    use("B")


if __name__ == "__main__":
    main(sys.argv[1:])
