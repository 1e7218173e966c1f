"""JSON API under /api/v1 (described at /api/v1/openapi.json).

Clients authenticate with `Authorization: Bearer <token>` from
POST /api/v1/auth/login; the exam pages use their session cookie plus the
X-CSRFToken header instead. Errors are JSON {error: {code, message}} with a
Chinese message (see web/errors.py).
"""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import auth, exams, spec  # noqa: E402,F401  (routes register on bp)
