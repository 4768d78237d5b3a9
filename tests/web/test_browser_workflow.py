"""The supervisor's month in a real browser (Debian's Chromium) against uvicorn on 127.0.0.1 and the
demo farm: a spot check followed live, a failing site's evidence, the 通报 downloaded and read, a
整改 task answered by the site's operator and decided by the supervisor; 问责 and 年度报表.

Set GOVINSPECT_SCREENSHOTS=docs/screenshots to save screenshots of these pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from docx import Document

from conftest import farm_settings
from govinspect.demo import FarmServer, build_farm
from govinspect.store import Store
from govinspect.web import accounts, create_app
from web.test_browser import CHROMIUM, LiveServer, _page, _shot, browser  # noqa: F401
from webutil import PASSWORD

REGION = "演示市"
OWN = {"http://www.qingshan.gov.cn/", "http://www.lihe.gov.cn/", "http://www.dongpo.gov.cn/"}
FAILING = "李河市人民政府"  # vetoed for home.stale (the farm's ground truth)
ELSEWHERE = "松林县人民政府"  # in another region: never in the supervisor's run

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="需要 Debian 的 /usr/bin/chromium（CI 通过 apt 安装）"),
    pytest.mark.filterwarnings("ignore"),
]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """(base URL, store): three farm sites in the supervisor's region, one elsewhere; the app served."""
    farm = build_farm(dt.date.today())
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('browser-workflow') / 'web.db'}")
    for s in farm.sites:
        if s.url in OWN or s.name == ELSEWHERE:
            region = REGION if s.url in OWN else "别市"
            store.upsert_site(s.name, s.url, region=region, organiser=f"{s.name}办公室", level="县")
    with store.unit_of_work() as uow:
        accounts.create_user(uow, "jianguan", PASSWORD, accounts.SUPERVISOR, regions=[REGION])
        accounts.create_user(uow, "lihe", PASSWORD, accounts.OPERATOR, organisers=[f"{FAILING}办公室"])
        accounts.create_user(uow, "admin", PASSWORD, accounts.ADMIN)
    with FarmServer(farm) as farm_server:
        settings = replace(farm_settings(farm, farm_server), out_dir=None)
        with LiveServer(create_app(store, settings)) as base:
            yield base, store
    store.close()


def test_spot_check_bulletin_and_rectify(live, browser, tmp_path):  # noqa: F811 - the imported fixture
    base, _store = live
    page = _page(browser, base, "jianguan")
    page.click("nav >> text=抽查与通报")
    page.fill("input[name=ratio]", "100%")
    page.fill("input[name=seed]", "202612")
    page.click("button:has-text('抽取并检查')")
    # job_progress.js polls the run and reloads the page when every site is inspected
    page.wait_for_selector("#progress:has-text('检查完成')", timeout=120_000)
    results = page.inner_text("table.results")
    assert FAILING in results and ELSEWHERE not in results
    assert page.locator("table.results tbody tr").count() == 3
    assert "合格率" in page.inner_text("section.cards")
    assert not page.csp_errors
    _shot(page, "run")

    # the failing site's evidence, from the results table
    page.click(f"table.results >> text={FAILING}")
    page.wait_for_selector("div.veto")
    assert "首页不更新" in page.inner_text("div.veto")
    page.go_back()

    # the 通报, downloaded and opened: it names the failing site and only the supervisor's sites
    with page.expect_download() as download:
        page.click("p.downloads >> text=Word")
    path = tmp_path / "bulletin.docx"
    download.value.save_as(path)
    doc = Document(str(path))
    cells = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert FAILING in cells and ELSEWHERE not in cells
    assert any("本次共抽查网站3个" in p.text for p in doc.paragraphs)

    # pages are readable without JavaScript
    plain = browser.new_context(base_url=base, java_script_enabled=False)
    run_url = page.url.split("#")[0]
    no_js = plain.new_page()
    no_js.goto("/login")
    no_js.fill("input[name=username]", "jianguan")
    no_js.fill("input[name=password]", PASSWORD)
    no_js.click("button[type=submit]")
    no_js.goto(run_url)
    assert FAILING in no_js.inner_text("table.results")
    plain.close()

    page.click("button:has-text('下发整改任务')")
    page.wait_for_selector("section.lane[data-state='整改中']")
    assert FAILING in page.inner_text("section.lane[data-state='整改中']")
    _shot(page, "rectify")
    page.click("nav >> text=抽查与通报")
    assert page.locator("table.runs tbody tr").count() == 1
    _shot(page, "runs")
    page.context.close()

    # the site's operator answers …
    operator = _page(browser, base, "lihe")
    operator.click("nav >> text=整改")
    operator.click(f"section.lane >> text={FAILING}")
    operator.fill("textarea[name=text]", "首页已于今日恢复更新，并建立每日更新机制。")
    operator.click("button:has-text('提交说明')")
    operator.wait_for_selector("strong.decision:has-text('待审核')")
    assert "采纳</button>" not in operator.content()  # the operator does not decide
    operator.context.close()

    # … and the supervisor decides
    supervisor = _page(browser, base, "jianguan")
    supervisor.goto("/rectify")
    supervisor.click(f"section.lane >> text={FAILING}")
    assert "首页已于今日恢复更新" in supervisor.inner_text("#notes")
    supervisor.click("button:has-text('采纳') >> nth=0")
    supervisor.wait_for_selector("strong.decision:has-text('采纳')")
    assert supervisor.inner_text("span.task-status") == "说明已采纳"
    _shot(supervisor, "rectify_task")
    supervisor.goto("/rectify")
    assert FAILING in supervisor.inner_text("section.lane[data-state='说明已采纳']")
    supervisor.context.close()


def test_accountability_and_annual_report(live, browser):  # noqa: F811
    base, _store = live
    page = _page(browser, base, "jianguan")
    page.click("nav >> text=问责")
    page.fill("input[name=person]", "王五")
    page.fill("input[name=unit]", f"{FAILING}办公室")
    page.select_option("select[name=form]", "约谈")
    page.fill("input[name=reason]", "首页长期不更新")
    page.select_option("select[name=site]", label=FAILING)
    page.click("button:has-text('登记')")
    page.wait_for_selector("table.records >> text=王五")
    _shot(page, "accountability")
    page.context.close()

    admin = _page(browser, base, "admin")
    admin.click("nav >> text=年度报表")
    field = admin.locator("input[aria-label='人员培训/培训次数']")
    field.fill("4")
    admin.click("button:has-text('保存填写')")
    admin.wait_for_selector("p.ok")
    assert admin.locator("input[aria-label='人员培训/培训次数']").input_value() == "4"
    _shot(admin, "annual")
    admin.context.close()
