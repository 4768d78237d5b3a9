"""Our own grammar of the dates Chinese government pages show.

Formats: 2026-11-20, 2026/11/20, 2026.11.20 (optionally followed by a time), 2026年11月20日, [11-20],
(11-20), 11-20, 11月20日, 公文 dates in Chinese numerals (二〇二六年十一月二十日) and TRS-style
URL dates (t20261118_123.html, /202611/, /2017-06/08/). Year-less dates resolve against a
reference day: the latest such date not after it. Impossible dates and years outside
1990..reference.year+1 are rejected.
"""

from __future__ import annotations

import datetime as dt
import re

_FULLWIDTH = str.maketrans("０１２３４５６７８９／－．：　", "0123456789/-.: ")

_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "0": 0, "一": 1, "二": 2, "三": 3, "四": 4}
_CN_DIGIT |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_YEAR_CHARS = "〇零○ＯO0一二三四五六七八九"
_CN_SMALL = "一二三四五六七八九十"

# Alternatives are tried in order at each position, so a full date wins over the year-less
# forms that it contains.
_DATE_RE = re.compile(
    r"(?<!\d)(?P<y1>(?:19|20)\d{2})(?P<s>[-/.])(?P<m1>\d{1,2})(?P=s)(?P<d1>\d{1,2})(?!\d)"
    r"|(?<!\d)(?P<y2>(?:19|20)\d{2})\s{0,2}年\s{0,2}(?P<m2>\d{1,2})\s{0,2}月\s{0,2}(?P<d2>\d{1,2})(?!\d)"
    rf"|(?P<y3>[{_CN_YEAR_CHARS}]{{4}})\s{{0,2}}年\s{{0,2}}(?P<m3>[{_CN_SMALL}]{{1,2}})\s{{0,2}}月"
    rf"\s{{0,2}}(?P<d3>[{_CN_SMALL}]{{1,3}})\s{{0,2}}[日号]"
    r"|[\[【(（]\s{0,2}(?P<m4>\d{1,2})[-/.](?P<d4>\d{1,2})\s{0,2}[\]】)）]"
    r"|(?<![\d年])(?P<m5>\d{1,2})\s{0,2}月\s{0,2}(?P<d5>\d{1,2})\s{0,2}[日号]"
    r"|(?<![\d\-/.:])(?P<m6>\d{2})-(?P<d6>\d{2})(?![\d\-/:]|\s{0,2}[月日号%人个岁元万天年次名件户期届])"
)

_URL_DATE_RES = (
    # TRS article file names: t20261118_123456.html
    re.compile(r"(?<![a-z0-9])t(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})_\d+", re.I),
    # /2017-06/08/content_..., /art/2020/11/11/art_..., /20261118/
    re.compile(r"/(?P<y>(?:19|20)\d{2})[-/](?P<m>\d{1,2})/(?P<d>\d{1,2})/"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})/"),
    # /202611/: month only; the 1st stands for the month.
    re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>\d{2})/"),
)


def normalize(text: str) -> str:
    return text.translate(_FULLWIDTH)


def _cn_number(text: str) -> int:
    """十一 -> 11, 二十 -> 20, 三十一 -> 31, 五 -> 5."""
    if "十" not in text:
        return _CN_DIGIT.get(text, 0) if len(text) == 1 else -1
    tens, _, ones = text.partition("十")
    value = (_CN_DIGIT.get(tens, -100) if tens else 1) * 10
    return value + (_CN_DIGIT.get(ones, -100) if ones else 0)


def _make(year: int, month: int, day: int, reference: dt.date) -> dt.date | None:
    if not 1990 <= year <= reference.year + 1:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _resolve_yearless(month: int, day: int, reference: dt.date) -> dt.date | None:
    """The latest valid month-day not after the reference (Feb 29 looks back to a leap year)."""
    for year in range(reference.year, reference.year - 8, -1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            if not (1 <= month <= 12 and 1 <= day <= 31):
                return None
            continue
        if candidate <= reference:
            return candidate if candidate.year >= 1990 else None
    return None


def _from_match(m: re.Match, reference: dt.date) -> tuple[dt.date | None, bool]:
    """The date of one match and whether it carried its year."""
    g = m.groupdict()
    if g["y1"]:
        return _make(int(g["y1"]), int(g["m1"]), int(g["d1"]), reference), True
    if g["y2"]:
        return _make(int(g["y2"]), int(g["m2"]), int(g["d2"]), reference), True
    if g["y3"]:
        year = int("".join(str(_CN_DIGIT[c]) for c in g["y3"]))
        month, day = _cn_number(g["m3"]), _cn_number(g["d3"])
        if month <= 0 or day <= 0:
            return None, True
        return _make(year, month, day, reference), True
    for mk, dk in (("m4", "d4"), ("m5", "d5"), ("m6", "d6")):
        if g[mk]:
            return _resolve_yearless(int(g[mk]), int(g[dk]), reference), False
    return None, False


def iter_dates(text: str, reference: dt.date, *, need_year: bool = False):
    """(date, start, end) of every valid date in `text`, in order of appearance."""
    if not text:
        return
    text = normalize(text)
    for m in _DATE_RE.finditer(text):
        value, has_year = _from_match(m, reference)
        if value is not None and (has_year or not need_year):
            yield value, m.start(), m.end()


def find_dates(text: str, reference: dt.date) -> list[dt.date]:
    """Every date in `text`, in order of appearance."""
    try:
        return [d for d, _, _ in iter_dates(text, reference)]
    except Exception:  # noqa: BLE001 - extraction never raises
        return []


def parse_date(text: str, reference: dt.date) -> dt.date | None:
    """The first date in `text`, or None."""
    try:
        for value, _, _ in iter_dates(text, reference):
            return value
    except Exception:  # noqa: BLE001
        pass
    return None


def date_from_url(url: str, reference: dt.date) -> dt.date | None:
    """The date a CMS wrote into an article URL (a weaker cue than a visible date)."""
    if not url:
        return None
    for pattern in _URL_DATE_RES:
        for m in pattern.finditer(url):
            g = m.groupdict()
            value = _make(int(g["y"]), int(g["m"]), int(g.get("d") or 1), reference)
            if value is not None:
                return value
    return None


_COMPACT_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)")


def parse_meta_date(value: str, reference: dt.date) -> dt.date | None:
    """A meta tag's date: the usual forms, also 20261120 and ISO timestamps."""
    found = parse_date(value, reference)
    if found:
        return found
    m = _COMPACT_RE.search(value or "")
    return _make(int(m[1]), int(m[2]), int(m[3]), reference) if m else None
