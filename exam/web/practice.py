"""Practice: choose a mode, answer item by item with feedback at once, resume, see the result."""
import random

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..models import Attempt, Question
from ..qtypes import get_qtype
from ..services import learning, practice_items, practice_state
from ..services.attempts import (AlreadySubmitted, AttemptError, draw_item, get_attempt_for, item_rows,
                                 new_seed)
from ..services.practice import PRACTICE_TYPES, REPEATABLE, start_practice
from .access import guard, safe_next

bp = Blueprint("practice", __name__, url_prefix="/practice")
guard(bp)

ANSWER_MESSAGES = {
    "empty": ("请先选择或填写答案，再点“提交答案”。", "error"),
    "already": ("这道题已经作答过了：成绩以第一次作答为准，再次提交不会改变。", "info"),
    "closed": ("这次练习已经结束，答案和成绩不会再改变。", "info"),
}


@bp.route("/")
def index():
    mine = select(Attempt).where(Attempt.user_id == current_user.id, Attempt.mode.in_(practice_items.PER_ITEM_MODES))
    open_attempts = db.session.scalars(mine.where(Attempt.status == "open")
                                       .order_by(Attempt.started_at.desc()).limit(10)).all()
    done = db.session.scalars(mine.where(Attempt.status != "open").order_by(Attempt.started_at.desc()).limit(20)).all()
    return render_template("practice/index.html", attempts=done, levels=learning.syllabus_tree(),
                           open_attempts=[(a, practice_items.progress(a)) for a in open_attempts],
                           counts=practice_state.counts(current_user.id))


@bp.route("/start", methods=["POST"])
def start():
    kind, _, ident = (request.form.get("scope") or "").partition(":")
    try:
        attempt = start_practice(current_user, kind, ident, current_app.config["PRACTICE_SIZE"])
    except AttemptError as exc:
        flash(str(exc), "error")
        return redirect(safe_next(request.form.get("next")) or url_for("practice.index"))
    return redirect(url_for("practice.attempt", attempt_id=attempt.id))


@bp.route("/question/<question_id>", methods=["GET", "POST"])
def question(question_id):
    """A single bank item (the lessons' 自测 links): answer it and see the result at once."""
    item = db.session.get(Question, question_id)
    if item is None or item.retired or item.qtype not in PRACTICE_TYPES:
        abort(404, "没有这道试题，或它还不能在线练习。")
    if request.method == "POST":
        # The paper is drawn with the seed the page was shown with, so a
        # calculation item is graded on the numbers the trainee saw.
        seed = request.form.get("seed", type=int)
        attempt = start_practice(current_user, "question", question_id, 1, seed=seed, shuffle=False)
        practice_items.submit_and_record(attempt, {attempt.paper.items[0].id: request.form.getlist("answer")})
        return redirect(url_for("practice.result", attempt_id=attempt.id))
    seed = new_seed()
    _, params = draw_item(item.current_version, random.Random(seed), shuffle=False)
    view = get_qtype(item.qtype).view(item.current_version.data, [], params, reveal=False)
    return render_template("practice/question.html", question=item, view=view, seed=seed)


def _own_attempt(attempt_id, answering=False):
    attempt = get_attempt_for(attempt_id, current_user)
    if attempt is None or attempt.mode not in practice_items.PER_ITEM_MODES:
        abort(404, "没有找到这次练习。")
    if answering and attempt.user_id != current_user.id:
        abort(403)  # staff may read a trainee's practice, never answer for them
    return attempt


@bp.route("/attempt/<int:attempt_id>", methods=["GET", "POST"])
def attempt(attempt_id):
    """GET resumes (the first item not answered yet); POST submits the whole paper at once (not study)."""
    attempt = _own_attempt(attempt_id)
    if practice_items.per_item(attempt) and (request.method == "GET" or attempt.mode == "study"):
        if not attempt.is_open and attempt.mode == "practice":
            return redirect(url_for("practice.result", attempt_id=attempt.id))
        position = practice_items.progress(attempt).resume_at if attempt.is_open else 1
        return redirect(url_for("practice.item", attempt_id=attempt.id, position=position))
    if not attempt.is_open:
        if request.method == "POST":
            flash("这次练习已经提交过了，以下是当时的成绩，不会重复计分。", "info")
        return redirect(url_for("practice.result", attempt_id=attempt.id))
    if attempt.user_id != current_user.id:
        abort(403)
    if request.method == "POST":
        answers = practice_items.unanswered_answers(attempt, lambda item: get_qtype(item.version.qtype).read_form(
            request.form, f"item-{item.id}", item.version.data))
        try:
            practice_items.submit_and_record(attempt, answers)
        except AlreadySubmitted as exc:
            flash(str(exc), "info")
        return redirect(url_for("practice.result", attempt_id=attempt.id))
    return render_template("practice/attempt.html", attempt=attempt, rows=item_rows(attempt, reveal=False))


@bp.route("/attempt/<int:attempt_id>/item/<int:position>", methods=["GET", "POST"])
def item(attempt_id, position):
    """One item: GET shows it (with its key only once answered); POST answers it (study: marks it seen)."""
    attempt = _own_attempt(attempt_id, answering=request.method == "POST")
    if not practice_items.per_item(attempt):
        return redirect(url_for("practice.attempt", attempt_id=attempt.id))
    paper_item = practice_items.item_at(attempt, position)
    if paper_item is None:
        abort(404, "这次练习没有这道题。")
    if request.method == "POST":
        return _answer(attempt, paper_item, position)
    row = practice_items.item_row(attempt, paper_item)
    return render_template("practice/item.html", attempt=attempt, row=row, position=position,
                           progress=practice_items.progress(attempt),
                           favourite=bool(practice_state.favourite_ids(current_user.id,
                                                                        [paper_item.version.question_id])))


def _answer(attempt, paper_item, position):
    if attempt.mode == "study":
        if practice_items.mark_seen(attempt, paper_item):
            flash("背题完成！可以用“顺序练习”检验一下记住了多少。", "success")
            return redirect(url_for("practice.index"))
        last = position == len(attempt.paper.items)
        nxt = practice_items.progress(attempt).next_todo(position) if last else position + 1
        return redirect(url_for("practice.item", attempt_id=attempt.id, position=nxt or position))
    raw = get_qtype(paper_item.version.qtype).read_form(request.form, f"item-{paper_item.id}",
                                                        paper_item.version.data)
    outcome = practice_items.answer_item(attempt, paper_item, raw)
    if outcome in ANSWER_MESSAGES:
        flash(*ANSWER_MESSAGES[outcome])
    return redirect(url_for("practice.item", attempt_id=attempt.id, position=position))


@bp.route("/attempt/<int:attempt_id>/finish", methods=["POST"])
def finish(attempt_id):
    attempt = _own_attempt(attempt_id, answering=True)
    try:
        practice_items.finish(attempt)
    except AlreadySubmitted as exc:
        flash(str(exc), "info")
    if attempt.mode == "study":
        return redirect(url_for("practice.index"))
    return redirect(url_for("practice.result", attempt_id=attempt.id))


@bp.route("/attempt/<int:attempt_id>/result")
def result(attempt_id):
    attempt = _own_attempt(attempt_id)
    if attempt.mode == "study":
        return redirect(url_for("practice.item", attempt_id=attempt.id, position=1))
    if attempt.is_open:
        flash("请先完成并提交这次练习。", "info")
        return redirect(url_for("practice.attempt", attempt_id=attempt.id))
    rows = item_rows(attempt, reveal=True)
    correct = sum(1 for r in rows if r.response and r.response.correct)
    favourites = practice_state.favourite_ids(current_user.id, [r.item.version.question_id for r in rows])
    return render_template("practice/result.html", attempt=attempt, rows=rows, correct=correct,
                           favourites=favourites, repeatable=REPEATABLE)


@bp.route("/favourite/<question_id>", methods=["POST"])
def favourite(question_id):
    try:
        now_favourite = practice_state.toggle_favourite(current_user.id, question_id)
    except practice_state.NotPractisable:
        abort(404, "没有这道试题，或它不能收藏。")
    flash("已加入收藏。" if now_favourite else "已取消收藏。", "success")
    return redirect(safe_next(request.form.get("next")) or url_for("practice.favourites"))


@bp.route("/wrong")
def wrong_book():
    """错题本: the items (stems only, never keys) and a button to practise them."""
    return render_template("practice/book.html", which="wrong",
                           rows=practice_state.book_rows(current_user.id, "wrong"))


@bp.route("/favourites")
def favourites():
    """收藏: the items (stems only) with a remove button each, and a button to practise them."""
    return render_template("practice/book.html", which="favourites",
                           rows=practice_state.book_rows(current_user.id, "favourites"))
