"""Papers and attempts: draw a paper, start an attempt, grade and submit it.

The grading itself is the question types' pure code; this module does the
database work around it and keeps the invariants: a paper stores the exact
versions and option orders it showed, and an attempt is submitted once.
"""
from __future__ import annotations

import random
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update

from ..content.render import render_text
from ..extensions import db
from ..models import Attempt, Paper, PaperItem, QuestionVersion, Response, Review
from .. import clock
from ..qtypes import get_qtype
from .dictionary import ensure_domain_terms


class AttemptError(Exception):
    """A request the attempt's state does not allow; the message is for the user."""


class AlreadySubmitted(AttemptError):
    pass


def new_seed() -> int:
    return secrets.randbelow(2**31)


def draw_item(version, rng: random.Random, shuffle: bool) -> tuple[list, dict]:
    """Option order and template numbers of one item: the one place that consumes the paper's rng."""
    qtype = get_qtype(version.qtype)
    return qtype.option_order(version.data, rng, shuffle), qtype.draw_params(version.data, rng)


def build_paper(kind: str, title: str, scope: str, versions: list, seed: int, user_id: int | None,
                shuffle: bool = True) -> Paper:
    """A paper over the given QuestionVersions; option orders and numbers drawn from `seed` and stored."""
    rng = random.Random(seed)
    paper = Paper(kind=kind, title=title, scope=scope, seed=seed, created_by=user_id)
    for position, version in enumerate(versions, start=1):
        order, params = draw_item(version, rng, shuffle)
        paper.items.append(PaperItem(position=position, version_id=version.id, option_order=order,
                                     params=params, points=get_qtype(version.qtype).default_points(version.data)))
    db.session.add(paper)
    return paper


def start_attempt(paper: Paper, user_id: int, mode: str) -> Attempt:
    attempt = Attempt(paper=paper, user_id=user_id, mode=mode, status="open", started_at=clock.now())
    db.session.add(attempt)
    db.session.commit()
    return attempt


def submit_attempt(attempt: Attempt, raw_answers: dict[int, object], rules: dict | None = None,
                   submitted_at=None, auto: bool = False, commit: bool = True) -> Attempt:
    """Grade every item and close the attempt, exactly once.

    The status flips open -> submitted in one conditional UPDATE, so two
    submissions racing (a double click, two devices) cannot both grade.
    With commit=False the caller adds its own changes and commits them together.
    """
    flipped = db.session.execute(
        update(Attempt).where(Attempt.id == attempt.id, Attempt.status == "open")
        .values(status="submitted", submitted_at=submitted_at or clock.now(), auto_submitted=auto)
    ).rowcount
    if flipped != 1:
        db.session.rollback()
        raise AlreadySubmitted("这次作答已经提交过了，结果不会改变。")
    if any(not get_qtype(item.version.qtype).objective for item in attempt.paper.items):
        ensure_domain_terms()
    existing = {r.paper_item_id: r for r in attempt.responses}
    for item in attempt.paper.items:
        qtype = get_qtype(item.version.qtype)
        response = existing.get(item.id)
        if response is None:
            response = Response(attempt_id=attempt.id, paper_item_id=item.id, answer=None)
            db.session.add(response)
        if item.id in raw_answers:
            response.answer, response.saved_at = qtype.parse_response(raw_answers[item.id]), clock.now()
        apply_grade(response, grade_item(item, response.answer, rules=rules))
    db.session.flush()
    db.session.refresh(attempt)
    recompute_totals(attempt)
    if commit:
        db.session.commit()
    return attempt


def grade_item(item: PaperItem, answer: dict | None, rules: dict | None = None, key_data: dict | None = None):
    """Grade one answer to one paper item; `key_data` grades against another version's key (regrade)."""
    qtype = get_qtype(item.version.qtype)
    return qtype.grade(key_data or item.version.data, answer, item.points, item.params, rules)


def apply_grade(response: Response, grade) -> None:
    response.score, response.max_score = grade.score, grade.max_score
    response.correct, response.needs_review = grade.correct, grade.needs_review
    response.detail = grade.details


def recompute_totals(attempt: Attempt) -> None:
    """The attempt's score is the sum of its responses; pending while any response awaits review."""
    attempt.score = round(sum(r.score or 0 for r in attempt.responses), 2)
    attempt.max_score = sum(item.points for item in attempt.paper.items)
    attempt.pending_review = any(r.needs_review for r in attempt.responses)


def get_attempt_for(attempt_id: int, user) -> Attempt | None:
    """The attempt if `user` may see it: trainees only their own (admins everything)."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        return None
    if attempt.user_id != user.id and not user.has_role("admin", "instructor"):
        return None
    return attempt


@dataclass
class ItemRow:
    """One item of a paper as a page shows it."""

    item: PaperItem
    view: object
    response: Response | None = None
    answer_text: str = ""
    chosen: list = None
    objective: bool = True
    review: object = None  # the instructor's latest Review, when one replaced the machine grade
    explanation_html: str = ""
    lesson_id: str = ""
    section_anchor: str = ""
    section_title: str = ""


def item_rows(attempt: Attempt, reveal: bool) -> list[ItemRow]:
    """Views of every item; keys, answers and 解析 only when `reveal` (after submission)."""
    responses = {r.paper_item_id: r for r in attempt.responses}
    return [item_row(item, responses.get(item.id), reveal) for item in attempt.paper.items]


def item_row(item: PaperItem, response: Response | None, reveal: bool) -> ItemRow:
    """One item as a page shows it; the key, the answer given and the 解析 only when `reveal`."""
    data = item.version.data
    qtype = get_qtype(item.version.qtype)
    row = ItemRow(item, qtype.view(data, item.option_order, item.params, reveal), response=response,
                  chosen=[], objective=qtype.objective)
    if not reveal:
        return row
    answer = response.answer if response else None
    row.answer_text = qtype.answer_text(data, answer, item.option_order, item.params)
    row.chosen = qtype.chosen(answer)
    if response is not None and response.reviewed_at is not None:
        row.review = latest_review(response)
    row.explanation_html = render_text(qtype.explanation(data, item.option_order))
    question = item.version.question
    row.lesson_id = question.lesson_id
    if question.section is not None:
        row.section_anchor, row.section_title = question.section.anchor, question.section.title
    return row


def latest_review(response: Response) -> Review | None:
    """The instructor's decision in force for a response (earlier ones are kept as history)."""
    return db.session.scalar(select(Review).where(Review.response_id == response.id)
                             .order_by(Review.created_at.desc(), Review.id.desc()).limit(1))


def recent_question_ids(user_id: int, papers: int = 3) -> frozenset[str]:
    """Questions of the user's last few papers, to avoid repeating them in practice."""
    paper_ids = db.session.scalars(
        select(Attempt.paper_id).where(Attempt.user_id == user_id)
        .order_by(Attempt.started_at.desc()).limit(papers)).all()
    if not paper_ids:
        return frozenset()
    rows = db.session.scalars(
        select(QuestionVersion.question_id).join(PaperItem, PaperItem.version_id == QuestionVersion.id)
        .where(PaperItem.paper_id.in_(paper_ids))).all()
    return frozenset(rows)
