"""Footer marks on real pages, against the flags of shared/realpages/gne_testpages/MANIFEST.tsv.

Where the manifest's own flags are wrong (checked by hand), the page is listed with the reason.
"""

import csv
import re

import pytest

from govinspect.extract import extract_footer
from govinspect.fetch import decode_html
from shared_data import REALPAGES

ROOT = REALPAGES / "gne_testpages"
FLAGS = {"bsm": "site_code", "icp": "icp", "gongan": "psb", "conac": "conac", "jiucuo": "jiucuo"}
# Manifest flags checked by hand and found wrong: no 找错 link or script is in these pages.
LABEL_ERRORS = {
    ("tests__other__1.html", "jiucuo"): "no 找错 entry in the page",
    ("visiable_test__mydrivers__1.html", "jiucuo"): "an element id 'leftjiucuo' on a commercial site",
}


def labelled_pages():
    manifest = ROOT / "MANIFEST.tsv"
    if not manifest.exists():
        pytest.skip(f"real pages not available at {ROOT}")
    for row in csv.DictReader(manifest.open(encoding="utf-8"), delimiter="\t"):
        m = re.search(r"footer_flags=([^;]*);", row["what"])
        flags = {f for f in (m.group(1).split(",") if m else []) if f}
        yield row["file"], flags


def test_footer_marks_on_real_pages():
    missed, extra = [], []
    for name, flags in labelled_pages():
        html, _ = decode_html((ROOT / name).read_bytes(), None)
        marks = extract_footer(html)
        for flag, attr in FLAGS.items():
            if (name, flag) in LABEL_ERRORS:
                continue
            found = getattr(marks, attr)
            if flag in flags and not found:
                missed.append((name, flag))
            # ICP licence numbers (京ICP证…) and 备案 numbers the manifest did not flag are real marks.
            if found and flag not in flags and not (attr == "icp" and "ICP" in found):
                extra.append((name, flag, found))
    # A missed mark becomes a false "norms.*_missing" finding that shames an office.
    assert missed == []
    assert extra == []


def test_jiucuo_site_code_is_read_where_real_pages_give_it():
    codes = {}
    for name, flags in labelled_pages():
        if "jiucuo" not in flags:
            continue
        marks = extract_footer(decode_html((ROOT / name).read_bytes(), None)[0])
        if marks.jiucuo_site_code:
            codes[name] = (marks.site_code, marks.jiucuo_site_code)
    # Both real 找错 entries that carry a code file reports under the page's own 标识码.
    assert codes and all(site == jiucuo for site, jiucuo in codes.values()), codes
