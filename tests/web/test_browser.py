"""The web app as a person uses it: Playwright driving Debian's Chromium against uvicorn on
127.0.0.1, inspecting the demo farm through its proxy.

Set GOVINSPECT_SCREENSHOTS=docs/screenshots to save screenshots of the main pages."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import farm_settings
from govinspect.demo import FarmServer, build_farm
from govinspect.model import Finding, Inspection
from govinspect.store import Store
from govinspect.web import accounts, create_app
from webutil import PASSWORD, SCRIPT_TEXT, api_token

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FAILING = "http://www.lihe.gov.cn/"  # vetoed for home.stale (the farm's ground truth)
OWN = "http://www.qingshan.gov.cn/"  # the operator's own site
CRAFTED = "http://www.baishui.gov.cn/"  # carries a stored inspection with <script> in crawled text

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="需要 Debian 的 /usr/bin/chromium（CI 通过 apt 安装）"),
    pytest.mark.filterwarnings("ignore"),
]


class LiveServer:
    """uvicorn serving the app in a thread, on a free port of 127.0.0.1."""

    def __init__(self, app):
        import uvicorn

        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *_exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def _crafted_inspection() -> Inspection:
    finding = Finding(
        check="security.spam_injection",
        message="首页发现隐藏的赌博链接",
        url=CRAFTED,
        evidence={"text": SCRIPT_TEXT},
        severity="veto",
    )
    return Inspection(
        site_name="白水县人民政府",
        url=CRAFTED,
        host="www.baishui.gov.cn",
        as_of=dt.date.today(),
        rubric="gov-2019",
        verdict="fail",
        score=0.0,
        vetoes=["security.spam_injection"],
        findings=[finding],
        started_at=dt.datetime.now(),
    )


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """(base URL, store, site ids by URL): the farm's sites registered, users created, the app served."""
    farm = build_farm(dt.date.today())
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'web.db'}")
    ids = {
        s.url: store.upsert_site(s.name, s.url, region="演示市", organiser=f"{s.name}办公室")
        for s in farm.sites
    }
    store.save_inspection(ids[CRAFTED], _crafted_inspection())
    with store.unit_of_work() as uow:
        accounts.create_user(uow, "admin", PASSWORD, accounts.ADMIN)
        accounts.create_user(
            uow, "qingshan", PASSWORD, accounts.OPERATOR, organisers=["青山县人民政府办公室"]
        )
    with FarmServer(farm) as farm_server:
        settings = replace(farm_settings(farm, farm_server), out_dir=None)
        with LiveServer(create_app(store, settings)) as base:
            yield base, store, ids
    store.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser, base: str, username: str):
    context = browser.new_context(base_url=base, locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.csp_errors = []
    page.on("console", lambda m: "Content Security Policy" in m.text and page.csp_errors.append(m.text))
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def _shot(page, name: str) -> None:
    folder = os.environ.get("GOVINSPECT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_check_a_failing_site_and_see_its_veto_evidence(live, browser):
    base, store, ids = live
    page = _page(browser, base, "admin")
    assert page.locator("h1").inner_text() == "总览"
    page.click("nav >> text=网站")
    page.click("text=李河市人民政府")
    assert "还没有检查记录" in page.inner_text("main")
    page.click("button:has-text('立即检查')")
    # progress.js polls the job and reloads the page when the inspection is stored
    page.wait_for_selector("section.scorecard", timeout=90_000)
    veto = page.locator("div.veto").first
    assert "首页不更新" in veto.inner_text()
    home_link = veto.locator(f"a[href='{FAILING}']").first
    assert home_link.get_attribute("rel") == "noopener noreferrer"
    assert "不合格" in page.inner_text("section.scorecard")
    assert page.locator("table.columns tbody tr").count() > 1
    assert not page.csp_errors
    newest = store.list_inspections(ids[FAILING], limit=1)[0]
    with store.unit_of_work() as uow:
        run = uow.runs.get(newest.run_id)
    assert run.kind == "manual" and run.started_by == "admin" and run.status == "finished"
    _shot(page, "site")
    page.goto("/")
    _shot(page, "overview")
    page.goto("/sites")
    _shot(page, "sites")
    page.context.close()


def test_crawled_script_shows_as_text(live, browser):
    base, _store, ids = live
    page = _page(browser, base, "admin")
    page.goto(f"/sites/{ids[CRAFTED]}")
    assert SCRIPT_TEXT in page.inner_text("div.veto")
    assert page.evaluate("typeof window.pwned") == "undefined"
    page.context.close()


def test_operator_cannot_open_another_organisations_site(live, browser):
    base, store, ids = live
    page = _page(browser, base, "qingshan")
    assert page.goto(f"/sites/{ids[OWN]}").status == 200
    refused = page.goto(f"/sites/{ids[FAILING]}")
    assert refused.status == 404 and "李河市" not in page.inner_text("main")
    listing = page.goto("/sites")
    assert listing.status == 200 and page.locator("table.sites tbody tr").count() == 1
    headers = {"Authorization": f"Bearer {api_token(store, 'qingshan')}"}
    assert page.request.get(f"{base}/api/sites/{ids[FAILING]}", headers=headers).status == 404
    assert page.request.get(f"{base}/api/sites/{ids[OWN]}", headers=headers).status == 200
    page.context.close()


def test_post_without_csrf_token_is_refused(live, browser):
    base, _store, ids = live
    page = _page(browser, base, "admin")
    response = page.request.post(f"{base}/sites/{ids[OWN]}/check", form={"x": "1"})
    assert response.status == 403 and "CSRF" in response.text()
    page.context.close()


def test_registry_import_preview(live, browser, tmp_path):
    from openpyxl import Workbook

    base, _store, _ids = live
    book = Workbook()
    for row in (["名称", "网址"], ["新区人民政府", "http://www.xinqu.gov.cn/"], ["坏行", "不是网址"]):
        book.active.append(row)
    path = tmp_path / "名录.xlsx"
    book.save(path)
    page = _page(browser, base, "admin")
    page.goto("/registry/import")
    page.set_input_files("input[type=file]", str(path))
    page.click("button:has-text('上传并预览')")
    page.wait_for_selector("table.bad tbody tr")  # the preview page has loaded
    assert page.locator("table.bad tbody tr").count() == 1
    _shot(page, "import")
    page.click("button:has-text('确认导入')")
    page.wait_for_selector("main:has-text('已导入')")
    assert "已导入 1 个网站" in page.inner_text("main")
    page.context.close()
