"""The syllabus tree and lessons."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..extensions import db
from ..models import Lesson
from ..services import learning
from .access import guard, public

bp = Blueprint("learn", __name__)
guard(bp)


@bp.route("/")
@public
def home():
    if current_user.is_authenticated:
        return redirect(url_for("learn.syllabus"))
    return render_template("learn/home.html")


@bp.route("/healthz")
@public
def health():
    """For load balancers and the load benchmark's baseline: no database, no template."""
    return {"status": "ok"}


@bp.route("/learn/")
def syllabus():
    read = learning.read_lesson_ids(current_user.id)
    levels = learning.syllabus_tree()
    progress = {}
    for level in levels:
        progress.update(learning.function_progress(level, read))
    return render_template("learn/syllabus.html", levels=levels, read=read, progress=progress)


@bp.route("/learn/lesson/<lesson_id>")
def lesson(lesson_id):
    item = db.session.get(Lesson, lesson_id)
    if item is None:
        abort(404, f"没有 id 为“{lesson_id}”的课程，请从课程目录进入。")
    prev, nxt = learning.neighbours(item)
    is_read = lesson_id in learning.read_lesson_ids(current_user.id)
    return render_template("learn/lesson.html", lesson=item, prev=prev, next=nxt, is_read=is_read)


@bp.route("/learn/lesson/<lesson_id>/read", methods=["POST"])
def mark_read(lesson_id):
    if db.session.get(Lesson, lesson_id) is None:
        abort(404, f"没有 id 为“{lesson_id}”的课程。")
    is_read = lesson_id in learning.read_lesson_ids(current_user.id)
    learning.set_read(current_user.id, lesson_id, not is_read)
    flash("已标记为已读。" if not is_read else "已取消已读标记。", "success")
    return redirect(url_for("learn.lesson", lesson_id=lesson_id))
