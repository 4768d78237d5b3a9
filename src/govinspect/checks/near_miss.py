"""Near-miss forms of leaders' names and fixed political expressions (content.serious_error beyond
the exact wrong forms of serious.yaml): one character substituted by a homophone or a look-alike,
dropped, inserted or two neighbours swapped.

Precision is the law here, so the variants are generated conservatively:
- names of three or more characters only (李强, 汪洋 are ordinary words or too common);
- no dropped characters in names (习近平 without 平 is the 习近 of 学习近期);
- four-character expressions only change their last two characters (四个自信 → 是个自信 is a
  sentence, 两个/四个 are counts); longer expressions every character;
- a variant that is itself a vocabulary word, a correct form or one of its `except` words is dropped,
  and a hit inside a correct form never fires (Lexicon shields).
"""

from __future__ import annotations

import functools
import re

from govinspect.checks.lexicons import Lexicon, context, load
from govinspect.checks.spelling import confusables, confusions, word_zipf

_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
_PARTS = re.compile(r"[、，,]")
_PLACE_ENDINGS = set("堡庄村屯湾坝营寨桥镇河沟岭山店铺港湖塘坪坡冲岗圩集园")


def _targets() -> list[tuple[str, str, str]]:
    """(form to vary, kind, the correct form to report)."""
    data = load("serious.yaml")
    out = []
    for leader in data.get("leaders", []):
        if len(leader["name"]) >= 3:
            out.append((leader["name"], "leader", leader["name"]))
    for expr in data.get("expressions", []):
        for part in _PARTS.split(expr["correct"]):
            if len(part) >= 4 and _HAN.match(part):
                out.append((part, "expression", expr["correct"]))
    return out


def _variants(target: str, kind: str) -> set[tuple[str, str]]:
    """(variant, how) of one target."""
    table = confusions()
    # A leader's surname is kept: 往沪宁 is 前往沪宁 (the road), not 王沪宁.
    first = 1 if kind == "leader" else 0 if len(target) > 4 else 2
    out = set()
    for i in range(first, len(target)):
        for other, how in confusables(table, target[i]):
            if how in ("homophone", "similar", "pair"):
                out.add((target[:i] + other + target[i + 1 :], "同音字" if how == "homophone" else "形近字"))
        if i + 1 < len(target) and target[i] != target[i + 1]:
            out.add((target[:i] + target[i + 1] + target[i] + target[i + 2 :], "字序颠倒"))
        if kind == "expression" and len(target) >= 5 and 0 < i < len(target) - 1:
            out.add((target[:i] + target[i + 1 :], "漏字"))
        if i > 1:  # a doubled character; not the first (其中中华民族 is 其中 + 中华民族)
            out.add((target[:i] + target[i - 1] + target[i:], "多字"))
    return out


@functools.cache
def near_miss_lexicon() -> Lexicon:
    data = load("serious.yaml")
    good: set[str] = set()
    exact: set[str] = set()
    for leader in data.get("leaders", []):
        good.add(leader["name"])
        good.update(leader.get("except", []))
        exact.update(leader.get("wrong", []))
    for expr in data.get("expressions", []):
        good.add(expr["correct"])
        good.update(_PARTS.split(expr["correct"]))
        good.update(expr.get("except", []))
        exact.update(expr.get("wrong", []))
    zipf = word_zipf()
    bad: dict[str, dict] = {}
    for target, kind, correct in _targets():
        for variant, how in _variants(target, kind):
            if variant in good or variant in exact or variant in bad or zipf.get(variant, 0.0) > 0:
                continue
            if kind == "leader" and variant[-1] in _PLACE_ENDINGS:
                continue  # 温家堡 is a village, not 温家宝
            bad[variant] = {"kind": kind, "correct": correct, "target": target, "how": how}
    return Lexicon(bad, good)


def near_misses(text: str):
    """TextFindings (content.serious_error) of near-miss forms in `text`."""
    from govinspect.checks.content import TextFinding

    found = []
    seen: set[str] = set()
    taken: list[tuple[int, int]] = []
    # The longest variant of overlapping ones says the most (价观值 over 价观).
    for hit in sorted(near_miss_lexicon().find(text), key=lambda h: h.start - h.end):
        wrong = text[hit.start : hit.end]
        if wrong in seen or any(s < hit.end and hit.start < e for s, e in taken):
            continue
        seen.add(wrong)
        taken.append((hit.start, hit.end))
        info = hit.info
        what = "党和国家领导人姓名错误" if info["kind"] == "leader" else "重要表述错误"
        found.append(
            TextFinding(
                "content.serious_error",
                f"页面存在严重表述错误（{what}，{info['how']}）：“{wrong}”应为“{info['target']}”",
                wrong,
                info["target"],
                hit.start,
                hit.end,
                0.95,
                {"wrong": wrong, "correct": info["target"], "context": context(text, hit)},
            )
        )
    return sorted(found, key=lambda f: f.start)
