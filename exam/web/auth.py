"""Log in, register, log out."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from ..extensions import db
from ..models import User
from ..services.accounts import create_user
from .access import guard, public, safe_next
from .forms import LoginForm, RegisterForm

bp = Blueprint("auth", __name__, url_prefix="/auth")
guard(bp)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("learn.syllabus"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == form.username.data.strip()))
        if user is None or not user.check_password(form.password.data) or not user.active:
            # One message for both cases: do not reveal which user names exist.
            form.password.errors.append("用户名或密码不正确。")
        else:
            login_user(user)
            flash(f"欢迎回来，{user.name}。", "success")
            return redirect(safe_next(request.args.get("next")) or url_for("learn.syllabus"))
    return render_template("auth/login.html", form=form)


@bp.route("/register", methods=["GET", "POST"])
@public
def register():
    if current_user.is_authenticated:
        return redirect(url_for("learn.syllabus"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = create_user(form.username.data, "trainee", form.password.data, form.display_name.data)
        except ValueError as exc:
            form.username.errors.append(str(exc))
        else:
            login_user(user)
            flash("注册成功，开始学习吧。", "success")
            return redirect(url_for("learn.syllabus"))
    return render_template("auth/register.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()  # POST only, and CSRFProtect checked the token
    flash("您已退出登录。", "info")
    return redirect(url_for("auth.login"))
