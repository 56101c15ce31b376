"""管理人员必须启用两步验证 through the APIs: a staff member without a second factor may
not moderate with a session or a personal access token (REST) nor through the mobile
API's topicadmin, as they may not through /mod/."""

from __future__ import annotations

import pytest
from django.test import Client

from luntan.accounts.tests.helpers import activate_totp
from luntan.api.tests.conftest import bearer_client
from luntan.api.tests.mobile_golden import call
from luntan.core.models import get_site_settings
from luntan.threads.models import Post, Thread

pytestmark = pytest.mark.django_db


def _require() -> None:
    site = get_site_settings()
    site.require_staff_mfa = True
    site.save()


def _close(client, thread):
    return client.post(
        f"/api/v1/threads/{thread.pk}/moderation",
        {"action": "close"},
        content_type="application/json",
    )


def test_rest_moderation_needs_the_second_factor_with_a_token_or_a_session(forum):
    _require()
    thread = forum["thread"]
    api = bearer_client(forum["moderator"], scopes=("read", "write", "moderate"))
    refused = _close(api, thread)
    assert refused.status_code == 403 and refused.json()["code"] == "mfa_required"
    assert api.get(f"/api/v1/threads/{thread.pk}/moderation").json()["actions"] == []
    session = Client()
    session.force_login(forum["moderator"])
    assert _close(session, thread).status_code == 403
    assert Thread.objects.get(pk=thread.pk).closed is False
    activate_totp(forum["moderator"])
    assert _close(api, thread).json()["closed"] is True


def test_mobile_topicadmin_needs_the_second_factor(forum):
    _require()
    thread = forum["thread"]
    sofa = Post.objects.get(thread=thread, floor=2)
    client = Client()
    client.force_login(forum["moderator"])
    formhash = call(client, "forumindex")["Variables"]["formhash"]
    body = call(client, "topicadmin", "post", formhash=formhash, tid=thread.pk, action="banpost", **{"topiclist[]": [sofa.pk]})  # fmt: skip
    assert body["Message"]["messageval"] == "admin_nopermission"
    assert Post.objects.get(pk=sofa.pk).state == sofa.state
