"""Certification sessions: scheduling and releasing results (times are entered in Beijing time)."""
from __future__ import annotations

from datetime import datetime, timedelta

from ..extensions import db
from ..models import BlueprintRecord, ExamSession
from .. import clock

BEIJING = timedelta(hours=8)


def create_session(blueprint_id: str, title: str, opens_local: datetime, closes_local: datetime, user) -> ExamSession:
    record = db.session.get(BlueprintRecord, blueprint_id)
    if record is None or record.kind != "certification":
        raise ValueError("请选择一个正式考试的组卷方案")
    if closes_local <= opens_local:
        raise ValueError("结束时间必须晚于开始时间")
    session = ExamSession(blueprint_id=blueprint_id, title=title.strip(), opens_at=opens_local - BEIJING,
                          closes_at=closes_local - BEIJING, created_by=user.id, created_at=clock.now())
    db.session.add(session)
    db.session.commit()
    return session


def release_results(session: ExamSession) -> None:
    if not session.results_released:
        session.results_released, session.released_at = True, clock.now()
        db.session.commit()
