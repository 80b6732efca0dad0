"""Signing in and out, language choice, CSRF and throttling on the pages."""
import re

from tests.conftest import login
from tests.factories import PASSWORD


def test_pages_redirect_to_login_when_signed_out(client, world):
    response = client.get("/stock")
    assert response.status_code == 302
    assert "/login?next=/stock" in response.headers["Location"]


def test_login_then_home_in_chinese_by_default(client, world):
    login(client, "bureau")
    page = client.get("/").get_data(as_text=True)
    assert 'lang="zh-CN"' in page
    assert "储备概况" in page
    assert "种" in page and "件" in page


def test_english_is_one_click_away_and_remembered_for_the_user(client, world):
    login(client, "bureau")
    client.get("/lang/en?next=/")
    assert "Reserve at a glance" in client.get("/").get_data(as_text=True)
    client.post("/logout")
    login(client, "bureau")
    assert "Reserve at a glance" in client.get("/").get_data(as_text=True)


def test_before_login_the_browser_language_decides(client, world):
    page = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert "Sign in" in page and 'lang="en"' in page
    page = client.get("/login?lang=zh").get_data(as_text=True)
    assert "登录" in page


def test_wrong_password_shows_the_error_in_place(client, world):
    response = client.post("/login", data={"username": "bureau", "password": "nope-nope"})
    assert response.status_code == 422
    assert "用户名或密码错误" in response.get_data(as_text=True)


def test_missing_fields_are_named(client, world):
    response = client.post("/login", data={"username": "", "password": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="username-error"' in page and 'id="password-error"' in page


def test_repeated_failures_are_throttled(world_app):
    client = world_app(LOGIN_MAX_FAILURES=2).test_client()
    for _ in range(2):
        client.post("/login", data={"username": "keeper", "password": "wrong-password"})
    response = client.post("/login", data={"username": "keeper", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.get_data(as_text=True)


def test_open_redirects_are_refused(client, world):
    response = client.post("/login", data={"username": "keeper", "password": PASSWORD,
                                            "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_forms_without_csrf_token_are_refused(world_app):
    client = world_app(WTF_CSRF_ENABLED=True).test_client()
    response = client.post("/login", data={"username": "admin", "password": PASSWORD})
    assert response.status_code == 400
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": "admin", "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302


def test_session_cookie_flags(client, world):
    response = client.post("/login", data={"username": "admin", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure = client.post("/login", data={"username": "admin", "password": PASSWORD},
                         base_url="https://localhost")
    assert "Secure" in secure.headers["Set-Cookie"]


def test_static_files_do_not_resend_the_session_cookie(client, world):
    """A slow static response (a favicon) sent the session as it was when it was asked
    for, and overwrote what the page requested meanwhile had changed: the language chosen
    with ?lang=en was lost on the next form post."""
    client.post("/login", data={"username": "keeper", "password": PASSWORD})  # permanent
    stale = client.get_cookie("session").value
    page = client.get("/imports?lang=en")
    assert "Set-Cookie" in page.headers  # the page changed the session (the language)
    client.set_cookie("session", stale)  # the static file was asked for before that
    with client.get("/static/css/app.css") as static:
        assert static.status_code == 200 and "Set-Cookie" not in static.headers
    assert "Set-Cookie" in client.get("/").headers  # pages still refresh it


def test_a_deactivated_user_is_signed_out(client, app, world):
    login(client, "viewer")
    from inventory.extensions import db
    from inventory.models import utcnow
    from inventory.services import users
    with app.app_context():
        users.update_user(db.session, users.get_user(db.session, "viewer"), actor=None,
                          now=utcnow(), is_active=False)
        db.session.commit()
    assert client.get("/").status_code == 302
