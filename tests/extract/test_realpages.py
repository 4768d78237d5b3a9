"""Real pages from /work/shared/realpages (skipped when absent): no extractor raises on them, and
the article date matches the hand labels of the cwced set (floor just under what was measured)."""

import datetime as dt
import importlib.util
import time
from pathlib import Path

import pytest

from govinspect.extract import (
    empty_column_text,
    extract_article_date,
    extract_footer,
    extract_home_items,
    extract_links,
    extract_list_items,
    extract_site_name,
    find_column_links,
    find_dates,
    find_next_pages,
)
from shared_data import REALPAGES

ROOT = REALPAGES
pytestmark = pytest.mark.skipif(not (ROOT / "cwced" / "MANIFEST.tsv").exists(), reason="no real pages here")
REF = dt.date(2026, 11, 22)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def real_pages() -> list[Path]:
    return sorted((ROOT / "gne_testpages").glob("*.html")) + sorted(
        (ROOT / "cwced" / "original").glob("*.html")
    )


def test_every_extractor_runs_on_every_real_page():
    pages = real_pages()
    assert len(pages) > 100
    for path in pages:
        started = time.perf_counter()
        html = decode(path.read_bytes())
        base = "http://www.example.gov.cn/a/b/index.html"
        assert isinstance(extract_links(html, base), list)
        assert isinstance(find_column_links(html, base), list)
        assert isinstance(extract_list_items(html, base, REF), list)
        assert isinstance(extract_home_items(html, base, REF), list)
        assert isinstance(find_next_pages(html, base), list)
        empty_column_text(html)
        extract_footer(html)
        extract_site_name(html)
        extract_article_date(html, REF)
        find_dates(html[:20000], REF)
        # A guard against runaway parsing (a page takes milliseconds), not a speed goal: those
        # live in bench/, and a loaded CI machine must not fail here.
        assert time.perf_counter() - started < 20, path.name


def test_real_list_page_yields_dated_items():
    html = decode((ROOT / "gne_testpages" / "test_list_page__163__1.html").read_bytes())
    assert isinstance(extract_list_items(html, "https://news.163.com/", REF), list)


def _bench():
    spec = importlib.util.spec_from_file_location(
        "date_accuracy", Path(__file__).parents[2] / "bench" / "date_accuracy.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_article_date_accuracy_on_labelled_pages():
    # The pages are copied into tests/fixtures/realpages (tests/quality/test_page_gates.py pins the
    # measured floors per part); this checks the shared copy still gives the same set.
    bench = _bench()
    parts = bench.cwced_pages(bench.DEFAULT_PAGES)
    pages = parts["tuned"] + parts["held_out"]
    result = bench.score(pages, extract_article_date, dt.date.today())
    assert result["full_n"] >= 40
    assert result["full"] >= 0.86
