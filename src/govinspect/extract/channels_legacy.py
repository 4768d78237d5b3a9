"""Interaction channel entries on the home page (领导信箱, 网上留言 ...): working or dead.

Read at crawl time into `SiteModel.home_channels` for interact.no_channel, which reads no HTML.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from govinspect.extract.html import parse
from govinspect.model import HomeChannels

LEXICON = Path(__file__).resolve().parent / "lexicons" / "channel_words.yaml"


def _channel_words() -> re.Pattern[str]:
    words = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))["words"]
    return re.compile("|".join(re.escape(str(w)) for w in words))


_CHANNEL_WORDS = _channel_words()
_DEAD_HREF = re.compile(r"^\s*(?:#|javascript:\s*(?:void\s*\(\s*0?\s*\)|;)?\s*;?\s*$)", re.I)


def home_channels(html: str) -> HomeChannels:
    """(working entries, dead entries) of interaction channels on the home page."""
    tree = parse(html)
    working, dead = 0, []
    for a in tree.css("a"):
        label = (
            (a.text(deep=True) or "")
            + " "
            + " ".join(
                (img.attributes.get("alt") or "") + (img.attributes.get("title") or "")
                for img in a.css("img")
            )
        )
        m = _CHANNEL_WORDS.search(label + (a.attributes.get("title") or ""))
        if not m:
            continue
        href = a.attributes.get("href")
        if href is None or _DEAD_HREF.match(href):
            dead.append(m.group(0))
        else:
            working += 1
    for img in tree.css("img"):
        label = (
            (img.attributes.get("alt") or "")
            + (img.attributes.get("title") or "")
            + (img.attributes.get("src") or "")
        )
        m = _CHANNEL_WORDS.search(label)
        parent, linked = img.parent, False
        while parent is not None:
            if parent.tag == "a":
                linked = True
                break
            parent = parent.parent
        if m and not linked:
            dead.append(m.group(0))
    return HomeChannels(working=working, dead=dead)
