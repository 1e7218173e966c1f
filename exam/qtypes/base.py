"""The interface every question type implements, and the plain data it passes around.

A type works on the authored item (`data`, the dict stored in a
QuestionVersion) and on plain answers; it never sees a request or the
database, so grading is testable without an app.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,78}$")


@dataclass(frozen=True)
class Problem:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}：{self.message}" if self.field else self.message


@dataclass
class Grade:
    score: float
    max_score: float
    correct: bool | None  # None: not decidable by machine (waits for review)
    needs_review: bool = False
    details: dict = field(default_factory=dict)


@dataclass
class ItemView:
    """What a template needs to show one item. Holds the key only when `reveal` was asked."""

    qtype: str
    label: str
    stem: str
    options: list[dict] = field(default_factory=list)  # [{value, label, text}]
    extra: dict = field(default_factory=dict)
    key: Any = None
    key_text: str = ""


class QuestionType:
    name = ""
    label = ""
    objective = True  # graded at once by machine

    # -- authoring -------------------------------------------------------
    def validate(self, data: dict) -> list[Problem]:
        return []

    # -- papers ----------------------------------------------------------
    def default_points(self, data: dict) -> float:
        """Points of the item on a paper when the blueprint does not say."""
        return 1.0

    def option_order(self, data: dict, rng: random.Random, shuffle: bool = True) -> list[str]:
        """Original option keys in the order a paper shows them."""
        return []

    def draw_params(self, data: dict, rng: random.Random) -> dict:
        """Per-paper parameters (numeric templates); most types need none."""
        return {}

    # -- showing and answering --------------------------------------------
    def view(self, data: dict, option_order: list[str], params: dict, reveal: bool) -> ItemView:
        raise NotImplementedError

    def read_form(self, form, name: str, data: dict) -> Any:
        """The raw answer of this item from an HTML form (a MultiDict) whose fields start with `name`."""
        return form.getlist(name)

    def parse_response(self, raw: Any) -> dict | None:
        """Turn form values (list of strings) or a JSON value into a stored answer; None = unanswered."""
        raise NotImplementedError

    def grade(self, data: dict, answer: dict | None, points: float, params: dict | None = None,
              rules: dict | None = None) -> Grade:
        raise NotImplementedError

    def explanation(self, data: dict, option_order: list[str]) -> str:
        """The 解析 as this paper shows it (choice types rename option letters to the shuffled ones)."""
        return data.get("explanation", "")

    def chosen(self, answer: dict | None) -> list[str]:
        """Option values the answer selected (for marking them on a page)."""
        return []

    def answer_text(self, data: dict, answer: dict | None, option_order: list[str], params: dict) -> str:
        """The trainee's answer as the trainee saw it (display letters, joined text)."""
        raise NotImplementedError


def common_problems(data: dict) -> list[Problem]:
    """Checks shared by every type: id, stem, difficulty, explanation."""
    problems = []
    qid = data.get("id")
    if not isinstance(qid, str) or not ID_RE.match(qid):
        problems.append(Problem("id", "缺少或格式不对（只能用小写字母、数字和连字符）"))
    if not _text(data.get("stem")):
        problems.append(Problem("stem", "题干不能为空"))
    diff = data.get("difficulty")
    if not isinstance(diff, int) or isinstance(diff, bool) or not 1 <= diff <= 5:
        problems.append(Problem("difficulty", "难度必须是 1 到 5 的整数"))
    if not _text(data.get("explanation")) and data.get("type") not in ("case", "essay"):
        problems.append(Problem("explanation", "解析不能为空"))
    return problems


def _text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""
