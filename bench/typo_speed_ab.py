"""Same-process A/B of content.typo's speed: another checkout's whole detector (A: its spelling.py,
charlm.py, typotables.py and its own table cache) against this one's (B), alternated per sentence
(the order alternating too), every run cache emptied before each sentence. Both variants see the
same machine load, so a few per cent show where whole processes swing by +-20% on a shared machine
(bench/typo_lookup_ab.py swaps only the lookup methods, so it cannot compare another table layout).

    python bench/typo_speed_ab.py ../main        # A: that checkout's src/govinspect

Prints CPU sentences/s of each and B/A (> 1: this checkout is faster) on texts the process never saw
(law + med held halves) and on the 公文 held half. Each variant loads its own tables (warm) first.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _load(src: Path):
    """The checkout's govinspect.checks.spelling, warmed, under aliases (its modules are moved out of
    sys.modules so the next checkout imports its own)."""
    sys.path.insert(0, str(src))
    try:
        from govinspect.checks import spelling, typotables

        spelling.warm()
        assert Path(spelling.__file__).is_relative_to(src), spelling.__file__
    finally:
        sys.path.remove(str(src))
    for name in [n for n in sys.modules if n == "govinspect" or n.startswith("govinspect.")]:
        sys.modules[f"_ab{id(src)}.{name}"] = sys.modules.pop(name)
    return spelling, typotables


def _clear(sp, tt) -> None:
    sp._WORDS_IN.clear()
    sp._cover_zipf.cache_clear()
    sp._segment_sides.cache_clear()
    tt._grid.cache_clear()


def held_sets(spelling_pairs) -> dict[str, list[str]]:
    """The sentences both A/B tools time: texts never tuned on, and the 公文 held half."""
    return {
        "never seen (law+med held)": [
            s for name in ("ecspell_law.test", "ecspell_med.test") for s, _ in spelling_pairs(name, "held")
        ],
        "公文 held": [s for s, _ in spelling_pairs("ecspell_odw.train", "held")],
    }


def alternate(label: str, sentences: list[str], prepare, names: tuple[str, str]) -> None:
    """Time A and B alternately per sentence (the order alternating too) and print both rates and
    B/A; `prepare(variant)` readies a variant (untimed) and returns the find_typos to time."""
    spent = {"A": 0.0, "B": 0.0}
    for k, s in enumerate(sentences):
        for v in "AB" if k % 2 else "BA":
            find_typos = prepare(v)
            start = time.process_time()
            find_typos(s)
            spent[v] += time.process_time() - start
    print(
        f"{label}: A ({names[0]}) {len(sentences) / spent['A']:.0f}/s, B ({names[1]}) {len(sentences) / spent['B']:.0f}/s, "
        f"B/A {spent['A'] / spent['B']:.3f}"
    )


def main(argv: list[str]) -> None:
    other = Path(argv[0]).resolve() / "src"
    a = _load(other)
    b = _load(HERE.parent / "src")
    sys.path.insert(0, str(HERE.parent / "src"))
    from detectors import spelling_pairs

    sets = held_sets(spelling_pairs)
    for label, sentences in sets.items():

        def prepare(v: str):
            sp, tt = a if v == "A" else b
            _clear(sp, tt)
            return sp.find_typos

        alternate(label, sentences, prepare, ("other", "this"))

if __name__ == "__main__":
    main(sys.argv[1:])
