"""Administrators: accounts (cohorts, sessions and reports come in later issues)."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from ..extensions import db
from ..models import Attempt, BlueprintRecord, ExamSession, User
from ..services import sessions as session_service
from ..services.accounts import create_user
from .access import guard
from .forms import CreateUserForm, SessionForm

bp = Blueprint("admin", __name__, url_prefix="/admin")
guard(bp, "admin")


@bp.route("/users", methods=["GET", "POST"])
def users():
    form = CreateUserForm()
    if form.validate_on_submit():
        try:
            user = create_user(form.username.data, form.role.data, form.password.data, form.display_name.data)
        except ValueError as exc:
            form.username.errors.append(str(exc))
        else:
            flash(f"已创建{user.role_label}账号：{user.username}", "success")
            return redirect(url_for("admin.users"))
    people = db.session.scalars(select(User).order_by(User.role, User.username)).all()
    return render_template("admin/users.html", form=form, users=people)


@bp.route("/sessions", methods=["GET", "POST"])
def sessions():
    """Certification sessions: schedule one, see who sat it, release the results."""
    form = SessionForm()
    form.blueprint_id.choices = [(r.id, r.title) for r in db.session.scalars(
        select(BlueprintRecord).where(BlueprintRecord.kind == "certification", BlueprintRecord.active.is_(True)))]
    if form.validate_on_submit():
        try:
            session = session_service.create_session(form.blueprint_id.data, form.title.data, form.opens_at.data,
                                                     form.closes_at.data, current_user)
        except ValueError as exc:
            form.closes_at.errors.append(str(exc))
        else:
            flash(f"已安排考试场次：{session.title}", "success")
            return redirect(url_for("admin.sessions"))
    rows = db.session.execute(
        select(ExamSession, func.count(Attempt.id)).outerjoin(Attempt, Attempt.session_id == ExamSession.id)
        .group_by(ExamSession.id).order_by(ExamSession.opens_at.desc())).all()
    return render_template("admin/sessions.html", form=form, rows=rows)


@bp.route("/sessions/<int:session_id>/release", methods=["POST"])
def release(session_id):
    session = db.session.get(ExamSession, session_id)
    if session is None:
        abort(404, "没有这个考试场次。")
    session_service.release_results(session)
    flash(f"已公布“{session.title}”的成绩，考生现在可以查看。", "success")
    return redirect(url_for("admin.sessions"))
