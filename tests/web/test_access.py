"""Every route checks the role: walk the URL map."""
import pytest

from tests.conftest import page_text

PUBLIC = {"static", "auth.login", "auth.register", "learn.home", "learn.health", "api.login", "api.openapi"}
SAMPLE_ARGS = {"lesson_id": "env-macro-micro", "attempt_id": 1, "question_id": "env-macro-micro-001", "response_id": 1, "item_id": 1, "position": 1, "session_id": 1,
               "filename": "css/app.css"}


def routes(app):
    for rule in app.url_map.iter_rules():
        args = {name: SAMPLE_ARGS[name] for name in rule.arguments}
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        method = "GET" if "GET" in methods else methods[0]
        yield rule.endpoint, rule.rule, method, args


def test_every_non_public_route_sends_anonymous_users_to_login(app, client):
    checked = 0
    with app.test_request_context():
        from flask import url_for

        for endpoint, rule, method, args in routes(app):
            if endpoint in PUBLIC:
                continue
            url = url_for(endpoint, **args)
            r = client.open(url, method=method)
            if endpoint.startswith("api."):
                assert r.status_code == 401 and r.get_json()["error"]["message"] == "请先登录。", rule
            else:
                assert r.status_code == 302 and "/auth/login" in r.headers["Location"], (rule, r.status_code)
            checked += 1
    assert checked >= 8


def urls(app, prefix):
    with app.test_request_context():
        from flask import url_for

        return [(url_for(endpoint, **args), method) for endpoint, _, method, args in routes(app)
                if endpoint.startswith(prefix)]


def test_admin_routes_refuse_other_roles(app, client, auth):
    admin_urls = urls(app, "admin.")
    assert len(admin_urls) >= 3
    for username in ("trainee1", "instructor1"):
        auth.login(username)
        for url, method in admin_urls:
            r = client.open(url, method=method)
            assert r.status_code == 403, url
            assert "您没有访问这个页面的权限" in page_text(r)
        auth.logout()


def test_review_routes_refuse_trainees(app, client, auth):
    auth.login("trainee1")
    for url, method in urls(app, "review."):
        assert client.open(url, method=method).status_code == 403, url


def test_every_blueprint_declares_its_roles(app):
    for name, bp in app.blueprints.items():
        assert getattr(bp, "allowed_roles", None), f"blueprint {name} has no guard()"


def test_404_page_is_chinese(client, auth):
    auth.login()
    r = client.get("/no/such/page")
    assert r.status_code == 404 and "找不到页面" in page_text(r)


def test_json_errors_for_json_clients(client):
    r = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert r.status_code == 404
    assert r.get_json()["error"]["code"] == 404
    assert "页面不存在" in r.get_json()["error"]["message"]


@pytest.mark.parametrize("path", ["/", "/auth/login", "/auth/register"])
def test_public_pages_have_viewport_and_local_assets(client, path):
    html = client.get(path).get_data(as_text=True)
    assert 'name="viewport"' in html and 'lang="zh-CN"' in html
    assert "http://" not in html and "https://" not in html  # no CDN: the app works offline


def test_every_form_post_needs_the_csrf_token(app, client, auth):
    """CSRFProtect guards every POST/PUT of the site (the API too, when it rides on the session cookie)."""
    auth.login("admin1")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        checked = 0
        for url, method in urls(app, ""):
            if method == "GET" or url == "/api/v1/auth/login":  # issues bearer tokens; reads no session
                continue
            r = client.open(url, method=method, data={})
            assert r.status_code == 400, (url, r.status_code)
            text = r.get_json()["error"]["message"] if r.is_json else page_text(r)
            assert "安全令牌" in text, url
            checked += 1
        assert checked >= 10
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
