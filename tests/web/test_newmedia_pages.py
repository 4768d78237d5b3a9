"""政务新媒体 pages and API through FastAPI's TestClient, on the demo farm's new-media feeds served
on 127.0.0.1 (never the internet): import, 「立即检查」 against the farm's truth, roles, escaping, CSRF."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from govinspect.demo import FarmServer
from govinspect.demo.newmedia import build_newmedia_farm, newmedia_only_farm, registry_csv
from govinspect.fetch.settings import FetchSettings
from govinspect.newmedia.service import import_accounts
from govinspect.settings import Settings
from govinspect.store import Store
from govinspect.store.models import NewMediaAccountRecord, NewMediaCheckRecord
from govinspect.web import accounts, create_app
from webutil import PASSWORD, SCRIPT_TEXT, api_token, csrf_of, login

pytestmark = pytest.mark.filterwarnings("ignore")

QINGSHAN_ORG = "青山县人民政府办公室"
SONGLIN_ORG = "松林县政府办"
SONGLIN_ACCOUNTS = ("qs_advert", "qs_typo")  # moved to the other organisation in this test's registry


def _registry(nm) -> str:
    """The farm's registry with two accounts belonging to 松林 (a site in 乙市)."""
    lines = registry_csv(nm).splitlines()
    out = [
        line.replace(QINGSHAN_ORG, SONGLIN_ORG) if any(f",{a}," in line for a in SONGLIN_ACCOUNTS) else line
        for line in lines
    ]
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def farm_world(tmp_path_factory):
    """(template db, settings, farm, registry CSV): two sites in two regions, users of every role,
    the registry imported; the farm's feeds keep being served."""
    tmp = tmp_path_factory.mktemp("newmedia-web")
    nm = build_newmedia_farm(dt.date.today(), tmp / "manual.csv")
    nm.write_manual()
    registry = _registry(nm)
    (tmp / "accounts.csv").write_text(registry, encoding="utf-8")
    path = tmp / "template.db"
    store = Store(f"sqlite:///{path}")
    store.upsert_site("青山县人民政府", "http://www.qingshan.gov.cn/", region="甲市", organiser=QINGSHAN_ORG)
    store.upsert_site("松林县人民政府", "http://www.songlin.gov.cn/", region="乙市", organiser=SONGLIN_ORG)
    with store.unit_of_work() as uow:
        accounts.create_user(uow, "admin", PASSWORD, accounts.ADMIN)
        accounts.create_user(uow, "sup_jia", PASSWORD, accounts.SUPERVISOR, regions=["甲市"])
        accounts.create_user(uow, "sup_yi", PASSWORD, accounts.SUPERVISOR, regions=["乙市"])
        accounts.create_user(uow, "op_qing", PASSWORD, accounts.OPERATOR, organisers=[QINGSHAN_ORG])
        accounts.create_user(uow, "op_song", PASSWORD, accounts.OPERATOR, organisers=[SONGLIN_ORG])
        accounts.create_user(uow, "viewer", PASSWORD, accounts.VIEWER)
    import_accounts(store, tmp / "accounts.csv")
    store.close()
    with FarmServer(newmedia_only_farm(nm)) as server:
        settings = replace(
            Settings(),
            as_of=nm.as_of,
            fetch=FetchSettings(timeout_s=5.0, proxy=server.proxy_url, trust_env=False),
            newmedia_delay_s=0.0,
            out_dir=None,
        )
        yield path, settings, nm, registry


@pytest.fixture
def world(farm_world, tmp_path):
    template, settings, nm, registry = farm_world
    db = tmp_path / "web.db"
    shutil.copyfile(template, db)
    store = Store(f"sqlite:///{db}")
    yield store, settings, nm, registry
    store.close()


@pytest.fixture
def client_of(world):
    """A logged-in TestClient per user name; the app's loop stays up so background jobs run."""
    store, settings, _nm, _registry = world
    app = create_app(store, settings)
    clients = []

    def make(username: str) -> TestClient:
        client = TestClient(app, follow_redirects=False)
        client.__enter__()
        clients.append(client)
        assert login(client, username).status_code == 303
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def _ids(store: Store) -> dict[str, int]:
    """Registry id by the platform's account id."""
    with store.unit_of_work() as uow:
        return {r.account_id: r.id for r in uow.session.query(NewMediaAccountRecord)}


def _wait(client: TestClient, url: str = "/newmedia/status", seconds: float = 180) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = client.get(url).json()
        if job["state"] != "running":
            return job
        time.sleep(0.3)
    raise AssertionError(f"{url} still running")


def _row(page: str, name: str) -> str:
    """The table row of one account on the list page."""
    start = page.index(f">{name}</a>")
    return page[page.rindex("<tr>", 0, start) : page.index("</tr>", start)]


def _audit_actions(store: Store) -> list[tuple[str, str, str]]:
    with store.unit_of_work() as uow:
        return [(e.username, e.action, e.target) for e in accounts.audit_entries(uow)]


def _crafted_check(store: Store, account_id: str) -> None:
    """A stored check whose crawled post text carries <script> and whose link is javascript:."""
    row = {
        "platform": "微信公众号",
        "account_id": account_id,
        "name": "x",
        "organiser": QINGSHAN_ORG,
        "connector_status": "ok",
        "detail": "",
        "last_post": "2026-11-30T09:30:00+08:00",
        "last_post_url": "javascript:alert(1)",
        "verdict": "fail",
        "vetoes": [],
        "findings": [
            {
                "check": "newmedia.advert",
                "message": SCRIPT_TEXT,
                "url": "javascript:alert(2)",
                "severity": "deduct",
                "points": 1,
                "evidence": {"text": SCRIPT_TEXT, "post": "http://rss.xinmeiti-demo.cn/p/1"},
            }
        ],
    }
    with store.unit_of_work() as uow:
        uow.newmedia_checks.add(dt.date.today(), row)


# -- 名录导入 ---------------------------------------------------------------------------------------


def test_import_is_all_or_nothing_and_names_every_bad_row(world, client_of):
    store, _settings, _nm, registry = world
    admin = client_of("admin")
    before = _ids(store)
    token = csrf_of(admin.get("/newmedia").text)
    bad = (
        "platform,account_id,name,organiser,feed_url,备案日期,status\n"
        "微信,new_ok,青山新账号,青山县人民政府办公室,https://x/1.xml,2026-01-01,运行\n"
        "飞信,qs2,青山二,青山县人民政府办公室,,2026-01-01,运行\n"
        "微博,,青山三,青山县人民政府办公室,,2026-13-01,停用\n"
    )
    files = {"file": ("名录.csv", bad.encode(), "text/csv")}
    refused = admin.post("/newmedia/import", data={"csrf_token": token}, files=files)
    assert refused.status_code == 400
    for text in ("第3行", "飞信", "第4行", "缺少account_id", "停用", "未导入"):
        assert text in refused.text, text
    assert _ids(store) == before and "青山新账号" not in admin.get("/newmedia").text

    # the same file without its bad rows is imported (one new account, the others updated)
    good = registry + "微信,new_ok,青山新账号,青山县人民政府办公室,https://x/1.xml,2026-01-01,运行\n"
    files = {"file": ("名录.csv", good.encode(), "text/csv")}
    done = admin.post("/newmedia/import", data={"csrf_token": token}, files=files)
    assert done.status_code == 200 and "新增1个" in done.text and f"共有{len(before) + 1}个账号" in done.text
    assert "new_ok" in _ids(store)
    assert ("admin", "导入政务新媒体名录", "名录.csv") in _audit_actions(store)

    # only 管理员 import, and never without the form's CSRF token
    assert admin.post("/newmedia/import", files=files).status_code == 403
    supervisor = client_of("sup_jia")
    stoken = csrf_of(supervisor.get("/newmedia").text)
    assert "导入名录" not in supervisor.get("/newmedia").text
    assert supervisor.post("/newmedia/import", data={"csrf_token": stoken}, files=files).status_code == 403


# -- 立即检查 ---------------------------------------------------------------------------------------


def test_check_now_matches_the_farm_truth(world, client_of):
    store, _settings, _nm, _registry = world
    ids = _ids(store)
    admin = client_of("admin")
    page = admin.get("/newmedia")
    assert page.status_code == 200 and "未检查" in page.text
    token = csrf_of(page.text)
    assert admin.post("/newmedia/check", data={}).status_code == 403  # no CSRF token
    started = admin.post("/newmedia/check", data={"csrf_token": token})
    assert started.status_code == 303 and started.headers["location"] == "/newmedia#progress"
    job = _wait(admin)
    assert job["state"] == "done" and job["done"] == job["total"] == len(ids), job
    assert "待人工核实" in job["message"]

    page = admin.get("/newmedia").text
    assert "合格" in _row(page, "青山发布") and "不合格" not in _row(page, "青山发布")
    stale = _row(page, "青山教育")
    assert "不合格" in stale and "政务新媒体不更新" in stale
    blocked = _row(page, "青山公安")  # Weibo answers HTTP 432
    assert "待人工核实" in blocked and "不合格" not in blocked and "被拦截或无法访问" in blocked
    broken = _row(page, "青山卫健")  # malformed feed
    assert "待人工核实" in broken and "不合格" not in broken
    assert "政务新媒体发布商业广告" in _row(page, "青山商务")  # a deduction, not a veto

    # filters: verdict and platform
    unverified = admin.get("/newmedia?verdict=unverified").text
    assert "青山公安" in unverified and "青山教育" not in unverified and "青山发布" not in unverified
    weibo = admin.get("/newmedia?platform=微博").text
    assert "青山公安" in weibo and "青山教育" not in weibo

    # the account page: the finding, the connector's own words, the history
    account = admin.get(f"/newmedia/{ids['5000000003']}")
    assert account.status_code == 200 and "待人工核实" in account.text and "不作为不合格处理" in account.text
    assert "432" in account.text  # the connector's detail (Chinese), shown as what it saw
    stale_page = admin.get(f"/newmedia/{ids['qs_stale']}").text
    assert "政务新媒体不更新" in stale_page and "检查记录" in stale_page
    actions = _audit_actions(store)
    assert ("admin", "检查政务新媒体", "政务新媒体") in actions
    assert ("admin", "政务新媒体检查结果", "政务新媒体") in actions


def test_supervisor_checks_only_their_accounts(world, client_of):
    store, _settings, _nm, _registry = world
    ids = _ids(store)
    viewer = client_of("viewer")
    vtoken = csrf_of(viewer.get("/newmedia").text)
    assert "立即检查" not in viewer.get("/newmedia").text
    assert viewer.post("/newmedia/check", data={"csrf_token": vtoken}).status_code == 403
    operator = client_of("op_song")
    otoken = csrf_of(operator.get("/newmedia").text)
    assert operator.post("/newmedia/check", data={"csrf_token": otoken}).status_code == 403

    supervisor = client_of("sup_yi")
    token = csrf_of(supervisor.get("/newmedia").text)
    # another region's account is not found, not even to check it
    refused = supervisor.post("/newmedia/check", data={"csrf_token": token, "account": str(ids["qs_fresh"])})
    assert refused.status_code == 404
    assert supervisor.post("/newmedia/check", data={"csrf_token": token}).status_code == 303
    job = _wait(supervisor)
    assert job["state"] == "done" and job["total"] == len(SONGLIN_ACCOUNTS), job
    listed = supervisor.get("/newmedia").text
    assert "青山商务" in listed and "青山发改" in listed and "青山发布" not in listed
    # nothing of 甲市 was checked: 青山发布 is still 未检查 for 管理员
    assert "未检查" in _row(client_of("admin").get("/newmedia").text, "青山发布")
    # another supervisor follows no job of theirs
    assert client_of("sup_jia").get("/newmedia/status").json()["state"] == "idle"


# -- roles, escaping, API ---------------------------------------------------------------------------


def test_roles_by_page_and_api(world, client_of):
    store, _settings, _nm, _registry = world
    ids = _ids(store)
    song, qing = ids["qs_advert"], ids["qs_fresh"]
    for name in ("admin", "viewer"):
        page = client_of(name).get("/newmedia").text
        assert "青山商务" in page and "青山发布" in page, name
    jia = client_of("sup_jia")
    assert "青山发布" in jia.get("/newmedia").text and "青山商务" not in jia.get("/newmedia").text
    assert jia.get(f"/newmedia/{song}").status_code == 404
    operator = client_of("op_song")
    own = operator.get("/newmedia").text
    assert "青山商务" in own and "青山发改" in own and "青山发布" not in own
    assert operator.get(f"/newmedia/{song}").status_code == 200
    assert operator.get(f"/newmedia/{qing}").status_code == 404
    assert operator.get("/newmedia/99999").status_code == 404
    assert "新媒体</a>" in own  # the nav entry

    bearer = {
        n: {"Authorization": f"Bearer {api_token(store, n)}"}
        for n in ("admin", "op_song", "op_qing", "sup_yi")
    }
    api = client_of("viewer")
    everything = api.get("/api/newmedia", headers=bearer["admin"]).json()
    assert {a["account_id"] for a in everything} == set(ids)
    mine = api.get("/api/newmedia", headers=bearer["op_song"]).json()
    assert sorted(a["account_id"] for a in mine) == sorted(SONGLIN_ACCOUNTS)
    assert all(a["verdict"] == "none" and a["latest_check"] is None for a in mine)
    assert api.get(f"/api/newmedia/{song}", headers=bearer["op_song"]).status_code == 200
    assert api.get(f"/api/newmedia/{song}", headers=bearer["op_qing"]).status_code == 404
    assert api.get(f"/api/newmedia/{qing}", headers=bearer["sup_yi"]).status_code == 404
    assert api.get("/api/newmedia").status_code == 401
    # an operator does not start checks through the API either
    assert api.post("/api/newmedia/check", headers=bearer["op_song"]).status_code == 403


def test_crawled_post_text_is_shown_as_text(world, client_of):
    store, _settings, _nm, _registry = world
    ids = _ids(store)
    _crafted_check(store, "qs_fresh")
    admin = client_of("admin")
    page = admin.get(f"/newmedia/{ids['qs_fresh']}")
    assert page.status_code == 200
    assert "<script>window.pwned" not in page.text
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page.text
    assert 'href="javascript:' not in page.text
    assert 'href="http://rss.xinmeiti-demo.cn/p/1" rel="noopener noreferrer"' in page.text
    listed = admin.get("/newmedia").text
    assert "<script>window.pwned" not in listed and "不合格" in _row(listed, "青山发布")
    detail = admin.get(
        f"/api/newmedia/{ids['qs_fresh']}", headers={"Authorization": f"Bearer {api_token(store, 'admin')}"}
    ).json()
    assert detail["latest_check"]["findings"][0]["message"] == SCRIPT_TEXT
    assert detail["history"][0]["verdict"] == "fail"


def test_site_page_lists_the_accounts_of_its_organiser(world, client_of):
    store, _settings, _nm, _registry = world
    _crafted_check(store, "qs_fresh")  # 青山发布's newest check: failed, its problem text carries <script>
    sites = {s.name: s.id for s in store.list_sites()}
    page = client_of("admin").get(f"/sites/{sites['松林县人民政府']}").text
    section = page[page.index("本单位政务新媒体") :]
    assert "青山商务" in section and "青山发改" in section and "青山发布" not in section
    qingshan = client_of("op_qing").get(f"/sites/{sites['青山县人民政府']}").text
    row = _row(qingshan[qingshan.index("本单位政务新媒体") :], "青山发布")
    assert "不合格" in row and "商业广告" in row and 'href="/newmedia/' in row
    assert "<script>window.pwned" not in qingshan and "青山商务" not in qingshan


def test_check_a_sample_by_platform_as_of_a_date(world, client_of):
    store, _settings, nm, _registry = world
    admin = client_of("admin")
    token = csrf_of(admin.get("/newmedia").text)
    bad = admin.post("/newmedia/check", data={"csrf_token": token, "sample": "三成"})
    assert bad.status_code == 400 and "抽查比例“三成”无法识别" in bad.text
    wrong_day = admin.post("/newmedia/check", data={"csrf_token": token, "as_of": "2026-02-30"})
    assert wrong_day.status_code == 400 and "检查日期“2026-02-30”无效" in wrong_day.text
    day = nm.as_of - dt.timedelta(days=1)
    form = {"csrf_token": token, "sample": "50%", "seed": "s", "as_of": day.isoformat()}
    assert admin.post("/newmedia/check", data=form).status_code == 303
    job = _wait(admin)
    registered = [c.account for c in nm.cases if c.account.registered and c.account.status == "运行"]
    per_platform = {p: sum(a.platform == p for a in registered) for p in {a.platform for a in registered}}
    assert job["state"] == "done" and job["total"] < len(registered), job
    assert job["total"] >= len(per_platform) - sum(n == 1 for n in per_platform.values())
    assert f"检查日 {day.isoformat()}" in job["message"]
    with store.unit_of_work() as uow:
        checked = uow.session.query(NewMediaCheckRecord).all()
    assert len(checked) == job["total"] and {c.as_of for c in checked} == {day}
    # the API takes the same options; a bad share is a 400 with the reason, never a crash
    headers = {"Authorization": f"Bearer {api_token(store, 'admin')}"}
    refused = admin.post("/api/newmedia/check?sample=2", headers=headers)
    assert refused.status_code == 422 and "不能大于 1.0" in refused.text
    too_early = admin.post("/api/newmedia/check?as_of=0001-01-01", headers=headers)
    assert too_early.status_code == 400 and "超出范围" in too_early.text
