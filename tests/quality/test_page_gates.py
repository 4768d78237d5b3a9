"""Quality gates of page understanding: today's measured accuracy on labelled real pages, pinned as
minimums so that a change which lowers one fails CI. The pages are copied into
tests/fixtures/realpages (copy_from_shared.py), so the gates never skip on a fresh clone.

Measured with `python bench/date_accuracy.py` on 2026-12-01 (htmldate 1.11 in the same run):
  cwced tuned     govinspect 31/32 full-day labels (htmldate 24/32)
  cwced held-out  govinspect 16/19 full-day labels (htmldate 11/19) - never looked at while tuning
  gne_gov         govinspect  4/4  (our labels)    (htmldate  4/4)
A gate is raised when a change measures better; it is never lowered to let a change through.
"""

import datetime as dt
import gzip
import importlib.util
from pathlib import Path

from govinspect.extract import extract_article_date, extract_footer
from govinspect.fetch import decode_html

ROOT = Path(__file__).resolve().parents[1] / "fixtures" / "realpages"
BENCH = Path(__file__).resolve().parents[2] / "bench" / "date_accuracy.py"
REFERENCE = dt.date(2026, 12, 1)  # a fixed day: labels are all older, results do not drift with the clock

CWCED_TUNED_MIN = 31  # of 32 full-day labels
CWCED_HELD_OUT_MIN = 16  # of 19 full-day labels
GNE_GOV_MIN = 4  # of 4


def _bench():
    spec = importlib.util.spec_from_file_location("date_accuracy", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_article_dates_on_cwced_tuned_and_held_out():
    bench = _bench()
    parts = bench.cwced_pages(ROOT)
    tuned = bench.score(parts["tuned"], extract_article_date, REFERENCE)
    held_out = bench.score(parts["held_out"], extract_article_date, REFERENCE)
    assert (tuned["full_n"], held_out["full_n"]) == (32, 19)  # the labelled set itself did not change
    assert tuned["full_ok"] >= CWCED_TUNED_MIN
    assert held_out["full_ok"] >= CWCED_HELD_OUT_MIN


def test_article_dates_on_government_pages():
    bench = _bench()
    result = bench.score(bench.gne_gov_pages(ROOT), extract_article_date, REFERENCE)
    assert result["full_n"] == 4
    assert result["full_ok"] >= GNE_GOV_MIN


FLAGS = {"bsm": "site_code", "icp": "icp", "gongan": "psb", "conac": "conac", "jiucuo": "jiucuo"}
# Manifest flags checked by hand and found wrong (see tests/extract/test_realpages_footer.py).
LABEL_ERRORS = {("tests__other__1.html", "jiucuo")}


def test_footer_marks_on_labelled_government_pages():
    rows = (ROOT / "gne_gov" / "footer.tsv").read_text(encoding="utf-8").splitlines()[1:]
    found_marks = expected_marks = 0
    extra = []
    for row in rows:
        name, flags = (row.split("\t") + [""])[:2]
        flags = {f for f in flags.split(",") if f} - {f for n, f in LABEL_ERRORS if n == name}
        html = decode_html(gzip.decompress((ROOT / "gne_gov" / f"{name}.gz").read_bytes()))[0]
        marks = extract_footer(html)
        for flag, attr in FLAGS.items():
            value = getattr(marks, attr)
            if flag in flags:
                expected_marks += 1
                found_marks += bool(value)
            elif value:
                extra.append((name, flag, value))
    assert expected_marks == 16
    # Every labelled mark is found (a miss is a false norms.*_missing), none invented.
    assert found_marks == expected_marks
    assert extra == []
