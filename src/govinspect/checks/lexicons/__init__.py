"""Lexicons kept as data (YAML beside this file) and one Aho-Corasick matcher for them.

A `Lexicon` finds "bad" strings (wrong forms, typos, spam terms) in one pass. A hit is dropped
when a "good" string (a correct form or an exception word) covers it, so a wrong form that is part
of a longer correct word never fires.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import ahocorasick
import yaml

_ASCII_WORD = re.compile(r"[a-z0-9]")


@dataclass(frozen=True)
class Hit:
    term: str
    start: int
    end: int
    info: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


class Lexicon:
    """bad term -> info; good strings that shield a bad hit they contain."""

    def __init__(self, bad: dict[str, dict[str, Any]], good: set[str] = frozenset()):
        self._auto = ahocorasick.Automaton()
        for term, info in bad.items():
            self._auto.add_word(term.lower(), ("bad", term.lower(), info))
        for word in good:
            key = word.lower()
            if key not in bad:
                self._auto.add_word(key, ("good", key, {}))
        self.empty = not bad
        if not self.empty:
            self._auto.make_automaton()

    def find(self, text: str) -> list[Hit]:
        if self.empty or not text:
            return []
        lowered = text.lower()
        bad: list[Hit] = []
        shields: list[tuple[int, int]] = []
        for end, (kind, term, info) in self._auto.iter(lowered):
            start = end - len(term) + 1
            if kind == "good":
                shields.append((start, end + 1))
            else:
                bad.append(Hit(term, start, end + 1, info))
        hits = []
        for hit in bad:
            if any(s <= hit.start and hit.end <= e and (e - s) > (hit.end - hit.start) for s, e in shields):
                continue
            if _ASCII_WORD.search(hit.term) and not _whole_token(lowered, hit):
                continue
            hits.append(hit)
        return hits


def _whole_token(text: str, hit: Hit) -> bool:
    """Latin/digit edges of a term must not run on into more letters or digits (ca88 vs ca889)."""
    before = text[hit.start - 1] if hit.start > 0 else ""
    after = text[hit.end] if hit.end < len(text) else ""
    starts_ascii = bool(_ASCII_WORD.match(hit.term[0]))
    ends_ascii = bool(_ASCII_WORD.match(hit.term[-1]))
    return not (starts_ascii and before and _ASCII_WORD.match(before)) and not (
        ends_ascii and after and _ASCII_WORD.match(after)
    )


def context(text: str, hit: Hit, width: int = 20) -> str:
    return text[max(0, hit.start - width) : hit.end + width].replace("\n", " ")


@functools.cache
def load(name: str) -> dict[str, Any]:
    data = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(data) or {}


@functools.cache
def serious_lexicon() -> Lexicon:
    data = load("serious.yaml")
    bad: dict[str, dict[str, Any]] = {}
    good: set[str] = set()
    for leader in data.get("leaders", []):
        good.add(leader["name"])
        good.update(leader.get("except", []))
        for wrong in leader.get("wrong", []):
            bad[wrong] = {"kind": "leader", "correct": leader["name"]}
    for expr in data.get("expressions", []):
        good.add(expr["correct"])
        good.update(expr.get("except", []))
        for wrong in expr.get("wrong", []):
            bad[wrong] = {"kind": "expression", "correct": expr["correct"]}
    return Lexicon(bad, good)


@functools.cache
def typo_lexicon() -> Lexicon:
    bad: dict[str, dict[str, Any]] = {}
    good: set[str] = set()
    for entry in load("typos.yaml").get("typos", []):
        bad[entry["wrong"]] = {
            "correct": entry["correct"],
            "unless_after": re.compile(entry["unless_after"]) if entry.get("unless_after") else None,
        }
        good.update(entry.get("except", []))
    # A typo inside a serious-error lexicon word is that check's business, and correct leader
    # names/expressions shield their parts.
    good.update(serious_lexicon_good())
    return Lexicon(bad, good)


def serious_lexicon_good() -> set[str]:
    data = load("serious.yaml")
    return {x["name"] for x in data.get("leaders", [])} | {x["correct"] for x in data.get("expressions", [])}


@functools.cache
def spam_lexicons() -> tuple[Lexicon, Lexicon]:
    """(brands that fire anywhere, generic terms that fire only with hiding and an outside link)."""
    data = load("spam.yaml")
    brands = Lexicon({b: {"kind": "brand"} for b in data.get("brands", [])})
    terms = Lexicon({t: {"kind": "term"} for t in data.get("terms", [])})
    return brands, terms


@functools.cache
def defacement_lexicon() -> Lexicon:
    """Phrases defacers leave on a replaced page (defacement.yaml)."""
    return Lexicon({p: {"kind": "defacement"} for p in load("defacement.yaml").get("phrases", [])})


# -- leaders' offices and their periods (serious.yaml `leaders[].offices`, `role_check`) -----------


@dataclass(frozen=True)
class RoleMention:
    """A leader's name written with an office title ("国务院总理李强", "李强总理")."""

    name: str
    office: str
    start: int
    end: int


@functools.cache
def _role_data() -> tuple[
    dict[tuple[str, str], list[tuple[Any, Any]]], list[tuple[str, re.Pattern]], re.Pattern, int
]:
    """((name, office) -> periods, [(office, pattern)], historical-prefix pattern, grace days)."""
    data = load("serious.yaml")
    periods: dict[tuple[str, str], list[tuple[Any, Any]]] = {}
    for leader in data.get("leaders", []):
        for held in leader.get("offices", []):
            periods.setdefault((leader["name"], held["office"]), []).append((held["from"], held.get("to")))
    rule = data.get("role_check", {})
    patterns = []
    for entry in rule.get("offices", []):
        office = entry["office"]
        names = sorted({n for n, o in periods if o == office}, key=len, reverse=True)
        if not names:
            continue
        who = "|".join(map(re.escape, names))
        alternatives = []
        before = sorted(entry.get("before", []), key=len, reverse=True)
        if before:
            alternatives.append(f"(?<!副)(?:{'|'.join(map(re.escape, before))})(?:同志)?(?P<b>{who})")
        after = sorted(entry.get("after", []), key=len, reverse=True)
        if after:
            alternatives.append(f"(?P<a>{who})(?:同志)?(?:{'|'.join(map(re.escape, after))})")
        patterns.append((office, re.compile("|".join(alternatives))))
    words = sorted(rule.get("historical", []), key=len, reverse=True)
    historical = re.compile(f"(?:{'|'.join(map(re.escape, words))})$" if words else r"(?!x)x")
    return periods, patterns, historical, int(rule.get("grace_days", 0))


def role_mentions(text: str) -> list[RoleMention]:
    """Name-with-office mentions, except those marked as past (时任, 原 ...)."""
    _, patterns, historical, _ = _role_data()
    found = []
    for office, pattern in patterns:
        for m in pattern.finditer(text):
            if historical.search(text[max(0, m.start() - 4) : m.start()]):
                continue
            found.append(RoleMention(m.group("b") or m.group("a"), office, m.start(), m.end()))
    return found


def holders(office: str, day) -> list[str]:
    """Who held `office` on `day` according to the lexicon."""
    periods, _, _, _ = _role_data()
    return [
        n
        for (n, o), spans in periods.items()
        if o == office and any(f <= day and (t is None or day <= t) for f, t in spans)
    ]


def role_fits(name: str, office: str, day) -> bool:
    """Whether `name` held `office` on `day` (with the handover grace); True when the lexicon has no period."""
    import datetime as dt

    periods, _, _, grace = _role_data()
    spans = periods.get((name, office))
    if not spans:
        return True
    return any(f <= day and (t is None or day <= t + dt.timedelta(days=grace)) for f, t in spans)
