"""Per-trainee practice state in the database: wrong-answer book, favourites, spaced-review cards.

The rules are pure (exam.assembly.wrongbook, exam.assembly.spaced); this
module loads and stores their state. Nothing here commits: the caller's
transaction (one answer) commits the response and its effects together.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from ..assembly import spaced, wrongbook
from ..assembly.selectors import DueCard, WrongEntry
from ..extensions import db
from ..models import Favourite, Question, ReviewCard, WrongItem
from .. import clock
from ..qtypes import get_qtype

# Machine-graded types: the practice modes, the book, favourites and review draw only these.
PRACTICE_TYPES = ("single", "multiple", "judge", "fill", "numeric")


def _practisable():
    return (Question.retired.is_(False), Question.qtype.in_(PRACTICE_TYPES))


def record_answer(user_id: int, question_id: str, correct: bool, now: datetime | None = None) -> None:
    """One practice answer feeds the wrong-answer book and the item's review card."""
    now = now or clock.now()
    _record_wrong(user_id, question_id, correct, now)
    _record_review(user_id, question_id, correct, now)


def _record_wrong(user_id: int, question_id: str, correct: bool, now: datetime) -> None:
    row = db.session.get(WrongItem, (user_id, question_id))
    if row is None and correct:
        return  # right, and never in the book: nothing to remember
    before = None if row is None else wrongbook.BookState(row.cleared_at is None, row.wrong_count, row.right_streak)
    after = wrongbook.step(before, correct)
    if row is None:
        row = WrongItem(user_id=user_id, question_id=question_id, added_at=now)
        db.session.add(row)
    elif after.in_book and row.cleared_at is not None:
        row.added_at = now  # back in the book after it had left
    row.wrong_count, row.right_streak, row.last_answered_at = after.wrong_count, after.right_streak, now
    if after.in_book:
        row.cleared_at = None
    elif row.cleared_at is None:
        row.cleared_at = now


def _record_review(user_id: int, question_id: str, correct: bool, now: datetime) -> None:
    row = db.session.get(ReviewCard, (user_id, question_id))
    scheduled = spaced.review(row.card if row is not None else None, correct, now)
    if row is None:
        row = ReviewCard(user_id=user_id, question_id=question_id)
        db.session.add(row)
    row.card, row.due, row.last_review = scheduled.card, scheduled.due, scheduled.last_review


def wrong_entries(user_id: int) -> list[WrongEntry]:
    rows = db.session.execute(
        select(WrongItem.question_id, WrongItem.wrong_count, WrongItem.last_answered_at)
        .join(Question, Question.id == WrongItem.question_id)
        .where(WrongItem.user_id == user_id, WrongItem.cleared_at.is_(None), *_practisable())).all()
    return [WrongEntry(*row) for row in rows]


def due_cards(user_id: int, now: datetime | None = None) -> list[DueCard]:
    """Cards due by the end of the trainee's day."""
    until = spaced.horizon(now or clock.now())
    rows = db.session.execute(
        select(ReviewCard.question_id, ReviewCard.due)
        .join(Question, Question.id == ReviewCard.question_id)
        .where(ReviewCard.user_id == user_id, ReviewCard.due <= until, *_practisable())).all()
    return [DueCard(*row) for row in rows]


def favourite_ids(user_id: int, question_ids=None) -> set[str]:
    query = (select(Favourite.question_id).join(Question, Question.id == Favourite.question_id)
             .where(Favourite.user_id == user_id, *_practisable()))
    if question_ids is not None:
        query = query.where(Favourite.question_id.in_(list(question_ids)))
    return set(db.session.scalars(query))


def counts(user_id: int, now: datetime | None = None) -> dict[str, int]:
    """What the practice page shows on its mode entries."""
    wrong = db.session.scalar(
        select(func.count()).select_from(WrongItem).join(Question, Question.id == WrongItem.question_id)
        .where(WrongItem.user_id == user_id, WrongItem.cleared_at.is_(None), *_practisable()))
    favourites = db.session.scalar(
        select(func.count()).select_from(Favourite).join(Question, Question.id == Favourite.question_id)
        .where(Favourite.user_id == user_id, *_practisable()))
    return {"wrong": wrong or 0, "favourites": favourites or 0, "due": len(due_cards(user_id, now))}


class NotPractisable(LookupError):
    pass


def toggle_favourite(user_id: int, question_id: str) -> bool:
    """Add or remove a favourite; True when the item is a favourite afterwards. Commits."""
    question = db.session.get(Question, question_id)
    if question is None or question.retired or question.qtype not in PRACTICE_TYPES:
        raise NotPractisable(question_id)
    existing = db.session.get(Favourite, (user_id, question_id))
    if existing is not None:
        db.session.execute(delete(Favourite).where(Favourite.user_id == user_id,
                                                   Favourite.question_id == question_id))
        db.session.commit()
        return False
    db.session.add(Favourite(user_id=user_id, question_id=question_id, created_at=clock.now()))
    try:
        db.session.commit()
    except IntegrityError:  # a double tap: the other request added it
        db.session.rollback()
    return True


@dataclass
class BookRow:
    question_id: str
    label: str
    stem: str
    lesson_id: str
    wrong_count: int = 0


def book_rows(user_id: int, which: str) -> list[BookRow]:
    """The wrong book (most often wrong first) or the favourites (newest first), as stems without keys."""
    model = WrongItem if which == "wrong" else Favourite
    query = (select(Question, model).join(model, model.question_id == Question.id)
             .where(model.user_id == user_id, *_practisable()))
    if which == "wrong":
        query = query.where(WrongItem.cleared_at.is_(None)).order_by(WrongItem.wrong_count.desc(),
                                                                     WrongItem.last_answered_at.desc())
    else:
        query = query.order_by(Favourite.created_at.desc())
    rows = []
    for question, entry in db.session.execute(query):
        version = question.current_version
        qtype = get_qtype(version.qtype)
        # Calculation templates show the numbers of a fixed draw; the list never shows a key.
        view = qtype.view(version.data, [], qtype.draw_params(version.data, random.Random(0)), reveal=False)
        rows.append(BookRow(question.id, view.label, view.stem, question.lesson_id,
                            getattr(entry, "wrong_count", 0)))
    return rows
