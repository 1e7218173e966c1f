from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from exam.extensions import db


def test_migrations_build_the_schema_the_models_describe(app):
    """The session database was built by `flask db upgrade`: nothing may differ from the models."""
    with app.app_context(), db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, db.metadata)
    assert diff == [], diff
