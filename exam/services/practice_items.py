"""Practice one item at a time: answer it, see it graded at once, go on; leave and resume.

The key of an item is revealed only once the item is answered (or the
attempt is closed, or the attempt is a study attempt, where showing it is
the point). An item's first answer is final: a second one changes nothing.
Every answer feeds the wrong-answer book and the spaced-review card of its
question in the same transaction as the response itself.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Attempt, PaperItem, QuestionVersion, Response
from .. import clock
from ..qtypes import QTYPES, get_qtype
from . import attempts, practice_state
from .attempts import AlreadySubmitted, ItemRow, apply_grade, grade_item, submit_attempt

PER_ITEM_MODES = ("practice", "study")


def per_item(attempt: Attempt) -> bool:
    """Objective practice and study attempts go item by item; a case keeps its one-page form."""
    if attempt.mode not in PER_ITEM_MODES:
        return False
    objective = [name for name, qtype in QTYPES.items() if qtype.objective]
    others = db.session.scalar(
        select(func.count()).select_from(PaperItem).join(QuestionVersion, QuestionVersion.id == PaperItem.version_id)
        .where(PaperItem.paper_id == attempt.paper_id, QuestionVersion.qtype.not_in(objective)))
    return others == 0


def answered(response: Response | None) -> bool:
    return response is not None and response.answered_at is not None


def responses_by_item(attempt: Attempt) -> dict[int, Response]:
    return {r.paper_item_id: r for r in attempt.responses}


@dataclass
class Progress:
    total: int
    done: int = 0             # practice: answered; study: seen
    correct: int = 0
    score: float = 0.0
    states: list = field(default_factory=list)  # per position: todo / right / wrong / seen
    resume_at: int = 1        # the first position not done yet (the last one when all are)

    @property
    def remaining(self) -> int:
        return self.total - self.done

    def next_todo(self, after: int) -> int | None:
        """The next position not done after `after`, wrapping round; None when every item is done."""
        order = list(range(after + 1, self.total + 1)) + list(range(1, after + 1))
        return next((p for p in order if self.states[p - 1] == "todo"), None)


def progress(attempt: Attempt) -> Progress:
    responses = responses_by_item(attempt)
    items = attempt.paper.items
    result = Progress(total=len(items))
    resume = None
    for item in items:
        response = responses.get(item.id)
        if not answered(response):
            result.states.append("todo")
            resume = resume or item.position
            continue
        result.done += 1
        if attempt.mode == "study":
            result.states.append("seen")
            continue
        result.correct += 1 if response.correct else 0
        result.score += response.score or 0
        result.states.append("right" if response.correct else "wrong")
    result.score = round(result.score, 2)
    result.resume_at = resume or len(items) or 1
    return result


def item_at(attempt: Attempt, position: int) -> PaperItem | None:
    items = attempt.paper.items
    return items[position - 1] if 1 <= position <= len(items) else None


def may_reveal(attempt: Attempt, response: Response | None) -> bool:
    return attempt.mode == "study" or not attempt.is_open or answered(response)


def item_row(attempt: Attempt, item: PaperItem) -> ItemRow:
    """One item as its page shows it: key, answer and 解析 only when may_reveal()."""
    response = responses_by_item(attempt).get(item.id)
    return attempts.item_row(item, response, may_reveal(attempt, response))


def answer_item(attempt: Attempt, item: PaperItem, raw, now: datetime | None = None, _retry: bool = False) -> str:
    """Grade the first answer to one item at once. Commits.

    Returns "answered", "empty" (nothing chosen or written), "already" (the
    item had its answer: the first grade stands) or "closed" (the attempt
    was submitted meanwhile). When the answer completes the paper the
    attempt is submitted too.
    """
    now = now or clock.now()
    if not attempt.is_open:
        return "closed"
    qtype = get_qtype(item.version.qtype)
    answer = qtype.parse_response(raw)
    if answer is None:
        return "empty"
    response = db.session.scalar(select(Response).where(Response.attempt_id == attempt.id,
                                                        Response.paper_item_id == item.id))
    if answered(response):
        return "already"
    grade = grade_item(item, answer)
    try:
        if response is None:
            response = Response(attempt_id=attempt.id, paper_item_id=item.id, answer=answer,
                                saved_at=now, answered_at=now)
            apply_grade(response, grade)
            db.session.add(response)
            db.session.flush()
        else:  # a row saved earlier (not answered yet): claim it only if no other request did
            claimed = db.session.execute(
                update(Response).where(Response.id == response.id, Response.answered_at.is_(None))
                .values(answer=answer, saved_at=now, answered_at=now, score=grade.score,
                        max_score=grade.max_score, correct=grade.correct, needs_review=grade.needs_review,
                        detail=grade.details)).rowcount
            if claimed != 1:
                db.session.rollback()
                return "already"
    except IntegrityError:  # the same item answered twice at once: the other request won
        db.session.rollback()
        return "already"
    # The running score, written only while the attempt is still open: this
    # also serialises with submit_attempt's open -> submitted flip.
    total = db.session.scalar(select(func.coalesce(func.sum(Response.score), 0))
                              .where(Response.attempt_id == attempt.id))
    still_open = db.session.execute(update(Attempt).where(Attempt.id == attempt.id, Attempt.status == "open")
                                    .values(score=round(total, 2))).rowcount
    if still_open != 1:
        db.session.rollback()
        return "closed"
    if attempt.mode == "practice" and grade.correct is not None:
        practice_state.record_answer(attempt.user_id, item.version.question_id, bool(grade.correct), now)
    try:
        db.session.commit()
    except IntegrityError:
        # Another attempt of this trainee created the same wrong-book or review
        # row a moment ago: start over once; the rows now exist and are updated.
        db.session.rollback()
        if _retry:
            raise
        db.session.refresh(attempt)
        return answer_item(attempt, item, raw, now, _retry=True)
    db.session.refresh(attempt)
    if progress(attempt).remaining == 0:
        try:
            finish(attempt)
        except AlreadySubmitted:  # another tab finished it a moment ago: our answer is in
            db.session.refresh(attempt)
    return "answered"


def mark_seen(attempt: Attempt, item: PaperItem, now: datetime | None = None) -> bool:
    """Study mode: the trainee went past this item. True when that was the last unseen one. Commits."""
    now = now or clock.now()
    if not attempt.is_open:
        return False
    if not answered(responses_by_item(attempt).get(item.id)):
        db.session.add(Response(attempt_id=attempt.id, paper_item_id=item.id, answer=None,
                                saved_at=now, answered_at=now))
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
        db.session.refresh(attempt)
    if progress(attempt).remaining == 0:
        finish(attempt)
        return True
    return False


def finish(attempt: Attempt) -> Attempt:
    """Close the attempt: practice grades what is left (unanswered = 0); study just ends. Commits.

    Raises AlreadySubmitted when the attempt was closed before.
    """
    if attempt.mode == "study":
        db.session.execute(update(Attempt).where(Attempt.id == attempt.id, Attempt.status == "open")
                           .values(status="submitted", submitted_at=clock.now()))
        db.session.commit()
        db.session.refresh(attempt)
        return attempt
    submit_attempt(attempt, {}, commit=False)
    return record_submitted(attempt)


def submit_and_record(attempt: Attempt, answers: dict[int, object]) -> Attempt:
    """Whole-paper submit: the grades and the wrong-book/review-card updates commit together."""
    submit_attempt(attempt, answers, commit=False)
    return record_submitted(attempt)


def record_submitted(attempt: Attempt) -> Attempt:
    """After a whole-paper submit: answers not yet recorded get their answered_at and feed the book and cards.

    Commits (also the caller's pending submit_attempt(commit=False)).
    """
    if attempt.mode != "practice":
        db.session.commit()
        return attempt
    when = attempt.submitted_at or clock.now()
    for response in attempt.responses:
        if response.answered_at is not None or response.answer is None:
            continue
        response.answered_at = when
        qtype = response.paper_item.version.qtype
        if qtype in practice_state.PRACTICE_TYPES and response.correct is not None:
            practice_state.record_answer(attempt.user_id, response.paper_item.version.question_id,
                                         bool(response.correct), when)
    db.session.commit()
    return attempt


def unanswered_answers(attempt: Attempt, read) -> dict[int, object]:
    """The whole-paper form's answers of the items not answered yet (`read(item)` reads one item)."""
    responses = responses_by_item(attempt)
    return {item.id: read(item) for item in attempt.paper.items if not answered(responses.get(item.id))}
