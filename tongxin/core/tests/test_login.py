import pytest
from django.urls import reverse

from tongxin.core.models import LoginFailure
from tongxin.core.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_logs_in_with_phone_and_password(client, world):
    response = client.post(reverse("login"), {"phone": "131 0000 0001", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_password_says_so_in_chinese_and_english(client, world):
    response = client.post(reverse("login"), {"phone": "13100000001", "password": "nope"})
    assert response.status_code == 400
    assert "手机号或密码错误" in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(reverse("login"), {"phone": "13100000001", "password": "nope"})
    assert "The phone number or password is wrong." in response.content.decode()


def test_a_malformed_phone_is_explained(client, world):
    response = client.post(reverse("login"), {"phone": "12ab", "password": "x"})
    assert response.status_code == 400
    assert "请输入以1开头的11位手机号" in response.content.decode()
    assert LoginFailure.objects.count() == 0


def test_guessing_is_throttled_even_with_the_right_password(client, world, settings):
    settings.TONGXIN_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        client.post(reverse("login"), {"phone": "13100000001", "password": "guess"})
    response = client.post(reverse("login"), {"phone": "13100000001", "password": PASSWORD})
    assert response.status_code == 400
    assert "尝试次数过多" in response.content.decode()
    # Another phone from another address is not affected.
    other = client.post(reverse("login"), {"phone": "13100000002", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_one_address_trying_many_phones_is_throttled(client, world, settings):
    settings.TONGXIN_LOGIN_MAX_FAILURES_PER_IP = 4
    for n in range(4):
        client.post(reverse("login"), {"phone": f"1380000000{n}", "password": "guess"})
    response = client.post(reverse("login"), {"phone": "13100000001", "password": PASSWORD})
    assert response.status_code == 400


def test_next_must_stay_on_this_site(client, world):
    response = client.post(
        reverse("login"), {"phone": "13100000001", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_pages_need_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_every_page_sends_a_strict_csp(client, world):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "<script>" not in response.content.decode()


def test_chinese_is_the_default_and_english_is_one_click_away(client, world):
    assert "登录" in client.get(reverse("login")).content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    page = client.get(reverse("login")).content.decode()
    assert "Log in" in page and 'lang="en"' in page


def test_large_text_and_high_contrast_toggle(client, world):
    client.post(reverse("toggle-display"), {"flag": "large", "next": reverse("login")})
    client.post(reverse("toggle-display"), {"flag": "contrast", "next": reverse("login")})
    page = client.get(reverse("login")).content.decode()
    assert "text-large" in page and "high-contrast" in page
    client.post(reverse("toggle-display"), {"flag": "large"})
    assert "text-large" not in client.get(reverse("login")).content.decode()


def test_health_check(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}
