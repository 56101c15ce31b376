"""The human check: who must solve it, the form mixin, and the system check that keeps it
on in production."""

from __future__ import annotations

import time

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django_altcha import get_altcha_challenge

from luntan import permissions
from luntan.accounts.captcha import CaptchaFormMixin, captcha_required_for
from luntan.accounts.checks import captcha_is_on_in_production
from luntan.accounts.models import User, UserGroup
from luntan.accounts.tests.helpers import solve


class ReplyForm(CaptchaFormMixin, forms.Form):
    body = forms.CharField()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("group_id", "posts", "required"),
    [
        (UserGroup.NEWBIE, 0, True),
        (UserGroup.NEWBIE, 4, True),
        (UserGroup.NEWBIE, 5, False),  # past the first LUNTAN_CAPTCHA_FIRST_POSTS (5) posts
        (11, 0, True),  # a group alone (e.g. imported members) does not exempt
        (11, 40, False),
        (UserGroup.MODERATOR, 0, False),
        (UserGroup.ADMIN, 0, False),
    ],
)
def test_members_solve_the_captcha_for_their_first_posts(settings, group_id, posts, required):
    settings.LUNTAN_CAPTCHA = True
    user = User.objects.create_user(
        f"组{group_id}会员{posts}", password="x", group_id=group_id, posts=posts
    )
    assert captcha_required_for(user) is required
    assert permissions.captcha_required_for(user) is required
    assert ("captcha" in ReplyForm(captcha_user=user).fields) is required


@pytest.mark.django_db
def test_the_number_of_first_posts_is_a_setting(settings):
    settings.LUNTAN_CAPTCHA = True
    settings.LUNTAN_CAPTCHA_FIRST_POSTS = 0
    user = User.objects.create_user("老会员", password="x", posts=0)
    assert not captcha_required_for(user) and not permissions.captcha_required_for(user)


def test_the_challenge_is_sized_for_a_phone(settings):
    """About a second on a phone: at most 100 000 numbers by default (the old 1 000 000
    took 7-20 s on a busy machine), and the setting changes it."""
    from luntan.accounts.captcha import CaptchaField

    html = str(CaptchaField().widget.render("captcha", ""))
    assert "&quot;maxnumber&quot;: 100000" in html
    settings.LUNTAN_CAPTCHA_MAX_NUMBER = 50_000
    assert "&quot;maxnumber&quot;: 50000" in str(CaptchaField().widget.render("captcha", ""))


def test_guests_solve_the_captcha(settings):
    settings.LUNTAN_CAPTCHA = True
    assert captcha_required_for(AnonymousUser()) and captcha_required_for(None)


def test_switched_off_nobody_solves_it():
    assert captcha_required_for(None) is False
    assert "captcha" not in ReplyForm(captcha_user=None).fields


@pytest.mark.django_db
def test_form_accepts_a_real_solution_once(settings):
    settings.LUNTAN_CAPTCHA = True
    challenge = get_altcha_challenge(max_number=20000).__dict__
    payload = solve(challenge)
    assert ReplyForm({"body": "你好", "captcha": payload}, captcha_user=None).is_valid()
    again = ReplyForm({"body": "你好", "captcha": payload}, captcha_user=None)
    assert not again.is_valid() and "captcha" in again.errors
    missing = ReplyForm({"body": "你好"}, captcha_user=None)
    assert not missing.is_valid() and missing.errors["captcha"] == ["请完成人机验证。"]


@pytest.mark.django_db
def test_expired_solution_is_refused(settings):
    settings.LUNTAN_CAPTCHA = True
    challenge = get_altcha_challenge(max_number=2000, expires=1).__dict__
    payload = solve(challenge)  # the expiry travels in the signed salt (?expires=…)
    time.sleep(1.1)
    form = ReplyForm({"body": "你好", "captcha": payload}, captcha_user=None)
    assert not form.is_valid()


def test_system_check_refuses_captcha_off_in_production(settings):
    settings.LUNTAN_CAPTCHA = False
    settings.DEBUG = False
    settings.LUNTAN_TESTING = False
    errors = captcha_is_on_in_production()
    assert [e.id for e in errors] == ["luntan.accounts.E001"]
    with pytest.raises(SystemCheckError):
        call_command("check")


def test_system_check_accepts_debug_tests_and_captcha_on(settings):
    settings.LUNTAN_CAPTCHA = False
    settings.LUNTAN_TESTING = False
    settings.DEBUG = True
    assert captcha_is_on_in_production() == []
    settings.DEBUG = False
    settings.LUNTAN_CAPTCHA = True
    assert captcha_is_on_in_production() == []
    settings.LUNTAN_CAPTCHA = False
    settings.LUNTAN_TESTING = True
    assert captcha_is_on_in_production() == []


# --- login: the captcha after failed attempts ----------------------------------------------


@pytest.fixture
def login_captcha(settings):
    from django.core.cache import cache

    settings.LUNTAN_CAPTCHA = True
    cache.clear()
    User.objects.create_user("登录会员", password="right-password")


def _login(client, password: str, **extra):
    return client.post("/accounts/login/", {"login": "登录会员", "password": password, **extra})


@pytest.mark.django_db
def test_login_asks_the_captcha_only_after_three_failures(client, login_captcha):
    assert "lt-captcha" not in client.get("/accounts/login/").content.decode()
    for _ in range(2):
        assert "lt-captcha" not in _login(client, "wrong").content.decode()
    third = _login(client, "wrong").content.decode()
    assert "lt-captcha" in third  # the form shown after the third failure asks for it
    refused = _login(client, "right-password")
    assert refused.status_code == 200 and "请完成人机验证。" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    from luntan.accounts.tests.helpers import solve_from_page

    page = client.get("/accounts/login/").content.decode()
    response = _login(client, "right-password", captcha=solve_from_page(page))
    assert response.status_code == 302 and "_auth_user_id" in client.session
    client.logout()
    assert "lt-captcha" not in client.get("/accounts/login/").content.decode()  # forgotten


@pytest.mark.django_db
def test_failures_are_counted_per_address(client, login_captcha):
    from django.test import Client

    for _ in range(3):
        _login(client, "wrong")
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert "lt-captcha" not in other.get("/accounts/login/").content.decode()
    assert "lt-captcha" in client.get("/accounts/login/").content.decode()
