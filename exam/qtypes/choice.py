"""Single choice (单选), multiple choice (多选) and true/false (判断)."""
from __future__ import annotations

import random
import re
import string

from . import register
from .base import Grade, ItemView, Problem, QuestionType, common_problems

LETTERS = string.ascii_uppercase
# An option letter standing alone in a 解析 ("故选 A", "B 错：", "A、C、D"), not part of 5C or CRM.
LETTER_REF = re.compile(r"(?<![A-Za-z0-9])([A-E])(?![A-Za-z0-9])")


def _display_letters(order: list[str]) -> dict[str, str]:
    """Original key -> letter shown on this paper."""
    return {orig: LETTERS[i] for i, orig in enumerate(order)}


def _first(raw):
    if isinstance(raw, (list, tuple)):
        raw = raw[0] if raw else None
    return raw


class _ChoiceBase(QuestionType):
    min_options = 4
    max_options = 4

    def validate(self, data: dict) -> list[Problem]:
        problems = common_problems(data)
        options = data.get("options")
        if not isinstance(options, dict) or not options:
            return problems + [Problem("options", "缺少选项（应为 A、B、C… 到选项文字的映射）")]
        keys = list(options)
        expected = list(LETTERS[: len(keys)])
        if [str(k) for k in keys] != expected:
            problems.append(Problem("options", f"选项字母应依次为 {'、'.join(expected)}"))
        if not self.min_options <= len(keys) <= self.max_options:
            n = (f"{self.min_options}" if self.min_options == self.max_options
                 else f"{self.min_options}-{self.max_options}")
            problems.append(Problem("options", f"{self.label}题应有 {n} 个选项，现有 {len(keys)} 个"))
        for key, text in options.items():
            if not isinstance(text, str) or not text.strip():
                problems.append(Problem(f"options.{key}", "选项文字不能为空"))
        texts = [str(t).strip() for t in options.values()]
        if len(set(texts)) != len(texts):
            problems.append(Problem("options", "有重复的选项"))
        problems.extend(self._validate_answer(data.get("answer"), [str(k) for k in keys]))
        return problems

    def option_order(self, data, rng: random.Random, shuffle=True):
        order = [str(k) for k in data["options"]]
        if shuffle:
            rng.shuffle(order)
        return order

    def view(self, data, option_order, params, reveal):
        order = option_order or [str(k) for k in data["options"]]
        letters = _display_letters(order)
        options = [{"value": k, "label": letters[k], "text": data["options"][k]} for k in order]
        item = ItemView(self.name, self.label, data["stem"], options)
        if reveal:
            key = set(self._key_list(data))
            for opt in options:
                opt["is_key"] = opt["value"] in key
            item.key = sorted(letters[k] for k in key)
            item.key_text = "、".join(item.key)
        return item

    def chosen(self, answer):
        if not answer:
            return []
        return list(answer.get("choices") or [answer.get("choice")])

    def explanation(self, data, option_order):
        """Authors write the 解析 with the authored letters; a shuffled paper shows other ones."""
        text = data.get("explanation", "")
        if not option_order or option_order == sorted(option_order):
            return text
        letters = _display_letters(option_order)
        return LETTER_REF.sub(lambda m: letters.get(m.group(1), m.group(1)), text)

    def answer_text(self, data, answer, option_order, params):
        if not answer:
            return "未作答"
        letters = _display_letters(option_order or [str(k) for k in data["options"]])
        chosen = answer.get("choices") or [answer.get("choice")]
        return "、".join(sorted(letters.get(c, "?") for c in chosen if c))


@register
class SingleChoice(_ChoiceBase):
    name = "single"
    label = "单选"

    def _validate_answer(self, answer, keys):
        if not isinstance(answer, str) or answer not in keys:
            return [Problem("answer", "单选题的答案必须是一个选项字母")]
        return []

    def _key_list(self, data):
        return [data["answer"]]

    def parse_response(self, raw):
        value = _first(raw)
        return {"choice": str(value)} if value not in (None, "") else None

    def grade(self, data, answer, points, params=None, rules=None):
        ok = bool(answer) and answer.get("choice") == data["answer"]
        return Grade(points if ok else 0.0, points, ok)


@register
class MultipleChoice(_ChoiceBase):
    name = "multiple"
    label = "多选"
    max_options = 5

    def _validate_answer(self, answer, keys):
        if (not isinstance(answer, list) or len(answer) < 2
                or any(a not in keys for a in answer) or len(set(answer)) != len(answer)):
            return [Problem("answer", "多选题的答案必须是两个或以上不重复的选项字母，如 [A, C]")]
        return []

    def _key_list(self, data):
        return list(data["answer"])

    def parse_response(self, raw):
        values = raw if isinstance(raw, (list, tuple)) else ([raw] if raw else [])
        choices = sorted({str(v) for v in values if v not in (None, "")})
        return {"choices": choices} if choices else None

    def grade(self, data, answer, points, params=None, rules=None):
        key = set(data["answer"])
        chosen = set(answer.get("choices", [])) if answer else set()
        if chosen == key:
            return Grade(points, points, True)
        # Exam default is all-or-nothing; a blueprint may allow partial credit
        # (a subset of the key, no wrong option, earns a share).
        if rules and rules.get("multiple_partial") and chosen and chosen < key:
            share = rules.get("partial_share", 0.5)
            return Grade(round(points * share, 2), points, False, details={"partial": True})
        return Grade(0.0, points, False)


@register
class Judge(QuestionType):
    name = "judge"
    label = "判断"

    def validate(self, data):
        problems = common_problems(data)
        if not isinstance(data.get("answer"), bool):
            problems.append(Problem("answer", "判断题的答案必须是 true 或 false"))
        if data.get("options"):
            problems.append(Problem("options", "判断题不设选项"))
        return problems

    def view(self, data, option_order, params, reveal):
        options = [{"value": "true", "label": "√", "text": "正确"},
                   {"value": "false", "label": "×", "text": "错误"}]
        item = ItemView(self.name, self.label, data["stem"], options)
        if reveal:
            for opt in options:
                opt["is_key"] = (opt["value"] == "true") is data["answer"]
            item.key = data["answer"]
            item.key_text = "正确" if data["answer"] else "错误"
        return item

    def chosen(self, answer):
        if not answer or "value" not in answer:
            return []
        return ["true" if answer["value"] else "false"]

    def parse_response(self, raw):
        value = _first(raw)
        if isinstance(value, bool):
            return {"value": value}
        if value in ("true", "false"):
            return {"value": value == "true"}
        return None

    def grade(self, data, answer, points, params=None, rules=None):
        ok = bool(answer) and answer.get("value") is data["answer"]
        return Grade(points if ok else 0.0, points, ok)

    def answer_text(self, data, answer, option_order, params):
        if not answer:
            return "未作答"
        return "正确" if answer.get("value") else "错误"
