from tests.conftest import page_text


def test_syllabus_tree_and_progress(client, auth):
    auth.login()
    text = page_text(client.get("/learn/"))
    for name in ("二级", "客户服务筹划", "客户服务提供", "客户服务环境分析", "客户服务沟通管理"):
        assert name in text
    assert "已读 0/" in text

    client.post("/learn/lesson/env-macro-micro/read")
    text = page_text(client.get("/learn/"))
    assert "已读 1/" in text and "已读" in text


def test_lesson_page_has_toc_sections_and_neighbours(client, auth):
    auth.login()
    r = client.get("/learn/lesson/env-macro-micro")
    html, text = r.get_data(as_text=True), page_text(r)
    assert r.status_code == 200
    assert "本课目录" in text and "学习目标" in text
    assert 'id="summary"' in html  # stable section anchors
    assert "下一课" in text
    assert "002_182272446fb69354.txt" in text  # the page names its sources
    r = client.get("/learn/lesson/env-competitors")
    assert "上一课" in page_text(r)


def test_mark_as_read_toggles(client, auth):
    auth.login()
    r = client.post("/learn/lesson/env-macro-micro/read", follow_redirects=True)
    assert "已标记为已读" in page_text(r)
    r = client.post("/learn/lesson/env-macro-micro/read", follow_redirects=True)
    assert "已取消已读标记" in page_text(r)


def test_unknown_lesson_is_a_clear_404(client, auth):
    auth.login()
    r = client.get("/learn/lesson/no-such-lesson")
    assert r.status_code == 404
    assert "没有 id 为“no-such-lesson”的课程" in page_text(r)
    assert client.post("/learn/lesson/no-such-lesson/read").status_code == 404


def test_self_check_links_lead_to_bank_items(client, auth):
    auth.login()
    html = client.get("/learn/lesson/env-macro-micro").get_data(as_text=True)
    assert 'href="/practice/question/' in html


def test_lesson_html_is_sanitised(app):
    from exam.content.render import render_lesson

    out = render_lesson("## 标题 {#a}\n\n<script>alert(1)</script><img src=x onerror=alert(1)>"
                        "[x](javascript:alert(1))\n")
    assert "<script" not in out.html and "onerror" not in out.html and "javascript:" not in out.html
