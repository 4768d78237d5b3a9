"""Request validation errors in Chinese: FastAPI's 422 keeps its shape (`detail`: a list of {loc, msg,
type}) so API clients parse it as before, but `msg` says in Chinese what the field should be, and a
page shows one readable sentence instead of JSON."""

from __future__ import annotations

from typing import Any

# pydantic error type → what the value should be (context values fill the braces).
MESSAGES = {
    "missing": "缺少必填项",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "date_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期，格式 YYYY-MM-DD",
    "datetime_parsing": "应为时间，格式 YYYY-MM-DDTHH:MM:SS",
    "datetime_from_date_parsing": "应为时间，格式 YYYY-MM-DDTHH:MM:SS",
    "less_than_equal": "不能大于 {le}",
    "less_than": "应小于 {lt}",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "string_too_long": "长度不能超过 {max_length} 个字符",
    "string_too_short": "长度不能少于 {min_length} 个字符",
    "string_pattern_mismatch": "格式不正确",
    "literal_error": "取值只能是 {expected}",
    "enum": "取值只能是 {expected}",
    "json_invalid": "不是有效的 JSON",
    "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "list_type": "应为列表",
    "string_type": "应为文本",
}
PLACES = {"query": "查询参数", "path": "路径参数", "body": "请求体", "header": "请求头", "cookie": "Cookie"}


def chinese_message(error: dict[str, Any]) -> str:
    template = MESSAGES.get(str(error.get("type")), "取值无效")
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return MESSAGES.get(str(error.get("type")), "取值无效").split("{")[0].strip() or "取值无效"


def field_name(error: dict[str, Any]) -> str:
    loc = [str(part) for part in error.get("loc") or ()]
    place = PLACES.get(loc[0], loc[0]) if loc else ""
    return f"{place}“{'.'.join(loc[1:])}”" if len(loc) > 1 else place or "请求"


def chinese_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The errors with `msg` in Chinese; loc and type kept (input and ctx left out: never echoed)."""
    return [
        {"loc": list(e.get("loc") or ()), "msg": chinese_message(e), "type": str(e.get("type"))}
        for e in errors
    ]


def summary(errors: list[dict[str, Any]]) -> str:
    """One sentence for a page: 请求参数有误：查询参数“as_of”应为日期，格式 YYYY-MM-DD。"""
    parts = [f"{field_name(e)}{chinese_message(e)}" for e in errors[:5]]
    return "请求参数有误：" + "；".join(parts) + "。"
