"""Feed the syllabus key terms to the segmenter once per process.

Grading adds each question's own match terms as it goes; the lesson key terms
(美誉度, 准变动成本, 服务金三角 ...) are added here, before the first free-text
grade, so that a grade does not depend on what was graded before.
"""
from __future__ import annotations

import threading

from sqlalchemy import select

from ..extensions import db
from ..grading.segment import add_domain_terms
from ..models import Lesson

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
        add_domain_terms(terms)
        _done = True
