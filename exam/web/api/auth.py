"""Bearer tokens: signed, expiring, stateless (any app server can check them)."""
from flask import current_app, g, jsonify, request
from flask_login import current_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from ...extensions import csrf, db
from ...models import User
from . import bp

TOKEN_MAX_AGE = 12 * 3600
PUBLIC = {"api.login", "api.openapi"}


class ApiError(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@bp.errorhandler(ApiError)
def api_error(exc: ApiError):
    return jsonify(error={"code": exc.code, "message": exc.message}), exc.code


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="api-token")


def issue_token(user: User) -> str:
    # The tail of the password hash ties the token to the password: changing it revokes old tokens.
    return _serializer().dumps({"uid": user.id, "ph": user.password_hash[-16:]})


def user_from_token(token: str) -> User | None:
    try:
        data = _serializer().loads(token, max_age=TOKEN_MAX_AGE)
    except SignatureExpired:
        raise ApiError(401, "登录已过期，请重新登录。") from None
    except BadSignature:
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.active or user.password_hash[-16:] != data.get("ph"):
        return None
    return user


csrf.exempt(bp)  # bearer requests carry no cookie; cookie requests are checked below
bp.allowed_roles = ("trainee", "instructor", "admin")  # every role may sit exams; ownership checked per attempt


@bp.before_request
def authenticate():
    if request.endpoint in PUBLIC:
        return None
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        user = user_from_token(header[7:].strip())
        if user is None:
            raise ApiError(401, "令牌无效，请重新登录。")
        g.api_user = user
        return None
    if current_user.is_authenticated:
        if request.method not in ("GET", "HEAD", "OPTIONS") and current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()  # the browser's session cookie needs the X-CSRFToken header
        g.api_user = current_user._get_current_object()
        return None
    raise ApiError(401, "请先登录。")


@bp.route("/auth/login", methods=["POST"])
def login():
    body = request.get_json(silent=True) or {}
    username, password = str(body.get("username") or "").strip(), str(body.get("password") or "")
    if not username or not password:
        raise ApiError(400, "请提供用户名和密码。")
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or not user.check_password(password) or not user.active:
        raise ApiError(401, "用户名或密码不正确。")
    return jsonify(token=issue_token(user), expires_in=TOKEN_MAX_AGE,
                   user={"username": user.username, "role": user.role})
