"""抽查与通报, 整改, 问责 and 年度报表 through FastAPI's TestClient, on demo-farm sites (never the
internet): roles on pages and API, CSRF, escaping of crawled text, real Word and Excel downloads."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import time
from dataclasses import replace

import pytest
from docx import Document
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from conftest import farm_settings
from govinspect.demo import FarmServer, build_farm
from govinspect.model import Finding, Inspection
from govinspect.service import workflow as wf
from govinspect.store import Store
from govinspect.web import accounts, create_app
from webutil import PASSWORD, SCRIPT_TEXT, api_token, csrf_of, login

pytestmark = pytest.mark.filterwarnings("ignore")

QINGSHAN, LIHE, BAISHUI, SONGLIN = (
    "http://www.qingshan.gov.cn/",  # passes
    "http://www.lihe.gov.cn/",  # vetoed: home.stale
    "http://www.baishui.gov.cn/",  # a stored inspection whose crawled text carries <script>
    "http://www.songlin.gov.cn/",  # fails, in the other region
)


def _crafted(url: str, run_id: int) -> Inspection:
    finding = Finding(
        check="security.spam_injection",
        message=SCRIPT_TEXT,
        url=url,
        evidence={"text": SCRIPT_TEXT},
        severity="veto",
    )
    return Inspection(
        site_name="白水县人民政府",
        url=url,
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
def farm_world(tmp_path_factory):
    """(template db, ids, settings): four farm sites in two regions, users of every role, one run of
    all four inspected through the farm (白水 crafted), 整改 tasks opened; the farm keeps serving."""
    farm = build_farm(dt.date.today())
    path = tmp_path_factory.mktemp("workflow-web") / "template.db"
    store = Store(f"sqlite:///{path}")
    meta = {
        QINGSHAN: ("甲市", "青山县政府办"),
        LIHE: ("甲市", "李河市政府办"),
        BAISHUI: ("甲市", "白水县政府办"),
        SONGLIN: ("乙市", "松林县政府办"),
    }
    names = {s.url: s.name for s in farm.sites}
    ids = {
        url: store.upsert_site(names[url], url, region=region, organiser=org, level="县")
        for url, (region, org) in meta.items()
    }
    with store.unit_of_work() as uow:
        accounts.create_user(uow, "admin", PASSWORD, accounts.ADMIN)
        accounts.create_user(uow, "sup_jia", PASSWORD, accounts.SUPERVISOR, regions=["甲市"])
        accounts.create_user(uow, "sup_yi", PASSWORD, accounts.SUPERVISOR, regions=["乙市"])
        accounts.create_user(uow, "op_lihe", PASSWORD, accounts.OPERATOR, organisers=["李河市政府办"])
        accounts.create_user(uow, "op_qing", PASSWORD, accounts.OPERATOR, organisers=["青山县政府办"])
        accounts.create_user(uow, "viewer", PASSWORD, accounts.VIEWER)
    with FarmServer(farm) as server:
        settings = replace(farm_settings(farm, server), out_dir=None)
        params = wf.sample_parameters(
            ratio="1", count=None, by=[], min_per_group=0, seed="web", as_of=farm.as_of
        )
        run_id = wf.draw_run(store, params, "admin").run_id
        store.save_inspection(ids[BAISHUI], _crafted(BAISHUI, run_id), run_id=run_id)
        wf.inspect_run(store, settings, run_id)
        wf.open_rectify(store, run_id, opened=dt.date.today(), working_days=20, who="admin")
        tasks = {r.site_id: r.id for r in wf.list_rectify(store, run_id)}
        store.close()
        yield path, {**ids, "run": run_id, "tasks": tasks}, settings


@pytest.fixture
def world(farm_world, tmp_path):
    template, ids, settings = farm_world
    db = tmp_path / "web.db"
    shutil.copyfile(template, db)
    store = Store(f"sqlite:///{db}")
    yield store, ids, settings
    store.close()


@pytest.fixture
def client_of(world):
    """A logged-in TestClient per user name; the app's loop stays up so background jobs run."""
    store, _ids, settings = world
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


def _wait(client: TestClient, url: str, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = client.get(url).json()
        if job["state"] not in ("running",):
            return job
        time.sleep(0.3)
    raise AssertionError(f"{url} still running")


def _audit_actions(store: Store) -> list[tuple[str, str, str]]:
    with store.unit_of_work() as uow:
        return [(e.username, e.action, e.target) for e in accounts.audit_entries(uow)]


# -- 抽查与通报 -------------------------------------------------------------------------------------


def test_run_results_by_role(world, client_of):
    _store, ids, _settings = world
    run = ids["run"]
    page = client_of("admin").get(f"/runs/{run}")
    assert page.status_code == 200
    for name in ("李河市人民政府", "松林县人民政府", "青山县人民政府"):
        assert name in page.text
    assert "4</div><div>抽查网站" in page.text.replace("\n", "")

    jia = client_of("sup_jia").get(f"/runs/{run}")
    assert jia.status_code == 200 and "李河市人民政府" in jia.text and "松林县人民政府" not in jia.text
    yi = client_of("sup_yi").get(f"/runs/{run}")
    assert yi.status_code == 200 and "松林县人民政府" in yi.text and "李河市人民政府" not in yi.text

    operator = client_of("op_lihe")
    own = operator.get(f"/runs/{run}")
    assert own.status_code == 200 and "李河市人民政府" in own.text and "青山县人民政府" not in own.text
    assert operator.get(f"/runs/{run}/bulletin.docx").status_code == 403
    assert client_of("op_qing").get(f"/runs/{run}/bulletin").status_code == 403
    assert operator.get("/runs/99999").status_code == 404


def test_run_page_escapes_crawled_text(world, client_of):
    _store, ids, _settings = world
    client = client_of("admin")
    for path in (
        f"/runs/{ids['run']}",
        f"/runs/{ids['run']}/bulletin",
        f"/rectify/{ids['tasks'][ids[BAISHUI]]}",
    ):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "<script>window.pwned" not in page.text
        assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page.text


def test_bulletin_downloads_are_word_and_excel_limited_to_the_users_regions(world, client_of):
    _store, ids, _settings = world
    run = ids["run"]
    admin = client_of("admin")
    word = admin.get(f"/runs/{run}/bulletin.docx")
    assert word.status_code == 200 and "attachment" in word.headers["content-disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    cells = [c.text for t in Document(io.BytesIO(word.content)).tables for r in t.rows for c in r.cells]
    assert "本次共抽查网站4个" in text
    assert "李河市人民政府" in cells and "松林县人民政府" in cells and "青山县人民政府" not in cells

    excel = admin.get(f"/runs/{run}/bulletin.xlsx")
    book = load_workbook(io.BytesIO(excel.content), read_only=True)
    listed = [r for r in book["附件3 突出问题网站名单"].iter_rows(min_row=2, values_only=True)]
    assert sorted(r[2] for r in listed) == sorted(["李河市人民政府", "松林县人民政府", "白水县人民政府"])
    # a supervisor's 通报 covers the sites of their regions only
    jia = client_of("sup_jia").get(f"/runs/{run}/bulletin.docx")
    jia_cells = [c.text for t in Document(io.BytesIO(jia.content)).tables for r in t.rows for c in r.cells]
    assert "李河市人民政府" in jia_cells and "松林县人民政府" not in jia_cells
    assert admin.get(f"/runs/{run}/bulletin.pdf").status_code == 404


def test_create_run_needs_csrf_and_a_supervisor(world, client_of):
    _store, _ids, _settings = world
    form = {"ratio": "1", "seed": "x", "by": "level"}
    supervisor = client_of("sup_jia")
    assert supervisor.post("/runs", data=form).status_code == 403  # no CSRF token
    for name in ("viewer", "op_lihe"):
        client = client_of(name)
        token = csrf_of(client.get("/runs").text)
        assert "新建抽查" not in client.get("/runs").text
        assert client.post("/runs", data={**form, "csrf_token": token}).status_code == 403
    token = csrf_of(supervisor.get("/runs").text)
    bad = supervisor.post("/runs", data={"ratio": "0.5", "count": "2", "seed": "x", "csrf_token": token})
    assert bad.status_code == 400 and "二者选一" in bad.text
    too_many = supervisor.post("/runs", data={"count": "4", "seed": "x", "csrf_token": token})
    assert too_many.status_code == 400 and "超过可抽查的网站数3" in too_many.text  # 甲市 has 3


def test_supervisor_draws_from_own_region_and_follows_the_run(world, client_of):
    store, ids, _settings = world
    client = client_of("sup_jia")
    token = csrf_of(client.get("/runs").text)
    data = {"count": "1", "seed": "s1", "by": "region", "label": "专项抽查", "csrf_token": token}
    created = client.post("/runs", data=data)
    assert created.status_code == 303
    run_id = int(created.headers["location"].split("/")[2].split("#")[0])
    running = client.get(f"/runs/{run_id}")
    assert running.status_code == 200 and 'id="progress"' in running.text
    job = _wait(client, f"/runs/{run_id}/status")
    assert job["state"] == "done" and job["done"] == job["total"] == 1, job
    _run, members = wf.run_members(store, run_id)
    assert set(members) <= {ids[QINGSHAN], ids[LIHE], ids[BAISHUI]}
    assert all(v is not None for v in members.values())
    page = client.get(f"/runs/{run_id}")
    assert "检查完成" in page.text and "专项抽查" in page.text
    assert ("sup_jia", "创建抽查批次", f"抽查批次 {run_id}") in _audit_actions(store)
    # the other region's supervisor does not see it at all
    assert client_of("sup_yi").get(f"/runs/{run_id}").status_code == 404


# -- 整改 ------------------------------------------------------------------------------------------


def test_rectify_board_answer_and_decision(world, client_of):
    store, ids, _settings = world
    task = ids["tasks"][ids[LIHE]]
    board = client_of("sup_jia").get("/rectify")
    assert board.status_code == 200 and "李河市人民政府" in board.text and "松林县人民政府" not in board.text
    assert client_of("sup_yi").get(f"/rectify/{task}").status_code == 404

    other = client_of("op_qing")
    assert other.get(f"/rectify/{task}").status_code == 404
    operator = client_of("op_lihe")
    page = operator.get(f"/rectify/{task}")
    assert page.status_code == 200 and "提交说明" in page.text and "采纳</button>" not in page.text
    token = csrf_of(page.text)
    assert operator.post(f"/rectify/{task}/notes", data={"text": "首页已恢复更新"}).status_code == 403
    answered = operator.post(f"/rectify/{task}/notes", data={"text": "首页已恢复更新", "csrf_token": token})
    assert answered.status_code == 303
    # a supervisor or viewer does not answer for the site
    viewer = client_of("viewer")
    vtoken = csrf_of(viewer.get(f"/rectify/{task}").text)
    assert viewer.post(f"/rectify/{task}/notes", data={"text": "x", "csrf_token": vtoken}).status_code == 403

    supervisor = client_of("sup_jia")
    page = supervisor.get(f"/rectify/{task}")
    assert "首页已恢复更新" in page.text and "待审核" in page.text
    stoken = csrf_of(page.text)
    refused = supervisor.post(
        f"/rectify/{task}/notes/1/decision", data={"decision": "reject", "csrf_token": stoken}
    )
    assert refused.status_code == 400 and "须填写理由" in refused.text
    assert (
        operator.post(
            f"/rectify/{task}/notes/1/decision", data={"decision": "accept", "csrf_token": token}
        ).status_code
        == 403
    )
    accepted = supervisor.post(
        f"/rectify/{task}/notes/1/decision", data={"decision": "accept", "csrf_token": stoken}
    )
    assert accepted.status_code == 303
    assert "说明已采纳" in supervisor.get(f"/rectify/{task}").text
    actions = _audit_actions(store)
    assert ("op_lihe", "提交整改说明", f"整改任务 {task}") in actions
    assert ("sup_jia", "审核整改说明", f"整改任务 {task}") in actions


def test_overdue_tasks_are_highlighted(world, client_of):
    store, ids, _settings = world
    wf.open_rectify(store, ids["run"], opened=dt.date.today(), working_days=1)  # nothing new
    with store.unit_of_work() as uow:
        from govinspect.store.models import RectifyTaskRecord

        uow.session.get(RectifyTaskRecord, ids["tasks"][ids[SONGLIN]]).deadline = dt.date(2026, 1, 5)
    board = client_of("admin").get("/rectify?overdue=1")
    assert board.status_code == 200
    assert "松林县人民政府" in board.text and "李河市人民政府" not in board.text
    assert 'class="task overdue"' in board.text and "超期" in board.text


def test_recheck_runs_as_a_job(world, client_of):
    store, ids, _settings = world
    task = ids["tasks"][ids[LIHE]]
    operator = client_of("op_lihe")
    token = csrf_of(operator.get(f"/rectify/{task}").text)
    assert operator.post(f"/rectify/{task}/recheck", data={"csrf_token": token}).status_code == 403
    client = client_of("sup_jia")
    token = csrf_of(client.get(f"/rectify/{task}").text)
    assert client.post(f"/rectify/{task}/recheck", data={"csrf_token": token}).status_code == 303
    job = _wait(client, f"/rectify/{task}/status")
    assert job["state"] == "done" and "整改不到位" in job["message"], job
    page = client.get(f"/rectify/{task}")
    assert "复查记录" in page.text and "复查：整改不到位" in page.text
    actions = _audit_actions(store)
    assert ("sup_jia", "复查整改任务", f"整改任务 {task}") in actions
    assert ("sup_jia", "复查结果", f"整改任务 {task}") in actions


# -- API ---------------------------------------------------------------------------------------------


def test_api_runs_and_tasks_follow_the_role_rules(world, client_of):
    store, ids, _settings = world
    client = client_of("viewer")
    bearer = {
        name: {"Authorization": f"Bearer {api_token(store, name)}"}
        for name in ("admin", "op_lihe", "op_qing", "viewer", "sup_jia")
    }
    run = ids["run"]
    mine = client.get("/api/runs", headers=bearer["op_lihe"]).json()
    assert [(r["id"], r["sites"], r["failed"]) for r in mine] == [(run, 1, 1)]
    detail = client.get(f"/api/runs/{run}", headers=bearer["op_lihe"]).json()
    assert [s["name"] for s in detail["results"]] == ["李河市人民政府"]
    full = client.get(f"/api/runs/{run}", headers=bearer["admin"]).json()
    assert full["sites"] == 4 and full["passed"] == 1 and full["pass_rate"] == "25.00%"
    assert {s["verdict"] for s in full["results"]} == {"pass", "fail"}

    songlin_task = ids["tasks"][ids[SONGLIN]]
    lihe_task = ids["tasks"][ids[LIHE]]
    assert client.get(f"/api/rectify/{songlin_task}", headers=bearer["op_lihe"]).status_code == 404
    assert [t["id"] for t in client.get("/api/rectify", headers=bearer["op_lihe"]).json()] == [lihe_task]
    note = {"text": "已整改", "finding_keys": []}
    assert (
        client.post(f"/api/rectify/{lihe_task}/notes", json=note, headers=bearer["op_qing"]).status_code
        == 404
    )
    assert (
        client.post(f"/api/rectify/{lihe_task}/notes", json=note, headers=bearer["viewer"]).status_code == 403
    )
    answered = client.post(f"/api/rectify/{lihe_task}/notes", json=note, headers=bearer["op_lihe"])
    assert answered.status_code == 201 and answered.json()["notes"][0]["decision"] == "待审核"
    decision = {"accepted": False, "reason": "首页仍未更新"}
    assert (
        client.post(
            f"/api/rectify/{lihe_task}/notes/1/decision", json=decision, headers=bearer["op_lihe"]
        ).status_code
        == 403
    )
    decided = client.post(
        f"/api/rectify/{lihe_task}/notes/1/decision", json=decision, headers=bearer["sup_jia"]
    )
    assert decided.status_code == 200 and decided.json()["notes"][0]["decision"] == "不采纳"
    again = client.post(
        f"/api/rectify/{lihe_task}/notes/1/decision", json=decision, headers=bearer["sup_jia"]
    )
    assert again.status_code == 400 and "已审核" in again.json()["detail"]

    body = {"count": 9, "seed": "x"}
    assert client.post("/api/runs", json=body, headers=bearer["viewer"]).status_code == 403
    too_many = client.post("/api/runs", json=body, headers=bearer["sup_jia"])
    assert too_many.status_code == 400 and "超过可抽查的网站数3" in too_many.json()["detail"]


def test_api_creates_a_run_and_reports_progress(world, client_of):
    store, ids, _settings = world
    client = client_of("viewer")
    headers = {"Authorization": f"Bearer {api_token(store, 'sup_yi')}"}
    created = client.post("/api/runs", json={"ratio": "1", "seed": "api", "by": []}, headers=headers)
    assert created.status_code == 202, created.text
    run_id = created.json()["id"]
    assert [r["site_id"] for r in created.json()["results"]] == [ids[SONGLIN]]
    deadline = time.monotonic() + 120
    while client.get(f"/api/runs/{run_id}/progress", headers=headers).json()["state"] == "running":
        assert time.monotonic() < deadline
        time.sleep(0.3)
    done = client.get(f"/api/runs/{run_id}", headers=headers).json()
    assert done["status"] == "finished" and done["failed"] == 1

    # the failing site gets its 整改 task through the API, once
    opened = client.post(f"/api/runs/{run_id}/rectify", headers=headers)
    assert opened.status_code == 201, opened.text
    assert [(t["site_id"], t["run_id"], t["status"]) for t in opened.json()] == [
        (ids[SONGLIN], run_id, "整改中")
    ]
    assert client.post(f"/api/runs/{run_id}/rectify", headers=headers).json() == []
    assert ("sup_yi", "下发整改任务（API）", f"抽查批次 {run_id}") in _audit_actions(store)


def test_api_bulletin_download_and_task_opening_follow_the_role_rules(world, client_of):
    store, ids, _settings = world
    run = ids["run"]
    client = client_of("viewer")
    bearer = {
        name: {"Authorization": f"Bearer {api_token(store, name)}"}
        for name in ("admin", "op_lihe", "sup_jia", "viewer")
    }
    word = client.get(f"/api/runs/{run}/bulletin.docx", headers=bearer["sup_jia"])
    assert word.status_code == 200 and "attachment" in word.headers["content-disposition"]
    cells = [c.text for t in Document(io.BytesIO(word.content)).tables for r in t.rows for c in r.cells]
    assert "李河市人民政府" in cells and "松林县人民政府" not in cells
    excel = client.get(f"/api/runs/{run}/bulletin.xlsx", headers=bearer["admin"])
    book = load_workbook(io.BytesIO(excel.content), read_only=True)
    assert "附件3 突出问题网站名单" in book.sheetnames
    assert client.get(f"/api/runs/{run}/bulletin.docx", headers=bearer["op_lihe"]).status_code == 403
    assert client.get(f"/api/runs/{run}/bulletin.pdf", headers=bearer["admin"]).status_code == 422
    assert client.get(f"/api/runs/{run}/bulletin.docx").status_code == 401

    # the fixture opened the tasks already: nothing new, and only a supervisor of the whole run may ask
    assert client.post(f"/api/runs/{run}/rectify", headers=bearer["admin"]).json() == []
    assert client.post(f"/api/runs/{run}/rectify", headers=bearer["viewer"]).status_code == 403
    assert client.post(f"/api/runs/{run}/rectify", headers=bearer["op_lihe"]).status_code == 403
    refused = client.post(f"/api/runs/{run}/rectify", headers=bearer["sup_jia"])
    assert refused.status_code == 403 and "其他地区" in refused.json()["detail"]


# -- 问责 and 年度报表 ----------------------------------------------------------------------------------


def test_accountability_list_and_add(world, client_of):
    store, ids, _settings = world
    assert client_of("op_lihe").get("/accountability").status_code == 403
    viewer = client_of("viewer")
    assert "登记问责" not in viewer.get("/accountability").text
    supervisor = client_of("sup_jia")
    page = supervisor.get("/accountability")
    token = csrf_of(page.text)
    record = {"person": "张三<b>", "unit": "李河市政府办", "form": "约谈", "date": "2026-11-20",
              "reason": "首页长期不更新", "site": str(ids[LIHE]), "run": str(ids["run"])}  # fmt: skip
    assert supervisor.post("/accountability", data=record).status_code == 403
    assert supervisor.post("/accountability", data={**record, "csrf_token": token}).status_code == 303
    bad = supervisor.post("/accountability", data={**record, "form": "罚款", "csrf_token": token})
    assert bad.status_code == 400
    other = supervisor.post(
        "/accountability", data={**record, "site": str(ids[SONGLIN]), "csrf_token": token}
    )
    assert other.status_code == 404  # a site outside the supervisor's regions
    listing = supervisor.get("/accountability?year=2026").text
    assert "张三&lt;b&gt;" in listing and "李河市人民政府" in listing
    counts = wf.accountability_counts(store, 2026)
    assert counts[3].by_form["约谈"] == 1
    assert "张三" not in client_of("sup_yi").get("/accountability?year=2026").text
    assert ("sup_jia", "登记问责记录") in [a[:2] for a in _audit_actions(store)]


def test_annual_report_fill_and_download(world, client_of):
    store, ids, _settings = world
    admin = client_of("admin")
    page = admin.get("/annual?year=2026&kind=supervision")
    assert page.status_code == 200 and "政府网站监管年度报表" in page.text
    token = csrf_of(page.text)
    form = {"csrf_token": token, "year": "2026", "kind": "supervision", "cell:人员培训/培训次数": "3"}
    assert admin.post("/annual", data={k: v for k, v in form.items() if k != "csrf_token"}).status_code == 403
    saved = admin.post("/annual", data={**form, "cell:填报单位": "某省政务公开办"})
    assert saved.status_code == 200 and "已保存 2 项" in saved.text
    assert wf.annual_report(store, 2026, "supervision").subject == "某省政务公开办"
    unchanged = admin.post("/annual", data=form)
    assert "已保存" not in unchanged.text  # nothing changed, nothing written
    assert "填写年度报表" in [a[1] for a in _audit_actions(store)]
    excel = admin.get("/annual/2026/supervision.xlsx")
    book = load_workbook(io.BytesIO(excel.content))
    values = [c for row in book.active.iter_rows(values_only=True) for c in row]
    assert 3 in values and "培训次数" in values
    word = admin.get("/annual/2026/supervision.docx")
    assert Document(io.BytesIO(word.content)).paragraphs

    operator = client_of("op_lihe")
    assert operator.get("/annual?year=2026&kind=supervision").status_code == 403
    assert operator.get(f"/annual?year=2026&kind=work&site={ids[SONGLIN]}").status_code == 404
    own = operator.get(f"/annual?year=2026&kind=work&site={ids[LIHE]}")
    assert own.status_code == 200 and "工作年度报表" in own.text
    otoken = csrf_of(own.text)
    work = {"csrf_token": otoken, "year": "2026", "kind": "work", "site": str(ids[LIHE]),
            "cell:填报信息/填报人": "李四"}  # fmt: skip
    assert operator.post("/annual", data=work).status_code == 200
    assert wf.annual_report(store, 2026, "work", site=LIHE).value("填报信息/填报人") == "李四"
    viewer = client_of("viewer")
    vtoken = csrf_of(viewer.get("/annual?year=2026").text)
    assert viewer.post("/annual", data={**form, "csrf_token": vtoken}).status_code == 403


def test_a_regional_supervisor_sees_the_supervision_report_of_their_sites_only(world, client_of):
    store, ids, _settings = world
    year = dt.date.today().year
    assert wf.annual_report(store, year, "supervision").value("网站总数/网站总数") == 4
    jia = client_of("sup_jia")
    page = jia.get(f"/annual?year={year}&kind=supervision")
    assert page.status_code == 200 and "只计您负责地区（甲市）的网站" in page.text
    assert "保存填写" not in page.text  # the hand-entered cells are the organisation's (管理员)
    excel = jia.get(f"/annual/{year}/supervision.xlsx")
    rows = list(load_workbook(io.BytesIO(excel.content)).active.iter_rows(values_only=True))
    total = next(r for r in rows if "网站总数" in r and any(isinstance(c, int) for c in r))
    assert 3 in total and 4 not in total  # 青山, 李河, 白水 of 甲市; not 乙市's 松林
    form = {"csrf_token": csrf_of(page.text), "year": str(year), "kind": "supervision",
            "cell:人员培训/培训次数": "9"}  # fmt: skip
    assert jia.post("/annual", data=form).status_code == 403
    assert wf.annual_report(store, year, "supervision").value("人员培训/培训次数") != 9


def test_ratio_is_read_as_a_share_or_a_percentage(world, client_of):
    _store, _ids, _settings = world
    client = client_of("sup_jia")
    token = csrf_of(client.get("/runs").text)
    for ratio, message in (("abc", "无法识别"), ("nan", "无法识别"), ("30", "不超过1")):
        refused = client.post("/runs", data={"ratio": ratio, "seed": "x", "csrf_token": token})
        assert refused.status_code == 400 and message in refused.text, ratio
        assert f'value="{ratio}"' in refused.text  # the form keeps what was typed


def test_an_unfinished_run_is_continued_from_its_page(world, client_of):
    store, ids, _settings = world
    params = wf.sample_parameters(
        ratio="1", count=None, by=[], min_per_group=0, seed="later", as_of=dt.date.today(), regions=["甲市"]
    )
    drawn = wf.draw_run(store, params, "sup_jia")  # drawn, never inspected (as after a restart)
    assert drawn.sites == 3
    client = client_of("sup_jia")
    page = client.get(f"/runs/{drawn.run_id}")
    assert "尚有 3 个网站未检查" in page.text and "继续检查" in page.text
    viewer = client_of("viewer")
    vtoken = csrf_of(viewer.get(f"/runs/{drawn.run_id}").text)
    assert viewer.post(f"/runs/{drawn.run_id}/continue", data={"csrf_token": vtoken}).status_code == 403
    token = csrf_of(page.text)
    assert client.post(f"/runs/{drawn.run_id}/continue", data={"csrf_token": token}).status_code == 303
    job = _wait(client, f"/runs/{drawn.run_id}/status")
    assert job["state"] == "done" and job["done"] == 3, job
    _run, members = wf.run_members(store, drawn.run_id)
    assert _run.status == "finished" and set(members) == {ids[QINGSHAN], ids[LIHE], ids[BAISHUI]}


def test_bulk_recheck_from_the_board(world, client_of):
    store, ids, _settings = world
    lihe, songlin = ids["tasks"][ids[LIHE]], ids["tasks"][ids[SONGLIN]]
    jia = client_of("sup_jia")
    token = csrf_of(jia.get("/rectify").text)
    # a task outside the supervisor's regions is not found, even among others
    assert (
        jia.post("/rectify/recheck", data={"task": [lihe, songlin], "csrf_token": token}).status_code == 404
    )
    assert jia.post("/rectify/recheck", data={"task": [lihe]}).status_code == 403  # no CSRF token
    admin = client_of("admin")
    board = admin.get("/rectify")
    assert f'name="task" value="{lihe}"' in board.text
    started = admin.post(
        "/rectify/recheck", data={"task": [lihe, songlin], "csrf_token": csrf_of(board.text)}
    )
    assert started.status_code == 303
    job = _wait(admin, f"/rectify/{songlin}/status")
    assert job["state"] == "done" and job["done"] == 2, job
    assert "李河市人民政府 整改不到位" in job["message"] and "松林县人民政府 整改不到位" in job["message"]
    assert admin.get(f"/rectify/{lihe}/status").json() == job  # one job for both tasks
    results = [a for a in _audit_actions(store) if a[1] == "复查结果"]
    assert sorted(a[2] for a in results) == sorted([f"整改任务 {lihe}", f"整改任务 {songlin}"])
    assert "复查所选任务" not in client_of("viewer").get("/rectify").text


def test_bulletin_page_shows_new_media_by_platform_as_text_and_limited_to_the_region(world, client_of):
    store, ids, _settings = world
    with store.unit_of_work() as uow:
        for platform, account, name, organiser, verdict in (
            ("微信公众号", "lihe-wx", SCRIPT_TEXT, "李河市政府办", "fail"),
            ("微博", "songlin-wb", "松林发布", "松林县政府办", "pass"),
        ):
            row = {"platform": platform, "account_id": account, "name": name, "organiser": organiser}
            row |= {"connector_status": "ok", "verdict": verdict, "vetoes": [], "findings": []}
            uow.newmedia_checks.add(dt.date.today(), row)
    page = client_of("admin").get(f"/runs/{ids['run']}/bulletin")
    assert "附件4　政务新媒体分平台检查情况" in page.text and "检查政务新媒体账号2个" in page.text
    assert "<script>window.pwned" not in page.text and "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page.text
    # 乙市's supervisor: the 松林 account only (its organiser runs a site of theirs)
    yi = client_of("sup_yi").get(f"/runs/{ids['run']}/bulletin")
    assert "检查政务新媒体账号1个" in yi.text and "window.pwned" not in yi.text
    # the run's API gives the same rates per platform
    bearer = {"Authorization": f"Bearer {api_token(store, 'admin')}"}
    detail = client_of("admin").get(f"/api/runs/{ids['run']}", headers=bearer).json()
    assert detail["newmedia"] == [
        {"platform": "微信公众号", "checked": 1, "passed": 0, "failed": 1, "unverified": 0, "pass_rate": "0.00%"},
        {"platform": "微博", "checked": 1, "passed": 1, "failed": 0, "unverified": 0, "pass_rate": "100.00%"},
    ]
