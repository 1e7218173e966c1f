"""Entry point: `flask --app run <command>` and `gunicorn run:app`."""
from exam import create_app

app = create_app()
