"""An attempt is one sitting of a paper by one user; a response is one answer to one item."""
from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import utcnow


class Attempt(db.Model):
    __tablename__ = "attempts"
    # One sitting per certification session, enforced by the database (mock attempts have no session:
    # NULLs never collide), so two servers starting the same trainee at once cannot both succeed.
    __table_args__ = (UniqueConstraint("user_id", "session_id", name="uq_attempts_user_session"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    paper_id: Mapped[int] = mapped_column(ForeignKey("papers.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # practice (feedback per item) / study (背题: key shown) / mock / certification
    mode: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)  # open / submitted
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    deadline: Mapped[Optional[datetime]] = mapped_column(nullable=True)
    submitted_at: Mapped[Optional[datetime]] = mapped_column(nullable=True)
    score: Mapped[Optional[float]] = mapped_column(nullable=True)
    max_score: Mapped[Optional[float]] = mapped_column(nullable=True)
    pending_review: Mapped[bool] = mapped_column(default=False)
    # Submitted by the server at the deadline rather than by the trainee.
    auto_submitted: Mapped[bool] = mapped_column(default=False)
    session_id: Mapped[Optional[int]] = mapped_column(ForeignKey("exam_sessions.id"), nullable=True, index=True)
    paper = relationship("Paper")
    session = relationship("ExamSession")
    user = relationship("User")
    responses: Mapped[list["Response"]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.status == "open"


class Response(db.Model):
    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("attempt_id", "paper_item_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    paper_item_id: Mapped[int] = mapped_column(ForeignKey("paper_items.id"), index=True)
    answer: Mapped[Optional[dict]] = mapped_column(JSON, nullable=True)
    # The client's sequence number (the exam page uses milliseconds since 1970): stale saves never win.
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    flagged: Mapped[bool] = mapped_column(default=False)  # 标记: the trainee wants to come back to it
    # Practice modes grade an item as soon as it is answered; exams at submission.
    answered_at: Mapped[Optional[datetime]] = mapped_column(nullable=True)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    score: Mapped[Optional[float]] = mapped_column(nullable=True)
    max_score: Mapped[Optional[float]] = mapped_column(nullable=True)
    correct: Mapped[Optional[bool]] = mapped_column(nullable=True)
    needs_review: Mapped[bool] = mapped_column(default=False)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    # Set when an instructor's review replaced the machine grade.
    reviewed_at: Mapped[Optional[datetime]] = mapped_column(nullable=True)
    reviewer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), nullable=True)
    attempt: Mapped[Attempt] = relationship(back_populates="responses")
    paper_item = relationship("PaperItem")
