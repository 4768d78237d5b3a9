"""What the text checks (serious errors, typos, spam, inserted promotion) raise on 140 real pages.

    python bench/real_text_alarms.py

content.typo_suspect lines are info (疑似错别字), not deductions.
Every line it prints is a finding to be checked by hand: on these pages (shared/realpages
gne_testpages + cwced) a finding is either a real typo/spam on the page or a false alarm.
"""

import datetime as dt
from pathlib import Path

from govinspect.checks import CheckContext
from govinspect.checks.content import check_serious_error, check_typo
from govinspect.checks.injection import check_content_injection
from govinspect.checks.security import check_spam_injection
from govinspect.extract import extract_article
from govinspect.extract.page_facts import read_site_facts
from govinspect.fetch import decode_html
from govinspect.model import Page, SiteModel
from govinspect.rules import load_rubric

ctx = CheckContext(as_of=dt.date(2026, 11, 24), rubric=load_rubric())
root = Path(__file__).resolve().parents[2] / "shared" / "realpages"  # beside the checkout
files = sorted((root / "gne_testpages").glob("*.html")) + sorted((root / "cwced" / "original").glob("*"))
counts = {}
for f in files:
    html, _ = decode_html(f.read_bytes(), None)
    url = f"http://www.example.gov.cn/{f.name}"
    art = extract_article(html, url, dt.date(2026, 11, 24))
    art.column = "新闻"
    page = Page(url=url, final_url=url, status=200, content_type="text/html", text=html)
    site = SiteModel(
        url="http://www.example.gov.cn/", host="www.example.gov.cn", articles=[art], sample_pages=[page]
    )
    read_site_facts(site)
    for chk in (check_serious_error, check_typo, check_spam_injection, check_content_injection):
        for fi in chk(site, ctx):
            counts[fi.check] = counts.get(fi.check, 0) + 1
            print(f.name[:40], fi.check, fi.message[:120])
print(len(files), "pages", counts)
