"""The mobile API over the imported seed site (``seed_thread.sql``): the Discuz! ids an
app knew keep working, every ★ key is there for a guest and a member, and new content
gets ids above every imported one."""

from __future__ import annotations

import pytest
from django.test import Client

from luntan.accounts.models import User
from luntan.api.tests.mobile_golden import CHECK, MODULES, call, check_paths
from luntan.importers.discuz.tests.conftest import seed_db  # noqa: F401 - the fixture
from luntan.importers.discuz.tests.helpers import run_import
from luntan.importers.discuz.tests.test_seed_import import SUBJECT
from luntan.threads.models import Post, Thread

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]


def _clients(author: User) -> dict[str, Client]:
    member = Client()
    member.force_login(author)
    return {"guest": Client(), "member": member}


def test_seed_site_answers_under_its_discuz_ids(seed_db):  # noqa: F811
    run_import(seed_db)
    thread = Thread.objects.get(discuz_tid=17406)
    author = User.objects.get(pk=thread.author_id)
    assert author.discuz_uid is not None
    for who, client in _clients(author).items():
        check_paths(call(client, "check"), CHECK)
        index = call(client, "forumindex")
        assert "Message" not in index, (who, index.get("Message"))
        check_paths(index["Variables"], MODULES["forumindex"])
        assert "36" in {f["fid"] for f in index["Variables"]["forumlist"]}
        board = call(client, "forumdisplay", fid=36)
        assert "Message" not in board, (who, board.get("Message"))
        check_paths(board["Variables"], MODULES["forumdisplay"])
        assert "17406" in {t["tid"] for t in board["Variables"]["forum_threadlist"]}
        view = call(client, "viewthread", tid=17406, ppp=15)
        assert "Message" not in view, (who, view.get("Message"))
        v = view["Variables"]
        check_paths(v, MODULES["viewthread"])
        assert v["thread"]["subject"] == SUBJECT and v["fid"] == "36"
        assert v["thread"]["replies"] == "3" and len(v["postlist"]) == 4
        assert "196831" in {p["pid"] for p in v["postlist"]}
        assert v["postlist"][0]["authorid"] == str(author.discuz_uid)
        for module in ("newthreads", "hotthread", "smiley"):
            check_paths(call(client, module)["Variables"], MODULES[module])
        profile = call(client, "profile", uid=author.discuz_uid)["Variables"]["space"]
        assert profile["uid"] == str(author.discuz_uid)


def test_new_content_on_the_seed_site_gets_ids_above_the_imported_ones(seed_db):  # noqa: F811
    from luntan.core.models import SiteSettings

    run_import(seed_db)
    offset = SiteSettings.objects.get(pk=1).mobile_id_offset
    assert offset > 196831  # every imported id stays below it
    thread = Thread.objects.get(discuz_tid=17406)
    member = User.objects.get(pk=thread.author_id)
    client = Client()
    client.force_login(member)
    formhash = call(client, "forumindex")["Variables"]["formhash"]
    SiteSettings.objects.filter(pk=1).update(flood_seconds=0)
    from django.core.cache import cache

    cache.clear()
    reply = call(client, "sendreply", "post", tid=17406, formhash=formhash, message="导入之后从手机发的回复")  # fmt: skip
    assert reply["Message"]["messageval"] in ("post_reply_succeed", "post_reply_mod_succeed"), reply["Message"]  # fmt: skip
    pid = int(reply["Variables"]["pid"])
    assert pid >= offset
    assert Post.objects.get(pk=pid - offset).discuz_pid is None
