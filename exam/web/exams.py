"""Timed mock and certification exams in the browser (autosave goes through /api/v1)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..models import Attempt
from ..qtypes import get_qtype
from ..services import exams as service
from ..services.attempts import AttemptError, item_rows
from .access import guard

bp = Blueprint("exams", __name__, url_prefix="/exams")
guard(bp)


@bp.route("/")
def index():
    attempts = db.session.scalars(
        select(Attempt).where(Attempt.user_id == current_user.id, Attempt.mode.in_(service.EXAM_MODES))
        .order_by(Attempt.started_at.desc()).limit(30)).all()
    for attempt in attempts:
        service.close_if_expired(attempt)
    return render_template("exams/index.html", choices=service.available_exams(current_user), attempts=attempts,
                           released=service.results_released)


@bp.route("/start", methods=["POST"])
def start():
    try:
        attempt = service.start_exam(current_user, request.form.get("exam", ""))
    except AttemptError as exc:
        flash(str(exc), "error")
        return redirect(url_for("exams.index"))
    return redirect(url_for("exams.attempt", attempt_id=attempt.id))


def _own(attempt_id) -> Attempt:
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id or attempt.mode not in service.EXAM_MODES:
        abort(404, "没有找到这次考试。")
    return attempt


@bp.route("/attempt/<int:attempt_id>")
def attempt(attempt_id):
    attempt = _own(attempt_id)
    if service.close_if_expired(attempt):
        flash("考试时间已到，系统已自动交卷。", "info")
    if not attempt.is_open:
        return redirect(url_for("exams.result", attempt_id=attempt.id))
    rows = item_rows(attempt, reveal=False)
    for row in rows:
        answer = row.response.answer if row.response else None
        row.chosen = get_qtype(row.item.version.qtype).chosen(answer)
    return render_template("exams/attempt.html", attempt=attempt, rows=rows, titles=service.section_titles(attempt),
                           remaining=service.remaining_seconds(attempt))


@bp.route("/attempt/<int:attempt_id>/submit", methods=["POST"])
def submit(attempt_id):
    attempt = _own(attempt_id)
    if attempt.is_open:
        service.submit_exam(attempt)
        if attempt.auto_submitted:
            flash("考试时间已到，系统已按截止时保存的答案自动交卷。", "info")
    else:
        flash("这次考试已经交卷，成绩不会改变。", "info")
    return redirect(url_for("exams.result", attempt_id=attempt.id))


@bp.route("/attempt/<int:attempt_id>/result")
def result(attempt_id):
    attempt = _own(attempt_id)
    service.close_if_expired(attempt)
    if attempt.is_open:
        return redirect(url_for("exams.attempt", attempt_id=attempt.id))
    if not service.results_released(attempt):
        return render_template("exams/pending.html", attempt=attempt)
    return render_template("exams/result.html", attempt=attempt, rows=item_rows(attempt, reveal=True),
                           summary=service.breakdown(attempt), titles=service.section_titles(attempt))
