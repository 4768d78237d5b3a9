"""security.defacement: home-page fingerprints, the comparison with the baseline, and the service
wiring that loads the baseline before the checks and never makes a defaced page the baseline."""

import datetime as dt
import importlib.util
import json
from dataclasses import replace
from pathlib import Path

from govinspect.checks import ALL_CHECKS, CheckContext
from govinspect.checks.defacement import check_defacement
from govinspect.extract.fingerprint import home_fingerprint
from govinspect.extract.page_facts import read_site_facts
from govinspect.model import Page, SiteModel
from govinspect.rules.rubric import load_rubric
from govinspect.rules.scoring import score_findings

# bench/detectors.py holds the labelled cases and the scorer; loaded by path.
_spec = importlib.util.spec_from_file_location(
    "bench_detectors_deface", Path(__file__).resolve().parents[2] / "bench" / "detectors.py"
)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

DAY = bench.DEFACE_DAY
HOST = "www.qingshan.gov.cn"
URL = f"http://{HOST}/"
CTX = CheckContext(as_of=DAY, rubric=load_rubric())


def page(html: str) -> Page:
    return Page(url=URL, final_url=URL, status=200, content_type="text/html", text=html)


def findings(baseline_html: str, current_html: str, name: str = "青山县人民政府") -> list:
    site = SiteModel(url=URL, host=HOST, name=name, home=page(current_html))
    read_site_facts(site)
    site.baseline = home_fingerprint(page(baseline_html))
    return check_defacement(site, CTX)


def homes(days: int = 0, layout: str | None = None) -> str:
    return bench._farm_homes(DAY + dt.timedelta(days=days), layout)[HOST][1]


def test_fingerprint_is_pure_json_and_stable():
    html = homes()
    a, b = home_fingerprint(page(html)), home_fingerprint(page(html))
    assert a == b
    assert json.loads(json.dumps(a)) == a
    assert a["name"] == "青山县人民政府" and "政务动态" in a["nav"]
    assert a["counts"]["links"] > 20 and len(a["paths"]) > 10
    assert home_fingerprint(page(""))["blocks"] == []  # an empty body does not raise


def test_news_update_on_another_day_does_not_fire():
    assert findings(homes(0), homes(30)) == []
    assert findings(homes(0), homes(200)) == []


def test_hacker_page_fires_and_is_a_veto():
    [f] = findings(homes(0), bench._HACKED_CN)
    assert f.check == "security.defacement" and "本站已被黑" in f.message
    assert f.evidence["structure_similarity"] < 0.1
    scored = score_findings([f], CTX.rubric)
    assert "security.defacement" in scored.vetoes and scored.findings[0].severity == "veto"


def test_black_page_without_any_lexicon_word_fires_on_replaced_identity():
    [f] = findings(homes(0), bench._BLACK_PAGE)
    assert f.evidence["new_terms"] == [] and not f.evidence["name_kept"] and f.evidence["nav_kept"] == 0
    assert "网站名称和导航栏目均已消失" in f.message


def test_injected_spam_block_fires_on_an_otherwise_unchanged_page():
    [f] = findings(homes(0), bench._after_body(homes(30), bench._SPAM_BLOCK))
    assert f.check == "security.defacement" and "澳门新葡京" in f.evidence["new_terms"]
    assert f.evidence["structure_similarity"] > 0.9  # the template is the same: the terms decide


def test_terms_already_in_the_baseline_do_not_fire_again():
    spammed = bench._after_body(homes(0), bench._SPAM_BLOCK)
    assert findings(spammed, bench._after_body(homes(30), bench._SPAM_BLOCK)) == []


def test_redesign_keeping_name_and_columns_is_information_only():
    [f] = findings(homes(0), homes(30, layout="portal"))
    assert f.check == "security.home_redesign"
    assert score_findings([f], CTX.rubric).findings[0].severity == "info"
    # A maintenance notice replaces everything, name included, but is no attack.
    [notice] = findings(homes(0), bench._MAINTENANCE)
    assert notice.check == "security.home_redesign"


def test_security_news_and_new_commercial_links_do_not_fire():
    assert findings(homes(0), bench._after_body(homes(30), bench._SECURITY_NEWS)) == []
    assert findings(homes(0), bench._after_body(homes(30), bench._NEW_FRIEND)) == []


def test_no_baseline_or_unusable_home_gives_nothing():
    site = SiteModel(url=URL, host=HOST, home=page(bench._HACKED_EN))
    read_site_facts(site)
    assert check_defacement(site, CTX) == []  # first inspection: nothing to compare with
    site.baseline = home_fingerprint(page(homes()))
    assert check_defacement(site, CTX)  # the same hacked page, now with a baseline: found
    site.home = replace(site.home, status=503)
    read_site_facts(site)
    assert check_defacement(site, CTX) == []
    assert check_defacement in ALL_CHECKS


def test_labelled_pairs_precision_and_recall():
    row = bench.score_defacement(bench.defacement_cases())
    assert row["tp"] + row["fn"] >= 40 and row["tn"] + row["fp"] >= 40
    assert row["precision"] == 1.0, row["wrong"]
    assert row["recall"] >= 0.95, row["wrong"]


def test_service_loads_baseline_and_never_stores_a_defaced_one(tmp_path, monkeypatch):
    """Three inspections through inspect_sites with a store: clean, defaced, restored."""
    from govinspect.crawl import CrawlBudget
    from govinspect.demo import FarmServer, build_farm
    from govinspect.demo.types import Route
    from govinspect.fetch import FetchSettings
    from govinspect.registry import SiteTarget
    from govinspect.service import inspect_sites
    from govinspect.settings import Settings
    from govinspect.store import Store

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    farm = build_farm(DAY)
    farm.sites = [farm.site(HOST)]
    demo = farm.sites[0]
    clean_home = demo.routes["/"]
    store = Store(f"sqlite:///{tmp_path / 'gi.db'}")
    with FarmServer(farm) as server:
        settings = Settings(
            as_of=DAY,
            crawl_date=DAY,
            out_dir=None,
            crawl=CrawlBudget(
                probes=1,
                probe_interval_s=0,
                max_pages=12,
                articles_per_column=1,
                crawler_view=False,
                max_links=0,
            ),
            fetch=FetchSettings(timeout_s=5.0, proxy=server.proxy_url, trust_env=False),
        )
        target = [SiteTarget(url=URL, name="青山县人民政府")]

        def run() -> list[str]:
            [outcome] = inspect_sites(target, repo=store, settings=settings)
            return [f.check for f in outcome.inspection.findings if f.check.startswith("security.")]

        assert run() == []  # no baseline yet: the first clean inspection sets it
        site_id = store.site_by_url(URL).id
        first = store.history(site_id).baseline
        assert first["name"] == "青山县人民政府"

        hacked = Route(status=200, content_type="text/html; charset=utf-8", body=bench._HACKED_EN.encode())
        demo.routes["/"] = demo.routes["/index.html"] = hacked
        assert "security.defacement" in run()
        assert store.history(site_id).baseline == first  # the defaced page did not become the baseline
        assert "security.defacement" in run()  # and is still reported on the next run

        demo.routes["/"] = demo.routes["/index.html"] = clean_home
        assert run() == []
    store.close()
