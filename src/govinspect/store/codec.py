"""JSON as the database stores it: the same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"无法保存为JSON的值：{type(value).__name__}")


# allow_nan=False: PostgreSQL rejects NaN in JSON, so fail the same way on every backend.
dump_json: Callable[[Any], str] = functools.partial(
    json.dumps, ensure_ascii=False, allow_nan=False, default=_json_default
)


def json_ready(value: Any) -> Any:
    """What the value becomes once stored as JSON (dates → ISO strings), so reads equal writes."""
    return json.loads(dump_json(value))
