"""Case analysis end to end: answer, machine grade with evidence, instructor review, regrade."""
import glob
import os
import re

import yaml
from sqlalchemy import select

from exam.extensions import db
from exam.models import Attempt, Question, QuestionVersion, Regrade, Response, Review
from tests.conftest import ROOT, page_text


def labelled(question_id, kind):
    for path in glob.glob(os.path.join(ROOT, "tests/data/case_answers/*.yaml")):
        for row in yaml.safe_load(open(path, encoding="utf-8")):
            if row["question"] == question_id and row["kind"] == kind:
                yield row


def start_case(client, unit="communication"):
    r = client.post("/practice/start", data={"scope": f"cases:{unit}"})
    return int(re.search(r"/practice/attempt/(\d+)", r.headers["Location"]).group(1))


def the_item(app, attempt_id):
    with app.app_context():
        item = db.session.get(Attempt, attempt_id).paper.items[0]
        return item.id, item.version.data


def test_case_page_shows_material_but_no_key(client, auth, app):
    auth.login()
    attempt_id = start_case(client)
    item_id, data = the_item(app, attempt_id)
    html = client.get(f"/practice/attempt/{attempt_id}").get_data(as_text=True)
    assert data["material"].strip()[:15] in html
    for part in data["parts"]:
        assert f'name="item-{item_id}-{part["id"]}"' in html
        assert part["reference"].strip()[:15] not in html
        for kp in part["key_points"]:
            assert kp["text"] not in html
    assert "参考答案" not in html


def test_full_answer_earns_points_with_evidence(client, auth, app):
    auth.login()
    attempt_id = start_case(client)
    item_id, data = the_item(app, attempt_id)
    form = {}
    for part in data["parts"]:
        full = next((row for row in labelled(data["id"], "full") if row["part"] == part["id"]), None)
        form[f"item-{item_id}-{part['id']}"] = full["answer"] if full else ""
    client.post(f"/practice/attempt/{attempt_id}", data=form)
    r = client.get(f"/practice/attempt/{attempt_id}/result")
    html, text = r.get_data(as_text=True), page_text(r)
    assert "<mark" in html  # the words that earned points are marked
    assert "参考答案" in text and "✓" in text
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.score > 0 and attempt.max_score == sum(p["points"] for p in data["parts"])


def test_script_in_an_answer_is_shown_escaped(client, auth, app):
    auth.login()
    attempt_id = start_case(client)
    item_id, data = the_item(app, attempt_id)
    evil = "<script>alert('x')</script><b>倾听</b>" + "真诚地道歉。" * 3
    client.post(f"/practice/attempt/{attempt_id}", data={f"item-{item_id}-{data['parts'][0]['id']}": evil})
    html = client.get(f"/practice/attempt/{attempt_id}/result").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_huge_and_empty_answers_do_not_crash(client, auth, app):
    auth.login()
    attempt_id = start_case(client)
    item_id, data = the_item(app, attempt_id)
    huge = "客户投诉要耐心倾听并及时处理。" * 1500  # ~22,000 characters
    r = client.post(f"/practice/attempt/{attempt_id}", data={f"item-{item_id}-{data['parts'][0]['id']}": huge})
    assert r.status_code == 302
    with app.app_context():
        response = db.session.scalar(select(Response).where(Response.attempt_id == attempt_id))
        assert len(response.answer[data["parts"][0]["id"]]) == 20_000  # kept, capped
        assert response.needs_review  # very long answers go to a human


def submit_short_answer(client, app):
    attempt_id = start_case(client)
    item_id, data = the_item(app, attempt_id)
    client.post(f"/practice/attempt/{attempt_id}", data={f"item-{item_id}-{data['parts'][0]['id']}": "要倾听。"})
    with app.app_context():
        response = db.session.scalar(select(Response).where(Response.attempt_id == attempt_id))
        return attempt_id, response.id, data


def test_unsure_answers_go_to_the_review_queue_and_the_instructor_decides(client, auth, app):
    auth.login()
    attempt_id, response_id, data = submit_short_answer(client, app)
    r = client.get(f"/practice/attempt/{attempt_id}/result")
    assert "待阅卷" in page_text(r)
    auth.logout()

    auth.login("instructor1")
    queue = client.get("/review/")
    assert f"/review/response/{response_id}" in queue.get_data(as_text=True)
    assert "答案过短" in page_text(queue)
    page = client.get(f"/review/response/{response_id}")
    assert "保存评分" in page_text(page)
    part = data["parts"][0]
    kp = part["key_points"][0]
    form = {f"pts-{part['id']}-{kp['id']}": str(kp["points"]), "comment": "思路对，但要展开写。"}
    r = client.post(f"/review/response/{response_id}", data=form, follow_redirects=True)
    assert "评分已保存" in page_text(r)
    with app.app_context():
        response = db.session.get(Response, response_id)
        review = db.session.scalar(select(Review).where(Review.response_id == response_id))
        total = sum(p["points"] for p in data["parts"])
        assert response.needs_review is False and response.reviewed_at is not None
        assert review.reviewer.username == "instructor1" and review.comment == "思路对，但要展开写。"
        assert response.score == round(kp["points"] * response.max_score / total, 2)
        assert db.session.get(Attempt, attempt_id).pending_review is False
    assert f"/review/response/{response_id}" not in client.get("/review/").get_data(as_text=True)
    auth.logout()

    auth.login()
    text = page_text(client.get(f"/practice/attempt/{attempt_id}/result"))
    assert "讲师已阅卷" in text and "思路对，但要展开写。" in text


def test_a_wrong_review_value_is_refused_and_changes_nothing(client, auth, app):
    auth.login()
    _, response_id, data = submit_short_answer(client, app)
    auth.logout()
    auth.login("instructor1")
    part = data["parts"][0]
    kp = part["key_points"][0]
    r = client.post(f"/review/response/{response_id}",
                    data={f"pts-{part['id']}-{kp['id']}": "99", "comment": "保留这段评语"})
    text = page_text(r)
    assert "得分应在 0 到" in text and "保留这段评语" in text  # what was typed is kept
    r = client.post(f"/review/response/{response_id}", data={f"pts-{part['id']}-{kp['id']}": "abc"})
    assert "不是数字" in page_text(r)
    with app.app_context():
        assert db.session.get(Response, response_id).needs_review is True
        assert db.session.scalar(select(Review).where(Review.response_id == response_id)) is None


def test_regrade_after_a_key_change_is_logged_and_keeps_the_shown_version(client, auth, app):
    auth.login()
    qid = "env-macro-micro-001"
    with app.app_context():
        q = db.session.get(Question, qid)
        old = q.current_version
        wrong = next(k for k in old.data["options"] if k != old.data["answer"]) if q.qtype == "single" else None
    assert wrong, "the test expects a single-choice item"
    r = client.post(f"/practice/question/{qid}", data={"answer": wrong})
    attempt_id = int(re.search(r"/attempt/(\d+)/result", r.headers["Location"]).group(1))
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).score == 0
        # An author corrects the key: a new version whose answer is the option the trainee chose.
        q = db.session.get(Question, qid)
        new = QuestionVersion(question_id=qid, number=old.number + 1, qtype="single",
                              data=dict(old.data, answer=wrong), content_hash="test-new-key")
        db.session.add(new)
        db.session.flush()
        q.current_version_id = new.id
        db.session.commit()
    try:
        auth.logout()
        auth.login("instructor1")
        assert f"/review/question/{qid}/regrade" in client.get("/review/").get_data(as_text=True)
        preview = page_text(client.get(f"/review/question/{qid}/regrade"))
        assert "trainee1" in preview and "变化" in preview
        r = client.post(f"/review/question/{qid}/regrade", data={"reason": "答案更正"}, follow_redirects=True)
        assert "其中 1 份分数改变" in page_text(r)
        with app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            assert attempt.score == 1
            assert attempt.paper.items[0].version.number == old.number  # still shows what it showed
            log = db.session.scalar(select(Regrade).where(Regrade.question_id == qid))
            assert log.actor.username == "instructor1" and log.reason == "答案更正"
            assert log.changes[0]["before"] == 0 and log.changes[0]["after"] == 1
    finally:
        with app.app_context():
            db.session.execute(Regrade.__table__.delete())
            q = db.session.get(Question, qid)
            q.current_version_id = old.id
            db.session.flush()
            db.session.execute(QuestionVersion.__table__.delete().where(QuestionVersion.content_hash == "test-new-key"))
            db.session.commit()


def test_scheme_design_practice_always_goes_to_an_instructor(client, auth, app):
    auth.login()
    r = client.post("/practice/start", data={"scope": "essays:communication"})
    attempt_id = int(re.search(r"/practice/attempt/(\d+)", r.headers["Location"]).group(1))
    item_id, data = the_item(app, attempt_id)
    assert data["type"] == "essay"
    html = client.get(f"/practice/attempt/{attempt_id}").get_data(as_text=True)
    assert f'name="item-{item_id}"' in html
    assert data["rubric"][0]["criterion"] not in html and data["reference"].strip()[:20] not in html
    client.post(f"/practice/attempt/{attempt_id}", data={f"item-{item_id}": data["reference"]})
    text = page_text(client.get(f"/practice/attempt/{attempt_id}/result"))
    assert "待阅卷" in text and "参考答案" in text and data["rubric"][0]["criterion"] in text
    auth.logout()
    auth.login("instructor1")
    with app.app_context():
        response_id = db.session.scalar(select(Response.id).where(Response.attempt_id == attempt_id))
    assert f"/review/response/{response_id}" in client.get("/review/").get_data(as_text=True)
