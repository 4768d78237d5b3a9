"""The 政务新媒体 page in a real browser (Chromium, playwright) against the demo farm's feeds on
127.0.0.1: 「立即检查」, the progress polled by job_progress.js, the verdicts, no CSP violation."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from govinspect.demo import FarmServer
from govinspect.demo.newmedia import build_newmedia_farm, newmedia_only_farm, registry_csv
from govinspect.fetch.settings import FetchSettings
from govinspect.newmedia.service import import_accounts
from govinspect.settings import Settings
from govinspect.store import Store
from govinspect.web import accounts, create_app
from web.test_browser import CHROMIUM, LiveServer, _page, _shot, browser  # noqa: F401

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="需要 Debian 的 /usr/bin/chromium（CI 通过 apt 安装）"),
    pytest.mark.filterwarnings("ignore"),
]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser-newmedia")
    nm = build_newmedia_farm(dt.date.today(), tmp / "manual.csv")
    nm.write_manual()
    (tmp / "accounts.csv").write_text(registry_csv(nm), encoding="utf-8")
    store = Store(f"sqlite:///{tmp / 'web.db'}")
    import_accounts(store, tmp / "accounts.csv")
    with store.unit_of_work() as uow:
        accounts.create_user(uow, "admin", "correct-horse-42", accounts.ADMIN)
    with FarmServer(newmedia_only_farm(nm)) as farm_server:
        settings = replace(
            Settings(),
            as_of=nm.as_of,
            fetch=FetchSettings(timeout_s=5.0, proxy=farm_server.proxy_url, trust_env=False),
            newmedia_delay_s=0.0,
            out_dir=None,
        )
        with LiveServer(create_app(store, settings)) as base:
            yield base
    store.close()


def test_check_newmedia_accounts_now(live, browser):  # noqa: F811 - the imported fixture
    page = _page(browser, live, "admin")
    page.click("nav >> text=新媒体")
    assert "未检查" in page.inner_text("table.newmedia")
    page.click("button:has-text('立即检查')")
    # job_progress.js polls the job and reloads the page when every account is read
    page.wait_for_selector("#progress:has-text('检查完成')", timeout=180_000)
    table = page.inner_text("table.newmedia")
    assert "待人工核实" in table and "不合格" in table and "政务新媒体不更新" in table
    assert not page.csp_errors
    _shot(page, "newmedia")
    page.click("table.newmedia >> text=青山公安")
    assert "不作为不合格处理" in page.inner_text("main")
