"""Calculation (计算): a number with tolerance and optional unit, or a template
whose numbers are drawn per paper (seeded) and whose answer a formula computes."""
from __future__ import annotations

import math
import re
import unicodedata

from . import register
from .base import Grade, ItemView, Problem, QuestionType, common_problems
from .formula import FormulaError, evaluate, formula_names

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
DEFAULT_TOLERANCE = 0.01


def parse_number(text) -> float | None:
    """The number in a trainee's answer: full-width digits, thousands separators, unit text allowed."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    text = unicodedata.normalize("NFKC", str(text or "")).replace(",", "").replace(" ", "")
    match = NUMBER.search(text)
    if not match:
        return None
    return float(match.group())  # "12%" reads as 12: the item's unit says what the number means


def _fmt(value: float) -> str:
    return f"{value:,.4f}".rstrip("0").rstrip(".") if not float(value).is_integer() else f"{int(value):,}"


@register
class Numeric(QuestionType):
    name = "numeric"
    label = "计算"

    def validate(self, data):
        problems = common_problems(data)
        variables = data.get("variables") or {}
        if "formula" in data:
            try:
                names = formula_names(data["formula"])
            except FormulaError as exc:
                return problems + [Problem("formula", str(exc))]
            missing = names - set(variables)
            if missing:
                problems.append(Problem("formula", f"公式用到未定义的变量：{'、'.join(sorted(missing))}"))
            for name, spec in variables.items():
                if not isinstance(spec, dict) or not all(isinstance(spec.get(k), (int, float)) for k in ("min", "max")):
                    problems.append(Problem(f"variables.{name}", "应写成 {min: 数, max: 数, step: 数}"))
                elif spec["min"] > spec["max"]:
                    problems.append(Problem(f"variables.{name}", "min 不能大于 max"))
                elif spec.get("step") is not None and (not isinstance(spec["step"], (int, float)) or spec["step"] <= 0):
                    problems.append(Problem(f"variables.{name}", "step 必须是正数"))
            stem_names = set(PLACEHOLDER.findall(str(data.get("stem") or "")))
            if stem_names - set(variables):
                problems.append(Problem("stem", f"题干中的占位符没有定义：{'、'.join(sorted(stem_names - set(variables)))}"))
            if not problems:
                try:
                    self._answer(data, self._draw(data, None))
                except FormulaError as exc:
                    problems.append(Problem("formula", str(exc)))
        elif not isinstance(data.get("answer"), (int, float)) or isinstance(data.get("answer"), bool):
            problems.append(Problem("answer", "计算题的答案必须是数字（或提供 formula 和 variables）"))
        for name in ("tolerance", "rel_tolerance"):
            if name in data and (not isinstance(data[name], (int, float)) or data[name] < 0):
                problems.append(Problem(name, "误差必须是非负数"))
        return problems

    @staticmethod
    def _draw(data, rng):
        values = {}
        for name, spec in (data.get("variables") or {}).items():
            lo, hi, step = spec["min"], spec["max"], spec.get("step") or 1
            steps = int(math.floor((hi - lo) / step + 1e-9))
            k = rng.randint(0, steps) if rng is not None else 0
            values[name] = round(lo + k * step, 6)
        return values

    def draw_params(self, data, rng):
        return self._draw(data, rng) if "formula" in data else {}

    def _answer(self, data, params) -> float:
        if "formula" in data:
            return evaluate(data["formula"], params or self._draw(data, None))
        return float(data["answer"])

    def view(self, data, option_order, params, reveal):
        stem = PLACEHOLDER.sub(lambda m: _fmt(params.get(m.group(1), 0)) if params else m.group(0), data["stem"])
        item = ItemView(self.name, self.label, stem, extra={"unit": data.get("unit", "")})
        if reveal:
            item.key = self._answer(data, params)
            item.key_text = _fmt(round(item.key, 4)) + (data.get("unit") or "")
        return item

    def parse_response(self, raw):
        value = raw[0] if isinstance(raw, (list, tuple)) and raw else raw
        text = str(value if value is not None else "").strip()[:100]
        return {"value": text} if text else None

    def grade(self, data, answer, points, params=None, rules=None):
        given = parse_number((answer or {}).get("value"))
        if given is None:
            return Grade(0.0, points, False)
        key = self._answer(data, params)
        if "rel_tolerance" in data:
            ok = abs(given - key) <= abs(key) * data["rel_tolerance"]
        else:
            ok = abs(given - key) <= data.get("tolerance", DEFAULT_TOLERANCE) + 1e-9
        return Grade(points if ok else 0.0, points, ok, details={"given": given})

    def chosen(self, answer):
        return [answer["value"]] if answer and answer.get("value") else []

    def answer_text(self, data, answer, option_order, params):
        return (answer or {}).get("value") or "未作答"
