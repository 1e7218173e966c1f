"""The server's clock. Deadlines are decided here, never by the browser.

Tests move time with `frozen(...)`/`set_now(...)` instead of sleeping.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime

from .models._common import utcnow

_fixed: datetime | None = None


def now() -> datetime:
    return _fixed or utcnow()


def set_now(value: datetime | None) -> None:
    global _fixed
    _fixed = value


@contextmanager
def frozen(value: datetime):
    previous = _fixed
    set_now(value)
    try:
        yield
    finally:
        set_now(previous)
