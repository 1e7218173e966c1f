"""Instructors: the review queue for free-text answers, and regrades after a key changes."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..extensions import db
from ..models import Question, Response
from ..services import review as service
from ..services.attempts import item_rows, latest_review
from .access import guard

bp = Blueprint("review", __name__, url_prefix="/review")
guard(bp, "instructor", "admin")


@bp.route("/")
def queue():
    return render_template("review/queue.html", responses=service.review_queue(),
                           regradable=service.regradable_questions())


@bp.route("/response/<int:response_id>", methods=["GET", "POST"])
def response(response_id):
    resp = db.session.get(Response, response_id)
    if resp is None or resp.attempt.status != "submitted" or resp.max_score is None:
        abort(404, "没有这份答卷，或它还没有提交。")
    data = resp.paper_item.version.data
    table = service.key_point_table(data)
    error = None
    if request.method == "POST":
        try:
            awarded = {part: {kp: _number(request.form.get(f"pts-{part}-{kp}")) for kp in points}
                       for part, points in table.items()}
            service.apply_review(resp, current_user, awarded, request.form.get("comment", ""))
        except service.ReviewError as exc:
            error = str(exc)
        else:
            flash("评分已保存，取代机评结果。", "success")
            return redirect(url_for("review.queue"))
    row = next(r for r in item_rows(resp.attempt, reveal=True) if r.item.id == resp.paper_item_id)
    return render_template("review/response.html", resp=resp, row=row, table=table, error=error,
                           form=request.form if request.method == "POST" else None,
                           last=latest_review(resp))


def _number(value):
    try:
        return float(value) if value not in (None, "") else 0.0
    except ValueError:
        raise service.ReviewError(f"“{value}”不是数字") from None


@bp.route("/question/<question_id>/regrade", methods=["GET", "POST"])
def regrade(question_id):
    question = db.session.get(Question, question_id)
    if question is None:
        abort(404, "没有这道试题。")
    if request.method == "POST":
        log = service.apply_regrade(question, current_user, request.form.get("reason", ""))
        changed = sum(1 for c in log.changes if c["before"] != c["after"])
        flash(f"已重新评分：{len(log.changes)} 份答卷，其中 {changed} 份分数改变。", "success")
        return redirect(url_for("review.regrade", question_id=question_id))
    return render_template("review/regrade.html", question=question, plan=service.plan_regrade(question),
                           logs=service.regrade_log(question))
