"""Template globals and filters."""
from datetime import timezone, timedelta

from flask_wtf import FlaskForm

from ..models import ROLES

CHINA = timezone(timedelta(hours=8))


class ActionForm(FlaskForm):
    """A form with no fields: carries the CSRF token of a button that changes something."""


def register_template_helpers(app):
    @app.context_processor
    def inject():
        return {"action_form": ActionForm(), "ROLES": ROLES}

    @app.template_filter("localtime")
    def localtime(value, fmt="%Y-%m-%d %H:%M"):
        if value is None:
            return ""
        return value.replace(tzinfo=timezone.utc).astimezone(CHINA).strftime(fmt)

    @app.template_filter("score")
    def score(value):
        if value is None:
            return "—"
        return f"{value:g}"
