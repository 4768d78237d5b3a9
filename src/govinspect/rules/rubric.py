"""Rubrics as data: load, validate and apply a YAML scoring table.

A rubric decides what a finding costs; the checks only report what they saw. That keeps the
national tables, and provinces' local variants, editable without touching code.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

RUBRIC_DIR = Path(__file__).parent
DEFAULT_RUBRIC = "gov-2019"

_TOP_KEYS = {"name", "title", "extends", "pass_score", "max_score", "thresholds", "vetoes", "deductions"}
_VETO_KEYS = {"id", "checks", "min", "text"}
_DEDUCT_KEYS = {"points", "cap"}


class RubricError(ValueError):
    """A rubric file that cannot be used; the message (Chinese) names the file and the key."""


@dataclass(frozen=True)
class VetoRule:
    id: str
    checks: tuple[str, ...]
    min: int
    text: str


@dataclass(frozen=True)
class Deduction:
    points: float
    cap: float


@dataclass
class Rubric:
    name: str
    title: str
    pass_score: float
    max_score: float
    thresholds: dict[str, float]
    vetoes: list[VetoRule] = field(default_factory=list)
    deductions: dict[str, Deduction] = field(default_factory=dict)

    def threshold(self, key: str) -> float:
        try:
            return self.thresholds[key]
        except KeyError:
            raise RubricError(f"评分规则 {self.name} 缺少阈值 thresholds.{key}") from None


def available_rubrics() -> list[str]:
    return sorted(p.stem for p in RUBRIC_DIR.glob("*.yaml"))


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark else ""
        raise RubricError(f"评分规则文件 {path} {where}格式错误：{exc}") from exc
    if not isinstance(data, dict):
        raise RubricError(f"评分规则文件 {path} 的内容应为键值表")
    return data


def _resolve_path(name_or_path: str) -> Path:
    path = Path(name_or_path)
    if path.suffix in {".yaml", ".yml"} and path.exists():
        return path
    builtin = RUBRIC_DIR / f"{name_or_path}.yaml"
    if builtin.exists():
        return builtin
    raise RubricError(f"找不到评分规则“{name_or_path}”；内置规则有：{'、'.join(available_rubrics())}")


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Child values win; `thresholds` and `deductions` merge key by key; `vetoes` merge by id."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if key in ("thresholds", "deductions") and isinstance(value, dict):
            merged.setdefault(key, {}).update(value)
        elif key == "vetoes" and isinstance(value, list):
            by_id = {v.get("id"): v for v in merged.get("vetoes", [])}
            for rule in value:
                by_id[rule.get("id")] = {**by_id.get(rule.get("id"), {}), **rule}
            merged["vetoes"] = list(by_id.values())
        else:
            merged[key] = value
    return merged


def load_raw(name_or_path: str, _seen: tuple[str, ...] = ()) -> dict[str, Any]:
    path = _resolve_path(name_or_path)
    data = _read_yaml(path)
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise RubricError(f"评分规则文件 {path} 含未知的键：{'、'.join(sorted(unknown))}")
    parent = data.get("extends")
    if parent:
        if parent in _seen:
            raise RubricError(f"评分规则继承出现循环：{' → '.join((*_seen, parent))}")
        data = _merge(load_raw(parent, (*_seen, str(data.get("name", path.stem)))), data)
        data.pop("extends", None)
    data.setdefault("name", path.stem)
    data["_path"] = str(path)
    return data


def load_rubric(name_or_path: str = DEFAULT_RUBRIC, overrides: dict[str, float] | None = None) -> Rubric:
    """Load a built-in rubric by name or a YAML file by path, applying threshold overrides."""
    data = load_raw(name_or_path)
    where = data.pop("_path")
    thresholds = dict(data.get("thresholds") or {})
    thresholds.update(overrides or {})
    try:
        vetoes = []
        for i, rule in enumerate(data.get("vetoes") or []):
            bad = set(rule) - _VETO_KEYS
            if bad:
                raise RubricError(f"{where}: vetoes 第{i + 1}项含未知的键：{'、'.join(sorted(bad))}")
            vetoes.append(
                VetoRule(
                    id=str(rule["id"]),
                    checks=tuple(rule["checks"]),
                    min=int(rule.get("min", 1)),
                    text=str(rule.get("text", "")),
                )
            )
        deductions = {}
        for check, spec in (data.get("deductions") or {}).items():
            bad = set(spec) - _DEDUCT_KEYS
            if bad:
                raise RubricError(f"{where}: deductions.{check} 含未知的键：{'、'.join(sorted(bad))}")
            points = float(spec["points"])
            deductions[check] = Deduction(points=points, cap=float(spec.get("cap", points)))
        return Rubric(
            name=str(data["name"]),
            title=str(data.get("title", data["name"])),
            pass_score=float(data.get("pass_score", 60)),
            max_score=float(data.get("max_score", 100)),
            thresholds={k: float(v) for k, v in thresholds.items()},
            vetoes=vetoes,
            deductions=deductions,
        )
    except KeyError as exc:
        raise RubricError(f"评分规则文件 {where} 缺少必填键 {exc.args[0]}") from exc
    except (TypeError, ValueError) as exc:
        if isinstance(exc, RubricError):
            raise
        raise RubricError(f"评分规则文件 {where} 的取值类型错误：{exc}") from exc
