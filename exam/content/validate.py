"""Every check `flask content check` runs; pure functions over a Bundle.

Each problem names the file, the line or item id, and what is wrong, so an
author can fix it without reading code.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from difflib import SequenceMatcher

from ..assembly.blueprint import parse_blueprint, validate_blueprint
from ..assembly.draw import feasibility, function_names, pool_from_bundle
from ..qtypes import QTYPES
from ..textnorm import normalize
from .files import Bundle, ContentError
from .render import ANCHOR_RE, find_sections, question_links

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,78}$")
NODE_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,39}$")  # syllabus ids (levels are L2, L3...)
LESSON_FIELDS = ("title", "level", "function", "unit", "objectives", "key_terms", "sources", "reading_minutes")
LETTER_BALANCE = (0.20, 0.30)
LETTER_BALANCE_MIN_ITEMS = 20   # below this the shares say nothing
NEAR_DUPLICATE = 0.9


def validate(bundle: Bundle) -> list[ContentError]:
    problems = list(bundle.errors)
    tree = syllabus_index(bundle, problems)
    lesson_sections = check_lessons(bundle, tree, problems)
    check_questions(bundle, lesson_sections, problems)
    check_coverage(bundle, lesson_sections, problems)
    check_duplicates(bundle, problems)
    check_letter_balance(bundle, problems)
    check_links(bundle, problems)
    check_blueprints(bundle, problems)
    return problems


def syllabus_index(bundle: Bundle, problems: list) -> dict:
    """lesson id -> (level, function, unit) as the syllabus places it."""
    placed, seen = {}, set()
    levels = bundle.syllabus.get("levels")
    if not isinstance(levels, list) or not levels:
        problems.append(ContentError("syllabus.yaml", 1, "缺少 levels 列表"))
        return placed
    for level in levels:
        for node, kind, children in _walk_syllabus(level, problems):
            nid = node.get("id")
            if not isinstance(nid, str) or not NODE_ID_RE.match(nid):
                problems.append(ContentError("syllabus.yaml", node.get("__line__"), f"{kind}的 id “{nid}” 格式不对"))
            elif (kind, nid) in seen:
                problems.append(ContentError("syllabus.yaml", node.get("__line__"), f"{kind} id “{nid}” 重复"))
            seen.add((kind, nid))
            if not node.get("name"):
                problems.append(ContentError("syllabus.yaml", node.get("__line__"), f"{kind}“{nid}”缺少 name"))
        for function in level.get("functions") or []:
            for unit in function.get("units") or []:
                for lesson_id in unit.get("lessons") or []:
                    if lesson_id in placed:
                        problems.append(ContentError("syllabus.yaml", unit.get("__line__"), f"课程“{lesson_id}”在大纲中出现了两次"))
                    placed[lesson_id] = (level.get("id"), function.get("id"), unit.get("id"))
                    if lesson_id not in bundle.lessons:
                        problems.append(ContentError("syllabus.yaml", unit.get("__line__"), f"大纲列出的课程“{lesson_id}”没有对应的 lessons/{lesson_id}.md"))
    return placed


def _walk_syllabus(level, problems):
    yield level, "等级", level.get("functions")
    for function in level.get("functions") or []:
        yield function, "职业功能", function.get("units")
        for unit in function.get("units") or []:
            yield unit, "工作内容", unit.get("lessons")


def check_lessons(bundle: Bundle, placed: dict, problems: list) -> dict[str, dict]:
    """Returns lesson id -> {anchor: aux} for the question checks."""
    result = {}
    for lesson in bundle.lessons.values():
        meta, rel = lesson.meta, lesson.file
        if not ID_RE.match(lesson.id):
            problems.append(ContentError(rel, 2, f"课程 id “{lesson.id}” 格式不对"))
        if rel != f"lessons/{lesson.id}.md":
            problems.append(ContentError(rel, 2, f"文件名应为 lessons/{lesson.id}.md"))
        for name in LESSON_FIELDS:
            if meta.get(name) in (None, "", []):
                problems.append(ContentError(rel, 1, f"头信息缺少 {name}", lesson.id))
        objectives = meta.get("objectives") or []
        if objectives and not 3 <= len(objectives) <= 6:
            problems.append(ContentError(rel, 1, f"学习目标应为 3-6 条，现有 {len(objectives)} 条", lesson.id))
        for name in ("objectives", "key_terms", "sources"):
            if meta.get(name) is not None and not isinstance(meta.get(name), list):
                problems.append(ContentError(rel, 1, f"{name} 应为列表", lesson.id))
        if meta.get("reading_minutes") is not None and not isinstance(meta.get("reading_minutes"), int):
            problems.append(ContentError(rel, 1, "reading_minutes 应为整数（分钟）", lesson.id))
        where = placed.get(lesson.id)
        if where is None:
            problems.append(ContentError(rel, 1, "这门课程没有列在 syllabus.yaml 中", lesson.id))
        else:
            for name, value in zip(("level", "function", "unit"), where):
                if meta.get(name) != value:
                    problems.append(ContentError(rel, 1, f"{name} 为“{meta.get(name)}”，但大纲把课程放在“{value}”下", lesson.id))
        sections, heading_problems = find_sections(lesson.body)
        for line, message in heading_problems:
            problems.append(ContentError(rel, lesson.body_line + line - 1, message, lesson.id))
        anchors = {}
        for s in sections:
            if s.anchor in anchors:
                problems.append(ContentError(rel, lesson.body_line + s.line - 1, f"小节 id “{s.anchor}” 重复", lesson.id))
            anchors[s.anchor] = s.aux
        if not sections:
            problems.append(ContentError(rel, lesson.body_line, "课程没有任何带 id 的二级标题（## 标题 {#id}）", lesson.id))
        result[lesson.id] = anchors
    return result


def check_questions(bundle: Bundle, lesson_sections: dict, problems: list) -> None:
    seen = {}
    for item in bundle.questions:
        data, qid = item.data, item.data.get("id")
        label = qid if isinstance(qid, str) else None
        if label and label in seen:
            problems.append(ContentError(item.file, item.line, f"试题 id 与 {seen[label]} 重复", label))
        elif label:
            seen[label] = f"{item.file}:{item.line}"
        qtype = QTYPES.get(data.get("type"))
        if qtype is None:
            problems.append(ContentError(item.file, item.line, f"未知题型“{data.get('type')}”（可用：{'、'.join(QTYPES)}）", label))
            continue
        for problem in qtype.validate(data):
            problems.append(ContentError(item.file, item.line, str(problem), label))
        if not data.get("sources"):
            problems.append(ContentError(item.file, item.line, "sources：没有注明依据的素材文件（可写在文件顶层）", label))
        if not item.lesson_id or not item.section:
            problems.append(ContentError(item.file, item.line, "section：缺少所考查的课程小节", label))
        elif item.lesson_id not in lesson_sections:
            problems.append(ContentError(item.file, item.line, f"section：课程“{item.lesson_id}”不存在", label))
        elif item.section not in lesson_sections[item.lesson_id]:
            problems.append(ContentError(item.file, item.line, f"section：课程“{item.lesson_id}”中没有小节“{item.section}”", label))
        elif not ANCHOR_RE.match(item.section):
            problems.append(ContentError(item.file, item.line, "section 格式不对", label))


def check_coverage(bundle: Bundle, lesson_sections: dict, problems: list) -> None:
    tested = {(q.lesson_id, q.section) for q in bundle.questions}
    for lesson_id, anchors in lesson_sections.items():
        lesson = bundle.lessons[lesson_id]
        for anchor, aux in anchors.items():
            if not aux and (lesson_id, anchor) not in tested:
                problems.append(ContentError(lesson.file, None, f"小节“{anchor}”没有任何试题考查（或标记为 .aux）", lesson_id))


def check_duplicates(bundle: Bundle, problems: list) -> None:
    stems = [(q, normalize(str(q.data.get("stem") or q.data.get("material") or ""))) for q in bundle.questions]
    stems = [(q, s) for q, s in stems if len(s) >= 6]
    for i, (qa, a) in enumerate(stems):
        for qb, b in stems[i + 1:]:
            matcher = SequenceMatcher(None, a, b, autojunk=False)
            if matcher.real_quick_ratio() < NEAR_DUPLICATE or matcher.quick_ratio() < NEAR_DUPLICATE:
                continue
            if matcher.ratio() >= NEAR_DUPLICATE:
                problems.append(ContentError(qb.file, qb.line, f"题干与 {qa.data.get('id')}（{qa.file}:{qa.line}）几乎相同", qb.data.get("id")))


def check_letter_balance(bundle: Bundle, problems: list) -> None:
    keys = [q.data.get("answer") for q in bundle.questions if q.data.get("type") == "single"]
    keys = [k for k in keys if isinstance(k, str)]
    if len(keys) < LETTER_BALANCE_MIN_ITEMS:
        return
    counts = Counter(keys)
    low, high = LETTER_BALANCE
    for letter in "ABCD":
        share = counts.get(letter, 0) / len(keys)
        if not low <= share <= high:
            problems.append(ContentError("questions/", None, f"单选题正确答案为 {letter} 的占 {share:.0%}（{counts.get(letter, 0)}/{len(keys)}），应在 20%-30% 之间"))


def check_links(bundle: Bundle, problems: list) -> None:
    ids = {q.data.get("id") for q in bundle.questions}
    for lesson in bundle.lessons.values():
        for qid in question_links(lesson.body):
            if qid not in ids:
                problems.append(ContentError(lesson.file, None, f"自测链接 [[q:{qid}]] 指向不存在的试题", lesson.id))


def check_blueprints(bundle: Bundle, problems: list) -> None:
    """Every blueprint is well formed and the bank can fill every cell of it."""
    function_ids = {f["id"] for level in bundle.syllabus.get("levels") or [] for f in level.get("functions") or []}
    level_ids = {level["id"] for level in bundle.syllabus.get("levels") or []}
    names = function_names(bundle.syllabus)
    for bp_id, raw in bundle.blueprints.items():
        rel = raw.get("__file__", f"blueprints/{bp_id}.yaml")
        data = {k: v for k, v in raw.items() if k != "__file__"}
        if rel != f"blueprints/{bp_id}.yaml":
            problems.append(ContentError(rel, 1, f"文件名应为 blueprints/{bp_id}.yaml", bp_id))
        messages = validate_blueprint(data, function_ids=function_ids, level_ids=level_ids)
        if messages:
            problems.extend(ContentError(rel, None, m, bp_id) for m in messages)
            continue
        bp = parse_blueprint(data, function_ids=function_ids, level_ids=level_ids)
        pool = pool_from_bundle(bundle, bp.level)
        for shortfall in feasibility(bp, pool, names=names):
            problems.append(ContentError(rel, None, f"题库不足以组卷：{shortfall}", bp_id))


def stats(bundle: Bundle) -> dict:
    """Counts for `flask content stats --json`."""
    by_type, by_function, by_lesson, by_unit = Counter(), Counter(), defaultdict(Counter), defaultdict(Counter)
    placed = {}
    for level in bundle.syllabus.get("levels") or []:
        for function in level.get("functions") or []:
            for unit in function.get("units") or []:
                for lesson_id in unit.get("lessons") or []:
                    placed[lesson_id] = (function.get("id"), unit.get("id"))
    cases = key_points = 0
    for q in bundle.questions:
        qtype = q.data.get("type")
        by_type[qtype] += 1
        function_id, unit_id = placed.get(q.lesson_id, (None, None))
        by_function[function_id] += 1
        by_lesson[q.lesson_id][qtype] += 1
        by_unit[unit_id][qtype] += 1
        if qtype == "case":
            cases += 1
        for part in (q.data.get("parts") or []) + (q.data.get("rubric") or []):
            key_points += len(part.get("key_points") or [])
    sections = sum(len(find_sections(lesson.body)[0]) for lesson in bundle.lessons.values())
    return {
        "lessons": len(bundle.lessons),
        "sections": sections,
        "questions": len(bundle.questions),
        "by_type": dict(by_type),
        "by_function": {k: v for k, v in by_function.items() if k},
        "by_unit": {k: dict(v) for k, v in by_unit.items() if k},
        "by_lesson": {k: dict(v) for k, v in by_lesson.items()},
        "case_questions": cases,
        "key_points": key_points,
        "blueprints": len(bundle.blueprints),
    }
