"""Interaction channels (网上咨询建言渠道) a page shows: 领导信箱 and every "XX信箱", 网上留言, 在线咨询,
互动 … — and whether each entry works (a link) or is dead (an image without a link, href="#",
javascript:void(0)). The words are data: extract/lexicons/channels.yaml.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from govinspect.extract.html import absolute_url, base_href, clean_text, never_raise, parse
from govinspect.model import HomeChannels

_DEAD_HREF = re.compile(r"^\s*(?:#|javascript:\s*(?:void\s*\(\s*0?\s*\)|;)?\s*;?\s*$)", re.I)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Channel:
    label: str  # the words that name it (link text, title or image alt)
    url: str | None  # absolute URL of a working entry, else None
    working: bool


@functools.cache
def _lexicon() -> tuple[int, tuple[str, ...], frozenset[str], frozenset[str]]:
    data = yaml.safe_load((Path(__file__).resolve().parent / "lexicons" / "channels.yaml").read_text("utf-8"))
    words = {key: [str(w) for w in data.get(key, [])] for key in ("contains", "exact", "excluded")}
    contains = tuple(sorted(words["contains"], key=len, reverse=True))
    return int(data.get("max_label", 12)), contains, frozenset(words["exact"]), frozenset(words["excluded"])


def _clean(text: str) -> str:
    return _SPACES.sub("", text or "").strip("【】[]|｜·>»")


def not_a_channel(text: str) -> bool:
    """Labels that sound interactive but are no consultation channel (互动交流, 在线访谈, 调查征集 …)."""
    label = _clean(text)
    excluded = _lexicon()[3]
    return label in excluded or any(word in label for word in excluded if len(word) > 2)


def channel_label(text: str) -> bool:
    """Whether a link label names a consultation channel."""
    label = _clean(text)
    if not label or not_a_channel(label):
        return False
    max_label, contains, exact, _ = _lexicon()
    if label in exact:
        return True
    return len(label) <= max_label and any(word in label for word in contains)


def _labels(node) -> list[str]:
    """The texts that may name a link or an image: its text, title, and its images' alt/title."""
    attrs = node.attributes
    labels = [clean_text(node.text(deep=True)), clean_text(attrs.get("title"))]
    images = [node] if node.tag == "img" else node.css("img")
    for img in images:
        labels += [clean_text(img.attributes.get("alt")), clean_text(img.attributes.get("title"))]
    return [label for label in labels if label]


def _inside_link(node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == "a":
            return True
        parent = parent.parent
    return False


@never_raise(list)
def find_channels(html: str, base_url: str) -> list[Channel]:
    """Every channel entry of the page, in document order (one per entry)."""
    tree = parse(html)
    base = base_href(tree, base_url)
    found: list[Channel] = []
    for node in tree.css("a, img"):
        if node.tag == "img" and _inside_link(node):
            continue
        label = next((text for text in _labels(node) if channel_label(text)), None)
        if label is None:
            continue
        href = node.attributes.get("href") if node.tag == "a" else None
        if href is None or _DEAD_HREF.match(href):
            found.append(Channel(label=label, url=None, working=False))
            continue
        # A javascript: handler other than void(0) opens something: working, URL unknown.
        found.append(Channel(label=label, url=absolute_url(href, base), working=True))
    return found


def home_channels(html: str, base_url: str) -> HomeChannels:
    """The home page's channel entries as the interaction check reads them (counts and dead labels)."""
    channels = find_channels(html, base_url)
    return HomeChannels(
        working=sum(1 for c in channels if c.working), dead=[c.label for c in channels if not c.working]
    )
