"""A whole timed mock exam on a phone: autosave, reload in the middle, flag, confirm, deadline."""
import re
from datetime import timedelta

from exam import clock
from exam.extensions import db
from exam.models import Attempt, Response
from tests.browser.conftest import shot
from tests.conftest import PASSWORD


def login(page, base):
    page.goto(base + "/auth/login")
    page.get_by_label("用户名").fill("trainee1")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/learn/$"))


def start_mock(page, base):
    page.goto(base + "/exams/")
    page.locator(".exam-choice", has_text="理论知识 模拟考试").get_by_role("button").click()
    page.wait_for_url(re.compile(r"/exams/attempt/\d+$"))
    return int(re.search(r"/attempt/(\d+)", page.url).group(1))


def saved_answers(app, attempt_id):
    with app.app_context():
        return {r.paper_item_id: (r.answer, r.flagged) for r in
                db.session.query(Response).filter_by(attempt_id=attempt_id) if r.answer or r.flagged}


def test_timed_mock_exam_with_reload_and_deadline(live_server, phone, users, app):
    page = phone
    login(page, live_server)
    attempt_id = start_mock(page, live_server)
    assert re.match(r"\d+:\d\d", page.locator("#timer").inner_text())
    items = page.locator("section.item")
    for i in range(3):
        items.nth(i).locator("label.option").first.click()
    items.nth(3).get_by_role("button", name="标记").click()
    page.wait_for_function("document.getElementById('save-status').textContent.includes('已保存')")
    page.wait_for_timeout(300)
    shot(page, "10-exam")
    saved = saved_answers(app, attempt_id)
    assert len([a for a, _ in saved.values() if a]) == 3 and any(f for _, f in saved.values())

    # A reload resumes the same attempt with the saved answers, flag and server time.
    page.reload()
    assert int(re.search(r"/attempt/(\d+)", page.url).group(1)) == attempt_id
    for i in range(3):
        assert items.nth(i).locator("input:checked").count() == 1
    assert items.nth(3).get_by_role("button", name="标记").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="题号").click()
    assert page.locator("#navigator a.answered").count() == 3
    assert page.locator("#navigator a.flagged").count() == 1
    page.locator("#navigator a").nth(5).click()

    # Submitting asks for confirmation and lists what is unanswered.
    page.get_by_role("button", name="交卷").click()
    dialog = page.locator("dialog#confirm-submit")
    assert dialog.is_visible()
    assert re.search(r"还有 \d+ 题未作答", dialog.inner_text())
    shot(page, "11-confirm")
    page.get_by_role("button", name="继续作答").click()
    assert not dialog.is_visible()

    # The deadline comes: the page submits by itself and shows the result.
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        attempt.deadline = clock.now() + timedelta(seconds=4)
        db.session.commit()
    page.reload()
    items.nth(4).locator("label.option").first.click()
    page.wait_for_url(re.compile(r"/result$"), timeout=20_000)
    assert page.get_by_role("heading", name="考试成绩").is_visible()
    assert page.get_by_text("到时自动交卷").first.is_visible()
    shot(page, "12-exam-result")
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == "submitted"
        answered = [r for r in attempt.responses if r.answer]
        assert len(answered) == 4  # every answer the server acknowledged was kept and graded
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not page.console_errors, page.console_errors


def test_submit_with_confirmation(live_server, phone, users, app):
    page = phone
    login(page, live_server)
    attempt_id = start_mock(page, live_server)
    page.locator("section.item").first.locator("label.option").first.click()
    page.get_by_role("button", name="交卷").click()
    page.get_by_role("button", name="确认交卷").click()
    page.wait_for_url(re.compile(r"/result$"))
    assert page.get_by_role("heading", name="考试成绩").is_visible()
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.status == "submitted" and not attempt.auto_submitted
        assert sum(1 for r in attempt.responses if r.answer) == 1


def test_time_warnings_at_five_and_one_minutes(live_server, phone, users, app):
    page = phone
    login(page, live_server)
    attempt_id = start_mock(page, live_server)
    alert = page.locator("#time-alert")
    assert alert.is_hidden()
    for seconds_left, text in ((302, "还剩 5 分钟"), (62, "还剩 1 分钟")):
        with app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            attempt.deadline = clock.now() + timedelta(seconds=seconds_left)
            db.session.commit()
        page.reload()
        page.wait_for_function(f"document.getElementById('time-alert').textContent.includes('{text}')",
                               timeout=10_000)
        assert alert.is_visible() and alert.get_attribute("role") == "alert"
