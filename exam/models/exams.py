"""Blueprints (组卷方案) as loaded from content/, and scheduled certification sessions."""
from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._common import utcnow


class BlueprintRecord(db.Model):
    """A blueprint file of content/blueprints; `data` is the file as authored."""

    __tablename__ = "blueprints"
    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), index=True)  # practice / mock / certification
    level_id: Mapped[str] = mapped_column(String(40), default="")
    data: Mapped[dict] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ExamSession(db.Model):
    """A scheduled certification sitting: a window, one attempt each, results released by an administrator."""

    __tablename__ = "exam_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    blueprint_id: Mapped[str] = mapped_column(ForeignKey("blueprints.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    opens_at: Mapped[datetime] = mapped_column()
    closes_at: Mapped[datetime] = mapped_column()
    results_released: Mapped[bool] = mapped_column(default=False)
    released_at: Mapped[Optional[datetime]] = mapped_column(nullable=True)
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
