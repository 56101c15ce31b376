"""The documented path from a tried demo to an imported site (issue 14, item 2): the
first ``make run`` made the demo, someone posted in it, the import refuses and says what
to do, ``clear_demo_site`` refuses and names ``--force``, ``--force`` clears it, and the
seed thread then imports and shows."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from luntan.importers.discuz.source import SourceError
from luntan.importers.discuz.tests.helpers import run_import
from luntan.threads.models import Thread
from luntan.threads.tests.factories import make_reply, make_user

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]


def test_demo_then_post_then_force_clear_then_import(client, seed_db, capsys):
    call_command("create_demo_site")
    make_reply(Thread.objects.first(), make_user("试用网友"), body="在演示论坛里发个帖子试试")
    with pytest.raises(SourceError, match="clear_demo_site --force"):
        run_import(seed_db)
    with pytest.raises(CommandError, match="--force"):
        call_command("clear_demo_site")
    call_command("clear_demo_site", "--force")
    assert "试用网友" in capsys.readouterr().out
    run_import(seed_db)
    thread = Thread.objects.get(discuz_tid=17406)
    html = client.get(f"/t/{thread.pk}/").content.decode()
    assert thread.subject in html
    assert client.get("/forum.php?mod=viewthread&tid=17406")["Location"] == f"/t/{thread.pk}/"
