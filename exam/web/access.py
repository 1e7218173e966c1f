"""Role checks: every blueprint declares who may use it, once.

`guard(bp, *roles)` runs before each request of the blueprint: anonymous
users go to the login page, users of another role get 403. A view that is
open to everyone is marked @public; the URL-map test proves no route is
left without one or the other.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

ALL_ROLES = ("trainee", "instructor", "admin")


def public(view):
    view._public = True
    return view


def guard(bp, *roles: str) -> None:
    roles = roles or ALL_ROLES

    @bp.before_request
    def _check_role():
        view = current_app.view_functions.get(request.endpoint)
        if getattr(view, "_public", False):
            return None
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if current_user.role not in roles:
            abort(403)
        return None

    bp.allowed_roles = roles


def safe_next(target: str | None) -> str | None:
    """Only same-site paths: no scheme, no host, no '//' or backslash tricks."""
    if not target:
        return None
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
