"""UCenter private messages (pm_lists, pm_members, pm_indexes, pm_messages_0..9) and
Discuz! common_grouppm system messages → luntan.pms; a second run writes nothing; the
members read them on their pages, nobody else."""

from __future__ import annotations

import pytest

from luntan.accounts.models import User
from luntan.pms.models import Conversation, Message, Participant, SystemNotice

from .helpers import run_import

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]


def test_ucenter_pms_and_system_messages_come_over(synthetic_db, client):
    db = synthetic_db
    (lists,) = db.query("SELECT COUNT(*) FROM pre_ucenter_pm_lists")[0]
    messages = sum(
        db.query(f"SELECT COUNT(*) FROM pre_ucenter_pm_messages_{n}")[0][0] for n in range(10)
    )
    tables = {
        n for n in range(10) if db.query(f"SELECT COUNT(*) FROM pre_ucenter_pm_messages_{n}")[0][0]
    }
    assert lists > 0 and messages > 0 and len(tables) > 1  # several split tables in use
    (uid,) = db.query("SELECT MIN(uid) FROM pre_common_member WHERE groupid NOT IN (4, 5, 6, 8)")[0]
    db.query(
        "INSERT INTO pre_common_grouppm (id, authorid, author, dateline, message, numbers) "
        "VALUES (9001, 1, 'admin', 1700000000, '[b]站点维护通知[/b]', 1)"
    )
    db.query(
        "INSERT INTO pre_common_member_grouppm (uid, gpmid, status, dateline) "
        "VALUES (%s, 9001, 0, 0), (999999, 9001, 0, 0)",
        (uid,),
    )
    try:
        report = run_import(db)
        stats = report["private messages"]
        assert Conversation.objects.count() == stats.created - Message.objects.count()
        assert Message.objects.count() == messages  # every split table
        assert Conversation.objects.count() == lists
        assert Conversation.objects.filter(is_group=True).exists()
        # A group chat keeps its subject and all members; one-to-one have two.
        group = Conversation.objects.filter(is_group=True).first()
        plid = group.discuz_plid
        (members,) = db.query(
            "SELECT COUNT(*) FROM pre_ucenter_pm_members WHERE plid = %s", (plid,)
        )[0]
        assert group.participants.count() == members and group.subject
        # Unread flags (isnew) and the member's unread count.
        (isnew,) = db.query("SELECT COUNT(*) FROM pre_ucenter_pm_members WHERE isnew = 1")[0]
        assert Participant.objects.filter(unread=True).count() == isnew
        assert sum(User.objects.values_list("pm_unread", flat=True)) == isnew
        # delstatus hides a message from one member only.
        deleted = sum(
            db.query(f"SELECT COUNT(*) FROM pre_ucenter_pm_messages_{n} WHERE delstatus > 0")[0][0]
            for n in range(10)
        )
        assert deleted > 0
        assert Message.objects.filter(hidden_for__isnull=False).count() == deleted
        # System messages.
        notices = report["system messages"]
        assert notices.created == 1 and notices.skipped == 1
        notice = SystemNotice.objects.get(discuz_id=9001)
        assert "<strong>站点维护通知</strong>" in notice.html

        # The members read their conversation; a third member gets 404.
        conv = Conversation.objects.filter(is_group=False).order_by("pk").first()
        ids = list(conv.participants.values_list("user_id", flat=True))
        member = User.objects.get(pk=ids[0])
        client.force_login(member)
        page = client.get(f"/pm/{conv.pk}/").content.decode()
        first = Message.objects.filter(conversation=conv).exclude(hidden_for=member).first()
        assert first is not None and first.html in page
        outsider = User.objects.exclude(pk__in=ids).filter(is_active=True).first()
        client.force_login(outsider)
        assert client.get(f"/pm/{conv.pk}/").status_code == 404
        client.force_login(User.objects.get(discuz_uid=uid))
        assert "站点维护通知" in client.get("/pm/").content.decode()

        before = (
            list(Conversation.objects.values()),
            list(Message.objects.values()),
            list(Participant.objects.values()),
        )
        again = run_import(db)
        assert again["private messages"].created == 0
        assert again["system messages"].created == 0
        after = (
            list(Conversation.objects.values()),
            list(Message.objects.values()),
            list(Participant.objects.values()),
        )
        assert after == before
    finally:
        db.query("DELETE FROM pre_common_grouppm WHERE id = 9001")
        db.query("DELETE FROM pre_common_member_grouppm WHERE gpmid = 9001")
