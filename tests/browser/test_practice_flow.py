"""A trainee on a phone: log in, read a lesson, practise item by item, read the result."""
import re

from tests.browser.conftest import shot
from tests.conftest import PASSWORD


def test_login_lesson_quiz_result(live_server, phone, users):
    page = phone
    page.goto(live_server + "/")
    page.get_by_role("link", name="登录").first.click()
    page.get_by_label("用户名").fill("trainee1")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/learn/$"))
    assert page.get_by_role("heading", name="课程目录").is_visible()
    shot(page, "01-syllabus")

    page.get_by_role("link", name=re.compile("宏观环境")).first.click()
    page.wait_for_url(re.compile(r"/learn/lesson/env-macro-micro"))
    assert page.get_by_text("本课目录").is_visible()
    # The table of contents jumps to a section.
    page.locator(".toc a").first.click()
    assert page.locator(".prose h2").first.is_visible()
    page.get_by_role("button", name="标记为已读").click()
    assert page.get_by_text("已标记为已读").is_visible()
    shot(page, "02-lesson")
    # Nothing sticks out sideways on a 390 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("button", name=re.compile("练习本课")).click()
    # One item at a time: answer, see the verdict and the 解析 at once, go on.
    page.wait_for_url(re.compile(r"/practice/attempt/\d+/item/1$"))
    assert page.get_by_text("第 1/10 题").is_visible()
    assert page.get_by_text("解析").count() == 0  # no key before answering
    shot(page, "03-quiz")
    for position in range(1, 11):
        item = page.locator("section.item")
        assert item.count() == 1
        if item.locator("label.option").count():
            item.locator("label.option").first.click()
        else:  # fill-in and calculation items have text boxes
            for box in item.locator("input[type=text]").all():
                box.fill("测试答案")
        page.get_by_role("button", name="提交答案").click()
        page.wait_for_url(re.compile(rf"/item/{position}$"))
        assert page.locator(".verdict").is_visible()
        assert page.get_by_role("heading", name="解析").is_visible()
        assert page.locator(f'progress[value="{position}"]').count() == 1
        if position == 1:
            page.get_by_role("button", name="☆ 收藏").click()
            assert page.get_by_role("button", name="★ 已收藏").is_visible()
            shot(page, "03b-feedback")
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
        if position < 10:
            page.get_by_role("link", name="下一题 ›").click()
            page.wait_for_url(re.compile(rf"/item/{position + 1}$"))
    page.get_by_role("link", name="查看结果").click()

    page.wait_for_url(re.compile(r"/result$"))
    assert page.get_by_role("heading", name="练习结果").is_visible()
    score = page.locator(".score").inner_text()
    assert re.search(r"\d+ / 10 分", score)
    assert page.locator("section.item").count() == 10
    assert page.get_by_text("解析").count() >= 10
    assert page.locator("a", has_text="复习：").count() >= 1
    shot(page, "04-result")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("link", name="练习", exact=True).click()
    page.wait_for_url(re.compile(r"/practice/$"))
    assert re.search(r"收藏\s*1 题", page.locator("a.mode-tile", has_text="收藏").inner_text())
    shot(page, "05-practice-index")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not page.console_errors, page.console_errors
