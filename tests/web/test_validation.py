"""Invalid requests are answered in Chinese: the API's 422 keeps FastAPI's shape with Chinese `msg`,
a page says one sentence; nothing of the input is echoed back."""

from __future__ import annotations

import pytest

from govinspect.web.validation import chinese_message, summary
from webutil import api_token, client_for, login, seeded_store

pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.fixture
def seeded(tmp_path):
    store, ids = seeded_store(f"sqlite:///{tmp_path / 'v.db'}")
    yield store, ids
    store.close()


def test_api_validation_errors_keep_their_shape_in_chinese(seeded):
    store, _ids = seeded
    client = client_for(store)
    headers = {"Authorization": f"Bearer {api_token(store, 'admin')}"}
    response = client.post("/api/newmedia/check?sample=2&as_of=2026-13-01<script>", headers=headers)
    assert response.status_code == 422
    detail = {tuple(e["loc"]): e for e in response.json()["detail"]}
    assert detail[("query", "as_of")]["msg"] == "应为日期，格式 YYYY-MM-DD"
    assert detail[("query", "sample")]["msg"] == "不能大于 1.0"
    assert "<script>" not in response.text  # the input is not echoed


def test_a_page_says_what_was_wrong_in_one_sentence(seeded):
    store, _ids = seeded
    client = client_for(store)
    login(client, "admin")
    page = client.get("/sites/not-a-number")
    assert page.status_code == 422
    assert "请求参数有误：路径参数“site_id”应为整数。" in page.text


def test_messages_for_unknown_types_and_missing_context():
    assert chinese_message({"type": "something_new"}) == "取值无效"
    assert chinese_message({"type": "less_than_equal"}) == "不能大于"
    assert summary([{"loc": ["body"], "type": "missing"}]) == "请求参数有误：请求体缺少必填项。"
