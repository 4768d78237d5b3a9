"""Rubrics as data: load, validate and apply a YAML scoring table.

A rubric decides what a finding costs; the checks only report what they saw. That keeps the
national tables, and provinces' local variants, editable without touching code.

The file format is documented in `rules/SCHEMA.md`. Validation errors name the file, the line and
the key, because the people who edit these files are inspectors, not programmers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

RUBRIC_DIR = Path(__file__).parent
DEFAULT_RUBRIC = "gov-2019"

# Thresholds the checks read (checks call Rubric.threshold(key)). Chinese descriptions for `rubric show`.
KNOWN_THRESHOLDS: dict[str, str] = {
    "probe_timeout_s": "首页打开超时（秒）",
    "probes_required": "可用性监测最少次数",
    "unreachable_ratio": "首页打不开比例（否决线）",
    "home_stale_days": "首页不更新时限（天）",
    "dynamic_stale_days": "动态要闻类栏目更新时限（天）",
    "policy_stale_days": "通知公告政策文件类栏目更新时限（天）",
    "long_stale_days": "人事规划类栏目更新时限（天）",
    "interact_reply_days": "留言答复时限（天）",
    "interact_window_days": "留言检查范围（检查日前天数）",
    "guide_missing_elements": "办事指南缺失要素类别数（达到即算不全）",
    "guide_incomplete_items": "要素不全的事项数（否决线）",
    "interact_slow_reply_days": "留言答复偏慢（天，扣分）",
    "canned_reply_share": "雷同答复占比（扣分线）",
    "canned_reply_min": "判断雷同答复的最少答复数",
    "defacement_structure_min": "首页结构相似度下限（低于即视为换了模板）",
    "defacement_text_kept_min": "首页原有文字保留比例下限（低于即视为文字被替换）",
    "defacement_identity_kept_min": "首页导航栏目保留比例下限（低于且网站名称消失即视为被篡改）",
    "duplicate_jaccard": "孪生报道的正文相似度下限",
    "duplicate_min_chars": "比较孪生报道所需的最少正文字数",
    "newmedia_stale_days": "政务新媒体不更新时限（天）",
    "newmedia_zombie_days": "政务新媒体“僵尸”账号时限（天）",
    "rectify_working_days": "整改期限（工作日）",
    "jiucuo_working_days": "找错留言办理时限（工作日）",
}

# Values of thresholds a rubric may leave out: local choices, not official numbers. Checks read
# every threshold through CheckContext.threshold, so a rubric that names one overrides it here.
THRESHOLD_DEFAULTS: dict[str, float] = {
    "interact_reply_days": 90,  # 超过3个月 (V); 90 days is a local reading
    "interact_window_days": 365,  # 监测时间点前1年内 (V)
    "interact_slow_reply_days": 21,  # about 15 working days
    "canned_reply_share": 0.6,  # share of replies that are one boilerplate
    "canned_reply_min": 5,  # replies needed before judging
    "guide_missing_elements": 4,  # (I, §1b)
    "guide_incomplete_items": 5,  # (I, §1b)
    "defacement_structure_min": 0.4,
    "defacement_text_kept_min": 0.3,
    "defacement_identity_kept_min": 0.3,
    "duplicate_jaccard": 0.7,  # two bodies sharing this share of their 5-character shingles
    "duplicate_min_chars": 80,  # shorter bodies (a caption, a one-line notice) are not compared
    "newmedia_stale_days": 14,  # 监测时间点前2周内无更新 (S, §1b/§9e)
    "newmedia_zombie_days": 90,  # 超过三个月未更新 (S, 贵州 2025Q2); 北京 uses 1 year
    "rectify_working_days": 20,  # 整改 reported about four weeks after the 通报 (INDICATORS §9a)
    "jiucuo_working_days": 3,  # 找错 messages answered within 3 working days (INDICATORS §9b)
}

_CHECK_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9_.]+$")

_TOP_KEYS = {
    "name",
    "title",
    "extends",
    "pass_score",
    "max_score",
    "thresholds",
    "vetoes",
    "deductions",
    "bonus",
}
_VETO_KEYS = {"id", "checks", "min", "text"}
_DEDUCT_KEYS = {"points", "cap"}
_BONUS_KEYS = {"max_points", "applies_above", "items"}


class RubricError(ValueError):
    """A rubric file that cannot be used; the message (Chinese) names the file, the line and the key."""


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


@dataclass(frozen=True)
class Bonus:
    """The 加分 part (2019: 30 points, scored only when the deduction part is above 80)."""

    max_points: float = 0.0
    applies_above: float = 80.0
    items: dict[str, Deduction] = field(default_factory=dict)  # check id -> points per finding, cap


@dataclass(frozen=True)
class Origin:
    """Where an effective rubric value was set: which rubric file, which line, and its comment."""

    rubric: str  # rubric name of the file (or "命令行" for an override given to load_rubric)
    path: str
    line: int
    note: str = ""  # the comment on that line, e.g. "local choice" or "(V)"
    replaces: str | None = None  # the rubric whose value this one overrides

    @property
    def local_choice(self) -> bool:
        note = self.note.lower()
        return "local choice" in note or "local reading" in note or "本地" in note


@dataclass
class Rubric:
    name: str
    title: str
    pass_score: float
    max_score: float
    thresholds: dict[str, float]
    vetoes: list[VetoRule] = field(default_factory=list)
    deductions: dict[str, Deduction] = field(default_factory=dict)
    bonus: Bonus = field(default_factory=Bonus)
    # Leaf path (e.g. ("thresholds", "home_stale_days")) -> where its value was set.
    origins: dict[tuple[str, ...], Origin] = field(default_factory=dict, repr=False, compare=False)
    chain: tuple[str, ...] = ()  # rubric names from the base to this one

    def threshold(self, key: str) -> float:
        try:
            return self.thresholds[key]
        except KeyError:
            raise RubricError(f"评分规则 {self.name} 缺少阈值 thresholds.{key}") from None

    def origin(self, *path: str) -> Origin | None:
        return self.origins.get(tuple(path))


def available_rubrics() -> list[str]:
    return sorted(p.stem for p in RUBRIC_DIR.glob("*.yaml"))


# -- reading YAML with line numbers -------------------------------------------------------------


class LineDict(dict):
    """A mapping from YAML that remembers the line of each key and the comment on that line."""

    line: int = 0
    lines: dict[Any, int]
    notes: dict[Any, str]

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    source_lines: list[str] = []


def _comment(lines: list[str], key_node: yaml.Node, value_node: yaml.Node) -> str:
    """The `# ...` text on the key's line, after the value when the value ends on that line."""
    row = key_node.start_mark.line
    if row >= len(lines):
        return ""
    end = value_node.end_mark
    start = end.column if end.line == row else key_node.end_mark.column
    rest = lines[row][start:]
    hash_at = rest.find("#")
    return rest[hash_at + 1 :].strip() if hash_at >= 0 else ""


def _construct_line_map(loader: _LineLoader, node: yaml.MappingNode):
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.lines, data.notes = {}, {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in data.lines:
            raise RubricError(
                f"第{key_node.start_mark.line + 1}行：键“{key}”重复（第{data.lines[key]}行已有）"
            )
        data.lines[key] = key_node.start_mark.line + 1
        data.notes[key] = _comment(loader.source_lines, key_node, value_node)
        data[key] = loader.construct_object(value_node, deep=True)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_line_map)


def parse_yaml_with_lines(text: str) -> Any:
    """yaml.safe_load, but every mapping is a LineDict (lines and comments of its keys)."""
    loader = _LineLoader(text)
    loader.source_lines = text.splitlines()
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _read_yaml(path: Path) -> LineDict:
    try:
        data = parse_yaml_with_lines(path.read_text(encoding="utf-8"))
    except RubricError as exc:
        raise RubricError(f"评分规则文件 {path} {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark else ""
        raise RubricError(f"评分规则文件 {path} {where}格式错误：{exc}") from exc
    if not isinstance(data, LineDict):
        raise RubricError(f"评分规则文件 {path} 的内容应为键值表")
    return data


# -- validation: one file at a time, so line numbers point into the file that is wrong ----------


class _Where:
    def __init__(self, path: Path):
        self.path = path

    def error(self, line: int, key: str, problem: str) -> RubricError:
        at = f" 第{line}行" if line else ""
        return RubricError(f"评分规则文件 {self.path}{at} {key}：{problem}")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_mapping(value: Any, where: _Where, line: int, key: str) -> LineDict:
    if not isinstance(value, LineDict):
        raise where.error(line, key, "应为键值表")
    return value


def _check_number(value: Any, where: _Where, line: int, key: str, *, minimum: float = 0) -> None:
    if not _is_number(value):
        raise where.error(line, key, f"应为数字，实际为“{value}”")
    if value < minimum:
        raise where.error(line, key, f"不能小于{minimum:g}，实际为{value:g}")


def _check_unknown(data: LineDict, allowed: set[str], where: _Where, prefix: str) -> None:
    for key in data:
        if key not in allowed:
            raise where.error(
                data.line_of(key), f"{prefix}{key}", f"未知的键；可用的键：{'、'.join(sorted(allowed))}"
            )


def _check_check_id(check: Any, where: _Where, line: int, key: str) -> None:
    from govinspect.checks.catalog import is_known

    if not isinstance(check, str) or not _CHECK_ID.match(check):
        raise where.error(line, key, f"检查项编号“{check}”格式错误，应如 column.empty")
    if not is_known(check):
        raise where.error(
            line, key, f"未知的检查项编号“{check}”（检查项目录见 govinspect/checks/catalog.py）"
        )


def _check_points_table(table: LineDict, where: _Where, prefix: str) -> None:
    for check, spec in table.items():
        line = table.line_of(check)
        _check_check_id(check, where, line, f"{prefix}{check}")
        spec = _check_mapping(spec, where, line, f"{prefix}{check}")
        _check_unknown(spec, _DEDUCT_KEYS, where, f"{prefix}{check}.")
        for key in ("points", "cap"):
            if key in spec:
                _check_number(spec[key], where, spec.line_of(key), f"{prefix}{check}.{key}")
        if "points" in spec and "cap" in spec and spec["cap"] < spec["points"]:
            raise where.error(spec.line_of("cap"), f"{prefix}{check}.cap", "封顶分值不能小于每处分值")


def validate_file(data: LineDict, path: Path) -> None:
    """Structure of one rubric file (see SCHEMA.md); raises RubricError naming the line and the key."""
    where = _Where(path)
    _check_unknown(data, _TOP_KEYS, where, "")
    for key in ("name", "title", "extends"):
        if key in data and not isinstance(data[key], str):
            raise where.error(data.line_of(key), key, "应为文字")
    for key in ("pass_score", "max_score"):
        if key in data:
            _check_number(data[key], where, data.line_of(key), key)

    if "thresholds" in data:
        table = _check_mapping(data["thresholds"], where, data.line_of("thresholds"), "thresholds")
        for key, value in table.items():
            if key not in KNOWN_THRESHOLDS:
                raise where.error(
                    table.line_of(key),
                    f"thresholds.{key}",
                    f"未知的阈值；可用的阈值：{'、'.join(KNOWN_THRESHOLDS)}",
                )
            _check_number(value, where, table.line_of(key), f"thresholds.{key}")

    if "vetoes" in data:
        if not isinstance(data["vetoes"], list):
            raise where.error(data.line_of("vetoes"), "vetoes", "应为列表（每项以“- id:”开头）")
        for i, rule in enumerate(data["vetoes"]):
            key = f"vetoes[{i + 1}]"
            rule = _check_mapping(rule, where, data.line_of("vetoes"), key)
            _check_unknown(rule, _VETO_KEYS, where, f"{key}.")
            if not isinstance(rule.get("id"), str):
                raise where.error(rule.line, f"{key}.id", "缺少否决项编号 id")
            if "checks" in rule:
                checks = rule["checks"]
                if not isinstance(checks, list) or not checks:
                    raise where.error(rule.line_of("checks"), f"{key}.checks", "应为非空的检查项编号列表")
                for check in checks:
                    _check_check_id(check, where, rule.line_of("checks"), f"{key}.checks")
            if "min" in rule and (
                not isinstance(rule["min"], int) or isinstance(rule["min"], bool) or rule["min"] < 1
            ):
                raise where.error(
                    rule.line_of("min"), f"{key}.min", f"应为不小于1的整数，实际为“{rule['min']}”"
                )

    if "deductions" in data:
        table = _check_mapping(data["deductions"], where, data.line_of("deductions"), "deductions")
        _check_points_table(table, where, "deductions.")

    if "bonus" in data:
        bonus = _check_mapping(data["bonus"], where, data.line_of("bonus"), "bonus")
        _check_unknown(bonus, _BONUS_KEYS, where, "bonus.")
        for key in ("max_points", "applies_above"):
            if key in bonus:
                _check_number(bonus[key], where, bonus.line_of(key), f"bonus.{key}")
        if "items" in bonus:
            items = _check_mapping(bonus["items"] or LineDict(), where, bonus.line_of("items"), "bonus.items")
            _check_points_table(items, where, "bonus.items.")


# -- inheritance with provenance -----------------------------------------------------------------


def _resolve_path(name_or_path: str) -> Path:
    path = Path(name_or_path)
    if path.suffix in {".yaml", ".yml"} and path.exists():
        return path
    builtin = RUBRIC_DIR / f"{name_or_path}.yaml"
    if builtin.exists():
        return builtin
    raise RubricError(f"找不到评分规则“{name_or_path}”；内置规则有：{'、'.join(available_rubrics())}")


def _leaves(data: LineDict, origin: Any) -> dict[tuple[str, ...], Origin]:
    """Every value the file sets, as a path, with its line and comment."""
    out: dict[tuple[str, ...], Origin] = {}

    def at(table: LineDict, key: Any) -> Origin:
        return Origin(origin.rubric, origin.path, table.line_of(key), table.notes.get(key, ""))

    for key in ("name", "title", "pass_score", "max_score"):
        if key in data:
            out[(key,)] = at(data, key)
    for key in data.get("thresholds") or {}:
        out[("thresholds", key)] = at(data["thresholds"], key)
    for check, spec in (data.get("deductions") or {}).items():
        for key in spec:
            # A flow mapping `{points: 2, cap: 10}  # local choice` carries its comment on the check's line.
            note = spec.notes.get(key) or data["deductions"].notes.get(check, "")
            out[("deductions", check, key)] = Origin(origin.rubric, origin.path, spec.line_of(key), note)
    for rule in data.get("vetoes") or []:
        for key in rule:
            if key != "id":
                out[("vetoes", rule["id"], key)] = at(rule, key)
    bonus = data.get("bonus") or {}
    for key in ("max_points", "applies_above"):
        if key in bonus:
            out[("bonus", key)] = at(bonus, key)
    for check, spec in (bonus.get("items") or {}).items():
        for key in spec:
            note = spec.notes.get(key) or bonus["items"].notes.get(check, "")
            out[("bonus", "items", check, key)] = Origin(origin.rubric, origin.path, spec.line_of(key), note)
    return out


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Child values win; thresholds, deductions and bonus items merge key by key; vetoes merge by id."""
    merged = {k: v for k, v in base.items()}
    for key, value in override.items():
        if key == "thresholds":
            merged[key] = {**(base.get(key) or {}), **(value or {})}
        elif key == "deductions":
            merged[key] = _merge_points(base.get(key) or {}, value or {})
        elif key == "bonus":
            old = base.get(key) or {}
            merged[key] = {
                **old,
                **{k: v for k, v in (value or {}).items() if k != "items"},
                "items": _merge_points(old.get("items") or {}, (value or {}).get("items") or {}),
            }
        elif key == "vetoes":
            by_id = {v["id"]: dict(v) for v in base.get("vetoes") or []}
            for rule in value or []:
                by_id[rule["id"]] = {**by_id.get(rule["id"], {}), **rule}
            merged["vetoes"] = list(by_id.values())
        else:
            merged[key] = value
    return merged


def _merge_points(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    # `{points: 3}` in a child keeps the parent's cap: only the values written change.
    return {**base, **{check: {**(base.get(check) or {}), **spec} for check, spec in override.items()}}


@dataclass
class RawRubric:
    data: dict[str, Any]
    origins: dict[tuple[str, ...], Origin]
    chain: tuple[str, ...]
    path: Path


def load_raw(name_or_path: str, _seen: tuple[str, ...] = ()) -> RawRubric:
    """Read, validate and resolve `extends:`; returns merged data and where each value came from."""
    path = _resolve_path(name_or_path)
    data = _read_yaml(path)
    validate_file(data, path)
    name = str(data.get("name", path.stem))
    origins = _leaves(data, Origin(name, str(path), 0))
    parent = data.get("extends")
    if not parent:
        return RawRubric(
            {k: v for k, v in data.items() if k != "extends"} | {"name": name}, origins, (name,), path
        )
    here = str(path.resolve())
    if str(_resolve_path(parent).resolve()) in (*_seen, here):
        raise RubricError(f"评分规则继承出现循环：{name} 继承 {parent}，而 {parent} 又（间接）继承 {name}")
    base = load_raw(parent, (*_seen, here))
    merged_origins = dict(base.origins)
    for key, origin in origins.items():
        old = base.origins.get(key)
        merged_origins[key] = Origin(
            origin.rubric, origin.path, origin.line, origin.note, replaces=old.rubric if old else None
        )
    merged = _merge(base.data, {k: v for k, v in data.items() if k != "extends"})
    merged["name"] = name
    return RawRubric(merged, merged_origins, (*base.chain, name), path)


def _check_complete(raw: RawRubric) -> None:
    """After inheritance every veto needs its checks and every deduction its points."""
    where = _Where(raw.path)
    for rule in raw.data.get("vetoes") or []:
        if "checks" not in rule:
            line = getattr(rule, "line", 0)
            raise where.error(line, f"vetoes.{rule['id']}.checks", "缺少必填键 checks（父规则中也没有）")
    for table, prefix in (
        (raw.data.get("deductions") or {}, "deductions."),
        ((raw.data.get("bonus") or {}).get("items") or {}, "bonus.items."),
    ):
        for check, spec in table.items():
            if "points" not in spec:
                line = getattr(spec, "line", 0)
                raise where.error(line, f"{prefix}{check}.points", "缺少必填键 points（父规则中也没有）")


def _points_table(table: dict[str, Any]) -> dict[str, Deduction]:
    return {
        check: Deduction(points=float(spec["points"]), cap=float(spec.get("cap", spec["points"])))
        for check, spec in table.items()
    }


def load_rubric(name_or_path: str = DEFAULT_RUBRIC, overrides: dict[str, float] | None = None) -> Rubric:
    """Load a built-in rubric by name or a YAML file by path, applying threshold overrides."""
    raw = load_raw(name_or_path)
    _check_complete(raw)
    data, origins = raw.data, dict(raw.origins)
    thresholds = {k: float(v) for k, v in (data.get("thresholds") or {}).items()}
    for key, value in (overrides or {}).items():
        if key not in KNOWN_THRESHOLDS:
            raise RubricError(f"未知的阈值 {key}；可用的阈值：{'、'.join(KNOWN_THRESHOLDS)}")
        if not _is_number(value):
            raise RubricError(f"阈值 {key} 应为数字，实际为“{value}”")
        old = origins.get(("thresholds", key))
        origins[("thresholds", key)] = Origin("命令行", "", 0, replaces=old.rubric if old else None)
        thresholds[key] = float(value)
    bonus = data.get("bonus") or {}
    return Rubric(
        name=str(data["name"]),
        title=str(data.get("title", data["name"])),
        pass_score=float(data.get("pass_score", 60)),
        max_score=float(data.get("max_score", 100)),
        thresholds=thresholds,
        vetoes=[
            VetoRule(
                id=str(r["id"]),
                checks=tuple(r["checks"]),
                min=int(r.get("min", 1)),
                text=str(r.get("text", "")),
            )
            for r in data.get("vetoes") or []
        ],
        deductions=_points_table(data.get("deductions") or {}),
        bonus=Bonus(
            max_points=float(bonus.get("max_points", 0)),
            applies_above=float(bonus.get("applies_above", 80)),
            items=_points_table(bonus.get("items") or {}),
        ),
        origins=origins,
        chain=raw.chain,
    )


def origin_label(rubric: Rubric, *path: str) -> str:
    """Chinese: where a value of the effective rubric comes from, and whether it is a local choice."""
    origin = rubric.origin(*path)
    if origin is None:
        return "默认值"
    if origin.rubric == "命令行":
        text = "命令行覆盖" + (f"（原值来自 {origin.replaces}）" if origin.replaces else "")
    elif origin.rubric != rubric.name:
        text = f"继承自 {origin.rubric}（第{origin.line}行）"
    elif origin.replaces:
        text = f"本规则第{origin.line}行，覆盖 {origin.replaces}"
    else:
        text = f"本规则第{origin.line}行"
    return text + ("；本地选择" if origin.local_choice else "")
