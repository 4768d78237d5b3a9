"""The web app through FastAPI's TestClient: login, CSRF, throttling, roles on pages and API, escaping."""

from __future__ import annotations

import datetime as dt
import io
import shutil

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from govinspect.store import Store
from govinspect.store.models import LoginSessionRecord, StagedImportRecord
from govinspect.web import accounts, staging
from webutil import PASSWORD, SCRIPT_TEXT, api_token, client_for, csrf_of, login, seeded_store


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory):
    """Migrating and hashing five passwords takes seconds: done once, copied for each test."""
    path = tmp_path_factory.mktemp("web") / "template.db"
    store, ids = seeded_store(f"sqlite:///{path}")
    store.close()
    return path, ids


@pytest.fixture
def seeded(seeded_template, tmp_path):
    template, ids = seeded_template
    db = tmp_path / "web.db"
    shutil.copyfile(template, db)
    store = Store(f"sqlite:///{db}")
    yield store, ids
    store.close()


def test_pages_need_login(seeded):
    client = client_for(seeded[0])
    for path in ("/", "/sites", f"/sites/{seeded[1]['a']}", "/account"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_login_sets_httponly_lax_cookie_and_security_headers(seeded):
    client = client_for(seeded[0])
    response = login(client, "admin")
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    page = client.get("/")
    assert page.status_code == 200 and "总览" in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_wrong_password_then_throttled(seeded):
    client = client_for(seeded[0])
    for _ in range(5):
        assert login(client, "admin", "wrong-password").status_code == 401
    throttled = login(client, "admin", PASSWORD)
    assert throttled.status_code == 429 and "次数过多" in throttled.text


def test_login_without_csrf_is_refused(seeded):
    client = client_for(seeded[0])
    client.get("/login")
    response = client.post("/login", data={"username": "admin", "password": PASSWORD})
    assert response.status_code == 403


def test_post_without_csrf_token_is_refused(seeded):
    store, ids = seeded
    client = client_for(store)
    login(client, "admin")
    assert client.post(f"/sites/{ids['a']}/check", data={}).status_code == 403
    assert client.post("/account/tokens", data={"name": "x"}).status_code == 403
    assert client.post("/account/tokens", data={"name": "x", "csrf_token": "forged"}).status_code == 403


def test_logout_ends_the_session(seeded):
    client = client_for(seeded[0])
    login(client, "admin")
    token = csrf_of(client.get("/").text)
    copied = TestClient(client.app, follow_redirects=False)
    copied.cookies.update(client.cookies)  # the same cookie in another browser
    assert copied.get("/").status_code == 200
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/").status_code == 303
    assert copied.get("/").status_code == 303  # the session is over on the server, not just forgotten


def test_sessions_listed_and_the_other_ones_ended(seeded):
    store, _ = seeded
    phone, laptop = client_for(store), client_for(store)
    login(phone, "viewer")
    login(laptop, "viewer")
    page = laptop.get("/account").text
    assert page.count("<tr><td>") >= 2 and "当前会话" in page and "退出其他会话" in page
    token = csrf_of(page)
    assert laptop.post("/account/sessions/end-others", data={}).status_code == 403  # no CSRF
    ended = laptop.post("/account/sessions/end-others", data={"csrf_token": token})
    assert ended.status_code == 200 and "已退出其他1个会话" in ended.text
    assert laptop.get("/account").status_code == 200 and phone.get("/account").status_code == 303


def test_an_idle_or_old_session_is_over(seeded):
    store, _ = seeded
    with store.unit_of_work() as uow:
        user = next(u for u in accounts.list_users(uow) if u.username == "viewer")
        sid = accounts.open_session(uow, user)
        start = uow.session.scalar(select(LoginSessionRecord.created_at))
    at = start + dt.timedelta(hours=1)
    with store.unit_of_work() as uow:
        assert accounts.session_user(uow, sid, at) == user  # active an hour later
    with store.unit_of_work() as uow:
        assert accounts.session_user(uow, sid, at + dt.timedelta(hours=1, minutes=59)) == user
    with store.unit_of_work() as uow:  # 7 h 59 min after login, but idle for over two hours
        assert accounts.session_user(uow, sid, at + dt.timedelta(hours=6, minutes=59)) is None
        assert accounts.session_user(uow, sid, at) is None  # and deleted
    with store.unit_of_work() as uow:
        sid = accounts.open_session(uow, user)
        start = uow.session.scalar(select(func.max(LoginSessionRecord.created_at)))
    for hours in range(1, 8):  # kept busy, it still ends after a working day
        with store.unit_of_work() as uow:
            assert accounts.session_user(uow, sid, start + dt.timedelta(hours=hours)) == user
    with store.unit_of_work() as uow:
        assert accounts.session_user(uow, sid, start + dt.timedelta(hours=8, minutes=1)) is None


def test_open_redirect_after_login_is_refused(seeded):
    client = client_for(seeded[0])
    token = csrf_of(client.get("/login").text)
    data = {"username": "admin", "password": PASSWORD, "csrf_token": token, "next": "//evil.example/"}
    assert client.post("/login", data=data).headers["location"] == "/"


def test_site_page_shows_veto_evidence_escaped(seeded):
    store, ids = seeded
    client = client_for(store)
    login(client, "admin")
    page = client.get(f"/sites/{ids['a']}")
    assert page.status_code == 200
    assert "首页发现隐藏的赌博链接" in page.text and "单项否决" in page.text
    assert "<script>window.pwned" not in page.text
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page.text
    assert 'href="javascript:' not in page.text  # a crawled javascript: URL stays text
    assert 'rel="noopener noreferrer"' in page.text


def test_operator_sees_only_own_sites_by_page(seeded):
    store, ids = seeded
    client = client_for(store)
    login(client, "yi_op")
    assert client.get(f"/sites/{ids['a']}").status_code == 404
    assert client.get(f"/inspections/{ids['inspection_a']}/report.html").status_code == 404
    assert client.get(f"/sites/{ids['b']}").status_code == 200
    listing = client.get("/sites").text
    assert "乙县人民政府" in listing and "甲县人民政府" not in listing
    token = csrf_of(listing)
    assert client.post(f"/sites/{ids['a']}/check", data={"csrf_token": token}).status_code == 404


def test_supervisor_sees_sites_of_their_regions(seeded):
    store, ids = seeded
    client = client_for(store)
    login(client, "yi_sup")
    assert client.get(f"/sites/{ids['a']}").status_code == 404
    assert client.get(f"/sites/{ids['b']}").status_code == 200


def test_viewer_cannot_start_an_inspection_or_import(seeded):
    store, ids = seeded
    client = client_for(store)
    login(client, "viewer")
    page = client.get(f"/sites/{ids['a']}")
    assert page.status_code == 200 and "立即检查" not in page.text
    assert client.post(f"/sites/{ids['a']}/check", data={"csrf_token": csrf_of(page.text)}).status_code == 403
    assert client.get("/registry/import").status_code == 403


def test_downloads_in_every_format(seeded):
    store, ids = seeded
    client = client_for(store)
    login(client, "jia_op")
    for fmt, magic in (("html", b"<!DOCTYPE"), ("xlsx", b"PK"), ("docx", b"PK"), ("json", b"{")):
        response = client.get(f"/inspections/{ids['inspection_a']}/report.{fmt}")
        assert response.status_code == 200, fmt
        assert response.content.lstrip()[: len(magic)].upper() == magic.upper(), fmt
        assert "attachment" in response.headers["content-disposition"]


def test_sites_search_filter_and_sort(seeded):
    store, _ = seeded
    client = client_for(store)
    login(client, "admin")
    assert "乙县人民政府" not in client.get("/sites", params={"q": "jia"}).text
    failing = client.get("/sites", params={"verdict": "fail"}).text
    assert "甲县人民政府" in failing and "乙县人民政府" not in failing
    never = client.get("/sites", params={"verdict": "none"}).text
    assert "乙县人民政府" in never and "甲县人民政府" not in never
    by_region = client.get("/sites", params={"region": "乙市"}).text
    assert "乙县人民政府" in by_region and "甲县人民政府" not in by_region


def _xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_registry_import_previews_bad_rows_before_applying(seeded):
    store, _ = seeded
    client = client_for(store)
    login(client, "admin")
    token = csrf_of(client.get("/registry/import").text)
    data = _xlsx(
        [["名称", "网址"], ["丙县人民政府", "http://www.bing.gov.cn/"], ["坏行", "not a url at all"]]
    )
    files = {"file": ("名录.xlsx", data, "application/octet-stream")}
    preview = client.post("/registry/import", data={"csrf_token": token}, files=files)
    assert preview.status_code == 200
    assert "丙县人民政府" in preview.text and "有问题的行 <strong>1</strong>" in preview.text
    assert len(store.list_sites()) == 2  # nothing applied yet
    upload_id = preview.text.split('name="upload_id" value="')[1].split('"')[0]
    applied = client.post("/registry/import/apply", data={"csrf_token": token, "upload_id": upload_id})
    assert applied.status_code == 200 and "已导入 1 个网站" in applied.text
    assert {s.name for s in store.list_sites()} >= {"丙县人民政府"}
    audit = client.get("/admin/audit").text
    assert "导入网站名录" in audit


def test_a_staged_import_outlives_its_server_process_and_is_taken_once(seeded):
    store, _ = seeded
    before = client_for(store)
    login(before, "admin")
    token = csrf_of(before.get("/registry/import").text)
    files = {"file": ("名录.csv", "名称,网址\n丁县人民政府,http://www.ding.gov.cn/\n".encode(), "text/csv")}
    preview = before.post("/registry/import", data={"csrf_token": token}, files=files)
    upload_id = preview.text.split('name="upload_id" value="')[1].split('"')[0]
    after = client_for(store)  # another server process (or the same one restarted)
    login(after, "admin")
    other = csrf_of(after.get("/registry/import").text)
    applied = after.post("/registry/import/apply", data={"csrf_token": other, "upload_id": upload_id})
    assert applied.status_code == 200 and "已导入 1 个网站" in applied.text
    again = after.post("/registry/import/apply", data={"csrf_token": other, "upload_id": upload_id})
    assert again.status_code == 404 and "导入预览已失效" in again.text


def test_a_staged_import_is_its_uploaders_and_lives_an_hour(seeded):
    store, _ = seeded
    with store.unit_of_work() as uow:
        users = {u.username: u for u in accounts.list_users(uow)}
        token = staging.stage_upload(uow, users["admin"], "a.csv", ".csv", b"x")
        old = staging.stage_upload(uow, users["admin"], "b.csv", ".csv", b"y")
        staged = uow.session.scalar(select(StagedImportRecord).where(StagedImportRecord.filename == "b.csv"))
        staged.created_at -= dt.timedelta(minutes=61)
    with store.unit_of_work() as uow:
        assert staging.take_upload(uow, users["viewer"], token) is None  # not theirs, and not spent
        assert staging.take_upload(uow, users["admin"], old) is None  # over an hour old
        assert staging.take_upload(uow, users["admin"], token) == ("a.csv", ".csv", b"x")
        assert staging.take_upload(uow, users["admin"], token) is None


def test_registry_import_refuses_large_files(seeded):
    store, _ = seeded
    client = client_for(store)
    login(client, "admin")
    token = csrf_of(client.get("/registry/import").text)
    files = {"file": ("big.xlsx", b"PK" + b"0" * (3 * 1024 * 1024), "application/octet-stream")}
    response = client.post("/registry/import", data={"csrf_token": token}, files=files)
    assert response.status_code == 400 and "文件过大" in response.text


def test_request_body_limit(seeded):
    client = client_for(seeded[0])
    response = client.post("/login", content=b"x" * (6 * 1024 * 1024), headers={"content-type": "text/plain"})
    assert response.status_code == 413


def test_api_requires_a_token(seeded):
    client = client_for(seeded[0])
    assert client.get("/api/sites").status_code == 401
    assert client.get("/api/sites", headers={"Authorization": "Bearer gvi_nope"}).status_code == 401


def test_api_roles(seeded):
    store, ids = seeded
    client = client_for(store)
    op = {"Authorization": f"Bearer {api_token(store, 'yi_op')}"}
    assert [s["name"] for s in client.get("/api/sites", headers=op).json()] == ["乙县人民政府"]
    assert client.get(f"/api/sites/{ids['a']}", headers=op).status_code == 404
    assert client.get(f"/api/inspections/{ids['inspection_a']}", headers=op).status_code == 404
    assert client.get(f"/api/inspections/{ids['inspection_a']}/findings", headers=op).status_code == 404
    assert client.post(f"/api/sites/{ids['a']}/inspections", headers=op).status_code == 404
    admin = {"Authorization": f"Bearer {api_token(store, 'admin')}"}
    findings = client.get(f"/api/inspections/{ids['inspection_a']}/findings", headers=admin).json()
    assert (
        findings[0]["check"] == "security.spam_injection" and findings[0]["evidence"]["text"] == SCRIPT_TEXT
    )
    history = client.get(f"/api/sites/{ids['a']}/inspections", headers=admin).json()
    assert [h["id"] for h in history] == [ids["inspection_a"]] and history[0]["verdict"] == "fail"
    viewer = {"Authorization": f"Bearer {api_token(store, 'viewer')}"}
    assert client.post(f"/api/sites/{ids['a']}/inspections", headers=viewer).status_code == 403


def test_token_created_on_account_page_works_once_revoked_fails(seeded):
    store, _ = seeded
    client = client_for(store)
    login(client, "admin")
    page = client.post(
        "/account/tokens", data={"name": "对接", "csrf_token": csrf_of(client.get("/account").text)}
    )
    token = page.text.split('<code class="token">')[1].split("<")[0]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/sites", headers=headers).status_code == 200
    token_id = page.text.split("/account/tokens/")[1].split("/")[0]
    client.post(f"/account/tokens/{token_id}/delete", data={"csrf_token": csrf_of(page.text)})
    assert client.get("/api/sites", headers=headers).status_code == 401


def test_openapi_schema_lists_the_api_only(seeded):
    schema = client_for(seeded[0]).get("/api/openapi.json").json()
    assert set(schema["paths"]) >= {"/api/sites", "/api/sites/{site_id}", "/api/inspections/{inspection_id}"}
    assert all(p.startswith("/api/") for p in schema["paths"])


def test_admin_creates_an_operator(seeded):
    store, _ = seeded
    client = client_for(store)
    login(client, "admin")
    token = csrf_of(client.get("/admin/users").text)
    data = {"username": "new_op", "password": "short", "role": "网站主办单位", "csrf_token": token}
    assert client.post("/admin/users", data=data).status_code == 400
    data["password"] = "long-enough-password"
    assert client.post("/admin/users", data=data).status_code == 200
    other = client_for(store)
    assert login(other, "new_op", "long-enough-password").status_code == 303
    assert other.get("/admin/users").status_code == 403


def test_password_change_ends_the_other_sessions(seeded):
    store, _ = seeded
    phone, laptop = client_for(store), client_for(store)
    login(phone, "viewer")
    login(laptop, "viewer")
    token = csrf_of(laptop.get("/account").text)
    form = {"current": "wrong-password-1", "new": "new-password-2026", "repeat": "new-password-2026"}
    wrong = laptop.post("/account/password", data={**form, "csrf_token": token})
    assert wrong.status_code == 400 and "当前密码不正确" in wrong.text
    assert laptop.post("/account/password", data={**form, "current": PASSWORD}).status_code == 403  # no CSRF
    mismatch = laptop.post(
        "/account/password", data={**form, "current": PASSWORD, "repeat": "x" * 12, "csrf_token": token}
    )
    assert mismatch.status_code == 400 and "不一致" in mismatch.text
    changed = laptop.post("/account/password", data={**form, "current": PASSWORD, "csrf_token": token})
    assert changed.status_code == 200 and "密码已修改" in changed.text
    assert laptop.get("/account").status_code == 200  # this session goes on
    assert phone.get("/account").status_code == 303  # the other one is sent to log in again
    assert login(client_for(store), "viewer").status_code == 401
    assert login(client_for(store), "viewer", "new-password-2026").status_code == 303


def test_admin_deactivates_resets_and_cannot_lock_the_app_out(seeded):
    store, _ = seeded
    admin, op = client_for(store), client_for(store)
    login(admin, "admin")
    login(op, "jia_op")
    token = csrf_of(admin.get("/admin/users").text)
    with store.unit_of_work() as uow:
        ids = {u.username: u.id for u in accounts.list_users(uow)}
    bearer = {"Authorization": f"Bearer {api_token(store, 'jia_op')}"}
    assert op.get("/api/sites", headers=bearer).status_code == 200

    off = {"role": "网站主办单位", "organisers": "甲县政府办", "active": "0", "csrf_token": token}
    assert admin.post(f"/admin/users/{ids['jia_op']}", data=off).status_code == 200
    assert op.get("/account").status_code == 303  # the session ends at once
    assert op.get("/api/sites", headers=bearer).status_code == 401  # and the token
    assert login(client_for(store), "jia_op").status_code == 401

    on = {**off, "active": "1", "new_password": "reset-by-admin-9"}
    page = admin.post(f"/admin/users/{ids['jia_op']}", data=on)
    assert page.status_code == 200 and "已保存用户" in page.text
    assert login(client_for(store), "jia_op").status_code == 401
    assert login(client_for(store), "jia_op", "reset-by-admin-9").status_code == 303

    self_off = {"role": "管理员", "active": "0", "csrf_token": token}
    refused = admin.post(f"/admin/users/{ids['admin']}", data=self_off)
    assert refused.status_code == 400 and "不能停用自己的管理员账号" in refused.text
    assert admin.post(f"/admin/users/{ids['jia_op']}", data={**off, "csrf_token": ""}).status_code == 403
    with store.unit_of_work() as uow:
        actions = [(e.username, e.action, e.target) for e in accounts.audit_entries(uow)]
    assert ("admin", "修改用户", "jia_op") in actions
