"""找错 as people use it, in Chromium: a citizen submits a message through the public form, the
supervisor sees it in the inbox with its deadline and forwards it, the site's operator answers it.

Reuses the live app and browser of test_browser.py. GOVINSPECT_SCREENSHOTS=docs/screenshots saves
jiucuo-public.png and jiucuo-inbox.png."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import sys
from pathlib import Path

import pytest

from govinspect.monitor.alerts import Alert
from govinspect.monitor.probe import ProbeResult
from govinspect.service import workflow as wf
from govinspect.web import accounts
from govinspect.workflow.jiucuo import Message
from webutil import PASSWORD, SCRIPT_TEXT


def _browser_tests():
    """tests/web/test_browser.py as a module (pytest imports test files by path, not by name)."""
    name = "govinspect_tests_browser"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("test_browser.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_bt = _browser_tests()
CHROMIUM, OWN, FAILING, _page, _shot = _bt.CHROMIUM, _bt.OWN, _bt.FAILING, _bt._page, _bt._shot
live, browser = _bt.live, _bt.browser  # its fixtures, one instance for this module

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="需要 Debian 的 /usr/bin/chromium（CI 通过 apt 安装）"),
    pytest.mark.filterwarnings("ignore"),
]


def test_citizen_message_is_forwarded_and_answered(live, browser):
    base, store, ids = live
    with store.unit_of_work() as uow:
        accounts.create_user(uow, "demo_sup", PASSWORD, accounts.SUPERVISOR, regions=["演示市"])
    old = dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=20)
    for number, url, text in (
        ("OLD-1", f"{FAILING}zwgk/", "政务公开栏目链接打不开"),
        ("OLD-2", f"{OWN}hdjl/", "留言三个月没有回复"),
    ):
        wf.add_message(store, Message(number, old, url=url, problem_type="其他", description=text))

    # a citizen, no account
    context = browser.new_context(base_url=base, locale="zh-CN", viewport={"width": 1280, "height": 900})
    citizen = context.new_page()
    citizen.goto(f"/jiucuo/public?site={OWN}")
    assert citizen.input_value("input[name=site]") == OWN
    citizen.select_option("select[name=problem_type]", "错别字或表述错误")
    citizen.fill("input[name=url]", f"{OWN}xxgk/index.html")
    citizen.fill("textarea[name=description]", f"信息公开页有错别字 {SCRIPT_TEXT}")
    _shot(citizen, "jiucuo-public")
    citizen.click("button:has-text('提交留言')")
    citizen.wait_for_selector("section.confirm")
    confirm = citizen.inner_text("section.confirm")
    number = re.search(r"留言编号：(ZC\d{14})", confirm).group(1)
    assert "青山县人民政府办公室" in confirm and "办理期限为" in confirm
    context.close()

    # the supervisor of the region sees it with its deadline and forwards it
    sup = _page(browser, base, "demo_sup")
    sup.click("nav >> text=找错")
    assert sup.locator("table.jiucuo tbody tr.overdue").count() == 2
    row = sup.locator("table.jiucuo tbody tr", has_text=number)
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", row.inner_text()) and "剩余" in row.inner_text()
    assert "青山县人民政府" in row.inner_text() and "待转办" in row.inner_text()
    assert SCRIPT_TEXT.split("“")[0] in row.inner_text()  # the citizen's <script> is text
    assert sup.evaluate("typeof window.pwned") == "undefined"
    _shot(sup, "jiucuo-inbox")
    row.locator("input[name=number]").check()
    sup.select_option("fieldset.bulk select[name=to]", "已转办")
    sup.click("button:has-text('批量变更状态')")
    sup.wait_for_selector("p.ok")
    assert "已将1条留言变为“已转办”" in sup.inner_text("p.ok")
    assert not sup.csp_errors
    sup.context.close()

    # the site's operator accepts it and answers it
    op = _page(browser, base, "qingshan")
    op.click("nav >> text=找错")
    op.click(f"text={number}")
    op.select_option("select[name=to]", "已受理")
    op.click("section.answer button[type=submit]")
    op.wait_for_selector("h1:has-text('已受理')")
    op.select_option("select[name=to]", "已办结")
    op.fill("textarea[name=result]", "已改正错别字，感谢监督")
    op.click("section.answer button[type=submit]")
    op.wait_for_selector("h1:has-text('已办结')")
    history = op.inner_text("table.history")
    assert "qingshan" in history and "demo_sup" in history and "已改正错别字" in history
    assert op.evaluate("typeof window.pwned") == "undefined"
    assert not op.csp_errors
    op.context.close()
    with store.unit_of_work() as uow:
        assert uow.jiucuo.get(number).status == "已办结"

    # the 总览 of that day: the overdue messages, and what the monitor says about 李河市
    _monitor_says_down(store, ids[FAILING])
    admin = _page(browser, base, "admin")
    today = admin.inner_text("div.today")
    assert "OLD-1" in today and "OLD-2" in today and number not in today
    assert "李河市人民政府" in admin.inner_text("section.todo-down")
    assert "首页已12天未更新" in admin.inner_text("section.todo-warnings")
    assert not admin.csp_errors
    _shot(admin, "overview")
    admin.goto(f"/sites/{ids[FAILING]}")
    assert "连接超时" in admin.inner_text("section.availability")
    admin.context.close()


def _monitor_says_down(store, site_id: int) -> None:
    """What the monitor daemon stores: probes of the last hours, the site down, a warning open."""
    now = dt.datetime.now(dt.UTC)
    with store.unit_of_work() as uow:
        for i in range(12):
            ok = i < 9
            probe = ProbeResult(
                now - dt.timedelta(minutes=30 * (12 - i)), FAILING, "ok" if ok else "timeout", ok,
                200 if ok else None, 0.3, "首页访问正常" if ok else "连接超时（15秒）", final_url=FAILING,
            )  # fmt: skip
            uow.monitor.add_probe(site_id, probe)
        issue = {"kind": "warning", "since": now.isoformat()}
        uow.monitor.save_state(
            site_id,
            {"status": "down", "status_since": (now - dt.timedelta(hours=1)).isoformat(),
             "last_failure": {"reason": "连接超时（15秒）"}, "issues": {"warning:warning.home_stale": issue}},
        )  # fmt: skip
        warning = Alert(
            "warning", str(site_id), "李河市人民政府", now, "首页已12天未更新，超过预警线10天（超过14天即单项否决）",
            FAILING, "", now, "warning:warning.home_stale",
        )  # fmt: skip
        uow.monitor.add_alerts(site_id, [warning])
