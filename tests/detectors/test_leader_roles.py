"""Leaders' offices with their periods: a former leader named with his office is an error only
in a text dated after his term; the check reads the article's own date (else its list date)."""

import datetime as dt

from govinspect.checks import CheckContext
from govinspect.checks.content import check_serious_error
from govinspect.checks.lexicons import holders, role_fits, role_mentions
from govinspect.model import Article, SiteModel
from govinspect.rules.rubric import load_rubric

CTX = CheckContext(as_of=dt.date(2026, 11, 20), rubric=load_rubric())


def roles(text: str, date: dt.date | None = None, list_date: dt.date | None = None) -> list:
    article = Article(
        url="http://www.xx.gov.cn/a/1.html", text=text, date=date, list_date=list_date, column="要闻"
    )
    site = SiteModel(url="http://www.xx.gov.cn/", host="www.xx.gov.cn", articles=[article])
    return [f for f in check_serious_error(site, CTX) if "职务" in f.message]


def test_former_premier_is_right_in_his_time_and_wrong_after_it():
    text = "国务院总理李克强主持召开国务院常务会议，部署稳就业工作。"
    assert roles(text, dt.date(2020, 5, 6)) == []
    [f] = roles(text, dt.date(2024, 5, 6))
    assert f.check == "content.serious_error" and f.evidence["holders"] == ["李强"]
    assert "国务院总理李克强" in f.message and "2024-05-06时国务院总理为李强" in f.message


def test_the_new_premier_before_his_term_is_wrong_and_after_it_is_right():
    assert roles("李强总理考察调研", dt.date(2024, 1, 2)) == []
    [f] = roles("李强总理考察调研", dt.date(2021, 1, 2))
    assert f.evidence["office"] == "国务院总理"


def test_undated_and_historical_mentions_are_never_judged():
    assert roles("国务院总理李克强主持会议") == []  # no date: it may be about any time
    assert roles("2015年，时任国务院总理李克强来我县考察。", dt.date(2025, 3, 1)) == []
    assert roles("原国务院总理李克强同志", dt.date(2025, 3, 1)) == []


def test_list_date_stands_in_for_the_article_date_and_handover_has_grace():
    assert roles("国务院总理李克强作政府工作报告", list_date=dt.date(2024, 3, 5))
    # Reports of the last days of a term, published just after the handover.
    assert roles("国务院总理李克强作政府工作报告", dt.date(2023, 3, 20)) == []


def test_vice_titles_are_not_confused_with_the_office():
    assert role_mentions("国务院副总理丁薛祥出席") == [role_mentions("国务院副总理丁薛祥出席")[0]]
    assert {m.office for m in role_mentions("国务院副总理丁薛祥出席")} == {"国务院副总理"}
    assert roles("国务院副总理韩正出席会议", dt.date(2020, 1, 1)) == []  # he was, 2018-2023
    assert roles("国家副主席韩正出席会议", dt.date(2024, 1, 1)) == []
    assert roles("国家副主席韩正出席会议", dt.date(2020, 1, 1))  # not yet


def test_pairs_without_a_period_are_never_judged():
    assert role_fits("汪洋", "国务院副总理", dt.date(2016, 1, 1))  # not in the lexicon: no opinion
    assert holders("国家主席", dt.date(2010, 1, 1)) == ["胡锦涛"]
    assert holders("国家主席", dt.date(2020, 1, 1)) == ["习近平"]


def test_typo_context_from_a_real_page():
    """俄国藉口 (国 + 藉口) on a real page was once read as the typo 国藉 → 国籍."""
    import datetime as dt

    from govinspect.checks import CheckContext
    from govinspect.checks.content import check_typo
    from govinspect.model import Article, SiteModel
    from govinspect.rules import load_rubric

    ctx = CheckContext(as_of=dt.date(2026, 11, 20), rubric=load_rubric())

    def typos(text: str) -> list[str]:
        article = Article(url="http://www.xx.gov.cn/a.html", title="t", text=text, column="新闻")
        site = SiteModel(url="http://www.xx.gov.cn/", host="www.xx.gov.cn", articles=[article])
        return [f.message for f in check_typo(site, ctx)]

    assert typos("俄国藉口中国不答应他的要求，就不肯退兵。") == []
    assert typos("申请人国藉：中国。") != []
