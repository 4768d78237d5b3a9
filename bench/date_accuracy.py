"""Publication-date accuracy of `extract_article_date` on the hand-labelled cwced pages.

    python bench/date_accuracy.py [--realpages ../shared/realpages] [-v]

Labels with a full day ("2005-5-7 21:23:57") are scored on the exact day; labels that give only a
year or a month ("2018", "1998-3") are scored on that prefix; UNKNOWN and empty labels are skipped.
htmldate runs on the same pages when it is installed, for comparison.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from pathlib import Path

from govinspect.extract import extract_article_date

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "shared" / "realpages"  # beside the checkout
_LABEL_RE = re.compile(r"^\s*((?:19|20)\d{2})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def decode(data: bytes) -> str:
    """UTF-8 when it decodes cleanly, else the GB family (gb18030 covers gb2312 and gbk)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def parse_label(text: str) -> tuple[int, ...] | None:
    """(year, month, day), (year, month) or (year,) from a label; None for UNKNOWN and junk."""
    m = _LABEL_RE.match(text)
    if not m:
        return None
    return tuple(int(g) for g in m.groups() if g)


def matches(found: dt.date | None, label: tuple[int, ...]) -> bool:
    if found is None:
        return False
    return (found.year, found.month, found.day)[: len(label)] == label


def labelled_pages(root: Path) -> list[tuple[str, str, tuple[int, ...]]]:
    """(name, html, label) of every cwced page with a usable date label."""
    folder = root / "cwced"
    pages = []
    for line in (folder / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        file = line.split("\t", 1)[0]
        stem = Path(file).stem
        label_file = folder / "date" / f"{stem}.txt"
        if not label_file.exists():
            continue
        label = parse_label(label_file.read_text(encoding="utf-8", errors="replace"))
        if label is None:
            continue
        pages.append((stem, decode((folder / file).read_bytes()), label))
    return pages


def htmldate_finder():
    try:
        from htmldate import find_date  # type: ignore[import-not-found]
    except ImportError:
        return None

    def find(html: str, reference: dt.date) -> dt.date | None:
        try:
            value = find_date(html, original_date=True, max_date=reference.isoformat())
        except Exception:  # noqa: BLE001
            return None
        return dt.date.fromisoformat(value) if value else None

    return find


def score(pages, finder, reference: dt.date, verbose: bool = False, name: str = "") -> dict[str, float]:
    full_ok = full_n = part_ok = part_n = 0
    started = time.perf_counter()
    for stem, html, label in pages:
        found = finder(html, reference)
        ok = matches(found, label)
        if len(label) == 3:
            full_n += 1
            full_ok += ok
        else:
            part_n += 1
            part_ok += ok
        if verbose and not ok:
            print(f"  {name} miss {stem}: label={label} found={found}")
    elapsed = time.perf_counter() - started
    return {
        "full": full_ok / full_n if full_n else 0.0,
        "full_n": full_n,
        "full_ok": full_ok,
        "partial": part_ok / part_n if part_n else 0.0,
        "partial_n": part_n,
        "partial_ok": part_ok,
        "all": (full_ok + part_ok) / max(1, full_n + part_n),
        "ms_per_page": 1000 * elapsed / max(1, len(pages)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--realpages", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    if not (args.realpages / "cwced" / "MANIFEST.tsv").exists():
        print(f"no cwced pages under {args.realpages}", file=sys.stderr)
        return 1
    pages = labelled_pages(args.realpages)
    reference = dt.date.today()
    finders = {"govinspect": extract_article_date}
    other = htmldate_finder()
    if other is not None:
        finders["htmldate"] = other
    for name, finder in finders.items():
        r = score(pages, finder, reference, args.verbose, name)
        print(
            f"{name:12s} full-day labels {r['full_ok']}/{r['full_n']} = {r['full']:.3f}; "
            f"year/month labels {r['partial_ok']}/{r['partial_n']} = {r['partial']:.3f}; "
            f"all {r['all']:.3f}; {r['ms_per_page']:.1f} ms/page"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
