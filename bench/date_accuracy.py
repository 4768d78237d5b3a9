"""Publication-date accuracy of `extract_article_date` on real pages, with htmldate in the same run.

    python bench/date_accuracy.py [--pages tests/fixtures/realpages] [-v]

Two labelled sets, both copied into the repository by tests/fixtures/realpages/copy_from_shared.py:
- cwced: hand-labelled by the dataset's author. Split by position in its manifest: every 3rd page
  (index % 3 == 2) is HELD OUT — never looked at while tuning the extractor — and reported apart
  from the tuned part. `-v` lists misses of the tuned part only.
- gne_gov: the five government pages of gne_testpages; their publication dates are our own
  labelling (gne_gov/dates.tsv, read by hand from the visible page).

Labels with a full day ("2005-5-7 21:23:57") are scored on the exact day; labels that give only a
year or a month ("2018", "1998-3") are scored on that prefix; UNKNOWN and empty labels are skipped.
Pages are decoded exactly like fetched pages (govinspect.fetch.decode_html).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import re
import sys
import time
from pathlib import Path

from govinspect.extract import extract_article_date
from govinspect.fetch import decode_html

DEFAULT_PAGES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "realpages"
_LABEL_RE = re.compile(r"^\s*((?:19|20)\d{2})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
HELD_OUT_EVERY = 3  # index % 3 == 2 in the cwced manifest is held out


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


def _html(path: Path) -> str:
    return decode_html(gzip.decompress(path.read_bytes()), None)[0]


def _rows(tsv: Path) -> list[list[str]]:
    lines = tsv.read_text(encoding="utf-8").splitlines()[1:]
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


def cwced_pages(root: Path) -> dict[str, list[tuple[str, str, tuple[int, ...]]]]:
    """{"tuned": [...], "held_out": [...]} of (name, html, label), labelled pages only."""
    parts: dict[str, list] = {"tuned": [], "held_out": []}
    for index, (file, label_text, *_) in enumerate(_rows(root / "cwced" / "dates.tsv")):
        label = parse_label(label_text)
        if label is None:
            continue
        part = "held_out" if index % HELD_OUT_EVERY == HELD_OUT_EVERY - 1 else "tuned"
        parts[part].append((file, _html(root / "cwced" / "original" / f"{file}.gz"), label))
    return parts


def gne_gov_pages(root: Path) -> list[tuple[str, str, tuple[int, ...]]]:
    pages = []
    for file, label_text, *_ in _rows(root / "gne_gov" / "dates.tsv"):
        label = parse_label(label_text)
        if label is not None:
            pages.append((file, _html(root / "gne_gov" / f"{file}.gz"), label))
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
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="list misses (tuned part and gne_gov only)"
    )
    args = parser.parse_args(argv)
    if not (args.pages / "cwced" / "dates.tsv").exists():
        print(f"no labelled pages under {args.pages}", file=sys.stderr)
        return 1
    cwced = cwced_pages(args.pages)
    sets = {
        "cwced tuned": cwced["tuned"],
        "cwced held-out": cwced["held_out"],
        "gne_gov (our labels)": gne_gov_pages(args.pages),
    }
    reference = dt.date.today()
    finders = {"govinspect": extract_article_date}
    other = htmldate_finder()
    if other is not None:
        finders["htmldate"] = other
    for set_name, pages in sets.items():
        print(f"{set_name}: {len(pages)} pages")
        for name, finder in finders.items():
            verbose = args.verbose and "held-out" not in set_name
            r = score(pages, finder, reference, verbose, name)
            print(
                f"  {name:11s} full-day labels {r['full_ok']}/{r['full_n']} = {r['full']:.3f}; "
                f"year/month labels {r['partial_ok']}/{r['partial_n']}; "
                f"all {r['all']:.3f}; {r['ms_per_page']:.1f} ms/page"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
