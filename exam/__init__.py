"""Exam-preparation platform for 客户服务管理师.

create_app() reads as a list of configure_* steps, each small and named for
what it sets up. Flask and the extensions are imported inside it, so that the
pure packages (exam.grading, exam.qtypes, exam.assembly ...) load without the
web stack (the grader's cold start, scripts, benchmarks).
"""
import os
import secrets
import time


def create_app(config=None):
    from flask import Flask

    app = Flask(__name__, instance_relative_config=True)
    configure_settings(app, config)
    configure_database(app)
    configure_auth(app)
    configure_blueprints(app)
    configure_errors(app)
    configure_templates(app)
    configure_cli(app)
    return app


def configure_settings(app, config):
    from config import CONFIGS, normalise_database_url

    # config: None, an environment name ("test"), or a dict of overrides
    # (a dict with TESTING=True starts from the test settings).
    env = os.environ.get("EXAM_ENV", "development")
    if isinstance(config, str):
        env, config = config, None
    elif isinstance(config, dict) and config.get("TESTING"):
        env = "test"
    app.config.from_object(CONFIGS[env])
    if isinstance(config, dict):
        app.config.update(config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app.instance_path)
    uri = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not uri:
        uri = "sqlite:///" + os.path.join(app.instance_path, "exam.db")
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(uri)


def _instance_secret(instance_path):
    """A random key generated on first start and kept in instance/ (never in git)."""
    path = os.path.join(instance_path, "secret_key")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # made earlier, or by another worker starting at the same moment
        pass
    else:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    for _ in range(50):
        with open(path) as fh:
            key = fh.read().strip()
        if key:
            return key
        time.sleep(0.01)  # the other worker is still writing it
    raise RuntimeError(f"{path} is empty")


def configure_database(app):
    from sqlalchemy import event

    from . import models  # noqa: F401  (register the tables with the metadata)
    from .extensions import db, migrate

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            event.listen(db.engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(dbapi_conn, _record):
    # WAL lets readers work while one writer commits; the busy timeout makes a
    # second writer wait instead of failing with "database is locked".
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def configure_auth(app):
    from .extensions import csrf, db, login_manager

    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录。"
    login_manager.login_message_category = "info"

    from .models import User

    @login_manager.user_loader
    def load_user(user_id):
        user = db.session.get(User, int(user_id))
        return user if user and user.is_active else None


def configure_blueprints(app):
    from .web import register_blueprints

    register_blueprints(app)


def configure_errors(app):
    from .web.errors import register_error_handlers

    register_error_handlers(app)


def configure_templates(app):
    from .web.templating import register_template_helpers

    register_template_helpers(app)


def configure_cli(app):
    from .cli import register_cli

    register_cli(app)
