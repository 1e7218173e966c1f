"""Reading progress over the syllabus tree."""
from __future__ import annotations

from sqlalchemy import delete, select

from ..extensions import db
from ..models import Lesson, LessonRead, Level
from .. import clock


def syllabus_tree():
    return db.session.scalars(select(Level).order_by(Level.position)).all()


def read_lesson_ids(user_id: int) -> set[str]:
    return set(db.session.scalars(select(LessonRead.lesson_id).where(LessonRead.user_id == user_id)))


def function_progress(level, read: set[str]) -> dict[str, tuple[int, int]]:
    """function id -> (lessons read, lessons in the function)."""
    progress = {}
    for function in level.functions:
        ids = [lesson.id for unit in function.units for lesson in unit.lessons]
        progress[function.id] = (len(read.intersection(ids)), len(ids))
    return progress


def neighbours(lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    prev = db.session.scalar(select(Lesson).where(Lesson.sequence < lesson.sequence)
                             .order_by(Lesson.sequence.desc()).limit(1))
    nxt = db.session.scalar(select(Lesson).where(Lesson.sequence > lesson.sequence)
                            .order_by(Lesson.sequence).limit(1))
    return prev, nxt


def set_read(user_id: int, lesson_id: str, read: bool) -> None:
    existing = db.session.get(LessonRead, (user_id, lesson_id))
    if read and existing is None:
        db.session.add(LessonRead(user_id=user_id, lesson_id=lesson_id, read_at=clock.now()))
    elif not read and existing is not None:
        db.session.execute(delete(LessonRead).where(LessonRead.user_id == user_id,
                                                    LessonRead.lesson_id == lesson_id))
    db.session.commit()
