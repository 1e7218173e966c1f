"""Feed the domain vocabulary to the segmenter once per process.

The lesson key terms (美誉度, 准变动成本, 服务金三角 ...) and every match term
of the bank's case and essay items are added before the first free-text
grade, so that word boundaries (and so a grade's confidence) never depend on
which questions this process happened to grade before.
"""
from __future__ import annotations

import threading

from sqlalchemy import select

from ..extensions import db
from ..grading.segment import add_domain_terms
from ..models import Lesson, Question, QuestionVersion

_done = False
_lock = threading.Lock()


def ensure_domain_terms() -> None:
    global _done
    if _done:
        return
    with _lock:
        if _done:
            return
        terms = [t for key_terms in db.session.scalars(select(Lesson.key_terms)) for t in key_terms or []]
        items = db.session.scalars(select(QuestionVersion.data).join(
            Question, Question.current_version_id == QuestionVersion.id).where(Question.qtype.in_(("case", "essay"))))
        terms.extend(term for data in items for term in match_terms(data))
        add_domain_terms(terms)
        _done = True


def match_terms(data: dict) -> list[str]:
    """Every synonym of every key point of a case or essay item."""
    groups = []
    for block in (data.get("parts") or []) + (data.get("rubric") or []):
        for kp in block.get("key_points") or []:
            groups.extend(kp.get("match") or [])
    return [term for group in groups for term in group]

