"""Question types as plain Python: validation, views without keys, grading."""
import random

import pytest

from exam.qtypes import QTYPES, get_qtype
from exam.qtypes.formula import FormulaError, evaluate
from exam.qtypes.numeric import parse_number

SINGLE = {"id": "t-001", "type": "single", "section": "s", "difficulty": 2, "stem": "构成市场的第一位因素是？",
          "options": {"A": "人口", "B": "经济", "C": "技术", "D": "政治法律"}, "answer": "A", "explanation": "人口。"}
MULTI = dict(SINGLE, id="t-002", type="multiple", options={"A": "倾听", "B": "真诚", "C": "争辩", "D": "行动", "E": "推诿"},
             answer=["A", "B", "D"])
JUDGE = {"id": "t-003", "type": "judge", "section": "s", "difficulty": 1, "stem": "技术是最活跃的因素。",
         "answer": True, "explanation": "对。"}


def test_registry_has_all_types():
    assert set(QTYPES) >= {"single", "multiple", "judge", "fill", "numeric", "case", "essay"}
    with pytest.raises(KeyError):
        get_qtype("nope")


@pytest.mark.parametrize("item", [SINGLE, MULTI, JUDGE])
def test_valid_items_have_no_problems(item):
    assert get_qtype(item["type"]).validate(item) == []


def test_single_validation_messages():
    bad = dict(SINGLE, options={"A": "一", "B": "二", "C": "二"}, answer="D", difficulty=0)
    messages = [str(p) for p in get_qtype("single").validate(bad)]
    assert any("应有 4 个选项" in m for m in messages)
    assert any("重复的选项" in m for m in messages)
    assert any("单选题的答案必须是一个选项字母" in m for m in messages)
    assert any("难度必须是 1 到 5 的整数" in m for m in messages)


def test_multiple_needs_two_correct():
    messages = [str(p) for p in get_qtype("multiple").validate(dict(MULTI, answer=["A"]))]
    assert any("两个或以上" in m for m in messages)


def test_view_hides_the_key_until_revealed():
    qt = get_qtype("single")
    order = qt.option_order(SINGLE, random.Random(3))
    hidden = qt.view(SINGLE, order, {}, reveal=False)
    assert hidden.key is None and all("is_key" not in o for o in hidden.options)
    shown = qt.view(SINGLE, order, {}, reveal=True)
    key_letter = "ABCD"[order.index("A")]
    assert shown.key == [key_letter]
    assert [o["label"] for o in shown.options] == ["A", "B", "C", "D"]


def test_option_order_is_seeded():
    qt = get_qtype("multiple")
    assert qt.option_order(MULTI, random.Random(7)) == qt.option_order(MULTI, random.Random(7))
    assert sorted(qt.option_order(MULTI, random.Random(7))) == list("ABCDE")


def test_choice_grading():
    single, multi, judge = get_qtype("single"), get_qtype("multiple"), get_qtype("judge")
    assert single.grade(SINGLE, single.parse_response(["A"]), 1).score == 1
    assert single.grade(SINGLE, single.parse_response(["B"]), 1).score == 0
    assert single.grade(SINGLE, single.parse_response([]), 1).correct is False
    assert multi.grade(MULTI, multi.parse_response(["D", "A", "B"]), 2).score == 2
    assert multi.grade(MULTI, multi.parse_response(["A", "B"]), 2).score == 0  # all or nothing
    partial = multi.grade(MULTI, multi.parse_response(["A", "B"]), 2, rules={"multiple_partial": True})
    assert partial.score == 1
    assert multi.grade(MULTI, multi.parse_response(["A", "C"]), 2, rules={"multiple_partial": True}).score == 0
    assert judge.grade(JUDGE, judge.parse_response(["true"]), 1).correct
    assert not judge.grade(JUDGE, judge.parse_response(["false"]), 1).correct
    assert judge.parse_response(["maybe"]) is None


def test_answer_text_uses_the_letters_the_trainee_saw():
    qt = get_qtype("single")
    order = ["C", "A", "D", "B"]
    assert qt.answer_text(SINGLE, {"choice": "A"}, order, {}) == "B"
    assert qt.answer_text(SINGLE, None, order, {}) == "未作答"


FILL = {"id": "f-001", "type": "fill", "section": "s", "difficulty": 2, "explanation": "见小节。",
        "stem": "服务的特性包括无形性、____和____。", "blanks": [["不可分离性", "同步性"], ["异质性", "差异性"]]}


def test_fill_matches_normalised_text():
    qt = get_qtype("fill")
    assert qt.validate(FILL) == []
    assert qt.grade(FILL, qt.parse_response([" 不可分離性 ", "差异性。"]), 2).score == 2
    half = qt.grade(FILL, qt.parse_response(["同步性", "无形性"]), 2)
    assert half.score == 1 and half.correct is False
    assert any("2 个空" in str(p) for p in qt.validate(dict(FILL, blanks=[["x"]])))


NUMERIC = {"id": "n-001", "type": "numeric", "section": "s", "difficulty": 3, "explanation": "公式。", "unit": "元",
           "stem": "全年客户服务费用 {cost} 元，全年拜访 {visits} 次，平均每争取一位客户需拜访 {per} 次，求获客成本。",
           "variables": {"cost": {"min": 100000, "max": 200000, "step": 10000},
                         "visits": {"min": 400, "max": 500, "step": 50}, "per": {"min": 3, "max": 6}},
           "formula": "cost / visits * per", "rel_tolerance": 0.01}


def test_numeric_template_draws_reproducible_numbers():
    qt = get_qtype("numeric")
    assert qt.validate(NUMERIC) == []
    p1, p2 = qt.draw_params(NUMERIC, random.Random(5)), qt.draw_params(NUMERIC, random.Random(5))
    assert p1 == p2
    view = qt.view(NUMERIC, [], p1, reveal=True)
    assert str(int(p1["per"])) in view.stem and "{cost}" not in view.stem
    expected = p1["cost"] / p1["visits"] * p1["per"]
    assert qt.grade(NUMERIC, {"value": f"{expected:.2f} 元"}, 1, p1).correct
    assert qt.grade(NUMERIC, {"value": "１２３"}, 1, p1).correct is False
    assert qt.grade(NUMERIC, None, 1, p1).score == 0


def test_numeric_fixed_answer_with_tolerance():
    item = {"id": "n-002", "type": "numeric", "section": "s", "difficulty": 1, "explanation": "x",
            "stem": "求值", "answer": 12.5, "tolerance": 0.1}
    qt = get_qtype("numeric")
    assert qt.grade(item, {"value": "１２.４５"}, 1).correct
    assert not qt.grade(item, {"value": "12.7"}, 1).correct
    assert parse_number("1,250.5元") == 1250.5 and parse_number("无") is None


@pytest.mark.parametrize("formula", ["__import__('os').system('x')", "a.b", "a ** 2", "[1]", "f(1)", "1 if a else 2"])
def test_formulas_cannot_do_anything_but_arithmetic(formula):
    with pytest.raises(FormulaError):
        evaluate(formula, {"a": 1})


def test_formula_errors_name_the_field():
    qt = get_qtype("numeric")
    messages = [str(p) for p in qt.validate(dict(NUMERIC, formula="cost / nothing"))]
    assert any(m.startswith("formula：") and "nothing" in m for m in messages)
    assert evaluate("(a + 2) * 3 / 2", {"a": 4}) == 9


CASE = {"id": "c-001", "type": "case", "section": "s", "difficulty": 3, "title": "投诉",
        "material": "某银行网点排队时间长，一位客户大声抱怨，大堂经理让他等着。",
        "parts": [{"id": "a", "prompt": "指出问题并提出改进措施。", "points": 4, "reference": "参考答案",
                   "key_points": [{"id": "a1", "text": "耐心倾听", "points": 2, "match": [["倾听", "听取"]]},
                                  {"id": "a2", "text": "不与客户争辩", "points": 2, "match": [["争辩", "争吵"]],
                                   "polarity": "negative"}]}]}


def test_case_validation_and_view():
    qt = get_qtype("case")
    assert qt.validate(CASE) == []
    bad = {**CASE, "parts": [{**CASE["parts"][0], "points": 5}]}
    assert any("采分点合计 4 分" in str(p) for p in qt.validate(bad))
    broken = {**CASE, "parts": [{**CASE["parts"][0], "key_points": [{"id": "a1", "points": 2, "match": []}]}]}
    assert any("key_points" in str(p) for p in qt.validate(broken))
    hidden = qt.view(CASE, [], {}, reveal=False)
    assert "key_points" not in hidden.extra["parts"][0] and "reference" not in hidden.extra["parts"][0]
    assert qt.default_points(CASE) == 4


def test_case_grading_uses_key_points():
    qt = get_qtype("case")
    grade = qt.grade(CASE, {"a": "首先要耐心倾听客户的抱怨，并且不与客户争辩，先安抚情绪再解决问题。"}, 4)
    assert grade.score == 4
    grade = qt.grade(CASE, {"a": "应当和客户争辩清楚，讲明道理。"}, 4)
    assert grade.score == 0


def test_explanation_letters_follow_the_shuffled_options():
    qt = get_qtype("single")
    item = dict(SINGLE, explanation="人口是第一位因素，故选 A。B 错：经济不是第一位。5C 与 CRM 不变。")
    order = ["C", "A", "D", "B"]  # authored A is shown as B, authored B as D
    text = qt.explanation(item, order)
    assert text == "人口是第一位因素，故选 B。D 错：经济不是第一位。5C 与 CRM 不变。"
    assert qt.explanation(item, ["A", "B", "C", "D"]) == item["explanation"]
    assert get_qtype("judge").explanation(JUDGE, []) == JUDGE["explanation"]


def test_essay_rubric_and_reference_only_after_submission():
    essay = {"id": "e-001", "type": "essay", "section": "s", "difficulty": 4, "stem": "设计投诉管理方案。",
             "points": 4, "reference": "参考方案",
             "rubric": [{"id": "r1", "criterion": "建立健全规章制度", "points": 4,
                         "key_points": [{"id": "k1", "text": "制度", "points": 4, "match": [["制度", "规章"]]}]}]}
    qt = get_qtype("essay")
    assert qt.validate(essay) == []
    hidden = qt.view(essay, [], {}, reveal=False)
    assert "rubric" not in hidden.extra and "reference" not in hidden.extra
    shown = qt.view(essay, [], {}, reveal=True)
    assert shown.extra["rubric"][0]["criterion"] == "建立健全规章制度" and shown.extra["reference"] == "参考方案"
    grade = qt.grade(essay, qt.parse_response("要建立健全投诉管理的规章制度。"), 20)
    assert grade.needs_review and grade.correct is None and grade.score == 20  # a suggestion until reviewed
