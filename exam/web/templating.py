"""Template globals and filters."""
from datetime import timezone, timedelta

from flask_wtf import FlaskForm

from ..content.render import render_text
from ..grading.evidence import highlight, part_spans
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

    @app.template_filter("evidence")
    def evidence(text, part_result):
        """A case answer with the words that earned points marked (escaped otherwise)."""
        return highlight(text, part_spans(part_result or {}))

    app.add_template_filter(render_text, "markdown")

    @app.template_filter("score")
    def score(value):
        if value is None:
            return "—"
        return f"{value:g}"
