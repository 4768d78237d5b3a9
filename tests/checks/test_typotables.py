"""The compact tables behind content.typo (checks/typotables.py): the same answers as the plain
dictionaries they are built from, and a cache file that is never misread."""

import json

import pytest

from govinspect.checks import spelling
from govinspect.checks.typotables import FORMAT, HomophoneIndex, MaskedIndex, TypoTables, WordTable

WORDS = {
    "发展": 5.5,
    "改革": 5.1,
    "国家": 5.9,
    "大数据": 4.2,
    "数据": 5.0,
    "大数": 2.1,
    "国家发展": 3.0,
    "发展改革": 3.9,
    "改革开放": 4.8,
    "开放": 4.9,
    "决定": 5.7,
    "绝顶": 2.5,
    "长治久安": 3.4,  # a first character past U+8000: a key past 2**63
    "说明问题": 2.9,
}


def naive_words_in(text, words):
    return [
        (s, e, words[text[s:e]])
        for s in range(len(text))
        for e in range(s + 2, min(len(text), s + 4) + 1)
        if text[s:e] in words
    ]


def naive_masked(words, common):
    index = {}
    for word, z in words.items():
        if z >= common:
            for i in range(len(word)):
                index.setdefault(word[:i] + "?" + word[i + 1 :], {})[word[i]] = (word, z)
    return index


def test_word_table_is_the_dict_it_was_built_from():
    table = WordTable.build(WORDS)
    assert len(table) == len(WORDS)
    assert list(table) == list(WORDS)  # in the order the words were added
    assert dict(table.items()) == WORDS
    for word, z in WORDS.items():
        assert table.get(word) == z and word in table and table[word] == z
    for missing in ("发", "展改", "国家发展改革", "", "大数\U0002b820", "ab"):
        assert table.get(missing) is None and missing not in table
    with pytest.raises(KeyError):
        table["展改"]
    assert table.lookup([0, 0]) == [None, None]


@pytest.mark.parametrize(
    "text",
    ["国家发展改革开放大数据", "长治久安说明问题", "发展", "发", "", "国家\U0002b820发展改革", "大数据ab数据", "决定绝顶决定"],
)
def test_words_in_finds_what_a_scan_of_the_dict_finds(text):
    table = WordTable.build(WORDS)
    assert table.words_in(text) == naive_words_in(text, WORDS)


def test_words_of_many_runs_at_once_are_each_runs():
    table = WordTable.build(WORDS)
    runs = ["国家发展改革", "数据", "开放大数据决定", "发展"]
    assert table.words_in_runs(runs) == [naive_words_in(r, WORDS) for r in runs]


def test_masked_index_proposes_the_common_words_and_finds_every_word_around():
    zvals = sorted(set(WORDS.values()))
    index = MaskedIndex.build(WORDS, zvals, common=3.0)
    plain = naive_masked(WORDS, 3.0)
    for pattern, fills in plain.items():
        assert index.get(pattern) == fills
    assert index.get("大数?") == {"据": ("大数据", 4.2)}
    assert index.get("?数") is None  # 大数 is rarer than `common`: no proposal through it
    text = "国家发展改革开放大数局"
    around = index.around(text, [3, 10])
    every = naive_masked(WORDS, -1.0)
    for i in (3, 10):
        want = []
        for size, back in MaskedIndex._AROUND:
            s = i - back
            if s < 0 or s + size > len(text):
                continue
            fills = every.get(text[s:i] + "?" + text[i + 1 : s + size])
            if fills:
                want.append((size, s, fills))
        got = around.get(i, [])
        assert [(size, s) for size, s, *_ in got] == [(size, s) for size, s, _ in want]
        for (_size, _s, chars, common, first), (_, _, fills) in zip(got, want, strict=True):
            assert set(chars) == set(fills)
            assert chars[:common] == "".join(c for c, (_w, z) in fills.items() if z >= 3.0)
            assert all(index.zipf(first + k) == fills[c][1] for k, c in enumerate(chars))
    assert index.around_runs(["发展改革", "大数局"], [[1], [2]]) == [index.around("发展改革", [1]), index.around("大数局", [2])]


def test_homophone_index_reads_as_the_dict():
    plain = {"jue ding": (("决定", 5.7), ("绝顶", 2.5)), "fa zhan": (("发展", 5.5),)}
    zvals = sorted(set(WORDS.values()))
    index = HomophoneIndex.build(plain, iter(["jue", "ding", "fa", "zhan", "kai"]), zvals)
    for reading, words in plain.items():
        assert index.get(reading) == words
    assert index.get("kai fang") is None and index.get("no such") is None


def _tables():
    zvals = sorted(set(WORDS.values()))
    words = WordTable.build(WORDS)
    return TypoTables(
        words,
        MaskedIndex.build(WORDS, words.zvals, 3.0),
        HomophoneIndex.build({"fa zhan": (("发展", 5.5),)}, iter(["fa", "zhan"]), zvals),
        {
            "chars": {"发": 5.0, "展": 4.5},
            "readings": {"发": ("fa",), "展": ("zhan",)},
            "confusions": {"局": ("据举", 1, 1)},
            "learned_pairs": (("局", "据"),),
            "common_pairs": (),
        },
    )


def test_cache_round_trip_and_other_stamps_or_formats_are_not_read(tmp_path):
    path = tmp_path / "typo.bin"
    _tables().save(path, "stamp-1")
    again = TypoTables.load(path, "stamp-1")
    assert again is not None
    assert dict(again.words.items()) == WORDS
    assert again.masked.get("大数?") == {"据": ("大数据", 4.2)}
    assert again.homophones.get("fa zhan") == (("发展", 5.5),)
    assert again.confusions == {"局": ("据举", 1, 1)} and again.learned_pairs == (("局", "据"),)
    assert again.readings == {"发": ("fa",), "展": ("zhan",)} and again.chars == {"发": 5.0, "展": 4.5}
    assert TypoTables.load(path, "stamp-2") is None  # built from other sources: built again
    header, _, rest = path.read_bytes().partition(b"\n")
    older = json.loads(header)
    older["format"] = FORMAT - 1
    path.write_bytes(json.dumps(older).encode() + b"\n" + rest)
    assert TypoTables.load(path, "stamp-1") is None  # another layout: never misread
    path.write_bytes(b"not a cache\n")
    assert TypoTables.load(path, "stamp-1") is None
    _tables().save(path, "stamp-1")
    path.write_bytes(path.read_bytes()[:200])  # cut short
    assert TypoTables.load(path, "stamp-1") is None
    assert TypoTables.load(tmp_path / "missing.bin", "stamp-1") is None


def test_the_cache_file_is_named_by_format_and_stamp(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVINSPECT_CACHE_DIR", str(tmp_path))
    assert spelling._tables_path("abc") == tmp_path / f"typo-v{FORMAT}-abc.bin"


def test_the_packaged_tables_hold_what_the_sources_say():
    words, chars = spelling._build_frequencies()
    tables = spelling._tables()
    assert len(tables.words) == len(words)
    assert all(tables.words.get(w) == z for w, z in list(words.items())[::97])
    assert tables.chars == chars
    readings = spelling._build_pinyin_of(words)
    assert tables.readings == readings
    learned = spelling._build_learned_pairs(chars)
    common = spelling._build_common_pairs()
    assert tables.learned_pairs == learned and tables.common_pairs == common
    assert tables.confusions == spelling._build_confusions(readings, learned, common)
    assert tables.masked.get("大数?")["据"] == ("大数据", words["大数据"])
