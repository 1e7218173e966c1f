"""Accounts: creating users from the shell and from the admin pages."""
import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import ROLES, User

MIN_PASSWORD = 8
USERNAME_RE = re.compile(r"^[\w.-]{3,40}$")


def create_user(username: str, role: str, password: str, display_name: str = "") -> User:
    """Shared by the CLI and the admin page; raises ValueError with a Chinese message."""
    username = (username or "").strip()
    if not USERNAME_RE.match(username):
        raise ValueError("用户名应为 3-40 个字符，只能包含字母、数字、汉字、下划线、点和连字符")
    if role not in ROLES:
        raise ValueError(f"角色必须是 {'、'.join(ROLES)} 之一")
    if len(password or "") < MIN_PASSWORD:
        raise ValueError(f"密码至少 {MIN_PASSWORD} 个字符")
    if db.session.scalar(select(User).where(User.username == username)):
        raise ValueError(f"用户名“{username}”已被使用")
    user = User(username=username, role=role, display_name=display_name or "")
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:  # two registrations of one name at the same moment
        db.session.rollback()
        raise ValueError(f"用户名“{username}”已被使用") from None
    return user
