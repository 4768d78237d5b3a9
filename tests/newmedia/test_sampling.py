"""抽查 of 政务新媒体 accounts by platform: proportional, reproducible, running accounts only."""

import pytest

from govinspect.newmedia.model import Account
from govinspect.newmedia.service import sample_accounts
from govinspect.workflow.sampling import SampleError

ACCOUNTS = (
    [Account("微信公众号", f"wx{i}", f"微信{i}") for i in range(6)]
    + [Account("微博", f"wb{i}", f"微博{i}") for i in range(3)]
    + [Account("抖音", "dy0", "抖音0"), Account("抖音", "dy1", "抖音1", status="注销")]
)


def test_a_third_by_platform_in_proportion_and_reproducible():
    drawn = sample_accounts(ACCOUNTS, ratio="0.3", seed="s1")
    by = {p: sum(a.platform == p for a in drawn) for p in ("微信公众号", "微博", "抖音")}
    assert len(drawn) == 3 and by["微信公众号"] == 2  # ceil(0.3 × 10 running) = 3, 6/10 of it to 微信
    assert [a.key for a in sample_accounts(list(reversed(ACCOUNTS)), ratio="0.3", seed="s1")] == [
        a.key for a in drawn
    ]
    assert all(a.status == "运行" for a in sample_accounts(ACCOUNTS, ratio="1", seed="s1"))
    assert len(sample_accounts(ACCOUNTS, ratio="1", seed="s1")) == 10


def test_a_floor_per_platform_and_clear_errors():
    drawn = sample_accounts(ACCOUNTS, count=3, seed="s2", min_per_platform=1)
    assert sorted(a.platform for a in drawn) == ["微信公众号", "微博", "抖音"]
    with pytest.raises(SampleError, match="超过可抽查"):
        sample_accounts(ACCOUNTS, count=11, seed="s2")
    with pytest.raises(SampleError, match="没有可抽查的政务新媒体账号"):
        sample_accounts([Account("抖音", "dy1", "抖音1", status="注销")], ratio="0.5", seed="s2")
