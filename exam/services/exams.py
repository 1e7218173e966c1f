"""Timed mock and certification exams: start, autosave, resume, deadline, submit, results.

Invariants (design.md): the paper is stored before the first page shows; an
answer the server acknowledged is committed; a stale save never overwrites a
newer one; the server's clock sets and enforces the deadline; an expired
attempt is submitted and graded automatically, whoever touches it next.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..assembly.blueprint import BlueprintError, ItemInfo, parse_blueprint
from ..assembly.draw import assemble
from ..extensions import db
from ..models import (Attempt, BlueprintRecord, ExamSession, Function, Paper, PaperItem, Question,
                      QuestionVersion, Response)
from ..qtypes import get_qtype
from . import practice_state
from .attempts import AlreadySubmitted, AttemptError, draw_item, new_seed, recent_question_ids, submit_attempt

EXAM_MODES = ("mock", "certification")


class ExamClosed(AttemptError):
    """The deadline passed or the attempt was submitted: nothing more is accepted."""


@dataclass
class ExamChoice:
    ref: str        # "blueprint:<id>" or "session:<id>"
    title: str
    kind: str
    time_limit: int
    total_points: float
    pass_mark: float
    closes_at: object = None
    open_attempt_id: int | None = None


def _blueprint(record: BlueprintRecord):
    return parse_blueprint(record.data)


def available_exams(user) -> list[ExamChoice]:
    """Mock exams any time; certification sessions inside their window, once each."""
    now = clock.now()
    open_attempts = {(a.paper.scope, a.session_id): a.id for a in db.session.scalars(
        select(Attempt).where(Attempt.user_id == user.id, Attempt.status == "open",
                              Attempt.mode.in_(EXAM_MODES)))}
    choices = []
    for record in db.session.scalars(select(BlueprintRecord).where(
            BlueprintRecord.active.is_(True), BlueprintRecord.kind == "mock").order_by(BlueprintRecord.id)):
        bp = _blueprint(record)
        choices.append(ExamChoice(f"blueprint:{record.id}", bp.title, "mock", bp.time_limit_minutes or 0,
                                  bp.total_points, bp.pass_mark,
                                  open_attempt_id=open_attempts.get((f"blueprint:{record.id}", None))))
    taken = set(db.session.scalars(select(Attempt.session_id).where(
        Attempt.user_id == user.id, Attempt.session_id.is_not(None), Attempt.status == "submitted")))
    for session in db.session.scalars(select(ExamSession).where(
            ExamSession.opens_at <= now, ExamSession.closes_at > now).order_by(ExamSession.opens_at)):
        if session.id in taken:
            continue
        bp = _blueprint(db.session.get(BlueprintRecord, session.blueprint_id))
        choices.append(ExamChoice(f"session:{session.id}", session.title, "certification",
                                  bp.time_limit_minutes or 0, bp.total_points, bp.pass_mark,
                                  closes_at=session.closes_at,
                                  open_attempt_id=open_attempts.get((f"blueprint:{session.blueprint_id}", session.id))))
    return choices


def bank_pool() -> tuple[list[ItemInfo], dict[int, QuestionVersion]]:
    rows = db.session.execute(
        select(Question, QuestionVersion).join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(Question.retired.is_(False))).all()
    pool = [ItemInfo(q.id, v.id, q.qtype, q.function_id, q.unit_id, q.lesson_id, q.section_id, q.difficulty)
            for q, v in rows]
    return pool, {v.id: v for _, v in rows}


def start_exam(user, ref: str) -> Attempt:
    """Start (or resume) an exam; the paper and an empty response per item are stored first."""
    now = clock.now()
    kind, _, ident = (ref or "").partition(":")
    session = None
    if kind == "blueprint":
        record = db.session.get(BlueprintRecord, ident)
        if record is None or not record.active or record.kind != "mock":
            raise AttemptError("没有这个模拟考试。")
    elif kind == "session" and ident.isdigit():
        session = db.session.get(ExamSession, int(ident))
        if session is None:
            raise AttemptError("没有这个考试场次。")
        if not session.opens_at <= now < session.closes_at:
            raise AttemptError("这个考试场次不在开放时间内。")
        record = db.session.get(BlueprintRecord, session.blueprint_id)
    else:
        raise AttemptError("考试不正确。")
    scope = f"blueprint:{record.id}"
    query = (select(Attempt).join(Paper, Paper.id == Attempt.paper_id)
             .where(Attempt.user_id == user.id, Attempt.status == "open", Paper.scope == scope))
    query = query.where(Attempt.session_id == session.id if session else Attempt.session_id.is_(None))
    existing = db.session.scalar(query)
    if existing is not None:
        close_if_expired(existing)
        if existing.is_open:
            return existing  # one sitting at a time: resume it
    if session is not None and db.session.scalar(
            select(Attempt.id).where(Attempt.user_id == user.id, Attempt.session_id == session.id)):
        raise AttemptError("正式考试每场只能参加一次。")
    bp = _blueprint(record)
    pool, versions = bank_pool()
    seed = new_seed()
    avoid = recent_question_ids(user.id, bp.avoid_recent) if bp.avoid_recent and kind == "blueprint" else frozenset()
    names = {f.id: f.name for f in db.session.scalars(select(Function))}
    try:
        slots = assemble(bp, pool, seed, avoid, names=names)
    except BlueprintError as exc:
        raise AttemptError(f"题库不足以组卷：{exc}") from None
    rng = random.Random(seed)
    paper = Paper(kind=record.kind, title=session.title if session else bp.title, scope=scope, seed=seed,
                  created_by=user.id)
    for position, slot in enumerate(slots, start=1):
        version = versions[slot.item.version_id]
        order, params = draw_item(version, rng, shuffle=True)
        paper.items.append(PaperItem(position=position, version_id=version.id, option_order=order, params=params,
                                     points=float(slot.points), section=slot.section_id))
    db.session.add(paper)
    deadline = now + timedelta(minutes=bp.time_limit_minutes or 0)
    if session is not None:
        deadline = min(deadline, session.closes_at)
    attempt = Attempt(paper=paper, user_id=user.id, mode=record.kind, status="open", started_at=now,
                      deadline=deadline, session_id=session.id if session else None)
    db.session.add(attempt)
    try:
        db.session.flush()
    except IntegrityError:
        # Another request started this trainee's sitting a moment ago: resume that one.
        db.session.rollback()
        existing = db.session.scalar(select(Attempt).where(Attempt.user_id == user.id,
                                                           Attempt.session_id == session.id))
        if existing is not None and existing.is_open:
            return existing
        raise AttemptError("正式考试每场只能参加一次。") from None
    for item in paper.items:
        db.session.add(Response(attempt_id=attempt.id, paper_item_id=item.id, answer=None, seq=0, saved_at=now))
    db.session.commit()
    return attempt


def blueprint_of(attempt: Attempt):
    """The parsed blueprint an exam paper was drawn from (None for papers without one)."""
    record = db.session.get(BlueprintRecord, attempt.paper.scope.partition(":")[2])
    return _blueprint(record) if record is not None else None


def scoring_rules(attempt: Attempt) -> dict:
    bp = blueprint_of(attempt)
    return bp.rules if bp is not None else {}


def section_titles(attempt: Attempt) -> dict[str, str]:
    """Blueprint section id -> the title printed on the paper (一、单项选择题 ...)."""
    bp = blueprint_of(attempt)
    return {s.id: s.title for s in bp.sections} if bp is not None else {}


def close_if_expired(attempt: Attempt) -> bool:
    """Submit and grade an open attempt whose deadline passed. True when it did."""
    if not attempt.is_open or attempt.deadline is None or clock.now() < attempt.deadline:
        return False
    try:
        _submit(attempt, submitted_at=attempt.deadline, auto=True)
    except AlreadySubmitted:
        pass
    return True


def close_expired() -> int:
    """`flask attempts close-expired`: close every open attempt past its deadline."""
    ids = db.session.scalars(select(Attempt.id).where(Attempt.status == "open", Attempt.deadline.is_not(None),
                                                     Attempt.deadline <= clock.now())).all()
    closed = 0
    for attempt_id in ids:
        closed += close_if_expired(db.session.get(Attempt, attempt_id))
    return closed


def save_answer(attempt: Attempt, item_id: int, raw, seq: int, flagged: bool | None = None) -> int:
    """Store one answer if `seq` is newer than the stored one; returns the stored seq.

    The conditional UPDATE makes saves idempotent and order-proof: a retried or
    late save with an older seq changes nothing.
    """
    if close_if_expired(attempt) or not attempt.is_open:
        raise ExamClosed("考试已结束（已过截止时间或已交卷），答案不能再修改。")
    item = db.session.get(PaperItem, item_id)
    if item is None or item.paper_id != attempt.paper_id:
        raise AttemptError("这道题不在本试卷中。")
    answer = get_qtype(item.version.qtype).parse_response(raw)
    values = {"answer": answer, "seq": seq, "saved_at": clock.now()}
    if flagged is not None:
        values["flagged"] = bool(flagged)
    db.session.execute(update(Response).where(
        Response.attempt_id == attempt.id, Response.paper_item_id == item_id, Response.seq < seq).values(**values))
    db.session.commit()
    return db.session.scalar(select(Response.seq).where(Response.attempt_id == attempt.id,
                                                        Response.paper_item_id == item_id))


def submit_exam(attempt: Attempt) -> Attempt:
    if close_if_expired(attempt):
        return attempt
    return _submit(attempt)


def _submit(attempt: Attempt, submitted_at=None, auto: bool = False) -> Attempt:
    """Grade and close; a mock exam's objective answers also feed the wrong-answer book and
    review cards (a certification's do not: that would show results before their release)."""
    submit_attempt(attempt, {}, rules=scoring_rules(attempt), submitted_at=submitted_at, auto=auto, commit=False)
    if attempt.mode == "mock":
        for response in attempt.responses:
            item = response.paper_item
            if response.answer is not None and response.correct is not None and \
                    item.version.qtype in practice_state.PRACTICE_TYPES:
                practice_state.record_answer(attempt.user_id, item.version.question_id, bool(response.correct),
                                             attempt.submitted_at)
    db.session.commit()
    return attempt


def remaining_seconds(attempt: Attempt) -> int:
    if attempt.deadline is None:
        return 0
    return max(0, int((attempt.deadline - clock.now()).total_seconds()))


def results_released(attempt: Attempt) -> bool:
    return attempt.mode != "certification" or bool(attempt.session and attempt.session.results_released)


@dataclass
class Breakdown:
    score: float = 0.0
    max_score: float = 0.0
    by_function: dict = field(default_factory=dict)  # name -> [score, max]
    by_type: dict = field(default_factory=dict)
    passed: bool = False
    pass_mark: float = 60
    total_points: float = 100


def breakdown(attempt: Attempt) -> Breakdown:
    """Scores by 职业功能 and by type, and pass/fail against the blueprint."""
    bp = blueprint_of(attempt)
    result = Breakdown(score=attempt.score or 0.0, max_score=attempt.max_score or 0.0)
    scores = {r.paper_item_id: r.score or 0 for r in attempt.responses}
    functions = dict(db.session.execute(select(Function.id, Function.name)).all())
    for item in attempt.paper.items:
        score = scores.get(item.id, 0)
        for key, bucket in ((functions[item.version.question.function_id], result.by_function),
                            (get_qtype(item.version.qtype).label, result.by_type)):
            row = bucket.setdefault(key, [0.0, 0.0])
            row[0] += score
            row[1] += item.points
    if bp is not None:
        result.pass_mark, result.total_points = bp.pass_mark, bp.total_points
        # The pass mark is on the blueprint's scale; the paper's total is the same unless scaled.
        scaled = result.score * bp.total_points / result.max_score if result.max_score else 0
        result.passed = scaled >= bp.pass_mark
    return result
