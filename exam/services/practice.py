"""Practice quizzes: draw the items of a mode and start the attempt.

Modes (the paper's scope is "<kind>:<ident>"):
  lesson / unit          a lesson or unit, 10 items shuffled (sections take turns)
  lesson-order / unit-order   every item of a lesson or unit in reading order (顺序练习)
  random                 10 items across the bank (随机练习)
  wrong                  the wrong-answer book (错题本)
  favourites             the trainee's favourites (收藏)
  due                    spaced review: cards due today, most overdue first (间隔复习)
  study                  a lesson in order with the key shown (背题模式, attempt mode "study")
  cases / essays         one case analysis / one scheme design of a unit (their own one-item flow)
  question               one bank item (the lessons' 自测 links)
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ..assembly import selectors, spaced
from ..assembly.practice import Candidate, pick_practice
from ..extensions import db
from ..models import Lesson, Question, QuestionVersion, Section, Unit
from .. import clock
from . import practice_state
from .attempts import AttemptError, build_paper, new_seed, recent_question_ids, start_attempt
from .practice_state import PRACTICE_TYPES  # noqa: F401  (re-exported: views import it from here)

# Free-text kinds: practised one item at a time, graded by key points, reviewed where needed.
FREE_TEXT = {"cases": ("case",), "essays": ("essay",)}
# Kinds that take the lesson or unit id as their ident.
LESSON_KINDS = ("lesson", "lesson-order", "study")
UNIT_KINDS = ("unit", "unit-order", "cases", "essays")
# Kinds whose "再练一组" starts the same scope again.
REPEATABLE = ("lesson", "unit", "lesson-order", "unit-order", "random", "wrong", "favourites", "due")


def practice_scope(kind: str, ident: str):
    """(title, filter) for a scope, or AttemptError when it does not exist."""
    if kind in LESSON_KINDS:
        lesson = db.session.get(Lesson, ident)
        if lesson is None:
            raise AttemptError("没有这门课程。")
        title = {"lesson": "课程练习", "lesson-order": "顺序练习", "study": "背题模式"}[kind]
        return f"{title}：{lesson.title}", Question.lesson_id == ident
    if kind in UNIT_KINDS:
        unit = db.session.get(Unit, ident)
        if unit is None:
            raise AttemptError("没有这个工作内容。")
        title = {"unit": "单元练习", "unit-order": "单元顺序练习", "cases": "案例分析练习",
                 "essays": "方案设计练习"}[kind]
        return f"{title}：{unit.name}", Question.unit_id == ident
    if kind == "question":
        return "单题练习", Question.id == ident
    if kind in ("random", "wrong", "favourites", "due"):
        title = {"random": "随机练习", "wrong": "错题本练习", "favourites": "收藏练习", "due": "间隔复习"}[kind]
        return title, Question.retired.is_(False)
    raise AttemptError("练习范围不正确。")


def _pool(where, types) -> tuple[list[Candidate], dict[int, QuestionVersion]]:
    rows = db.session.execute(
        select(Question, QuestionVersion, Section.position, Lesson.sequence)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .join(Section, Section.id == Question.section_id)
        .join(Lesson, Lesson.id == Question.lesson_id)
        .where(where, Question.retired.is_(False), Question.qtype.in_(types))
    ).all()
    pool = [Candidate(q.id, v.id, q.section_id, q.difficulty, (seq, pos)) for q, v, pos, seq in rows]
    return pool, {v.id: v for _, v, _, _ in rows}


EMPTY = {
    "wrong": "错题本是空的：答错的题会自动收进来，连续答对两次后移出。",
    "favourites": "还没有收藏的试题：做题时点“☆ 收藏”即可加入。",
    "due": "今天没有待复习的试题。每次练习的答题都会安排进复习计划。",
}


def choose(user, kind: str, pool: list[Candidate], size: int, seed: int,
           now: datetime | None = None) -> list[Candidate]:
    """The items of one practice paper of `kind` (the trainee's wrong book and cards read here)."""
    if kind in FREE_TEXT:
        return pick_practice(pool, 1, seed, recent_question_ids(user.id))  # one at a time: 10-30 minutes each
    if kind in ("lesson-order", "unit-order", "study"):
        return selectors.in_order(pool)
    if kind == "wrong":
        return selectors.wrong_first(pool, practice_state.wrong_entries(user.id), size, seed)
    if kind == "favourites":
        favourites = practice_state.favourite_ids(user.id)
        return selectors.random_items([c for c in pool if c.question_id in favourites], size, seed)
    if kind == "due":
        now = now or clock.now()
        return selectors.due_items(pool, practice_state.due_cards(user.id, now), spaced.horizon(now), size)
    return selectors.random_items(pool, size, seed, recent_question_ids(user.id))


def start_practice(user, kind: str, ident: str, size: int, seed: int | None = None, shuffle: bool = True,
                   now: datetime | None = None):
    title, where = practice_scope(kind, ident)
    pool, versions = _pool(where, FREE_TEXT.get(kind, PRACTICE_TYPES))
    seed = new_seed() if seed is None else seed
    chosen = choose(user, kind, pool, size, seed, now) if pool else []
    if not chosen:
        raise AttemptError(EMPTY.get(kind, "这个范围里还没有可练习的试题。"))
    if kind == "study":
        shuffle = False  # the 解析 names the options by their authored letters
    scope = f"{kind}:{ident}" if ident else f"{kind}:all"
    paper = build_paper("practice", title, scope, [versions[c.version_id] for c in chosen], seed, user.id, shuffle)
    return start_attempt(paper, user.id, "study" if kind == "study" else "practice")
