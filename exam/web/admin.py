"""Administrators: accounts (cohorts, sessions and reports come in later issues)."""
from flask import Blueprint, flash, redirect, render_template, url_for
from sqlalchemy import select

from ..extensions import db
from ..models import User
from ..services.accounts import create_user
from .access import guard
from .forms import CreateUserForm

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
