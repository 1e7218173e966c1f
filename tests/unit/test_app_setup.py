"""Settings that decide whether the app starts safely anywhere."""
import os

from config import normalise_database_url
from exam import _instance_secret, create_app


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = _instance_secret(str(tmp_path))
    assert len(first) == 64 and _instance_secret(str(tmp_path)) == first
    assert oct(os.stat(tmp_path / "secret_key").st_mode)[-3:] == "600"


def test_postgres_urls_use_psycopg3():
    assert normalise_database_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalise_database_url("postgres://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'a.db'}"})
    from exam.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
