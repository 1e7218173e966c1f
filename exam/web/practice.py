"""Practice quizzes: start from a lesson, unit or bank item; answer; see the graded result."""
import random

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..models import Attempt, Question
from ..qtypes import get_qtype
from ..services import learning
from ..services.attempts import (AlreadySubmitted, AttemptError, draw_item, get_attempt_for, item_rows,
                                 new_seed, submit_attempt)
from ..services.practice import PRACTICE_TYPES, start_practice
from .templating import ActionForm
from .access import guard

bp = Blueprint("practice", __name__, url_prefix="/practice")
guard(bp)


@bp.route("/")
def index():
    attempts = db.session.scalars(
        select(Attempt).where(Attempt.user_id == current_user.id, Attempt.mode == "practice")
        .order_by(Attempt.started_at.desc()).limit(20)).all()
    return render_template("practice/index.html", attempts=attempts, levels=learning.syllabus_tree())


@bp.route("/start", methods=["POST"])
def start():
    if not ActionForm().validate_on_submit():
        abort(400)
    kind, _, ident = (request.form.get("scope") or "").partition(":")
    try:
        attempt = start_practice(current_user, kind, ident, current_app.config["PRACTICE_SIZE"])
    except AttemptError as exc:
        flash(str(exc), "error")
        return redirect(url_for("practice.index"))
    return redirect(url_for("practice.attempt", attempt_id=attempt.id))


@bp.route("/question/<question_id>", methods=["GET", "POST"])
def question(question_id):
    """A single bank item (the lessons' 自测 links): answer it and see the result at once."""
    item = db.session.get(Question, question_id)
    if item is None or item.retired or item.qtype not in PRACTICE_TYPES:
        abort(404, "没有这道试题，或它还不能在线练习。")
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        # The paper is drawn with the seed the page was shown with, so a
        # calculation item is graded on the numbers the trainee saw.
        seed = request.form.get("seed", type=int)
        attempt = start_practice(current_user, "question", question_id, 1, seed=seed, shuffle=False)
        submit_attempt(attempt, {attempt.paper.items[0].id: request.form.getlist("answer")})
        return redirect(url_for("practice.result", attempt_id=attempt.id))
    seed = new_seed()
    _, params = draw_item(item.current_version, random.Random(seed), shuffle=False)
    view = get_qtype(item.qtype).view(item.current_version.data, [], params, reveal=False)
    return render_template("practice/question.html", question=item, view=view, seed=seed)


def _own_attempt(attempt_id):
    attempt = get_attempt_for(attempt_id, current_user)
    if attempt is None or attempt.mode != "practice":
        abort(404, "没有找到这次练习。")
    return attempt


@bp.route("/attempt/<int:attempt_id>", methods=["GET", "POST"])
def attempt(attempt_id):
    attempt = _own_attempt(attempt_id)
    if not attempt.is_open:
        if request.method == "POST":
            flash("这次练习已经提交过了，以下是当时的成绩，不会重复计分。", "info")
        return redirect(url_for("practice.result", attempt_id=attempt.id))
    if attempt.user_id != current_user.id:
        abort(403)  # staff may read a trainee's result, never answer for them
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        answers = {item.id: get_qtype(item.version.qtype).read_form(request.form, f"item-{item.id}", item.version.data)
                   for item in attempt.paper.items}
        try:
            submit_attempt(attempt, answers)
        except AlreadySubmitted as exc:
            flash(str(exc), "info")
        return redirect(url_for("practice.result", attempt_id=attempt.id))
    return render_template("practice/attempt.html", attempt=attempt, rows=item_rows(attempt, reveal=False))


@bp.route("/attempt/<int:attempt_id>/result")
def result(attempt_id):
    attempt = _own_attempt(attempt_id)
    if attempt.is_open:
        flash("请先完成并提交这次练习。", "info")
        return redirect(url_for("practice.attempt", attempt_id=attempt.id))
    rows = item_rows(attempt, reveal=True)
    correct = sum(1 for r in rows if r.response and r.response.correct)
    return render_template("practice/result.html", attempt=attempt, rows=rows, correct=correct)
