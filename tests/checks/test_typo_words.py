"""content.typo's whole-word homophone repairs, one sure slip per sentence, and the segmentation
shortcuts they rest on (checks/spelling.py)."""

import random

from govinspect.checks import spelling as S
from govinspect.checks.charlm import char_lm
from govinspect.checks.content import typo_text_findings


def test_a_word_typed_as_its_homophone_is_repaired_whole():
    # both characters wrong: no one-character change makes a word of 淡味
    for text in ["请各淡味认真落实。", "各淡味要高度重视。"]:
        found = [t for t in S.find_typos(text) if t.kind == "word"]
        assert [(t.wrong, t.correct) for t in found] == [("各淡味", "各单位")], text
        [t] = found
        assert text[t.start : t.end] == "各淡味"
        assert t.position == t.start + 1  # the first changed character
        assert t.confidence >= S.HIGH_CONFIDENCE


def test_whole_word_repairs_leave_clean_text_alone():
    for text in [
        "上级党委作出决定。",
        "请市有关单位同志为本单位负责人。",
        "会议强调，要坚持以人民为中心的发展思想。",
        "树脂材料价格近期暴涨。",  # real words in their own sense
        "如果患者伴有腹痛等症状。",  # 腹痛 is fu tong; 不同 is fu tong only through a rare reading of 不
        "可以应用洗剂洗洗外阴。",  # 洗 read as xian (a surname) would make 西吉县 of it
    ]:
        assert [t for t in S.find_typos(text) if t.kind == "word"] == [], text


def test_word_candidates_carry_their_evidence():
    [c] = [c for c in S.word_candidates("请各淡味认真落实。") if c.repair == "单位"]
    assert (c.window, c.changed, c.start) == ("淡味", 2, 2)
    assert c.gain > S.WORD_PRUNE_GAIN  # the words around read better
    assert c.lm_gain > 2  # and so do the characters around
    assert set(S.word_features(c)) == set(S.WORD_WEIGHTS)


def test_cost_with_span_equals_segmenting_the_changed_text():
    text = "关于推进大数据发展的意见作出绝顶市有关淡味同志为本单位负责人"
    fwd, bwd = S._segment_sides(text)
    rng = random.Random(7)
    for a in range(len(text)):
        for k in (1, 2, 3, 4):
            if a + k > len(text):
                continue
            new = "".join(rng.choice("单位决定的人民大数") for _ in range(k))
            expected = S.segment_cost(text[:a] + new + text[a + k :])
            assert abs(S._cost_with_span(text, a, new, fwd, bwd) - expected) < 1e-9


def test_cost_with_one_character_changed_equals_segmenting_the_changed_text():
    text = "关于推进大数据发展的意见作出决定市有关单位同志"
    fwd, bwd = S._segment_sides(text)
    for at in range(len(text)):
        for char in "据展见数发的定单位人":
            expected = S.segment_cost(text[:at] + char + text[at + 1 :])
            assert abs(S._cost_with(text, at, char, fwd, bwd) - expected) < 1e-9


def test_window_sides_equal_segmenting_the_window():
    text = "市有关淡味同志为本单位负责人作出绝顶"
    for lo in range(len(text)):
        for hi in range(lo + 1, len(text) + 1):
            got = S._window_sides(text, lo, hi)
            want = S._segment_sides(text[lo:hi])
            assert all(abs(x - y) < 1e-9 for x, y in zip(got[0] + got[1], want[0] + want[1], strict=True))


def test_span_and_terms_of_the_character_model_agree():
    lm = char_lm()
    run = "关于推进大数据发展的意见"
    terms = lm.terms(run)
    for i in range(len(run)):
        for k in (1, 2, 3):
            if i + k <= len(run):
                assert abs(sum(terms[i : i + k + 2]) - lm.span(run, i, run[i : i + k])) < 1e-9
    assert lm.span(run, 4, "大数据") > lm.span(run, 4, "大数局")


def _suspect(position: int, confidence: float) -> S.TypoSuspect:
    return S.TypoSuspect(position, position + 2, "ab", "cd", position, confidence, "homophone")


def test_only_the_surest_suspect_of_a_sentence_scores_unless_very_sure():
    text = "第一句话有两处错。第二句话只有一处。"
    typos = [_suspect(1, 0.75), _suspect(4, 0.8), _suspect(11, 0.72)]
    assert S.confident_suspects(text, typos) == {1, 2}
    typos[0] = _suspect(1, S.SECOND_IN_SENTENCE_CONFIDENCE)  # now the surest of its sentence
    assert S.confident_suspects(text, typos) == {0, 2}
    typos[1] = _suspect(4, S.SECOND_IN_SENTENCE_CONFIDENCE + 0.05)  # both very sure: both score
    assert S.confident_suspects(text, typos) == {0, 1, 2}
    typos[2] = _suspect(11, S.HIGH_CONFIDENCE - 0.01)
    assert 2 not in S.confident_suspects(text, typos)


def test_a_second_slip_in_one_sentence_is_listed_as_suspect():
    one = typo_text_findings("请各淡味认真落实。")
    assert [(f.check, f.wrong, f.correct) for f in one] == [("content.typo", "各淡味", "各单位")]
    assert "各单位" in one[0].message
    # two slips in one sentence: the surer one scores, the other (under 0.9) is information ...
    two = typo_text_findings("各淡味要高度重视，召开联席悔意。")
    assert {f.wrong: f.check for f in two} == {"各淡味": "content.typo_suspect", "联席悔意": "content.typo"}
    # ... and in two sentences both score
    apart = typo_text_findings("各淡味要高度重视。召开联席悔意。")
    assert {f.wrong: f.check for f in apart} == {"各淡味": "content.typo", "联席悔意": "content.typo"}


def test_a_surer_character_repair_wins_over_a_whole_word_one():
    word = S.TypoSuspect(0, 2, "ab", "cd", 0, 0.8, "word")
    char_weak = S.TypoSuspect(0, 2, "ab", "cb", 0, 0.5, "homophone")
    char_sure = S.TypoSuspect(1, 3, "bx", "ex", 1, 0.9, "similar")  # b -> e, the word says b -> d
    assert S._merge([char_weak], [word]) == [word]
    assert S._merge([char_sure], [word]) == [char_sure]
    # the same repair of that character, completed by the whole word: the word reading stays
    char_same = S.TypoSuspect(1, 3, "bx", "dx", 1, 0.95, "pair")
    assert S._merge([char_same], [word]) == [word]


def test_a_half_repair_yields_to_the_whole_word():
    # 悔意 -> 会意 (one character, a common slip) and 悔意 -> 会议 (the whole word): 联席会议
    [t] = S.find_typos("市政府召开联席悔意。")
    assert (t.correct[-2:], t.kind) == ("会议", "word")
