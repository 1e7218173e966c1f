"""Case analysis (案例分析) graded by key points (采分点), and scheme design (方案设计).

The matching itself is exam.grading.keypoints (pure); these types only shape
the data around it. Essays always wait for an instructor; a case answer waits
when the matcher is unsure.
"""
from __future__ import annotations

from ..grading.keypoints import grade_part, validate_key_points
from . import register
from .base import Grade, ItemView, Problem, QuestionType, common_problems

MAX_ANSWER = 20_000


def _answers(raw, part_ids: list[str]) -> dict[str, str]:
    """Form values or JSON -> {part id: text}; a lone string answers a one-part item."""
    if isinstance(raw, dict):
        return {pid: str(raw.get(pid) or "")[:MAX_ANSWER] for pid in part_ids}
    values = raw if isinstance(raw, (list, tuple)) else [raw]
    return {pid: str(values[i] or "")[:MAX_ANSWER] if i < len(values) else "" for i, pid in enumerate(part_ids)}


def _public_key_points(key_points):
    return [{"id": kp["id"], "text": kp.get("text", ""), "points": kp["points"]} for kp in key_points or []]


@register
class Case(QuestionType):
    name = "case"
    label = "案例分析"
    objective = False

    def validate(self, data):
        data = dict(data, stem=data.get("stem") or data.get("material"))
        problems = common_problems(data)
        if not str(data.get("material") or "").strip():
            problems.append(Problem("material", "案例材料不能为空"))
        parts = data.get("parts")
        if not isinstance(parts, list) or not parts:
            return problems + [Problem("parts", "至少需要一个小问")]
        seen = set()
        for i, part in enumerate(parts):
            f = f"parts[{i}]"
            if not isinstance(part, dict):
                problems.append(Problem(f, "每个小问应为键值对"))
                continue
            if not part.get("id") or part["id"] in seen:
                problems.append(Problem(f"{f}.id", "小问缺少 id 或 id 重复"))
            seen.add(part.get("id"))
            if not str(part.get("prompt") or "").strip():
                problems.append(Problem(f"{f}.prompt", "小问的问题不能为空"))
            if not str(part.get("reference") or "").strip():
                problems.append(Problem(f"{f}.reference", "缺少参考答案"))
            messages = validate_key_points(part.get("key_points"), f"{f}.key_points")
            problems.extend(Problem("", m) for m in messages)
            if not messages:
                total = sum(kp["points"] for kp in part["key_points"])
                if part.get("points") != total:
                    problems.append(Problem(f"{f}.points", f"小问分值为 {part.get('points')}，但采分点合计 {total} 分"))
        return problems

    def default_points(self, data):
        return float(sum(p.get("points") or 0 for p in data.get("parts") or []))

    def view(self, data, option_order, params, reveal):
        parts = []
        for part in data["parts"]:
            shown = {"id": part["id"], "prompt": part["prompt"], "points": part["points"]}
            if reveal:
                shown["reference"] = part.get("reference", "")
                shown["key_points"] = _public_key_points(part.get("key_points"))
            parts.append(shown)
        # The title heads the material; the stem is the instruction (or a default one).
        return ItemView(self.name, self.label, data.get("stem") or "阅读下面的案例，回答问题。",
                        extra={"title": data.get("title", ""), "material": data["material"], "parts": parts})

    def read_form(self, form, name, data):
        return {part["id"]: form.get(f"{name}-{part['id']}", "") for part in data["parts"]}

    def parse_response(self, raw):
        # The part ids are not known here; keep the raw mapping, trimmed.
        if isinstance(raw, dict):
            answer = {str(k): str(v or "")[:MAX_ANSWER] for k, v in raw.items()}
        else:
            values = raw if isinstance(raw, (list, tuple)) else [raw]
            answer = {str(i): str(v or "")[:MAX_ANSWER] for i, v in enumerate(values)}
        return answer if any(v.strip() for v in answer.values()) else None

    def _part_texts(self, data, answer):
        ids = [p["id"] for p in data["parts"]]
        if answer and not set(answer) & set(ids):  # positional answers from a plain form
            return _answers([answer.get(str(i), "") for i in range(len(ids))], ids)
        return _answers(answer or {}, ids)

    def grade(self, data, answer, points, params=None, rules=None):
        texts = self._part_texts(data, answer)
        total = maximum = 0.0
        review, details = False, {"parts": {}}
        for part in data["parts"]:
            context = f"{data.get('material', '')}\n{part.get('prompt', '')}"
            result = grade_part(texts[part["id"]], part["key_points"], context=context)
            total += result.score
            maximum += result.max_score
            review = review or result.needs_review
            details["parts"][part["id"]] = result.to_dict()
        scale = points / maximum if maximum else 0.0
        score = round(total * scale, 2)
        return Grade(score, points, None if review else score >= points, needs_review=review, details=details)

    def answer_text(self, data, answer, option_order, params):
        texts = self._part_texts(data, answer)
        return "\n".join(f"（{p['id']}）{texts[p['id']] or '未作答'}" for p in data["parts"])


@register
class Essay(QuestionType):
    name = "essay"
    label = "方案设计"
    objective = False

    def validate(self, data):
        problems = common_problems(data)
        rubric = data.get("rubric")
        if not isinstance(rubric, list) or not rubric:
            return problems + [Problem("rubric", "方案设计题需要评分要点（rubric）")]
        total = 0
        for i, criterion in enumerate(rubric):
            f = f"rubric[{i}]"
            if not isinstance(criterion, dict) or not str(criterion.get("criterion") or "").strip():
                problems.append(Problem(f"{f}.criterion", "评分要点不能为空"))
                continue
            pts = criterion.get("points")
            if not isinstance(pts, (int, float)) or isinstance(pts, bool) or pts <= 0:
                problems.append(Problem(f"{f}.points", "分值必须是正数"))
            else:
                total += pts
            if criterion.get("key_points"):
                problems.extend(Problem("", m) for m in validate_key_points(criterion["key_points"], f"{f}.key_points"))
        if data.get("points") != total:
            problems.append(Problem("points", f"总分为 {data.get('points')}，但评分要点合计 {total} 分"))
        if not str(data.get("reference") or "").strip():
            problems.append(Problem("reference", "缺少参考答案"))
        return problems

    def default_points(self, data):
        return float(data.get("points") or 0)

    def view(self, data, option_order, params, reveal):
        # The rubric's criteria read like the outline of the model answer: shown only after submission.
        extra = {"material": data.get("material", ""), "points": data.get("points")}
        if reveal:
            extra["reference"] = data.get("reference", "")
            extra["rubric"] = [{"id": c.get("id", ""), "criterion": c["criterion"], "points": c["points"]}
                               for c in data["rubric"]]
        return ItemView(self.name, self.label, data["stem"], extra=extra)

    def read_form(self, form, name, data):
        return form.get(name, "")

    def parse_response(self, raw):
        value = raw.get("text") if isinstance(raw, dict) else (raw[0] if isinstance(raw, (list, tuple)) and raw else raw)
        text = str(value or "")[:MAX_ANSWER]
        return {"text": text} if text.strip() else None

    def grade(self, data, answer, points, params=None, rules=None):
        """A suggestion from the key points; the grade is final only after an instructor's review."""
        text = (answer or {}).get("text", "")
        suggested, details = 0.0, {"criteria": {}}
        raw_total = sum(c["points"] for c in data["rubric"])
        for criterion in data["rubric"]:
            if criterion.get("key_points"):
                result = grade_part(text, criterion["key_points"], context=data.get("material", ""))
                share = result.score / result.max_score if result.max_score else 0
                suggested += share * criterion["points"]
                details["criteria"][criterion.get("id", criterion["criterion"])] = result.to_dict()
        score = round(suggested * points / raw_total, 2) if raw_total else 0.0
        return Grade(score, points, None, needs_review=bool(text.strip()), details=details)

    def answer_text(self, data, answer, option_order, params):
        return (answer or {}).get("text") or "未作答"
