"""`flask content load / check / stats` on copies of content/ in fresh databases."""
import json
import shutil

import pytest
import yaml
from sqlalchemy import func, select

from exam import create_app
from exam.extensions import db
from exam.models import Lesson, Question, QuestionVersion
from tests.conftest import CONTENT, reset_database


@pytest.fixture
def fresh(tmp_path):
    """A copy of content/ and an app on its own new database."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    url = "sqlite:///" + str(tmp_path / "fresh.db")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "CONTENT_DIR": str(content)})
    reset_database(app)
    return app, content


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def counts(app):
    with app.app_context():
        return (db.session.scalar(select(func.count(Lesson.id))),
                db.session.scalar(select(func.count(Question.id))),
                db.session.scalar(select(func.count(QuestionVersion.id))))


def test_check_passes_on_the_real_content(fresh):
    app, _ = fresh
    result = run(app, "content", "check")
    assert result.exit_code == 0, result.output
    assert "检查通过" in result.output


def test_load_is_idempotent_and_versions_changes(fresh):
    app, content = fresh
    assert run(app, "content", "load").exit_code == 0
    first = counts(app)
    assert first[0] >= 2 and first[1] >= 30
    again = run(app, "content", "load")
    assert "新增 0" in again.output and counts(app) == first

    path = content / "questions" / "env-macro-micro.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    item = doc["questions"][0]
    old_stem, item["stem"] = item["stem"], item["stem"] + "（修订）"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run(app, "content", "load")
    assert "新版本 1" in result.output, result.output
    with app.app_context():
        q = db.session.get(Question, item["id"])
        assert q.current_version.number == 2 and q.current_version.data["stem"].endswith("（修订）")
        old = db.session.scalar(select(QuestionVersion).where(QuestionVersion.question_id == item["id"],
                                                              QuestionVersion.number == 1))
        assert old.data["stem"] == old_stem  # the old version is kept for past attempts


def test_removed_question_is_retired_not_deleted(fresh):
    app, content = fresh
    run(app, "content", "load")
    path = content / "questions" / "env-macro-micro.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    gone = doc["questions"].pop()
    # keep the self-check links valid if the lesson pointed at it
    lesson = content / "lessons" / "env-macro-micro.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace(f"- [[q:{gone['id']}]]\n", ""), encoding="utf-8")
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run(app, "content", "load")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.get(Question, gone["id"]).retired


def test_malformed_yaml_names_file_and_line_and_writes_nothing(fresh):
    app, content = fresh
    (content / "questions" / "broken.yaml").write_text("questions:\n  - id: x\n    stem: [unclosed\n", encoding="utf-8")
    result = run(app, "content", "load")
    assert result.exit_code == 1
    assert "questions/broken.yaml:" in result.output and "YAML 格式错误" in result.output
    assert "未写入任何内容" in result.output
    assert counts(app) == (0, 0, 0)


def test_item_problems_name_file_line_and_id(fresh):
    app, content = fresh
    bad = {"lesson": "env-macro-micro", "sources": ["x.txt"], "questions": [
        {"id": "bad-001", "type": "single", "section": "no-such-section", "difficulty": 9, "stem": "题干",
         "options": {"A": "一", "B": "二", "C": "三", "D": "四"}, "answer": "E", "explanation": "解析"},
        {"id": "bad-002", "type": "essayy", "section": "summary", "difficulty": 1, "stem": "x", "explanation": "y"},
    ]}
    (content / "questions" / "zz-bad.yaml").write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    result = run(app, "content", "check")
    assert result.exit_code == 1
    out = result.output
    assert "questions/zz-bad.yaml:" in out and "[bad-001]" in out
    assert "没有小节“no-such-section”" in out
    assert "难度必须是 1 到 5 的整数" in out
    assert "单选题的答案必须是一个选项字母" in out
    assert "未知题型“essayy”" in out
    run(app, "content", "load")
    assert counts(app) == (0, 0, 0)


def test_lesson_problems_are_reported(fresh):
    app, content = fresh
    path = content / "lessons" / "env-macro-micro.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n## 没有 id 的标题\n\n正文\n", encoding="utf-8")
    result = run(app, "content", "check")
    assert result.exit_code == 1
    assert "lessons/env-macro-micro.md:" in result.output and "缺少稳定 id" in result.output


def test_untested_section_and_case_points_are_checked(fresh):
    app, content = fresh
    path = content / "lessons" / "env-macro-micro.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n## 新的小节 {#brand-new}\n\n正文\n", encoding="utf-8")
    cases = next((content / "questions").glob("*-cases.yaml"))
    doc = yaml.safe_load(cases.read_text(encoding="utf-8"))
    case = next(q for q in doc["questions"] if q["type"] == "case")
    case["parts"][0]["points"] += 1
    cases.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = run(app, "content", "check").output
    assert "小节“brand-new”没有任何试题考查" in out
    assert "采分点合计" in out


def test_stats_json(fresh):
    app, _ = fresh
    result = run(app, "content", "stats", "--json")
    assert result.exit_code == 0
    stats = json.loads(result.output)
    assert stats["lessons"] >= 2 and stats["questions"] >= 30
    assert stats["by_type"]["single"] > 0 and stats["case_questions"] >= 2 and stats["key_points"] > 0
    assert set(stats["by_function"]) >= {"planning", "delivery"}
    assert "env-macro-micro" in stats["by_lesson"]


def test_lesson_rendering_is_cached_per_version(fresh):
    app, content = fresh
    run(app, "content", "load")
    with app.app_context():
        lesson = db.session.get(Lesson, "env-macro-micro")
        html, version = lesson.html, lesson.version
        assert "<h2" in html and version == 1
    run(app, "content", "load")
    with app.app_context():
        assert db.session.get(Lesson, "env-macro-micro").version == 1
    path = content / "lessons" / "env-macro-micro.md"
    path.write_text(path.read_text(encoding="utf-8").replace("## 本课小结", "## 本课小结（修订）", 1), encoding="utf-8")
    run(app, "content", "load")
    with app.app_context():
        lesson = db.session.get(Lesson, "env-macro-micro")
        assert lesson.version == 2 and "修订" in lesson.html


def test_blueprints_are_checked_against_the_bank(fresh):
    app, content = fresh
    path = content / "blueprints" / "l2-theory-mock.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["sections"][0]["count"] = 400
    doc["total_points"] = sum(s["count"] * s["points_per_item"] for s in doc["sections"])
    doc["pass_mark"] = 60
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = run(app, "content", "check").output
    assert "blueprints/l2-theory-mock.yaml" in out and "题库不足以组卷" in out and "客户服务筹划" in out
    doc["sections"][0]["count"] = "many"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = run(app, "content", "check").output
    assert "sections[0].count" in out


def test_blueprints_are_loaded(fresh):
    app, _ = fresh
    assert "组卷方案：4 个" in run(app, "content", "load").output
    from exam.models import BlueprintRecord

    with app.app_context():
        kinds = {r.id: r.kind for r in db.session.scalars(select(BlueprintRecord))}
    assert kinds["l2-theory-mock"] == "mock" and kinds["l2-theory-cert"] == "certification"
