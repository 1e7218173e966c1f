"""Practice quizzes drawn from a lesson, a unit or a single bank item."""
from __future__ import annotations

from sqlalchemy import select

from ..assembly.practice import Candidate, pick_practice
from ..extensions import db
from ..models import Lesson, Question, QuestionVersion, Unit
from .attempts import AttemptError, build_paper, new_seed, recent_question_ids, start_attempt

# Machine-graded types a practice quiz draws; case and essay items need the
# per-part answer pages and the review queue of the question-types issue.
PRACTICE_TYPES = ("single", "multiple", "judge", "fill", "numeric")
# Free-text types: practised one at a time, graded by key points, reviewed where needed.
CASE_TYPES = ("case", "essay")


def practice_scope(kind: str, ident: str):
    """(title, filter) for a scope, or AttemptError when it does not exist."""
    if kind == "lesson":
        lesson = db.session.get(Lesson, ident)
        if lesson is None:
            raise AttemptError("没有这门课程。")
        return f"课程练习：{lesson.title}", Question.lesson_id == ident
    if kind == "unit":
        unit = db.session.get(Unit, ident)
        if unit is None:
            raise AttemptError("没有这个工作内容。")
        return f"单元练习：{unit.name}", Question.unit_id == ident
    if kind == "cases":
        unit = db.session.get(Unit, ident)
        if unit is None:
            raise AttemptError("没有这个工作内容。")
        return f"案例分析练习：{unit.name}", Question.unit_id == ident
    if kind == "question":
        return "单题练习", Question.id == ident
    raise AttemptError("练习范围不正确。")


def start_practice(user, kind: str, ident: str, size: int, seed: int | None = None, shuffle: bool = True):
    title, where = practice_scope(kind, ident)
    rows = db.session.execute(
        select(Question, QuestionVersion)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(where, Question.retired.is_(False),
               Question.qtype.in_(CASE_TYPES if kind == "cases" else PRACTICE_TYPES))
    ).all()
    if not rows:
        raise AttemptError("这个范围里还没有可练习的试题。")
    if kind == "cases":
        size = 1  # one case at a time: each takes 10-20 minutes to write
    versions = {v.id: v for _, v in rows}
    pool = [Candidate(q.id, v.id, q.section_id, q.difficulty) for q, v in rows]
    seed = new_seed() if seed is None else seed
    chosen = pick_practice(pool, size, seed, recent_question_ids(user.id))
    paper = build_paper("practice", title, f"{kind}:{ident}", [versions[c.version_id] for c in chosen],
                        seed, user.id, shuffle)
    return start_attempt(paper, user.id, "practice")
