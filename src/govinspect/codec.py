"""Dataclasses <-> JSON-ready data, driven by the type hints: one generic codec, no hand-written inverse.

`to_data(obj)` turns a dataclass (and what it holds: lists, dicts, sets, dates) into plain JSON
values; `from_data(cls, data)` builds `cls` back from them. A field marked `NOT_STORED` in its
metadata (raw page bodies, transient crawl state) is left out and comes back as its default.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from typing import Any, Literal, Union

NOT_STORED: dict[str, Any] = {"stored": False}


def _stored_fields(cls: type) -> list[dataclasses.Field]:
    return [f for f in dataclasses.fields(cls) if f.metadata.get("stored", True)]


def to_data(value: Any) -> Any:
    """JSON-ready form of a dataclass instance or any value it holds."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in _stored_fields(type(value))}
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_data(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((to_data(v) for v in value), key=str)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_data(tp: Any, data: Any) -> Any:
    """Build a value of type `tp` from what `to_data` produced."""
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return from_data(options[0], data) if len(options) == 1 else data
    if dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        kwargs = {
            f.name: from_data(hints[f.name], data[f.name]) for f in _stored_fields(tp) if f.name in data
        }
        return tp(**kwargs)
    if origin in (list, set, frozenset, tuple):
        (item,) = typing.get_args(tp)[:1] or (Any,)
        items = [from_data(item, v) for v in data]
        return items if origin is list else origin(items)
    if origin is dict:
        _, value_type = typing.get_args(tp) or (str, Any)
        return {k: from_data(value_type, v) for k, v in data.items()}
    if tp is dt.datetime:
        return dt.datetime.fromisoformat(data)
    if tp is dt.date:
        return dt.date.fromisoformat(data)
    if tp is float and isinstance(data, int):
        return float(data)
    if tp is Any or origin is Literal or tp in (str, int, bool, float, dict, list):
        return data
    raise TypeError(f"cannot decode {tp!r}")
