"""The BIG5 (繁體) edition end to end (issue 10 item 5): a site whose tables are BIG5 is
read in BIG5 — subjects, names and posts arrive as the same traditional characters — and
a member whose UCenter hash was made over the password's BIG5 bytes logs in with it."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from luntan.accounts.models import User
from luntan.threads.models import Thread

from .conftest import DISCUZ, _make

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]

SUBJECT = "群眾利益至高無上——簡陽公安「大走訪」開門評警側記"
NAME = "雄州老楊"
PASSWORD = "雄州舊密碼"
MESSAGE = "該抓的不抓，臺灣與香港的朋友們好"


def _big5_site(db) -> None:
    """The seed turned into what the BIG5 edition stores: traditional text in BIG5
    tables (characters BIG5 lacks become ``?``, as a real conversion would), the
    password hash made over BIG5 bytes."""
    db.query("UPDATE pre_forum_thread SET subject = %s WHERE tid = 17406", (SUBJECT,))
    db.query(
        "UPDATE pre_forum_post SET subject = %s, message = %s WHERE tid = 17406 AND first = 1",
        (SUBJECT, MESSAGE),
    )
    for table in ("pre_common_member", "pre_ucenter_members"):
        db.query(f"UPDATE {table} SET username = %s WHERE uid = 1867", (NAME,))
    db.query("UPDATE pre_forum_post SET author = %s WHERE authorid = 1867", (NAME,))
    db.query("UPDATE pre_forum_thread SET author = %s WHERE authorid = 1867", (NAME,))
    db.query(
        "UPDATE pre_ucenter_members SET password = "
        "MD5(CONCAT(MD5(CONVERT(%s USING big5)), salt)) WHERE uid = 1867",
        (PASSWORD,),
    )
    conn = db.connect()
    try:
        with conn.cursor() as cursor:
            cursor.execute("SET SESSION sql_mode = ''")  # unmappable characters become ?
            cursor.execute("SHOW TABLES")
            for (table,) in list(cursor.fetchall()):
                cursor.execute(f"ALTER TABLE `{table}` CONVERT TO CHARACTER SET big5")
        conn.commit()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def big5_db():
    db = _make([DISCUZ / "seed_thread.sql"])
    _big5_site(db)
    yield db
    db.drop()


def test_big5_edition_text_and_passwords(big5_db, client):
    (charset,) = big5_db.query(
        "SELECT CHARACTER_SET_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = %s "
        "AND TABLE_NAME = 'pre_forum_thread' AND COLUMN_NAME = 'subject'",
        (big5_db.name,),
    )[0]
    assert charset == "big5"
    call_command(
        "import_discuz",
        host=big5_db.host,
        port=big5_db.port,
        user="root",
        password="",
        database=big5_db.name,
        report="/dev/null",
    )
    thread = Thread.objects.get(discuz_tid=17406)
    assert thread.subject == SUBJECT
    page = client.get(thread.get_absolute_url()).content.decode()
    assert SUBJECT in page and MESSAGE in page and NAME in page
    member = User.objects.get(discuz_uid=1867)
    assert member.username == NAME and member.password.startswith("discuz_big5$")
    assert client.login(username=NAME, password=PASSWORD)
    assert not client.login(username=NAME, password="wrong")
