"""Build src/govinspect/checks/lexicons/learned_pairs.txt: the character confusions (wrong -> right)
that 公文 writers actually made, learnt from the TUNING half of ECSpell's 公文 training split.

    python bench/learn_confusions.py

Only the even lines (0-based) of ecspell_odw.train are read: the odd lines are the held-out half
(bench/detectors.py), and the law, medical and SIGHAN sets are never used for training.
"""

from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (ROOT.parent / "shared" / "realpages" / "spelling", ROOT / "tests" / "fixtures" / "spelling")
OUT = ROOT / "src" / "govinspect" / "checks" / "lexicons" / "learned_pairs.txt"
HEADER = """\
# Character confusions wrong->right with their count, one a line ("wrong right count"), learnt by
# bench/learn_confusions.py from the corrections of the even (tuning) lines of ECSpell's 公文
# training split. Origin: github:aopolin-lv/ECSpell@025bf43f Data/domains_data/odw.train (MIT
# licence, see ECSPELL_LICENSE.txt). The odd lines are held out; no other set is used.
"""


def learned_pairs(path: Path) -> Counter[tuple[str, str]]:
    pairs: Counter[tuple[str, str]] = Counter()
    for k, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        parts = line.split("\t")
        if k % 2 or len(parts) < 3 or len(parts[1]) != len(parts[2]):
            continue
        pairs.update((a, b) for a, b in zip(parts[1], parts[2], strict=True) if a != b)
    return pairs


def main() -> None:
    path = next(p / "ecspell_odw.train" for p in SOURCES if (p / "ecspell_odw.train").exists())
    pairs = learned_pairs(path)
    rows = sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))
    lines = [f"{a} {b} {n}" for (a, b), n in rows if "\u4e00" <= a <= "\u9fff" and "\u4e00" <= b <= "\u9fff"]
    OUT.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} pairs -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
