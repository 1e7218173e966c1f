"""The editorial rules of the syllabus content (issue: 客户服务筹划 and 客户服务提供), checked on the files."""
import re
from collections import Counter, defaultdict

import pytest

from exam.content.files import read_content
from exam.content.render import find_sections, question_links
from tests.conftest import CONTENT

BUNDLE = read_content(CONTENT)
LESSONS = [lesson for level in BUNDLE.syllabus["levels"] for f in level["functions"] for u in f["units"]
           for lesson in u["lessons"]]
UNITS = [u["id"] for level in BUNDLE.syllabus["levels"] for f in level["functions"] for u in f["units"] if u["lessons"]]
UNIT_OF = {lesson: u["id"] for level in BUNDLE.syllabus["levels"] for f in level["functions"] for u in f["units"]
           for lesson in u["lessons"]}
BY_LESSON = defaultdict(list)
for q in BUNDLE.questions:
    BY_LESSON[q.lesson_id].append(q.data)


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_each_lesson_has_enough_objective_items(lesson_id):
    types = Counter(q["type"] for q in BY_LESSON[lesson_id])
    objective = sum(types[t] for t in ("single", "multiple", "judge", "fill", "numeric"))
    assert objective >= 15 and types["single"] >= 8 and types["multiple"] >= 4 and types["judge"] >= 3, types


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_multiple_choice_and_judge_keys_are_varied(lesson_id):
    items = BY_LESSON[lesson_id]
    multiple = [q for q in items if q["type"] == "multiple"]
    for q in multiple:
        assert 2 <= len(q["answer"]) <= 4 and 4 <= len(q["options"]) <= 5, q["id"]
    assert any(len(q["answer"]) < len(q["options"]) for q in multiple)
    judges = [q["answer"] for q in items if q["type"] == "judge"]
    assert 0.3 <= sum(judges) / len(judges) <= 0.7, "about half of the true/false items are true"


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_lesson_shape(lesson_id):
    lesson = BUNDLE.lessons[lesson_id]
    chinese = len(re.findall(r"[\u4e00-\u9fff]", lesson.body))
    assert 1500 <= chinese <= 5000, chinese
    anchors = {s.anchor for s in find_sections(lesson.body)[0]}
    assert {"summary", "self-check"} <= anchors
    assert 3 <= len(question_links(lesson.body)) <= 5
    assert lesson.meta["sources"] and all(s.endswith(".txt") for s in lesson.meta["sources"])
    assert "效劳" not in lesson.body and "本钱" not in lesson.body and "原那么" not in lesson.body  # seed defects fixed


@pytest.mark.parametrize("unit_id", UNITS)
def test_each_unit_has_two_case_questions_with_key_points(unit_id):
    cases = [q.data for q in BUNDLE.questions if q.data["type"] == "case" and UNIT_OF.get(q.lesson_id) == unit_id]
    assert len(cases) >= 2
    for case in cases:
        material = re.findall(r"[\u4e00-\u9fff]", case["material"])
        assert 150 <= len(material) <= 700, (case["id"], len(material))
        assert 2 <= len(case["parts"]) <= 3
        for part in case["parts"]:
            assert 4 <= len(part["key_points"]) <= 8, (case["id"], part["id"])
            assert part["points"] == sum(kp["points"] for kp in part["key_points"])
            assert part["reference"].strip()


def test_explanations_point_back_to_the_lesson():
    objective = [q.data for q in BUNDLE.questions if q.data["type"] not in ("case", "essay")]
    pointing = [q for q in objective if "见" in q["explanation"] or "本课" in q["explanation"]]
    assert len(pointing) / len(objective) >= 0.9


def test_no_filler_options():
    for q in BUNDLE.questions:
        for text in (q.data.get("options") or {}).values():
            assert "以上都" not in str(text) and "以上皆" not in str(text), q.data["id"]
