"""Fill-in (填空): blanks written ____ in the stem, each with accepted answers.

Answers match on normalised text (full/half width, traditional -> simplified,
spaces and punctuation), never on raw strings.
"""
from __future__ import annotations

import re

from ..textnorm import same_answer
from . import register
from .base import Grade, ItemView, Problem, QuestionType, common_problems

BLANK = "____"
BLANK_RE = re.compile(r"_{4,}")
MAX_ANSWER = 200


@register
class Fill(QuestionType):
    name = "fill"
    label = "填空"

    def validate(self, data):
        problems = common_problems(data)
        blanks = data.get("blanks")
        count = len(BLANK_RE.findall(str(data.get("stem") or "")))
        if not isinstance(blanks, list) or not blanks:
            return problems + [Problem("blanks", "缺少每个空的参考答案列表，如 [[答案一, 同义答案], [答案二]]")]
        if count != len(blanks):
            problems.append(Problem("blanks", f"题干中有 {count} 个空（____），但给出了 {len(blanks)} 组答案"))
        for i, accepted in enumerate(blanks, start=1):
            if (not isinstance(accepted, list) or not accepted
                    or not all(isinstance(a, (str, int, float)) and str(a).strip() for a in accepted)):
                problems.append(Problem(f"blanks[{i}]", "每个空应为非空的可接受答案列表"))
        return problems

    def view(self, data, option_order, params, reveal):
        parts = BLANK_RE.split(data["stem"])
        stem = parts[0] + "".join(f"（{i}）____{piece}" for i, piece in enumerate(parts[1:], start=1))
        item = ItemView(self.name, self.label, stem, extra={"blanks": len(parts) - 1})
        if reveal:
            item.key = [[str(a) for a in accepted] for accepted in data["blanks"]]
            item.key_text = "；".join("／".join(a) for a in item.key)
        return item

    def parse_response(self, raw):
        values = raw if isinstance(raw, (list, tuple)) else [raw]
        values = [str(v or "")[:MAX_ANSWER] for v in values]
        return {"blanks": values} if any(v.strip() for v in values) else None

    def grade(self, data, answer, points, params=None, rules=None):
        given = (answer or {}).get("blanks", [])
        results = [i < len(given) and same_answer(given[i], [str(a) for a in accepted])
                   for i, accepted in enumerate(data["blanks"])]
        right = sum(results)
        # Each blank carries an equal share; the item is "correct" only when all are.
        score = round(points * right / len(results), 2) if results else 0.0
        return Grade(score, points, right == len(results), details={"blanks": results})

    def chosen(self, answer):
        return list((answer or {}).get("blanks") or [])

    def answer_text(self, data, answer, option_order, params):
        given = (answer or {}).get("blanks") or []
        return "；".join(g or "（空）" for g in given) if any(given) else "未作答"
