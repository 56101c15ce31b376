"""The GBK edition (issue 10 item 5): passwords hashed over GBK bytes log in, PHP-serialized
settings are read in GBK, and GBK bytes in latin1-declared tables stop the import with a
clear message unless --source-charset gbk is given, which imports them right."""

from __future__ import annotations

import phpserialize
import pytest
from django.core.management import CommandError, call_command

from luntan.boards.models import Board
from luntan.threads.models import Thread

from .conftest import DISCUZ, _make

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]

SUBJECT = "群众利益至高无上——简阳公安“大走访”开门评警侧记"


def _gbk_site(db) -> None:
    """Turn the seed into what the GBK edition stores: GBK tables, GBK password hashes,
    serialized values with GBK byte lengths."""
    db.query(
        "UPDATE pre_ucenter_members SET password = "
        "MD5(CONCAT(MD5(CONVERT('雄州2011' USING gbk)), salt)) WHERE uid = 1867"
    )
    types = {
        b"required": True,
        b"listable": True,
        b"prefix": b"1",
        b"types": {
            1: "本地新闻".encode("gbk"),
            2: "新闻转播".encode("gbk"),
            3: "便民信息".encode("gbk"),
        },
    }
    value = phpserialize.dumps(types).decode("gbk")
    db.query("UPDATE pre_forum_forumfield SET threadtypes = %s WHERE fid = 36", (value,))
    for (table,) in db.query("SHOW TABLES"):
        db.query(f"ALTER TABLE `{table}` CONVERT TO CHARACTER SET gbk")


def _latin1_holding_gbk(db) -> None:
    """GBK bytes in latin1-declared columns (how many GBK sites ran): every text column of
    the tables with rows goes through binary to latin1, keeping the bytes."""
    full = {
        t
        for t, n in db.query(
            "SELECT TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s",
            (db.name,),
        )
        if n
    }
    cols = db.query(
        "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE FROM information_schema.COLUMNS "
        "WHERE TABLE_SCHEMA = %s AND CHARACTER_SET_NAME = 'gbk'",
        (db.name,),
    )
    for table, column, ctype, nullable in cols:
        if table not in full:
            continue
        null = "NULL" if nullable == "YES" else "NOT NULL"
        # char(n) → varbinary(n): binary(n) would pad the bytes with NULs
        binary = ctype.replace("varchar", "char").replace("char", "varbinary")
        binary = {"text": "blob", "mediumtext": "mediumblob", "longtext": "longblob"}.get(
            binary, binary
        )
        db.query(f"ALTER TABLE `{table}` MODIFY `{column}` {binary} {null}")
        db.query(f"ALTER TABLE `{table}` MODIFY `{column}` {ctype} CHARACTER SET latin1 {null}")


@pytest.fixture(scope="module")
def gbk_db():
    db = _make([DISCUZ / "seed_thread.sql"])
    _gbk_site(db)
    yield db
    db.drop()


@pytest.fixture(scope="module")
def latin1_db():
    db = _make([DISCUZ / "seed_thread.sql"])
    _gbk_site(db)
    _latin1_holding_gbk(db)
    yield db
    db.drop()


def _import(db, **options):
    call_command(
        "import_discuz",
        host=db.host,
        port=db.port,
        user="root",
        password="",
        database=db.name,
        report="/dev/null",
        **options,
    )


def _check_seed(client):
    thread = Thread.objects.get(discuz_tid=17406)
    assert thread.subject == SUBJECT
    board = Board.objects.get(discuz_fid=36)
    assert board.name == "简阳新闻" and board.thread_types_required is True
    assert thread.type.name == "新闻转播"
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "该抓的不抓" in page and "【新闻转播】" in page or "新闻转播" in page
    assert client.login(username="雄州老杨", password="雄州2011")


def test_gbk_edition_passwords_and_serialized_settings(gbk_db, client):
    _import(gbk_db)
    _check_seed(client)


def test_gbk_in_latin1_stops_with_a_clear_message_then_imports_with_source_charset(
    latin1_db, client
):
    with pytest.raises(CommandError) as err:
        _import(latin1_db)
    assert "--source-charset gbk" in str(err.value)
    assert not Thread.objects.exists()
    _import(latin1_db, source_charset="gbk")
    _check_seed(client)
