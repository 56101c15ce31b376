"""Mobile API modules filled after the first landing: ``smiley`` with the site's
(imported) smilies and the ``/static/image/smiley/`` images the apps load."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from luntan.api.tests.mobile_golden import MODULES, call, check_paths
from luntan.core.models import Smiley, SmileySet

pytestmark = pytest.mark.django_db

GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"  # fmt: skip


def _member(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def smilies(db, settings, tmp_path):
    """Two sets as the importer leaves them (images under ``smilies/<dir>/``), one
    emoji-only smiley, and a disabled set."""
    settings.MEDIA_ROOT = str(tmp_path)
    default = SmileySet.objects.create(name="默认", directory="default", display_order=1, discuz_typeid=1)  # fmt: skip
    coolmonkey = SmileySet.objects.create(name="酷猴", directory="coolmonkey", display_order=2, discuz_typeid=2)  # fmt: skip
    off = SmileySet.objects.create(
        name="停用", directory="off", display_order=0, is_available=False
    )
    smile = default_storage.save("smilies/default/smile.gif", ContentFile(GIF))
    Smiley.objects.create(smiley_set=default, code=":)", image=smile, display_order=1, discuz_id=1)
    Smiley.objects.create(smiley_set=default, code=":(", image="", emoji="🙁", display_order=2)
    monkey = default_storage.save("smilies/coolmonkey/01.gif", ContentFile(GIF))
    Smiley.objects.create(smiley_set=coolmonkey, code="{:2_1:}", image=monkey, discuz_id=2)
    Smiley.objects.create(smiley_set=off, code="{:9_1:}", image="smilies/off/x.gif")
    return {"smile": smile, "monkey": monkey}


@pytest.mark.parametrize("who", ["guest", "member"])
def test_smiley_lists_each_available_set_with_its_images(forum, smilies, who):
    client = Client() if who == "guest" else _member(forum["member"])
    body = call(client, "smiley")
    assert "Message" not in body
    check_paths(body["Variables"], MODULES["smiley"])
    sets = body["Variables"]["smilies"]
    assert sets == [
        [{"code": ":)", "image": "default/smile.gif"}],
        [{"code": "{:2_1:}", "image": "coolmonkey/01.gif"}],
    ]  # display order; the disabled set and the emoji-only smiley are left out


def test_smiley_images_load_where_the_apps_look(client, smilies):
    found = client.get("/static/image/smiley/default/smile.gif")
    assert found.status_code == 302
    assert found["Location"] == default_storage.url(smilies["smile"])
    assert client.get("/static/image/smiley/default/none.gif").status_code == 404
    assert client.get("/static/image/smiley/../../settings.py").status_code == 404


def test_smiley_without_smilies_is_an_empty_list(client, db):
    assert call(client, "smiley")["Variables"]["smilies"] == []
