"""Instructor review of machine grades, and regrades after a key changes.

An instructor's decision replaces the machine's and is kept with who and
when; a regrade grades old answers against the current key, never changes the
version an attempt showed, and is logged with before/after per attempt.
"""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Attempt, PaperItem, Question, QuestionVersion, Regrade, Response, Review
from .. import clock
from .attempts import apply_grade, grade_item, recompute_totals
from .dictionary import ensure_domain_terms


class ReviewError(ValueError):
    """A review the data does not allow; the message is for the instructor."""


def review_queue(limit: int = 100) -> list[Response]:
    """Submitted answers waiting for a human, oldest first.

    Cohorts come in a later issue; then an instructor's own cohorts go first.
    """
    return db.session.scalars(
        select(Response).join(Attempt, Attempt.id == Response.attempt_id)
        .where(Response.needs_review.is_(True), Attempt.status == "submitted")
        .order_by(Attempt.submitted_at, Response.id).limit(limit)).all()


def key_point_table(data: dict) -> dict[str, dict[str, float]]:
    """{part or criterion id: {key point id: max points}} of a case or essay item."""
    if data.get("type") == "essay" or "rubric" in data:
        return {c.get("id", str(i)): {"_": float(c["points"])} for i, c in enumerate(data["rubric"])}
    return {p["id"]: {kp["id"]: float(kp["points"]) for kp in p["key_points"]} for p in data["parts"]}


def apply_review(response: Response, reviewer, awarded: dict[str, dict[str, float]], comment: str) -> Review:
    """Store the instructor's points; the response score becomes their sum, scaled to the paper item."""
    item: PaperItem = response.paper_item
    table = key_point_table(item.version.data)
    total = maximum = 0.0
    clean: dict[str, dict[str, float]] = {}
    for part_id, points in table.items():
        clean[part_id] = {}
        for kp_id, max_points in points.items():
            value = float(awarded.get(part_id, {}).get(kp_id, 0) or 0)
            if value < 0 or value > max_points:
                raise ReviewError(f"{part_id}/{kp_id}：得分应在 0 到 {max_points:g} 之间")
            clean[part_id][kp_id] = value
            total += value
            maximum += max_points
    score = round(total * item.points / maximum, 2) if maximum else 0.0
    review = Review(response_id=response.id, reviewer_id=reviewer.id, score_before=response.score,
                    score_after=score, points=clean, comment=(comment or "").strip()[:2000], created_at=clock.now())
    db.session.add(review)
    response.score, response.needs_review = score, False
    response.correct = score >= item.points
    response.reviewed_at, response.reviewer_id = review.created_at, reviewer.id
    recompute_totals(response.attempt)
    db.session.commit()
    return review


# -- regrade -----------------------------------------------------------------

def _compatible(shown: dict, key: dict) -> bool:
    """Can an answer to `shown` be graded with `key`'s key? Same type and same answer slots."""
    if shown.get("type") != key.get("type"):
        return False
    if "options" in shown:
        return set(shown.get("options") or {}) == set(key.get("options") or {})
    if "parts" in shown:
        return [p["id"] for p in shown["parts"]] == [p["id"] for p in key["parts"]]
    if "blanks" in shown:
        return len(shown["blanks"]) == len(key["blanks"])
    return True


def regradable_questions() -> list[tuple[Question, int]]:
    """Questions with submitted answers to a version older than the current one, and how many."""
    rows = db.session.execute(
        select(Question, Response.id)
        .join(QuestionVersion, QuestionVersion.question_id == Question.id)
        .join(PaperItem, PaperItem.version_id == QuestionVersion.id)
        .join(Response, Response.paper_item_id == PaperItem.id)
        .join(Attempt, Attempt.id == Response.attempt_id)
        .where(QuestionVersion.id != Question.current_version_id, Attempt.status == "submitted")).all()
    counts: dict[str, list] = {}
    for question, _ in rows:
        counts.setdefault(question.id, [question, 0])[1] += 1
    return [(q, n) for q, n in counts.values()]


def plan_regrade(question: Question) -> list[dict]:
    """What a regrade would change: one row per submitted response to an older version."""
    key = question.current_version
    rows = db.session.execute(
        select(Response, PaperItem)
        .join(PaperItem, PaperItem.id == Response.paper_item_id)
        .join(QuestionVersion, QuestionVersion.id == PaperItem.version_id)
        .join(Attempt, Attempt.id == Response.attempt_id)
        .where(QuestionVersion.question_id == question.id, PaperItem.version_id != key.id,
               Attempt.status == "submitted")
        .order_by(Attempt.submitted_at)).all()
    plan = []
    for response, item in rows:
        row = {"attempt_id": response.attempt_id, "response_id": response.id,
               "user": response.attempt.user.username, "shown_version": item.version.number,
               "before": response.score, "after": response.score, "note": ""}
        if response.reviewed_at is not None:
            row["note"] = "已由讲师评分，保持不变"
        elif not _compatible(item.version.data, key.data):
            row["note"] = "题目结构已改变，无法按新答案重评"
        else:
            row["after"] = grade_item(item, response.answer, key_data=key.data).score
        plan.append(row)
    return plan


def apply_regrade(question: Question, actor, reason: str = "") -> Regrade:
    key = question.current_version
    ensure_domain_terms()
    plan = plan_regrade(question)
    for row in plan:
        if row["note"]:
            continue
        response = db.session.get(Response, row["response_id"])
        apply_grade(response, grade_item(response.paper_item, response.answer, key_data=key.data))
        response.detail = dict(response.detail or {}, regraded_with_version=key.number)
        recompute_totals(response.attempt)
    log = Regrade(question_id=question.id, key_version_id=key.id, actor_id=actor.id,
                  reason=(reason or "").strip()[:200], changes=plan, created_at=clock.now())
    db.session.add(log)
    db.session.commit()
    return log


def regrade_log(question: Question) -> list[Regrade]:
    return db.session.scalars(select(Regrade).where(Regrade.question_id == question.id)
                              .order_by(Regrade.created_at.desc())).all()
