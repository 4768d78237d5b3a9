"""Statistical typos, near-miss serious errors, inserted promotion, twins vs re-posts."""

import datetime as dt

from govinspect.checks import CheckContext
from govinspect.checks.content import (
    check_duplicate,
    check_serious_error,
    check_typo,
    serious_text_findings,
    typo_text_findings,
)
from govinspect.checks.injection import (
    check_content_injection,
    find_injections,
    shared_promotions,
)
from govinspect.checks.spelling import SiteVocabulary, find_typos, learned_pairs, protected_spans
from govinspect.extract.block_styles import block_signatures
from govinspect.model import Article, Column, Page, SiteModel
from govinspect.rules.rubric import load_rubric
from govinspect.rules.scoring import score_findings

CTX = CheckContext(as_of=dt.date(2026, 11, 20), rubric=load_rubric())


def site(*articles: Article, **kw) -> SiteModel:
    return SiteModel(url="http://www.xx.gov.cn/", host="www.xx.gov.cn", articles=list(articles), **kw)


# -- content.typo ---------------------------------------------------------------------------------


def test_statistical_typo_names_wrong_text_suggestion_sentence_and_confidence():
    text = "会议要求，内蒙古自治区乌兰察布市大力培育发展大数局产业。其他工作照常进行。"
    [finding] = [f for f in typo_text_findings(text) if f.check == "content.typo"]
    assert (finding.wrong, finding.correct) == ("大数局", "大数据")
    assert finding.evidence["context"] == "会议要求，内蒙古自治区乌兰察布市大力培育发展大数局产业。"
    assert 0.7 <= finding.confidence <= 1.0
    assert text[finding.start : finding.end] == "大数局"


def test_clean_gongwen_sentences_raise_nothing():
    for text in [
        "内蒙古自治区乌兰察布市大力培育发展大数据产业。",
        "本条例自发布之日起施行。",
        "各地区各部门要认真贯彻落实党中央、国务院决策部署，切实做好冬春季安全生产工作。",
        "县长贾海英督导检查石桥街道道路交通安全工作。",  # a name after a title
        "11月17日上午，县长带队深入太平乡，实地察看秋冬季农业生产工作开展情况。",  # a place name
    ]:
        assert typo_text_findings(text) == [], text


def test_slips_learnt_from_gongwen_corrections_are_caught():
    # 津→律 and 拆→诉 are neither homophones nor in the NCU/形近字 tables: only the learnt slips know them.
    for text, wrong, correct in [
        ("任何单位和个人都必须遵守法津法规。", "法津法规", "法律法规"),
        ("依法保障当事人的拆讼权利。", "拆讼", "诉讼"),
    ]:
        found = [(f.wrong, f.correct) for f in typo_text_findings(text) if f.check == "content.typo"]
        assert found == [(wrong, correct)], text


def test_terms_of_law_are_no_slips_and_are_repairs():
    # lexicons/legal_words.txt: 止付 (票据法) and 共益债务 (企业破产法) read as 支付, 公益 without it
    for text in [
        "银行收到挂失止付通知后，应当立即暂停支付。",
        "持票人可以向付款人申请止付。",
        "破产费用和共益债务由债务人财产随时清偿。",
        "填写患者及家属生前预嘱调查，初步判断是否适合入住机构。",  # a real page (预嘱 read as 预祝)
    ]:
        assert typo_text_findings(text) == [], text
    for text, wrong, correct in [
        ("受让人可以依照善意取德的规定取得该动产的所有权。", "善意取德", "善意取得"),
        ("债务人不履行到期债务的，抵押权人可以依法优先受尝。", "优先受尝", "优先受偿"),
        ("当事人可以约定合同的准据发。", "准据发", "准据法"),
        ("证券公司可以采取余额包消方式承销。", "余额包消", "余额包销"),
    ]:
        found = [(f.wrong, f.correct) for f in typo_text_findings(text) if f.check == "content.typo"]
        assert found == [(wrong, correct)], text


def test_a_slip_into_a_real_word_inside_a_longer_word():
    # every character is inside a common word of two (书籍, 主人): only the 3-4 character window,
    # no word as written, reads as the longer word
    for text, wrong, correct in [
        ("会议由县委常委、党组书籍主持。", "党组书籍", "党组书记"),
        ("市第一人民医院主人医师到乡镇义诊。", "主人医师", "主任医师"),
    ]:
        found = [(f.wrong, f.correct) for f in typo_text_findings(text) if f.check == "content.typo"]
        assert found == [(wrong, correct)], text
    # the words as written read about as well: 联系|会议 is no slip of 联席会议 here
    for text in ["请与会务组联系会议安排。", "请各单位于周五前联系会议室管理员。", "县委书记主持召开会议，研究部署安全生产工作。"]:
        assert typo_text_findings(text) == [], text


def test_rarer_set_phrases_of_three_or_four_characters_are_repairs():
    # 素未谋面 is rarer than the two-character repairs need (CORRECT_ZIPF), not than a long word's
    found = [(f.wrong, f.correct) for f in typo_text_findings("网络让素未某面的双方建立了联系。") if f.check == "content.typo"]
    assert found == [("素未某面", "素未谋面")]
    # not through a character that makes a word as written (折中, 共通), nor into a rarer "name"
    for text in ["各部门要严阵以待，确保安全度汛。", "文中提出了一个折中方案。", "两者有许多共通之处。", "学生张宝慧获得一等奖。"]:
        assert typo_text_findings(text) == [], text


def test_a_foreign_name_in_transliteration_characters_is_no_slip_of_a_rarer_spelling():
    # 佛罗依德 / 佛洛依德 / 弗洛伊德: transliterations vary; none is a typo of another (a real page)
    found = [(f.wrong, f.correct) for f in typo_text_findings("1992年，李简在维也纳佛罗依德医学院进修。")]
    assert not any("罗依" in wrong for wrong, _ in found), found


def test_administrative_terms_are_repairs_and_no_slips():
    # lexicons/admin_words.txt: 乡村振兴 is no word of jieba's or wordfreq's lists
    found = [(f.wrong, f.correct) for f in typo_text_findings("县乡村振新局召开专题会议。") if f.check == "content.typo"]
    assert found == [("乡村振新", "乡村振兴")]
    for text in ["市卫健委、市网信办联合发文。", "积极开展放管服改革，推进跨省通办。"]:
        assert typo_text_findings(text) == [], text


def test_a_grammar_character_is_read_through_a_longer_word_only():
    # 才 is never suspect on its own (才/财 in a window of two is grammar), but 才政部 is 财政部
    found = [(f.wrong, f.correct) for f in typo_text_findings("国家医保局、才政部联合印发通知。") if f.check == "content.typo"]
    assert found == [("才政部", "财政部")]
    for text in ["他才到北京就去了财政部。", "这件事不是你想的那样。"]:
        assert typo_text_findings(text) == [], text


def test_learnt_slips_of_the_commonest_characters_are_not_used():
    # 下→上 was a slip in one 公文 sentence, but 下 is right in most places it stands.
    assert ("下", "上") not in learned_pairs()
    assert typo_text_findings("双方在平等互利的原则下开展合作。") == []


def test_names_and_places_are_protected():
    text = "县委书记曾飞伟主持召开会议，关于覃国等同志任职的通知，北坪街道"
    spans = protected_spans(text)
    covered = {i for s, e in spans for i in range(s, e)}
    for name in ("曾飞伟", "覃国", "北坪街道"):
        at = text.index(name)
        assert set(range(at, at + len(name))) <= covered, name


def test_a_place_shield_does_not_hide_a_word_read_through_its_suffix():
    # the repair reaches the suffix (自治区, 直辖市) or starts before the "name" (农业|农村)
    for text, wrong, correct in [
        ("广西壮族自制区人民政府印发了实施方案。", "自制区", "自治区"),
        ("审查和批准直害市的发展规划。", "直害市", "直辖市"),
        ("城关镇农亚农村工作取得新进展。", "农亚", "农业"),
    ]:
        found = [(f.wrong, f.correct) for f in typo_text_findings(text) if f.check == "content.typo"]
        assert found == [(wrong, correct)], text
    # a real place whose suffix would be "repaired" stays alone (太平乡 is no 太平洋)
    assert typo_text_findings("近日，太平乡围绕高标准农田建设开展调研。") == []


def test_names_and_places_are_not_read_across_a_word():
    # 有关|淡味同志: 关 ends 有关, it starts no name; 16个低区: a measure word is in no place name
    for text, word in [("请有关淡味同志按时参加会议。", "淡味"), ("全市16个低区完成了整改任务。", "低区")]:
        at = text.index(word)
        assert not any(s <= at < e for s, e in protected_spans(text)), text


def test_one_reading_per_window_the_surest():
    # 排坊 is 排放 (sure), not the suspect 牌坊 listed first
    found = typo_text_findings("市政府要求加快淘汰排坊标准不达标的车辆。")
    assert [(f.check, f.wrong, f.correct) for f in found] == [("content.typo", "排坊", "排放")]


def test_a_clear_homophone_slip_scores_from_strong_confidence():
    from govinspect.checks.spelling import HIGH_CONFIDENCE, STRONG_CONFIDENCE, find_typos

    # 身 and 申 read shen, 身请 is no word, 申请 is common and reads far better here (身请再审 would be
    # repaired whole, surer, as the term of law 申请再审)
    text = "当事人可以依法向人民法院身请调解。"
    [t] = find_typos(text)
    assert (t.wrong, t.correct, t.strong) == ("身请", "申请", True)
    assert STRONG_CONFIDENCE <= t.confidence < HIGH_CONFIDENCE
    found = [(f.check, f.wrong, f.correct) for f in typo_text_findings(text)]
    assert found == [("content.typo", "身请", "申请")]
    # weaker evidence in the same band stays information
    found = [(f.check, f.wrong) for f in typo_text_findings("市场价格出现较大波洞。")]
    assert found == [("content.typo_suspect", "波洞")]


def test_homophones_by_the_intended_characters_commonest_reading():
    from govinspect.checks.spelling import _kind, confusions

    table = confusions()
    assert _kind(table["伪"], "为") == "homophone"
    assert _kind(table["问"], "限") == "similar"  # 限 reads wen only in a rare reading


def test_low_confidence_is_info_typo_suspect_and_not_scored():
    findings = typo_text_findings("当事人认为审判人员有利害关系的，可以申请其回壁。")
    suspect = [f for f in findings if f.check == "content.typo_suspect"]
    assert [(f.wrong, f.correct) for f in suspect] == [("回壁", "回避")]
    for f in suspect:
        assert f.confidence < 0.7 and f.message.startswith("疑似错别字")
    scored = score_findings([_finding(f) for f in suspect], load_rubric())
    assert all(f.severity == "info" and f.points == 0 for f in scored.findings)


def _finding(tf):
    from govinspect.model import Finding

    return Finding(check=tf.check, message=tf.message, evidence=tf.evidence)


def test_the_site_teaches_its_own_words():
    """A local name written many times is not a typo; once with one character changed, it is."""
    right = "石门水库管理所"
    texts = [f"{right}开展汛前检查，确保{right}安全度汛。"] * 3
    vocab = SiteVocabulary(texts + ["石门水库管理锁开展巡查。"])
    assert vocab.count("门水库") >= 5
    assert not [t for t in find_typos(texts[0], vocab) if t.wrong in right]


def test_check_typo_over_a_site_keeps_lexicon_typos_and_adds_statistical_ones():
    a = Article(
        url="http://www.xx.gov.cn/a.html", title="通知", text="请按排好值班人员。要大力培育发展大数局产业。"
    )
    found = check_typo(site(a), CTX)
    assert {(f.check, f.evidence["wrong"]) for f in found} == {
        ("content.typo", "按排"),
        ("content.typo", "大数局"),
    }


def test_many_confident_typos_in_one_text_are_only_suspects():
    garbled = "越光下的佳仁满唐红玖，天骐好，影享力大，左右为男，代黎人说。" * 2
    findings = typo_text_findings(garbled)
    assert findings and all(f.check == "content.typo_suspect" for f in findings)


# -- content.serious_error near misses -------------------------------------------------------------


def test_near_miss_forms_carry_the_correct_form():
    cases = {
        "认真学习习近评同志讲话精神": ("习近评", "习近平"),
        "实现中华民族伟打复兴": ("中华民族伟打复兴", "中华民族伟大复兴"),
        "践行社会主义核心价观值": ("社会主义核心价观值", "社会主义核心价值观"),
        "召开全国人民代表大回": ("全国人民代表大回", "全国人民代表大会"),
    }
    for text, (wrong, correct) in cases.items():
        [f] = serious_text_findings(text)
        assert (f.wrong, f.correct) == (wrong, correct), text
        assert correct in f.message


def test_near_miss_hard_negatives():
    for text in [
        "学习近期文件精神",  # 习近 inside 学习近期
        "车辆前往沪宁高速",  # 往沪宁 is not 王沪宁
        "温家堡村召开村民大会",  # a village
        "其中中华民族传统节日",  # 其中 + 中华民族
        "不忘初心，牢记使命",
        "他是个自信的人",
    ]:
        assert serious_text_findings(text) == [], text


def test_near_miss_is_not_also_a_typo():
    text = "认真学习习近评同志讲话精神"
    assert not [f for f in typo_text_findings(text) if "习近" in f.wrong]


def test_site_check_keeps_office_rule_on_dated_articles():
    a = Article(url="http://www.xx.gov.cn/a.html", text="国务院总理李克强主持会议", date=dt.date(2024, 5, 1))
    b = Article(
        url="http://www.xx.gov.cn/b.html", text="时任国务院总理李克强主持会议", date=dt.date(2024, 5, 1)
    )
    found = check_serious_error(site(a, b), CTX)
    assert [f.url for f in found] == [a.url]
    assert found[0].evidence["holders"] == ["李强"]


# -- security.content_injection --------------------------------------------------------------------

ARTICLE = (
    "11月18日，我县召开安全生产工作专题会议，部署下一阶段重点工作。\n"
    "会议指出，各乡镇、各部门要压紧压实安全生产责任。\n"
    "关于专家组：钱立衡，男，1962年出生，毕业于华夏管理学院，现任国际欧亚生命科学院院士、"
    "北方某大学客座教授、中华养生文化促进会名誉会长。\n"
    "县应急管理局负责同志参加会议。"
)


def test_inserted_cv_is_found_with_position_and_signals():
    [s] = find_injections(ARTICLE, "我县召开安全生产工作专题会议")
    assert s.paragraph == 3 and s.name == "钱立衡"
    assert ARTICLE[s.start : s.end].startswith("关于专家组")
    assert {"cv_header", "private_academy", "lone_name"} <= set(s.signals)


def test_official_posts_and_government_panels_are_not_promotion():
    for paragraph in [
        "省委常委、常务副省长、省政府党组副书记刘某某出席会议并讲话。",
        "关于专家组组成。专家组由市农业农村局相关业务科室负责同志组成，组长由市农业农村局分管副局长担任。",
        "王某某，男，汉族，1978年3月出生，毕业于湖南师范大学，现任县财政局副局长，拟任县审计局局长。",
        "湖南恒信精密科技有限公司等12家企业入选省级专精特新中小企业名单。",
        "中国工程院院士、国家杂交水稻工程技术研究中心主任李某某作专题报告。",
    ]:
        text = "我县召开会议。\n" + paragraph + "\n会议要求抓好落实。"
        assert find_injections(text) == [], paragraph


def test_markup_seam_adds_a_signal():
    html = (
        "<div class='content'><p>第一段：我县召开安全生产工作专题会议，部署重点工作。</p>"
        "<p>第二段：会议指出，各乡镇要压实责任，深入排查隐患。</p>"
        "<p><span style='font-family:微软雅黑;font-size:15px'>活动特邀国学大师、世界杰出华人、"
        "环球华人文化交流协会名誉主席蒋鹤年先生到场指导。</span></p>"
        "<p>第四段：县应急管理局负责同志参加会议，会议要求抓好落实。</p></div>"
    )
    text = (
        "第一段：我县召开安全生产工作专题会议，部署重点工作。\n第二段：会议指出，各乡镇要压实责任，深入排查隐患。\n"
        "活动特邀国学大师、世界杰出华人、环球华人文化交流协会名誉主席蒋鹤年先生到场指导。\n"
        "第四段：县应急管理局负责同志参加会议，会议要求抓好落实。"
    )
    [with_html] = find_injections(text, "", block_signatures(html))
    [without] = find_injections(text)
    assert "markup_seam" in with_html.signals and "markup_seam" not in without.signals


def test_site_check_reports_article_with_evidence_and_rubric_deducts():
    a = Article(url="http://www.xx.gov.cn/zwdt/1.html", title="我县召开会议", text=ARTICLE, column="政务动态")
    [f] = check_content_injection(site(a, columns=[Column(name="政务动态", url="u", kind="dynamic")]), CTX)
    assert f.check == "security.content_injection" and f.url == a.url
    assert f.evidence["paragraph"] == 3 and "钱立衡" in f.message and f.evidence["signals"]
    [scored] = score_findings([f], load_rubric()).findings
    assert scored.severity == "deduct" and scored.points > 0


def test_shared_promotions_across_unrelated_hosts():
    promo = "活动特邀国学大师、世界杰出华人蒋鹤年先生到场指导。"
    a = Article(url="http://www.a.gov.cn/1.html", text="我县召开会议。\n" + promo)
    b = Article(url="http://www.b.gov.cn/2.html", text="我市举办活动。\n" + promo)
    c = Article(url="http://www.c.gov.cn/3.html", text="我区召开会议，部署工作。")
    [shared] = shared_promotions(
        {"www.a.gov.cn": [a], "a.gov.cn": [a], "www.b.gov.cn": [b], "www.c.gov.cn": [c]}
    )
    assert shared.hosts == ("a.gov.cn", "b.gov.cn") and shared.key.startswith("蒋鹤年|")
    assert shared_promotions({"www.a.gov.cn": [a], "a.gov.cn": [a]}) == []


def test_injection_check_reads_page_markup_when_the_site_has_it():
    url = "http://www.xx.gov.cn/zwdt/1.html"
    html = "<p>" + ARTICLE.replace("\n", "</p><p>") + "</p>"
    a = Article(url=url, title="我县召开会议", text=ARTICLE)
    page = Page(url=url, final_url=url, status=200, content_type="text/html", text=html)
    assert check_content_injection(site(a, sample_pages=[page]), CTX)


# -- content.duplicate ------------------------------------------------------------------------------

REPORT = (
    "11月18日，我县召开安全生产工作专题会议，传达学习上级会议精神，分析当前形势，部署下一阶段重点工作。"
    "会议指出，各乡镇、各部门要坚持人民至上、生命至上，压紧压实安全生产责任，深入开展隐患排查整治。"
)


def _pair(a_text: str, b_text: str, same_title: bool = True):
    a = Article(url="http://www.xx.gov.cn/1.html", title="召开会议", text=a_text)
    b = Article(
        url="http://www.xx.gov.cn/2.html", title="召开会议" if same_title else "另一标题", text=b_text
    )
    return check_duplicate(site(a, b), CTX)


def test_same_report_reposted_is_not_a_twin():
    assert _pair(REPORT, REPORT) == []
    assert _pair(REPORT, REPORT.replace("，", ",")) == []  # punctuation only


def test_twins_differ_only_in_date_town_or_figure():
    assert _pair(REPORT, REPORT.replace("11月18日", "11月25日"))
    assert _pair(REPORT, REPORT.replace("我县", "我镇"))
    assert _pair(REPORT, REPORT.replace("11月18日", "12月8日"), same_title=False)


def test_a_huge_keyword_block_is_not_a_promotion_passage():
    spam = "某某集团董事长出生于1960年毕业于某大学荣获大奖 " * 60  # keyword stuffing, one "paragraph"
    assert len(spam) > 800
    assert find_injections("我县召开会议。\n" + spam + "\n会议要求抓好落实。") == []
