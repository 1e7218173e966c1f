import re

from sqlalchemy import select

from exam.extensions import db
from exam.models import Attempt, PaperItem
from exam.qtypes import get_qtype
from tests.conftest import page_text


def start(client, scope="lesson:env-macro-micro"):
    r = client.post("/practice/start", data={"scope": scope})
    assert r.status_code == 302, r.get_data(as_text=True)
    return int(re.search(r"/practice/attempt/(\d+)", r.headers["Location"]).group(1))


def paper_items(app, attempt_id):
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        return [(i.id, i.version.qtype, i.version.data, dict(i.params)) for i in attempt.paper.items]


def correct_form(items, wrong=()):
    """Form data answering every item right, except positions in `wrong`."""
    data = {}
    for pos, (item_id, qtype, q, params) in enumerate(items):
        if qtype == "fill":
            blanks = [accepted[0] for accepted in q["blanks"]]
            data[f"item-{item_id}"] = ["错误答案"] * len(blanks) if pos in wrong else blanks
            continue
        if qtype == "numeric":
            value = get_qtype("numeric")._answer(q, params)
            data[f"item-{item_id}"] = str(value + 1000 if pos in wrong else value)
            continue
        key = q["answer"]
        if pos in wrong:
            if qtype == "judge":
                key = not key
            elif qtype == "single":
                key = next(k for k in q["options"] if k != key)
            else:
                key = [key[0]]
        if qtype == "judge":
            data[f"item-{item_id}"] = "true" if key else "false"
        elif qtype == "single":
            data[f"item-{item_id}"] = key
        else:
            data[f"item-{item_id}"] = list(key)
    return data


def test_lesson_quiz_has_ten_items_and_no_key_on_the_page(client, auth, app):
    """A practice attempt is shown one item at a time (tests/web/test_practice_modes.py has the rest);
    none of its pages shows a key or a 解析 before the item is answered."""
    auth.login()
    attempt_id = start(client)
    items = paper_items(app, attempt_id)
    assert len(items) == 10
    assert len({data["id"] for _, _, data, _ in items}) == 10
    r = client.get(f"/practice/attempt/{attempt_id}", follow_redirects=True)
    assert "交卷" in r.get_data(as_text=True)
    for position, (_, _, data, _) in enumerate(items, start=1):
        html = client.get(f"/practice/attempt/{attempt_id}/item/{position}").get_data(as_text=True)
        assert data["stem"].split("____")[0] in html
        assert data["explanation"].strip()[:20] not in html  # no 解析 before the item is answered
        assert "正确答案" not in html and "is-key" not in html


def test_submit_grades_and_shows_result(client, auth, app):
    auth.login()
    attempt_id = start(client)
    items = paper_items(app, attempt_id)
    r = client.post(f"/practice/attempt/{attempt_id}", data=correct_form(items, wrong={0, 1}))
    assert r.status_code == 302
    r = client.get(f"/practice/attempt/{attempt_id}/result")
    text, html = page_text(r), r.get_data(as_text=True)
    assert "8 / 10 分" in text
    assert text.count("✓ 回答正确") == 8 and text.count("✗ 回答错误") == 2
    assert "解析" in text and "正确答案" in text
    assert 'href="/learn/lesson/env-macro-micro#' in html  # link to the section each item tests


def test_multiple_choice_is_all_or_nothing(client, auth, app):
    auth.login()
    attempt_id = start(client, "unit:communication")
    items = paper_items(app, attempt_id)
    multi = [i for i, it in enumerate(items) if it[1] == "multiple"]
    form = correct_form(items, wrong=set(multi))
    client.post(f"/practice/attempt/{attempt_id}", data=form)
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.score == 10 - len(multi)


def test_submitting_twice_changes_nothing(client, auth, app):
    auth.login()
    attempt_id = start(client)
    items = paper_items(app, attempt_id)
    client.post(f"/practice/attempt/{attempt_id}", data=correct_form(items))
    r = client.post(f"/practice/attempt/{attempt_id}", data=correct_form(items, wrong=set(range(10))),
                    follow_redirects=True)
    text = page_text(r)
    assert "已经提交过了" in text and "10 / 10 分" in text
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).score == 10


def test_unanswered_items_score_zero(client, auth, app):
    auth.login()
    attempt_id = start(client)
    r = client.post(f"/practice/attempt/{attempt_id}", data={}, follow_redirects=True)
    text = page_text(r)
    assert "0 / 10 分" in text and "未作答" in text


def test_other_trainees_cannot_see_an_attempt(client, auth, app):
    auth.login()
    attempt_id = start(client)
    auth.logout()
    from exam.services.accounts import create_user

    with app.app_context():
        create_user("trainee2", "trainee", "abcdefgh1")
    auth.login("trainee2", "abcdefgh1")
    assert client.get(f"/practice/attempt/{attempt_id}").status_code == 404
    assert client.post(f"/practice/attempt/{attempt_id}", data={}).status_code == 404
    assert client.get(f"/practice/attempt/{attempt_id}/result").status_code == 404


def test_unknown_scope_gives_a_message(client, auth):
    auth.login()
    r = client.post("/practice/start", data={"scope": "lesson:nope"}, follow_redirects=True)
    assert "没有这门课程" in page_text(r)
    r = client.post("/practice/start", data={"scope": "bogus"}, follow_redirects=True)
    assert "练习范围不正确" in page_text(r)


def test_fill_and_numeric_self_check_items(client, auth, app):
    auth.login()
    with app.app_context():
        from exam.models import Question

        fill = db.session.scalar(select(Question).where(Question.qtype == "fill"))
        fill_id, blanks = fill.id, fill.current_version.data["blanks"]
        numeric = db.session.scalar(select(Question).where(Question.qtype == "numeric"))
    page = client.get(f"/practice/question/{fill_id}").get_data(as_text=True)
    assert "第 1 空" in page and "（1）____" in page
    seed = re.search(r'name="seed" value="(\d+)"', page).group(1)
    # Full-width and traditional spellings of an accepted answer still count.
    answers = [a[0] for a in blanks]
    r = client.post(f"/practice/question/{fill_id}", data={"answer": answers, "seed": seed}, follow_redirects=True)
    assert "1 / 1 分" in page_text(r)
    if numeric is not None:
        page = client.get(f"/practice/question/{numeric.id}").get_data(as_text=True)
        assert "答案" in page and 'inputmode="decimal"' in page


def test_single_question_practice(client, auth, app):
    auth.login()
    r = client.get("/practice/question/env-macro-micro-001")
    assert r.status_code == 200
    with app.app_context():
        from exam.models import Question

        q = db.session.get(Question, "env-macro-micro-001")
        data, qtype = q.current_version.data, q.qtype
    if qtype == "judge":
        value = "true" if data["answer"] else "false"
    else:
        value = data["answer"]
    r = client.post("/practice/question/env-macro-micro-001", data={"answer": value}, follow_redirects=True)
    assert "1 / 1 分" in page_text(r)
    assert client.get("/practice/question/no-such-item").status_code == 404


def test_recent_items_are_avoided_when_the_bank_allows(client, auth, app):
    auth.login()
    first = {d["id"] for _, _, d, _ in paper_items(app, start(client))}
    second = {d["id"] for _, _, d, _ in paper_items(app, start(client))}
    assert not first & second  # the lesson has 20+ objective items


def test_option_order_is_stored_per_paper(client, auth, app):
    auth.login()
    attempt_id = start(client)
    with app.app_context():
        orders = db.session.scalars(select(PaperItem.option_order).join(Attempt, Attempt.paper_id == PaperItem.paper_id)
                                    .where(Attempt.id == attempt_id)).all()
    assert all(isinstance(o, list) for o in orders)
    assert any(o and o != sorted(o) for o in orders)  # shuffled, and the shuffle is remembered
