"""找错 in the web app (TestClient): the inbox by role, deadlines, escaping, bulk and single changes,
the public form and API (validation in Chinese, CSRF, size and rate limits) and the 找错 REST API."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import replace

import pytest

from govinspect.service import workflow as wf
from govinspect.settings import Settings
from govinspect.store import Store
from govinspect.web.ratelimit import RateLimiter
from govinspect.workflow.jiucuo import Message
from webutil import SCRIPT_TEXT, api_token, client_for, csrf_of, login, seeded_store

JIA_TYPO = "http://www.jia.gov.cn/a.html"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("jiucuo") / "template.db"
    store, ids = seeded_store(f"sqlite:///{path}")
    for message in (
        # 甲 (region 甲市): submitted long ago, so overdue whatever day the tests run
        Message(
            "M-A1",
            dt.datetime(2026, 11, 2, 9, 0),
            url=JIA_TYPO,
            problem_type="错别字",
            description=SCRIPT_TEXT,
        ),
        # 乙 (region 乙市): a year whose holidays no calendar knows yet, so the deadline is estimated
        Message("M-B1", dt.datetime(2031, 3, 3, 9, 0), url="http://www.yi.gov.cn/", description="首页打不开"),
        # a 标识码 the registry does not know: kept, unrouted
        Message("M-X1", dt.datetime(2026, 11, 20, 9, 0), site_code="3300000001", description="未知网站"),
    ):
        wf.add_message(store, message)
    store.close()
    return path, ids


@pytest.fixture
def seeded(template, tmp_path):
    path, ids = template
    db = tmp_path / "web.db"
    shutil.copyfile(path, db)
    store = Store(f"sqlite:///{db}")
    yield store, ids
    store.close()


def _numbers(html: str) -> list[str]:
    return re.findall(r'<a href="/jiucuo/m/[^"]+">([^<]+)</a>', html)


def _public_post(client, **fields):
    token = csrf_of(client.get("/jiucuo/public").text)
    return client.post("/jiucuo/public", data={"csrf_token": token, **fields})


GOOD = {
    "site": "http://www.jia.gov.cn/",
    "problem_type": "信息不更新",
    "description": "通知公告栏目半年没有更新",
    "url": "http://www.jia.gov.cn/tzgg/",
}


# -- the inbox --------------------------------------------------------------------------------------


def test_inbox_by_role(seeded):
    store, _ids = seeded
    expected = {
        "admin": {"M-A1", "M-B1", "M-X1"},
        "viewer": {"M-A1", "M-B1", "M-X1"},
        "jia_op": {"M-A1"},
        "yi_op": {"M-B1"},
        "yi_sup": {"M-B1"},
    }
    for username, numbers in expected.items():
        client = client_for(store)
        login(client, username)
        page = client.get("/jiucuo")
        assert page.status_code == 200
        assert set(_numbers(page.text)) == numbers, username


def test_inbox_shows_routing_deadlines_estimate_and_overdue(seeded):
    client = client_for(seeded[0])
    login(client, "admin")
    html = client.get("/jiucuo").text
    rows = {n: row for row in re.findall(r"<tr.*?</tr>", html, re.S) for n in _numbers(row)}
    # 2026-11-02 (Mon) + 3 working days = 2026-11-05; past, so the row is highlighted
    assert 'class="overdue"' in rows["M-A1"] and "2026年11月5日" in rows["M-A1"] and "超期" in rows["M-A1"]
    assert "甲县人民政府" in rows["M-A1"] and "甲县政府办" in rows["M-A1"]
    assert "2031年3月6日（估算）" in rows["M-B1"] and "overdue" not in rows["M-B1"]
    assert "未匹配网站" in rows["M-X1"]
    overdue_only = client.get("/jiucuo", params={"overdue": "1"}).text
    assert set(_numbers(overdue_only)) == {"M-A1", "M-X1"}
    assert _numbers(client.get("/jiucuo", params={"region": "乙市"}).text) == ["M-B1"]
    assert _numbers(client.get("/jiucuo", params={"q": "未知网站"}).text) == ["M-X1"]


def test_citizen_text_is_data_not_markup(seeded):
    client = client_for(seeded[0])
    login(client, "admin")
    for path in ("/jiucuo", "/jiucuo/m/M-A1"):
        html = client.get(path).text
        assert "<script>window.pwned" not in html
        assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in html


def test_message_page_and_operator_404(seeded):
    store, _ids = seeded
    client = client_for(store)
    login(client, "jia_op")
    page = client.get("/jiucuo/m/M-A1")
    assert page.status_code == 200 and "办理记录" in page.text and JIA_TYPO in page.text
    for other in ("M-B1", "M-X1", "NO-SUCH"):
        refused = client.get(f"/jiucuo/m/{other}")
        assert refused.status_code == 404 and "首页打不开" not in refused.text


def test_bulk_change_with_csrf_and_history(seeded):
    store, _ids = seeded
    wf.add_message(store, Message("M-A2", dt.datetime(2026, 11, 10, 9), url="http://www.jia.gov.cn/"))
    client = client_for(store)
    login(client, "admin")
    token = csrf_of(client.get("/jiucuo").text)
    form = {"number": ["M-A1", "M-A2"], "to": "已转办"}
    assert client.post("/jiucuo/bulk", data=form).status_code == 403
    done = client.post("/jiucuo/bulk", data={**form, "csrf_token": token})
    assert done.status_code == 200 and "已将2条留言变为“已转办”" in done.text
    with store.unit_of_work() as uow:
        for number in ("M-A1", "M-A2"):
            m = uow.jiucuo.get(number)
            assert m.status == "已转办" and m.history[-1].who == "admin"
    # M-X1 is not routed: forwarding it is refused with the reason, the others are not touched
    partial = client.post("/jiucuo/bulk", data={"number": ["M-X1"], "to": "已转办", "csrf_token": token})
    assert partial.status_code == 400 and "转办须指定受理网站" in partial.text
    audit = client.get("/admin/audit").text
    assert "找错留言办理" in audit and "M-A1" in audit


def test_operator_answers_their_message(seeded):
    store, _ids = seeded
    wf.change_message(store, "M-A1", "已转办", who="sup", when=dt.datetime(2026, 11, 3, 9, 0))
    client = client_for(store)
    login(client, "jia_op")
    page = client.get("/jiucuo/m/M-A1")
    token = csrf_of(page.text)
    assert re.findall(r'<option value="([^"]+)">', page.text.split('name="to"')[1].split("</select>")[0]) == [
        "已受理", "待转办", "不予受理",
    ]  # fmt: skip
    url = "/jiucuo/m/M-A1/status"
    assert client.post(url, data={"to": "已受理", "csrf_token": token}).status_code == 303
    no_result = client.post(url, data={"to": "已办结", "csrf_token": token})
    assert no_result.status_code == 400 and "办结须填写办理结果" in no_result.text
    closed = client.post(url, data={"to": "已办结", "result": "已改正错别字", "csrf_token": token})
    assert closed.status_code == 303
    with store.unit_of_work() as uow:
        m = uow.jiucuo.get("M-A1")
    assert m.status == "已办结" and m.result == "已改正错别字" and m.history[-1].who == "jia_op"
    # not their message: not found, whatever the step
    assert client.post("/jiucuo/m/M-B1/status", data={"to": "已受理", "csrf_token": token}).status_code == 404


def test_operator_and_viewer_may_not_forward(seeded):
    store, _ids = seeded
    for username, status in (("jia_op", 403), ("viewer", 403)):
        client = client_for(store)
        login(client, username)
        token = csrf_of(client.get("/jiucuo/m/M-A1").text)
        refused = client.post("/jiucuo/m/M-A1/status", data={"to": "已转办", "csrf_token": token})
        assert refused.status_code == status and "当前账号不能" in refused.text
    with store.unit_of_work() as uow:
        assert uow.jiucuo.get("M-A1").status == "待转办"


def test_supervisor_routes_only_within_their_regions(seeded):
    store, _ids = seeded
    wf.add_message(store, Message("M-B2", dt.datetime(2026, 11, 10, 9), url="http://www.yi.gov.cn/"))
    client = client_for(store)
    login(client, "yi_sup")
    token = csrf_of(client.get("/jiucuo/m/M-B2").text)
    other = client.post(
        "/jiucuo/m/M-B2/status", data={"to": "已转办", "site": "http://www.jia.gov.cn/", "csrf_token": token}
    )
    assert other.status_code == 400 and "无权把留言转办到网站" in other.text
    own = client.post("/jiucuo/m/M-B2/status", data={"to": "已转办", "csrf_token": token})
    assert own.status_code == 303
    # a message submitted after "now" (an estimated-year one here) cannot be handled before it
    early = client.post("/jiucuo/m/M-B1/status", data={"to": "已转办", "csrf_token": token})
    assert early.status_code == 400 and "操作时间早于上一步" in early.text


# -- the public intake ------------------------------------------------------------------------------


def test_public_form_needs_no_account_and_confirms(seeded):
    store, ids = seeded
    client = client_for(store)
    page = client.get("/jiucuo/public", params={"site": "http://www.jia.gov.cn/"})
    assert page.status_code == 200 and 'value="http://www.jia.gov.cn/"' in page.text
    done = _public_post(client, **GOOD)
    assert done.status_code == 200 and "您的留言已提交" in done.text
    number = re.search(r'class="number">(ZC\d{14})<', done.text).group(1)
    assert "甲县政府办" in done.text and "办理期限为" in done.text
    with store.unit_of_work() as uow:
        m = uow.jiucuo.get(number)
    assert m.status == "待转办" and m.site_id == str(ids["a"]) and m.url == GOOD["url"]
    assert m.description == GOOD["description"] and m.problem_type == "信息不更新"


def test_public_form_validation_in_chinese(seeded):
    store, _ids = seeded
    client = client_for(store)
    bad = _public_post(
        client,
        site="http://www.nowhere.gov.cn/",
        problem_type="乱填",
        description="短",
        url="javascript:alert(1)",
    )
    assert bad.status_code == 400
    for text in ("网站库中没有", "请选择问题类型", "出错网址应以 http:// 或 https:// 开头", "至少5个字"):
        assert text in bad.text
    too_long = _public_post(client, **{**GOOD, "description": "长" * 2001})
    assert too_long.status_code == 400 and "问题描述不能超过2000个字" in too_long.text
    empty = _public_post(client)
    assert empty.status_code == 400 and "请填写网站网址或网站标识码" in empty.text
    with store.unit_of_work() as uow:
        assert uow.jiucuo.numbers() == {"M-A1", "M-B1", "M-X1"}


def test_public_form_needs_its_csrf_token(seeded):
    client = client_for(seeded[0])
    assert client.post("/jiucuo/public", data=GOOD).status_code == 403
    client.get("/jiucuo/public")
    assert client.post("/jiucuo/public", data={**GOOD, "csrf_token": "forged"}).status_code == 403


def test_public_submissions_are_rate_limited(seeded):
    store, _ids = seeded
    client = client_for(store, replace(Settings(out_dir=None), jiucuo_public_limit=2))
    assert _public_post(client, **GOOD).status_code == 200
    assert client.post("/api/public/jiucuo", json={**GOOD}).status_code == 201  # one limit for both doors
    limited = _public_post(client, **GOOD)
    assert limited.status_code == 429 and "提交过于频繁，请10分钟后再试" in limited.text
    api = client.post("/api/public/jiucuo", json=GOOD)
    assert api.status_code == 429 and "提交过于频繁" in api.json()["detail"]
    with store.unit_of_work() as uow:
        assert len(uow.jiucuo.numbers()) == 5


def test_rate_limiter_window_slides():
    now = [0.0]
    limiter = RateLimiter(2, 60, clock=lambda: now[0], max_keys=2)
    assert limiter.hit("a") == 0 and limiter.hit("a") == 0
    assert limiter.hit("a") == 60
    assert limiter.hit("b") == 0  # per address
    now[0] = 30.0
    assert limiter.hit("a") == 30
    now[0] = 60.0
    assert limiter.hit("a") == 0  # the first two hits left the window
    limiter.hit("c")  # a third address: the least recently seen one ("b") is forgotten
    assert set(limiter._hits) == {"a", "c"}


def test_public_api_validates_and_limits_size(seeded):
    store, ids = seeded
    client = client_for(store)
    done = client.post("/api/public/jiucuo", json={**GOOD, "site": "http://www.yi.gov.cn/"})
    assert done.status_code == 201
    body = done.json()
    assert body["number"].startswith("ZC") and body["unit"] == "乙县政府办" and "办理期限" in body["message"]
    bad = client.post("/api/public/jiucuo", json={"site": "", "problem_type": "其他", "description": 5})
    assert bad.status_code == 422 and bad.json()["errors"] == ["字段 description 应为文本"]
    unknown = client.post("/api/public/jiucuo", json={**GOOD, "site": "9999999999"})
    assert unknown.status_code == 404 and "网站库中没有“9999999999”" in unknown.json()["detail"]
    huge = client.post("/api/public/jiucuo", json={**GOOD, "description": "x" * 40_000})
    assert huge.status_code == 413 and "提交内容过大" in huge.json()["detail"]
    form = client.post("/api/public/jiucuo", data=GOOD)
    assert form.status_code == 415


# -- the REST API -----------------------------------------------------------------------------------


def test_api_lists_and_changes_by_role(seeded):
    store, _ids = seeded
    client = client_for(store)
    jia = {"Authorization": f"Bearer {api_token(store, 'jia_op')}"}
    admin = {"Authorization": f"Bearer {api_token(store, 'admin')}"}
    viewer = {"Authorization": f"Bearer {api_token(store, 'viewer')}"}
    assert client.get("/api/jiucuo/messages").status_code == 401
    listed = client.get("/api/jiucuo/messages", headers=jia).json()
    assert [m["number"] for m in listed] == ["M-A1"]
    assert listed[0]["overdue"] is True and listed[0]["deadline"] == "2026-11-05"
    assert client.get("/api/jiucuo/messages/M-B1", headers=jia).status_code == 404
    b1 = client.get("/api/jiucuo/messages/M-B1", headers=admin).json()
    assert b1["deadline"] == "2031-03-06" and b1["deadline_estimated"] is True and b1["region"] == "乙市"
    overdue = client.get("/api/jiucuo/messages", params={"overdue": "true"}, headers=admin).json()
    assert [m["number"] for m in overdue] == ["M-A1", "M-X1"]

    url = "/api/jiucuo/messages/M-A1/status"
    assert client.post(url, json={"to": "已转办"}, headers=jia).status_code == 403
    assert client.post(url, json={"to": "已转办"}, headers=viewer).status_code == 403
    assert client.post(url, json={"to": "已转办"}, headers=admin).json()["status"] == "已转办"
    assert client.post(url, json={"to": "已受理"}, headers=jia).status_code == 200
    refused = client.post(url, json={"to": "已办结"}, headers=jia)
    assert refused.status_code == 400 and "办结须填写办理结果" in refused.json()["detail"]
    closed = client.post(url, json={"to": "已办结", "result": "已更正"}, headers=jia).json()
    assert closed["status"] == "已办结" and closed["working_days_left"] is None and not closed["overdue"]
    assert [c["to_status"] for c in closed["history"]] == ["已转办", "已受理", "已办结"]
    assert (
        client.post("/api/jiucuo/messages/M-B1/status", json={"to": "已受理"}, headers=jia).status_code == 404
    )


def test_public_limit_from_the_environment():
    settings = Settings.from_env(
        {"GOVINSPECT_JIUCUO_PUBLIC_LIMIT": "3", "GOVINSPECT_JIUCUO_PUBLIC_WINDOW": "60"}
    )
    assert (settings.jiucuo_public_limit, settings.jiucuo_public_window_s) == (3, 60.0)


def test_inbox_shows_a_bounded_page(seeded, monkeypatch):
    from govinspect.web import pages_jiucuo

    monkeypatch.setattr(pages_jiucuo, "INBOX_ROWS", 2)
    client = client_for(seeded[0])
    login(client, "admin")
    html = client.get("/jiucuo").text
    assert "3 条留言" in html and "显示前 2 条" in html and len(_numbers(html)) == 2
