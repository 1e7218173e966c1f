"""Settings for development, test and production.

Values come from the environment so that one build runs anywhere:
DATABASE_URL selects the database (SQLite in instance/ by default,
PostgreSQL through psycopg 3), SECRET_KEY signs sessions and CSRF tokens.
"""
import os


def normalise_database_url(url: str) -> str:
    """Make postgres URLs use the psycopg 3 driver (SQLAlchemy defaults to psycopg2)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    TESTING = False
    SECRET_KEY = os.environ.get("SECRET_KEY")  # None: generated once into instance/
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # None: instance/exam.db
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    CONTENT_DIR = os.environ.get(
        "CONTENT_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "content")
    )
    PRACTICE_SIZE = 10
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None  # a token lives as long as the session: long exams must not lose forms


class DevelopmentConfig(Config):
    DEBUG = False


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"
    WTF_CSRF_ENABLED = False  # web tests post forms directly; a dedicated test turns CSRF on
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL")


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}
