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

from luntan.accounts.captcha import CaptchaFormMixin, captcha_required_for
from luntan.accounts.checks import captcha_is_on_in_production
from luntan.accounts.models import User, UserGroup
from luntan.accounts.tests.helpers import solve


class ReplyForm(CaptchaFormMixin, forms.Form):
    body = forms.CharField()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("group_id", "required"),
    [
        (UserGroup.AWAITING_VERIFICATION, True),
        (9, True),
        (UserGroup.NEWBIE, True),
        (11, False),
        (UserGroup.MODERATOR, False),
        (UserGroup.ADMIN, False),
    ],
)
def test_newbies_and_below_solve_the_captcha(settings, group_id, required):
    settings.LUNTAN_CAPTCHA = True
    user = User.objects.create_user(f"组{group_id}会员", password="x", group_id=group_id)
    assert captcha_required_for(user) is required
    assert ("captcha" in ReplyForm(captcha_user=user).fields) is required


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
