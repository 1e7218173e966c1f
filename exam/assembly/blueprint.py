"""What a blueprint (组卷方案) is: the parsed form of content/blueprints/*.yaml.

Pure: no Flask, no database. `validate_blueprint` lists every problem so an
author fixes a file in one pass; `parse_blueprint` raises them together.
Drawing a paper from a blueprint lives in draw.py.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Hashable
from dataclasses import dataclass
from typing import Any

KINDS = ("mock", "certification", "practice")
# Same names as the exam.qtypes registry (a test keeps them in step); listed
# here so that parsing a blueprint does not import the graders.
QTYPE_NAMES = ("single", "multiple", "judge", "fill", "numeric", "case", "essay")
QTYPE_LABELS = {"single": "单项选择题", "multiple": "多项选择题", "judge": "判断题", "fill": "填空题",
                "numeric": "计算题", "case": "案例分析题", "essay": "方案设计题"}
# Difficulty bands of `difficulty_mix`: fixed so that every blueprint means the same by "hard".
BANDS = {"easy": (1, 2), "medium": (3,), "hard": (4, 5)}
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_TOP_KEYS = {"id", "title", "description", "level", "kind", "time_limit_minutes", "pass_mark",
             "total_points", "function_weights", "difficulty_mix", "scoring", "avoid_recent", "sections"}
_SECTION_KEYS = {"id", "title", "type", "count", "points_per_item", "function_weights"}
_SHARE_TOLERANCE = 1e-6


class BlueprintError(ValueError):
    """A blueprint that cannot be read, or a bank that cannot fill it; one message per problem."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class BlueprintSection:
    id: str
    title: str                 # as printed on the paper, e.g. 一、单项选择题
    type: str                  # question type drawn into this section
    count: int
    points_per_item: float
    function_weights: dict[str, float] | None = None  # overrides the blueprint's for this section

    @property
    def points(self) -> float:
        return self.count * self.points_per_item


@dataclass(frozen=True)
class Blueprint:
    id: str
    title: str
    level: str
    kind: str
    time_limit_minutes: int | None
    pass_mark: float
    total_points: float
    function_weights: dict[str, float]
    sections: tuple[BlueprintSection, ...]
    difficulty_mix: dict[str, float] | None = None
    multiple_partial: bool = False
    partial_share: float = 0.5
    avoid_recent: int = 0
    description: str = ""

    def weights_for(self, section: BlueprintSection) -> dict[str, float]:
        return section.function_weights or self.function_weights

    @property
    def rules(self) -> dict:
        """Scoring rules in the shape QuestionType.grade(..., rules=) reads."""
        return {"multiple_partial": self.multiple_partial, "partial_share": self.partial_share}


@dataclass(frozen=True)
class ItemInfo:
    """What assembly needs to know of one bank item (current version)."""
    question_id: str
    version_id: int
    qtype: str
    function_id: str
    unit_id: str
    lesson_id: str
    section_id: Hashable       # lesson section: database id, or "lesson#anchor" when read from files
    difficulty: int


# -- validation -------------------------------------------------------------

def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _text(v) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _unknown(data: dict, allowed: set, where: str) -> list[str]:
    # Dunder keys are bookkeeping of the content reader (__line__, __file__).
    extra = sorted(k for k in data if isinstance(k, str) and not k.startswith("__") and k not in allowed)
    return [f"{where}{k}：未知字段" for k in extra]


def _shares(value, where: str, allowed: Collection[str] | None, what: str) -> list[str]:
    """A mapping name -> share >= 0 with at least one share > 0, summing to 1."""
    if not isinstance(value, dict) or not value:
        return [f"{where}：必须是非空的映射（{what}: 占比）"]
    problems = []
    for key, share in value.items():
        if allowed is not None and key not in allowed:
            problems.append(f"{where}.{key}：未知的{what}")
        if not _is_num(share) or share < 0:
            problems.append(f"{where}.{key}：占比必须是不小于 0 的数")
    if not problems:
        total = sum(value.values())
        if total <= 0:
            problems.append(f"{where}：至少要有一项占比大于 0")
        elif abs(total - 1) > _SHARE_TOLERANCE:
            problems.append(f"{where}：各项占比之和必须为 1，现为 {total:g}")
    return problems


def validate_blueprint(data: Any, *, function_ids: Collection[str] | None = None,
                       level_ids: Collection[str] | None = None) -> list[str]:
    """Every problem of a blueprint, each naming its field; [] when it is sound.

    `function_ids` / `level_ids` (from the syllabus) are checked when given.
    """
    if not isinstance(data, dict):
        return ["组卷方案必须是一个映射（键值对）"]
    p = _unknown(data, _TOP_KEYS, "")
    if not (_text(data.get("id")) and _ID.match(data["id"])):
        p.append("id：必须是小写字母、数字和连字符组成的标识，如 l2-theory-mock")
    if not _text(data.get("title")):
        p.append("title：不能为空")
    if "description" in data and not isinstance(data["description"], str):
        p.append("description：必须是文字")
    level = data.get("level")
    if not _text(level):
        p.append("level：不能为空，如 L2")
    elif level_ids is not None and level not in level_ids:
        p.append(f"level：大纲中没有等级 {level}")
    kind = data.get("kind")
    if kind not in KINDS:
        p.append(f"kind：必须是 {' / '.join(KINDS)} 之一")
    limit = data.get("time_limit_minutes")
    if not ((_is_int(limit) and limit > 0) or (limit is None and kind == "practice")):
        p.append("time_limit_minutes：必须是正整数（只有 practice 可以不限时）")
    total = data.get("total_points")
    if not (_is_num(total) and total > 0):
        p.append("total_points：必须是正数")
        total = None
    mark = data.get("pass_mark")
    if not (_is_num(mark) and mark > 0):
        p.append("pass_mark：必须是正数")
    elif total is not None and mark > total:
        p.append(f"pass_mark：{mark:g} 超过了总分 {total:g}")
    p += _shares(data.get("function_weights"), "function_weights", function_ids, "职业功能")
    if data.get("difficulty_mix") is not None:
        p += _shares(data["difficulty_mix"], "difficulty_mix", BANDS, "难度档（easy / medium / hard）")
    p += _validate_scoring(data.get("scoring"))
    avoid = data.get("avoid_recent", 0)
    if not (_is_int(avoid) and avoid >= 0):
        p.append("avoid_recent：必须是不小于 0 的整数")
    elif kind == "certification" and avoid:
        # Every candidate of a certification draws from the same bank, whatever they practised.
        p.append("avoid_recent：正式考试（certification）必须为 0")
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        p.append("sections：必须是非空列表")
        return p
    seen: set = set()
    points = 0.0
    for i, sec in enumerate(sections):
        sp, sec_points = _validate_section(sec, f"sections[{i}]", function_ids)
        p += sp
        sid = sec.get("id") if isinstance(sec, dict) else None
        if isinstance(sid, str) and sid in seen:
            p.append(f"sections[{i}].id：与前面的分部重名（{sid}）")
        seen.add(sid)
        points = points + sec_points if points is not None and sec_points is not None else None
    if total is not None and points is not None and abs(points - total) > 1e-6:
        p.append(f"total_points：为 {total:g}，但各分部 count × points_per_item 合计 {points:g}")
    return p


def _validate_scoring(scoring) -> list[str]:
    if scoring is None:
        return []
    if not isinstance(scoring, dict):
        return ["scoring：必须是映射（multiple_partial, partial_share）"]
    p = _unknown(scoring, {"multiple_partial", "partial_share"}, "scoring.")
    if not isinstance(scoring.get("multiple_partial", False), bool):
        p.append("scoring.multiple_partial：必须是 true 或 false")
    share = scoring.get("partial_share", 0.5)
    if not (_is_num(share) and 0 < share < 1):
        p.append("scoring.partial_share：必须是 0 与 1 之间的数（不含 0 和 1）")
    return p


def _validate_section(sec, where: str, function_ids) -> tuple[list[str], float | None]:
    if not isinstance(sec, dict):
        return [f"{where}：必须是映射（id, title, type, count, points_per_item）"], None
    p = _unknown(sec, _SECTION_KEYS, f"{where}.")
    if not (_text(sec.get("id")) and _ID.match(sec["id"])):
        p.append(f"{where}.id：必须是小写字母、数字和连字符组成的标识")
    if not _text(sec.get("title")):
        p.append(f"{where}.title：不能为空")
    if sec.get("type") not in QTYPE_NAMES:
        p.append(f"{where}.type：必须是 {' / '.join(QTYPE_NAMES)} 之一")
    count, each = sec.get("count"), sec.get("points_per_item")
    if not (_is_int(count) and count > 0):
        p.append(f"{where}.count：必须是正整数")
    if not (_is_num(each) and each > 0):
        p.append(f"{where}.points_per_item：必须是正数")
    if sec.get("function_weights") is not None:
        p += _shares(sec["function_weights"], f"{where}.function_weights", function_ids, "职业功能")
    ok = _is_int(count) and count > 0 and _is_num(each) and each > 0
    return p, (count * each if ok else None)


# -- parsing ------------------------------------------------------------------

def parse_blueprint(data: Any, *, function_ids: Collection[str] | None = None,
                    level_ids: Collection[str] | None = None) -> Blueprint:
    """A Blueprint from the YAML mapping, or BlueprintError listing every problem."""
    problems = validate_blueprint(data, function_ids=function_ids, level_ids=level_ids)
    if problems:
        raise BlueprintError(problems)
    scoring = data.get("scoring") or {}
    sections = tuple(
        BlueprintSection(
            id=s["id"], title=s["title"].strip(), type=s["type"], count=s["count"],
            points_per_item=float(s["points_per_item"]),
            function_weights=dict(s["function_weights"]) if s.get("function_weights") else None,
        )
        for s in data["sections"]
    )
    return Blueprint(
        id=data["id"], title=data["title"].strip(), level=data["level"], kind=data["kind"],
        time_limit_minutes=data.get("time_limit_minutes"), pass_mark=float(data["pass_mark"]),
        total_points=float(data["total_points"]), function_weights=dict(data["function_weights"]),
        sections=sections,
        difficulty_mix=dict(data["difficulty_mix"]) if data.get("difficulty_mix") else None,
        multiple_partial=scoring.get("multiple_partial", False),
        partial_share=float(scoring.get("partial_share", 0.5)),
        avoid_recent=data.get("avoid_recent", 0), description=(data.get("description") or "").strip(),
    )


def band_of(difficulty: int) -> str:
    for band, levels in BANDS.items():
        if difficulty in levels:
            return band
    # Out-of-range difficulties are content errors caught by `content check`; count them as medium.
    return "medium"


__all__ = ["BANDS", "KINDS", "QTYPE_LABELS", "QTYPE_NAMES", "Blueprint", "BlueprintError",
           "BlueprintSection", "ItemInfo", "band_of", "parse_blueprint", "validate_blueprint"]
