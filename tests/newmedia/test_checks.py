"""newmedia checks: pure functions of (account, FetchResult, as_of, rubric)."""

import datetime as dt

from govinspect.newmedia.checks import check_account, registry_findings
from govinspect.newmedia.connectors import settle
from govinspect.newmedia.model import CHINA_TZ, Account, FetchResult, Post
from govinspect.rules import load_rubric
from govinspect.rules.scoring import score_findings

AS_OF = dt.date(2026, 11, 22)
NOW = dt.datetime(2026, 11, 22, 12, tzinfo=CHINA_TZ)
ACCOUNT = Account("微信公众号", "qs", "青山发布", organiser="青山县人民政府办公室")


def post(days_ago: int, kind: str = "原创", text: str = "会议召开。", title: str = "动态") -> Post:
    when = NOW - dt.timedelta(days=days_ago)
    return Post(f"p{days_ago}{kind}", title, f"https://x/{days_ago}", when, kind, text)


def result(*posts: Post, status: str = "ok") -> FetchResult:
    dated = [p.published_at for p in posts]
    raw = FetchResult(status, list(posts), (min(dated), NOW) if dated else None, "读到", NOW, "https://feed")
    return settle(raw, as_of=AS_OF, window_days=14)


def checks(res: FetchResult, account: Account = ACCOUNT, rubric=None) -> set[str]:
    return {f.check for f in check_account(account, res, as_of=AS_OF, rubric=rubric or load_rubric())}


def test_two_week_boundary():
    assert checks(result(post(14), post(30))) == set()
    assert checks(result(post(15), post(30))) == {"newmedia.stale"}


def test_pinned_posts_do_not_count():
    assert checks(result(post(2, "置顶"), post(20))) == {"newmedia.stale"}
    assert checks(result(post(300, "置顶"), post(2))) == set()


def test_stale_only_on_a_complete_read():
    for status in ("partial", "blocked", "empty", "auth_expired", "not_found"):
        res = FetchResult(
            status, [post(40)] if status == "partial" else [], None, "问题", NOW, "https://feed"
        )
        found = check_account(ACCOUNT, res, as_of=AS_OF, rubric=load_rubric())
        assert [f.check for f in found] == ["newmedia.unverified"], status
        assert "请人工核实" in found[0].message
        scored = score_findings(found, load_rubric())
        assert scored.verdict == "pass" and scored.findings[0].severity == "info"


def test_future_post_proves_nothing_and_is_reported():
    res = result(post(-30), post(40))
    assert res.status == "ok"
    assert checks(res) == {"newmedia.stale", "content.fake_date"}
    # Only a future post: nothing proves or disproves an update.
    assert checks(result(post(-30))) == {"newmedia.unverified", "content.fake_date"}


def test_zombie_threshold_is_a_rubric_value():
    assert checks(result(post(120))) == {"newmedia.stale", "newmedia.zombie"}
    beijing = load_rubric(overrides={"newmedia_zombie_days": 365})
    assert checks(result(post(120)), rubric=beijing) == {"newmedia.stale"}


def test_stale_is_a_veto_advert_a_deduction():
    rubric = load_rubric()
    stale = score_findings(check_account(ACCOUNT, result(post(20)), as_of=AS_OF, rubric=rubric), rubric)
    assert stale.verdict == "fail" and stale.vetoes == ["newmedia.stale"]
    ad = post(1, text="本地特产限时抢购，全场包邮。")
    scored = score_findings(check_account(ACCOUNT, result(ad), as_of=AS_OF, rubric=rubric), rubric)
    (advert,) = [f for f in scored.findings if f.check == "newmedia.advert"]
    assert scored.verdict == "pass" and advert.severity == "deduct" and advert.points > 0
    assert advert.url == "https://x/1" and advert.evidence["post_title"] == "动态"


def test_advert_words_are_phrases_not_policy_words():
    text = "我县发放消费券，落实税收优惠政策，开展招商引资，公布特价药品目录。"
    assert "newmedia.advert" not in checks(result(post(1, text=text)))


def test_interaction_needs_positive_evidence():
    res = result(post(1))
    assert "newmedia.no_interaction" not in checks(res)
    res.interaction = {"working": False, "seen": "人工记录"}
    assert "newmedia.no_interaction" in checks(res)


def test_text_checks_on_posts():
    found = checks(result(post(1, text="坚持和发展中国特色社会主意，再接再励。")))
    assert {"content.serious_error", "content.typo"} <= found


def test_registry_findings():
    same = Account("微博", "1", "n", organiser="青山县人民政府", subject="青山县人民政府办公室")
    assert registry_findings(same) == []
    other = Account("微博", "1", "n", organiser="青山县人民政府", subject="青山文化传媒有限公司")
    assert [f.check for f in registry_findings(other)] == ["newmedia.subject_mismatch"]
    found = Account("微博", "1", "n", registered=False)
    assert [f.check for f in registry_findings(found)] == ["newmedia.unregistered"]


def test_closed_account_is_not_checked_for_updates():
    closed = Account("微博", "1", "n", status="关停")
    assert checks(result(post(200)), account=closed) == set()


def test_platform_delay_is_a_setting():
    from govinspect.settings import Settings

    assert Settings.from_env({}).newmedia_delay_s == 1.0
    assert Settings.from_env({"GOVINSPECT_NEWMEDIA_DELAY_S": "2.5"}).newmedia_delay_s == 2.5
