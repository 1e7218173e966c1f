"""Shared fixtures: one app and database per test session (SQLite, or
PostgreSQL when TEST_DATABASE_URL is set), built by the migrations and loaded
with the real content/; user data is wiped after every test."""
import os
import re

import pytest
from flask_migrate import upgrade
from hypothesis import HealthCheck, settings
from sqlalchemy import delete, text

from exam import create_app
from exam.content.files import read_content
from exam.content.sync import load_bundle
from exam.content.validate import validate
from exam.extensions import db
from exam.models import (Attempt, ExamSession, Favourite, LessonRead, Paper, PaperItem, Regrade, Response, Review,
                         ReviewCard, User, WrongItem)
from exam.services.accounts import create_user

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONTENT = os.environ.get("TEST_CONTENT_DIR") or os.path.join(ROOT, "content")
IN_CI = os.environ.get("CI") == "true"

# Property tests draw random banks and filter some away: that is expected, not a
# health problem. In CI they are derandomised so a run is repeatable.
settings.register_profile("default", suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
settings.register_profile("ci", parent=settings.get_profile("default"), derandomize=True)
settings.load_profile("ci" if IN_CI else "default")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skip (missing browser, missing database) is a failure."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped while CI=true, which is not allowed: {report.longrepr}"


def reset_database(app):
    """Empty schema, then the migrations: tests run on the schema production gets."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        else:
            db.drop_all()
            with db.engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade(directory=os.path.join(ROOT, "migrations"))


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL") or "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "CONTENT_DIR": CONTENT})
    reset_database(app)
    with app.app_context():
        bundle = read_content(CONTENT)
        problems = validate(bundle)
        assert not problems, "content/ does not validate:\n" + "\n".join(map(str, problems))
        load_bundle(bundle)
    return app


@pytest.fixture(autouse=True)
def _clean_user_data(request):
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.rollback()
        for model in (Review, Regrade, Response, Attempt, PaperItem, Paper, LessonRead, WrongItem, Favourite,
                      ReviewCard, ExamSession, User):
            db.session.execute(delete(model))
        db.session.commit()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


PASSWORD = "correct-horse-1"


@pytest.fixture
def users(app):
    """One account per role, all with PASSWORD."""
    with app.app_context():
        made = {}
        for role in ("trainee", "instructor", "admin"):
            user = create_user(f"{role}1", role, PASSWORD, f"{role} one")
            made[role] = user.id
        return made


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, username="trainee1", password=PASSWORD, **kw):
        return self.client.post("/auth/login", data={"username": username, "password": password}, **kw)

    def logout(self):
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client, users):
    return Auth(client)


def page_text(response) -> str:
    """Visible text of an HTML response, whitespace collapsed (for assertions)."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
