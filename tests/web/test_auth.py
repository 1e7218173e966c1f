from sqlalchemy import func, select

from exam.extensions import db
from exam.models import User
from tests.conftest import PASSWORD, page_text


def count_users(app):
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def test_register_logs_in_and_shows_syllabus(client, app):
    r = client.post("/auth/register", data={"username": "xiaoli", "display_name": "小李",
                                            "password": "abcdefgh1", "confirm": "abcdefgh1"},
                    follow_redirects=True)
    text = page_text(r)
    assert "注册成功" in text and "课程目录" in text and "客户服务筹划" in text
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "xiaoli"))
        assert user.role == "trainee"
        assert "abcdefgh1" not in user.password_hash and user.check_password("abcdefgh1")


def test_duplicate_username_is_refused_and_keeps_the_form(client, app, users):
    before = count_users(app)
    r = client.post("/auth/register", data={"username": "trainee1", "display_name": "重名的人",
                                            "password": "abcdefgh1", "confirm": "abcdefgh1"})
    text = page_text(r)
    assert r.status_code == 200
    assert "用户名“trainee1”已被使用" in text
    assert 'value="重名的人"' in r.get_data(as_text=True)  # what was typed is kept
    assert count_users(app) == before


def test_register_validation_messages_in_chinese(client, app):
    r = client.post("/auth/register", data={"username": "ab", "password": "short", "confirm": "other"})
    text = page_text(r)
    assert "用户名应为 3-40 个字符" in text and "密码至少 8 个字符" in text and "两次输入的密码不一致" in text
    assert count_users(app) == 0


def test_wrong_password_gives_one_message_and_no_session(client, auth):
    r = auth.login(password="wrong-password")
    assert "用户名或密码不正确" in page_text(r)
    r = auth.login(username="nobody", password="wrong-password")
    assert "用户名或密码不正确" in page_text(r)
    assert client.get("/learn/").status_code == 302


def test_login_follows_local_next_only(client, auth):
    r = auth.login(query_string={"next": "/practice/"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/practice/")
    auth.logout()
    for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        r = auth.login(query_string={"next": evil})
        assert r.status_code == 302
        assert r.headers["Location"].endswith("/learn/"), evil
        auth.logout()


def test_logout_needs_post(client, auth):
    auth.login()
    assert client.get("/auth/logout").status_code == 405
    r = client.post("/auth/logout", follow_redirects=True)
    assert "您已退出登录" in page_text(r)
    assert client.get("/learn/").status_code == 302


def test_csrf_is_enforced_on_forms(app, users):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        r = client.post("/auth/login", data={"username": "trainee1", "password": PASSWORD})
        assert r.status_code == 400
        assert "安全令牌" in page_text(r)
        # With the token from the page the same login works.
        page = client.get("/auth/login").get_data(as_text=True)
        import re
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        r = client.post("/auth/login", data={"username": "trainee1", "password": PASSWORD, "csrf_token": token})
        assert r.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_admin_creates_instructor(client, auth, app):
    auth.login("admin1")
    r = client.post("/admin/users", data={"username": "teacher2", "display_name": "王老师", "role": "instructor",
                                          "password": "abcdefgh1", "confirm": "abcdefgh1"}, follow_redirects=True)
    assert "已创建讲师账号：teacher2" in page_text(r)
    with app.app_context():
        assert db.session.scalar(select(User.role).where(User.username == "teacher2")) == "instructor"


def test_admin_duplicate_user_message(client, auth, app):
    auth.login("admin1")
    before = count_users(app)
    r = client.post("/admin/users", data={"username": "trainee1", "role": "instructor",
                                          "password": "abcdefgh1", "confirm": "abcdefgh1"})
    assert "已被使用" in page_text(r)
    assert count_users(app) == before
