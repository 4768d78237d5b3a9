"""Every candidate repair of content.typo (all its fields and its score), every whole-word candidate,
every suspect (floor 0) and every finding, on both halves of the five shared spelling sets (sources
and corrected lines, without and with the half read as one site): a speed change must leave this
dump byte-identical.

    python bench/typo_dump.py /tmp/before.txt   # then, after the change: ... /tmp/after.txt; cmp
"""

from __future__ import annotations

import sys
from dataclasses import astuple
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from detectors import SPELLING_SETS, spelling_pairs  # noqa: E402
from govinspect.checks import spelling as sp  # noqa: E402
from govinspect.checks.content import typo_text_findings  # noqa: E402


def main(argv: list[str]) -> None:
    sp.warm()
    with open(argv[0], "w", encoding="utf-8") as out:
        for name in SPELLING_SETS.values():
            for part in ("tune", "held"):
                pairs = spelling_pairs(name, part)
                lines = list(dict.fromkeys([s for s, _ in pairs] + [t for _, t in pairs]))
                for site in (None, sp.SiteVocabulary(s for s, _ in pairs)):
                    tag = f"{name}/{part}/{'site' if site else '-'}"
                    for text in lines:
                        out.write(f"# {tag} {text}\n")
                        for c in sp.candidates(text, site):
                            out.write(f"C {astuple(c)!r} {sp.score(c)!r}\n")
                        for w in sp.word_candidates(text, site):
                            out.write(f"W {astuple(w)!r} {sp.word_score(w)!r}\n")
                        for t in sp.find_typos(text, site, floor=0.0):
                            out.write(f"T {t!r}\n")
                        for f in typo_text_findings(text, site):
                            out.write(f"F {f!r}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
