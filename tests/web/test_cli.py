from sqlalchemy import select

from exam.extensions import db
from exam.models import User


def test_users_create_with_password(app, runner):
    result = runner.invoke(args=["users", "create", "boss", "--role", "admin", "--password", "abcdefgh1"])
    assert result.exit_code == 0 and "已创建管理员账号：boss" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "boss"))
        assert user.role == "admin" and user.check_password("abcdefgh1")


def test_users_create_prompts_for_password(app, runner):
    result = runner.invoke(args=["users", "create", "teacher9", "--role", "instructor"],
                           input="abcdefgh1\nabcdefgh1\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "teacher9")).check_password("abcdefgh1")


def test_users_create_refuses_duplicates_and_short_passwords(app, runner):
    runner.invoke(args=["users", "create", "boss", "--password", "abcdefgh1"])
    result = runner.invoke(args=["users", "create", "boss", "--password", "abcdefgh1"])
    assert result.exit_code == 1 and "已被使用" in result.output
    result = runner.invoke(args=["users", "create", "other", "--password", "short"])
    assert result.exit_code == 1 and "密码至少 8 个字符" in result.output


def test_demo_setup_prints_random_passwords_once(app, runner):
    first = runner.invoke(args=["demo", "setup"])
    assert first.exit_code == 0
    assert all(name in first.output for name in ("admin", "teacher", "student"))
    second = runner.invoke(args=["demo", "setup"])
    assert "演示账号已存在" in second.output and "密码 " not in second.output
    other_app_output = first.output
    with app.app_context():
        roles = {u.username: u.role for u in db.session.scalars(select(User))}
    assert roles == {"admin": "admin", "teacher": "instructor", "student": "trainee"}
    assert other_app_output.count("密码") >= 3
