"""Read content/ into plain data, remembering file and line of everything.

Nothing here touches the database: `read_content(path)` returns a Bundle
that validate.py checks and sync.py writes.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field

import yaml


class ContentError(Exception):
    """A problem that stops reading: names file, line and problem."""

    def __init__(self, file: str, line: int | None, message: str, item: str | None = None):
        self.file, self.line, self.message, self.item = file, line, message, item
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        item = f" [{self.item}]" if self.item else ""
        return f"{where}{item}：{self.message}"


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records the line of every mapping as `__line__` (1-based)."""


def _construct_mapping(loader, node, deep=False):
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: str, rel: str):
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_LineLoader)  # noqa: S506  (SafeLoader subclass)
    except UnicodeDecodeError:
        raise ContentError(rel, None, "文件不是 UTF-8 编码") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError(rel, line, f"YAML 格式错误：{problem}") from None


def strip_lines(value):
    """Drop the `__line__` bookkeeping before data is hashed or stored."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


def content_hash(value) -> str:
    blob = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass
class LessonFile:
    id: str
    meta: dict
    body: str
    file: str
    body_line: int  # line of the file where the body starts


@dataclass
class QuestionItem:
    data: dict        # the authored item, without __line__
    lesson_id: str    # resolved lesson of `section`
    section: str      # section anchor inside that lesson
    file: str
    line: int


@dataclass
class Bundle:
    root: str
    syllabus: dict
    lessons: dict[str, LessonFile] = field(default_factory=dict)
    questions: list[QuestionItem] = field(default_factory=list)
    blueprints: dict[str, dict] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)


FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


def read_content(root: str) -> Bundle:
    """Read every file; problems that stop a file from being read go to bundle.errors."""
    syllabus_path = os.path.join(root, "syllabus.yaml")
    if not os.path.exists(syllabus_path):
        raise ContentError("syllabus.yaml", None, f"在 {root} 中找不到大纲文件")
    bundle = Bundle(root, load_yaml(syllabus_path, "syllabus.yaml") or {})
    for name in sorted(_listdir(root, "lessons", ".md")):
        rel = f"lessons/{name}"
        try:
            lesson = read_lesson(os.path.join(root, rel), rel)
        except ContentError as exc:
            bundle.errors.append(exc)
            continue
        if lesson.id in bundle.lessons:
            bundle.errors.append(ContentError(rel, 2, f"课程 id “{lesson.id}” 与 {bundle.lessons[lesson.id].file} 重复"))
            continue
        bundle.lessons[lesson.id] = lesson
    for name in sorted(_listdir(root, "questions", ".yaml")):
        rel = f"questions/{name}"
        try:
            bundle.questions.extend(read_question_file(os.path.join(root, rel), rel))
        except ContentError as exc:
            bundle.errors.append(exc)
    for name in sorted(_listdir(root, "blueprints", ".yaml")):
        rel = f"blueprints/{name}"
        try:
            data = load_yaml(os.path.join(root, rel), rel)
        except ContentError as exc:
            bundle.errors.append(exc)
            continue
        if not isinstance(data, dict) or not data.get("id"):
            bundle.errors.append(ContentError(rel, 1, "组卷方案缺少 id"))
            continue
        bundle.blueprints[data["id"]] = strip_lines(data) | {"__file__": rel}
    return bundle


def _listdir(root, sub, ext):
    path = os.path.join(root, sub)
    if not os.path.isdir(path):
        return []
    return [n for n in os.listdir(path) if n.endswith(ext) and not n.startswith(".")]


def read_lesson(path: str, rel: str) -> LessonFile:
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except UnicodeDecodeError:
        raise ContentError(rel, None, "文件不是 UTF-8 编码") from None
    match = FRONT_MATTER.match(text)
    if not match:
        raise ContentError(rel, 1, "缺少以 --- 开始和结束的 YAML 头信息（front matter）")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        raise ContentError(rel, line, f"头信息 YAML 格式错误：{getattr(exc, 'problem', exc)}") from None
    if not isinstance(meta, dict) or not meta.get("id"):
        raise ContentError(rel, 1, "头信息缺少 id")
    body_line = text[: match.end()].count("\n") + 1
    return LessonFile(str(meta["id"]), meta, text[match.end():], rel, body_line)


def read_question_file(path: str, rel: str) -> list[QuestionItem]:
    doc = load_yaml(path, rel)
    if not isinstance(doc, dict) or not isinstance(doc.get("questions"), list):
        raise ContentError(rel, 1, "题库文件应包含 questions 列表")
    default_lesson = doc.get("lesson")
    default_sources = doc.get("sources")
    items = []
    for raw in doc["questions"]:
        if not isinstance(raw, dict):
            raise ContentError(rel, None, "questions 中的每一项都必须是一道题（键值对）")
        line = raw.get("__line__", 0)
        data = strip_lines(raw)
        if default_sources and "sources" not in data:
            data["sources"] = list(default_sources)
        section = str(data.get("section") or "")
        lesson_id, _, anchor = section.rpartition("#")
        lesson_id = lesson_id or default_lesson or ""
        items.append(QuestionItem(data, str(lesson_id), anchor, rel, line))
    return items
