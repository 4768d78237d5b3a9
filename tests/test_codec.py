"""The generic dataclass codec: what the SiteModel contract rests on."""

import datetime as dt
import json
from dataclasses import dataclass, field

from govinspect.codec import NOT_STORED, from_data, to_data


@dataclass
class Leaf:
    when: dt.date | None = None
    at: dt.datetime | None = None
    tags: set[str] = field(default_factory=set)


@dataclass
class Tree:
    name: str
    leaves: list[Leaf] = field(default_factory=list)
    by_name: dict[str, Leaf] = field(default_factory=dict)
    best: Leaf | None = None
    ratio: float = 0.0
    raw: dict | None = None
    secret: str = field(default="", metadata=NOT_STORED)


def test_nested_dataclasses_go_to_json_and_back():
    tree = Tree(
        name="青山",
        leaves=[Leaf(dt.date(2026, 11, 1), dt.datetime(2026, 11, 1, 9, 30), {"b", "a"})],
        by_name={"x": Leaf(None, None, set())},
        best=Leaf(dt.date(2026, 1, 2)),
        ratio=1,  # an int in JSON for a float field comes back as a float
        raw={"free": [1, "二"]},
        secret="<html>正文</html>",
    )
    data = json.loads(json.dumps(to_data(tree), ensure_ascii=False))
    assert "secret" not in data and data["leaves"][0]["tags"] == ["a", "b"]
    back = from_data(Tree, data)
    assert back == Tree(
        name="青山",
        leaves=tree.leaves,
        by_name=tree.by_name,
        best=tree.best,
        ratio=1.0,
        raw={"free": [1, "二"]},
    )
    assert isinstance(back.ratio, float) and back.secret == ""


def test_fields_missing_from_older_data_take_their_defaults():
    assert from_data(Tree, {"name": "甲"}) == Tree(name="甲")
