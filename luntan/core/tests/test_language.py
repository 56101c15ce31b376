"""The site speaks Simplified Chinese to everyone unless a visitor picks English."""

import pytest

from luntan.threads.tests.factories import make_thread

pytestmark = pytest.mark.django_db


def test_an_english_browser_still_gets_the_chinese_site(client):
    thread = make_thread()
    page = client.get(f"/t/{thread.pk}/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = page.content.decode()
    assert page["Content-Language"] == "zh-hans"
    assert "您需要登录后才可以回帖" in html and ">登录<" in html


def test_choosing_english_in_the_footer_switches_and_sticks(client):
    thread = make_thread()
    response = client.post("/i18n/setlang/", {"language": "en", "next": f"/t/{thread.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/t/{thread.pk}/"
    page = client.get(f"/t/{thread.pk}/")
    assert page["Content-Language"] == "en"
    assert ">Log in<" in page.content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert client.get("/")["Content-Language"] == "zh-hans"


def test_language_switch_refuses_offsite_next(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert "evil.example" not in response.get("Location", "")
