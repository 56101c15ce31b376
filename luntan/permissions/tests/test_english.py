"""The permissions app's refusal messages are in English for English readers: its
catalogue (``luntan/permissions/locale/en``) is in ``LOCALE_PATHS``."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext

from luntan.threads.models import Post
from luntan.threads.tests.factories import make_thread, make_user

pytestmark = pytest.mark.django_db


def test_permission_messages_have_english():
    with translation.override("en"):
        assert gettext("您只能编辑自己的帖子。") == "You can only edit your own posts."
        assert gettext("本帖为密码帖，请输入密码。") == (
            "This post is password protected. Please enter the password."
        )


def test_editing_someone_elses_post_is_refused_in_english(client):
    thread = make_thread(author=make_user("alice"))
    op = Post.objects.get(thread=thread, floor=1)
    client.force_login(make_user("bob"))
    client.cookies["django_language"] = "en"
    response = client.get(f"/p/{op.pk}/edit/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You can only edit your own posts." in html and "您只能编辑自己的帖子" not in html
