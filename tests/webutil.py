"""Helpers of the web tests: a store with sites and one crafted inspection, users, a logged-in client."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient

from govinspect.model import Finding, Inspection
from govinspect.settings import Settings
from govinspect.store import Store
from govinspect.web import accounts, create_app

PASSWORD = "correct-horse-42"
SCRIPT_TEXT = "<script>window.pwned=1</script>“赌博”"


def seeded_store(url: str) -> tuple[Store, dict[str, int]]:
    """Two organisations' sites in two regions; the first has a failing inspection whose crawled
    text carries a <script> tag and a javascript: URL."""
    store = Store(url)
    ids = {
        "a": store.upsert_site(
            "甲县人民政府", "http://www.jia.gov.cn/", region="甲市", organiser="甲县政府办"
        ),
        "b": store.upsert_site(
            "乙县人民政府", "http://www.yi.gov.cn/", region="乙市", organiser="乙县政府办"
        ),
    }
    findings = [
        Finding(
            check="security.spam_injection",
            message="首页发现隐藏的赌博链接",
            url="http://www.jia.gov.cn/",
            evidence={"text": SCRIPT_TEXT, "target": "javascript:alert(1)"},
            severity="veto",
        ),
        Finding(
            check="content.typo",
            message="错别字：“公示”误为“公式”",
            url="http://www.jia.gov.cn/a.html",
            severity="deduct",
            points=0.5,
            evidence={"text": "拟录用人员公式"},
        ),
    ]
    insp = Inspection(
        site_name="甲县人民政府",
        url="http://www.jia.gov.cn/",
        host="www.jia.gov.cn",
        as_of=dt.date(2026, 11, 30),
        rubric="gov-2019",
        verdict="fail",
        score=0.0,
        vetoes=["security.spam_injection"],
        findings=findings,
        started_at=dt.datetime(2026, 11, 30, 9, 0),
    )
    ids["inspection_a"] = store.save_inspection(ids["a"], insp)
    with store.unit_of_work() as uow:
        accounts.create_user(uow, "admin", PASSWORD, accounts.ADMIN)
        accounts.create_user(uow, "jia_op", PASSWORD, accounts.OPERATOR, organisers=["甲县政府办"])
        accounts.create_user(uow, "yi_op", PASSWORD, accounts.OPERATOR, organisers=["乙县政府办"])
        accounts.create_user(uow, "yi_sup", PASSWORD, accounts.SUPERVISOR, regions=["乙市"])
        accounts.create_user(uow, "viewer", PASSWORD, accounts.VIEWER)
    return store, ids


def client_for(store: Store, settings: Settings | None = None) -> TestClient:
    return TestClient(create_app(store, settings or Settings(out_dir=None)), follow_redirects=False)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field in the page"
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD):
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def api_token(store: Store, username: str) -> str:
    with store.unit_of_work() as uow:
        user = next(u for u in accounts.list_users(uow) if u.username == username)
        return accounts.create_token(uow, user, "测试")
