"""Human decisions on machine grades: reviews of single responses and regrades of a question."""
from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import utcnow


class Review(db.Model):
    """An instructor's decision on one response; it replaces the machine's grade.

    Kept as history: the latest review of a response is the one in force.
    """

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    score_before: Mapped[Optional[float]] = mapped_column(nullable=True)
    score_after: Mapped[float] = mapped_column()
    # {part id: {key point id: points awarded}} as the reviewer set them.
    points: Mapped[dict] = mapped_column(JSON, default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewer = relationship("User")


class Regrade(db.Model):
    """A logged regrade: responses to old versions of a question graded again with the current key."""

    __tablename__ = "regrades"
    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"), index=True)
    key_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(String(200), default="")
    # [{attempt_id, response_id, user, before, after}]
    changes: Mapped[list] = mapped_column(JSON, default=list)
    actor = relationship("User")
