"""The HTML report in a real browser: a crawled page's <script> must not run.

Uses Playwright for Python with Debian's Chromium (apt-get install chromium); never downloads a browser.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from govinspect.model import Finding
from govinspect.report import write_reports, write_summary

from .test_report import make_inspection

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# What an attacker would plant in a crawled page: each payload sets a flag if it ever runs.
PAYLOADS = [
    "<script>window.__pwned = (window.__pwned || 0) + 1</script>",
    '<img src=x onerror="window.__pwned = 1">',
    '"><svg onload="window.__pwned = 1">',
    "</textarea><script>alert(1)</script>",
]

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() or shutil.which("chromium") is None,
    reason="需要 /usr/bin/chromium（apt-get install -y chromium）才能在无头浏览器中检查报告",
)


def hostile_inspection():
    bad = "".join(PAYLOADS)
    return make_inspection(
        site_name="青山县" + bad,
        findings=[
            Finding(
                check="column.empty",
                message="栏目为空白栏目" + bad,
                url="javascript:window.__pwned=1",
                column=bad,
                evidence={
                    "text": bad,
                    "found_on": ["javascript:window.__pwned=1", "http://www.qingshan.gov.cn/" + bad],
                },
                severity="veto",
            )
        ],
    )


def test_injected_scripts_do_not_run_in_chromium(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    inspection = hostile_inspection()
    paths = write_reports(inspection, tmp_path, ["html"])
    summary = write_summary([inspection.to_report()], tmp_path)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            # Control: the same payload, unescaped, does run, so the checks below can fail.
            page.set_content("<html><body>" + PAYLOADS[0] + "</body></html>")
            assert page.evaluate("window.__pwned") == 1
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            for path in (paths[0], summary):
                page.goto(path.as_uri())
                page.wait_for_load_state("load")
                assert page.evaluate("window.__pwned") is None, path.name
                assert page.evaluate("document.scripts.length") == 0
                # The payload is shown as text, exactly as crawled.
                assert "<script>window.__pwned" in page.inner_text("body")
            # Clicking every link must not run a javascript: URL either.
            page.goto(paths[0].as_uri())
            hrefs = page.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
            assert hrefs and not [h for h in hrefs if h.lower().startswith("javascript")]
            assert not dialogs
        finally:
            browser.close()
