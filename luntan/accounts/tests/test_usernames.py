"""Registration name rules (Discuz! check_username plus Unicode look-alikes)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from luntan.accounts.models import User
from luntan.accounts.tests.helpers import signup
from luntan.accounts.usernames import is_reserved, is_taken, username_key, validate_username


@pytest.mark.parametrize(
    "name",
    [
        "张三",
        "张三丰",
        "小明_2024",
        "abc",
        "李四.lee",
        "a-b",
        "论坛老用户一二三四五六七八",
        "ﾊﾝﾅ"[:0] + "한국어",
    ],
)
def test_accepted_names(name):
    validate_username(name)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("ab", "length"),
        ("王", "length"),
        ("一二三四五六七八九十一二三四五六", "length"),  # 16 characters
        ("张 三", "invalid_character"),
        ("张\u3000三", "invalid_character"),  # ideographic (full-width) space, Discuz! \xA1\xA1
        ("ab\u00a0cd", "invalid_character"),  # no-break space
        ("abc\t", "invalid_character"),
        ("adm\u200bin", "invalid_character"),  # zero-width space
        ("ab\u200dcd", "invalid_character"),  # zero-width joiner
        ("ab\u200ecd", "invalid_character"),  # left-to-right mark
        ("ab\u2060cd", "invalid_character"),  # word joiner
        ("\ufeffabcd", "invalid_character"),  # BOM
        ("\u202eabcd", "invalid_character"),  # right-to-left override
        ("\x07abcd", "invalid_character"),  # control
        ("ab<cd>", "invalid"),  # Discuz! forbids < > & ( ) ' " % , *
        ("a'b'c", "invalid"),
        ("a,b,c", "invalid"),
        ("cafe\u0301", "not_nfc"),  # combining accent
        ("admin", "reserved"),
        ("ADMIN", "reserved"),
        ("Ａｄｍｉｎ", "reserved"),  # full width
        ("аdmin", "reserved"),  # Cyrillic а
        ("管理员", "reserved"),
        ("版主", "reserved"),
        ("游客", "reserved"),
        ("游客123", "reserved"),  # Discuz! $guestexp: 游客 anywhere
        ("Guest001", "reserved"),  # Discuz! ^Guest
        ("r00t", "reserved"),  # 0 → o
        ("luntan", "reserved"),
        ("System", "reserved"),
    ],
)
def test_rejected_names(name, code):
    with pytest.raises(ValidationError) as caught:
        validate_username(name)
    assert caught.value.code == code


def test_reserved_names_are_configurable(settings):
    assert not is_reserved("简阳人")
    settings.LUNTAN_RESERVED_USERNAMES = ["简阳人"]
    assert is_reserved("简阳人")


def test_key_folds_width_case_and_look_alikes():
    assert username_key("Alice") == username_key("ＡＬＩＣＥ") == username_key("аlice")
    assert username_key("AIice") == username_key("alice")  # capital I looks like l
    assert username_key("张三") != username_key("张王")


@pytest.mark.django_db
@pytest.mark.parametrize("other", ["alice", "ALICE", "ＡＬＩＣＥ", "Аlice", "AIice", "Alicе"])
def test_names_equal_to_a_member_after_folding_are_taken(other):
    User.objects.create_user("Alice", password="x")
    assert is_taken(other)
    assert not is_taken("Alicia")


@pytest.mark.django_db
def test_members_written_in_bulk_get_their_key_before_the_check():
    User.objects.bulk_create([User(username="Bob_Imported", group_id=10)])
    assert User.objects.get().username_key is None
    assert is_taken("bob_imported")
    assert User.objects.get().username_key == username_key("Bob_Imported")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["张\u200b三丰", "Ａｄｍｉｎ", "游客甲", "ab", "张\u3000三"],
)
def test_signup_page_refuses_bad_names(client, site_mode, name):
    site_mode("none")
    response = signup(client, name, "x@example.com")
    assert response.status_code == 200
    assert 'class="errors"' in response.content.decode()
    assert not User.objects.filter(email="x@example.com").exists()


@pytest.mark.django_db
def test_signup_page_refuses_a_look_alike_of_a_member(client, site_mode):
    site_mode("none")
    User.objects.create_user("小明Ming", password="x")
    response = signup(client, "小明Мing", "x@example.com")  # Cyrillic М
    assert "该用户名已被注册" in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_signup_page_accepts_a_cjk_name(client, site_mode):
    site_mode("none")
    response = signup(client, "张三丰", "zsf@example.com")
    assert response.status_code == 302
    assert User.objects.get(username="张三丰").email == "zsf@example.com"


# --- 繁/简 look-alikes (issue 14, item 5) -------------------------------------------------------


def test_key_folds_traditional_chinese_to_simplified():
    assert username_key("老街攝影") == username_key("老街摄影")
    assert username_key("臺灣會員") == username_key("台湾会员")
    assert username_key("老街摄影") != username_key("老街摄像")


@pytest.mark.django_db
def test_signup_page_refuses_the_traditional_twin_of_a_member(client, site_mode):
    site_mode("none")
    User.objects.create_user("老街摄影", password="x")
    response = signup(client, "老街攝影", "twin@example.com")
    assert "该用户名已被注册" in response.content.decode()
    assert not User.objects.filter(email="twin@example.com").exists()


@pytest.mark.django_db
def test_the_simplified_twin_of_a_traditional_name_is_taken_too():
    User.objects.create_user("臺北攝影師", password="x")
    assert is_taken("台北摄影师") and is_taken("臺北攝影師")


@pytest.mark.django_db
def test_imported_twins_are_both_kept_with_distinct_keys():
    from luntan.accounts import usernames

    rows = [
        {"discuz_uid": 1, "username": "老街攝影"},
        {"discuz_uid": 2, "username": "老街摄影"},
    ]
    notes: dict[str, int] = {}
    usernames.key_imported_names(rows, notes)
    assert rows[0]["username_key"] == username_key("老街摄影")
    assert rows[1]["username_key"] == f"{username_key('老街摄影')}#2"
    assert sum(notes.values()) == 1


@pytest.mark.django_db
def test_the_migration_refolds_stored_keys_oldest_keeps_the_key():
    """Members stored with the keys of the old rules (no 繁/简 folding) get the new key;
    of two twins the older keeps it, the younger gets ``<key>#<id>``."""
    import importlib

    from django.apps import apps

    from luntan.accounts.models import FreedName

    old = User.objects.create_user("老街攝影", password="x")
    young = User.objects.create_user("老街摄影x", password="x")
    User.objects.filter(pk=old.pk).update(username_key="老街攝影")  # as stored before
    User.objects.filter(pk=young.pk).update(username="老街摄影", username_key="老街摄影")
    FreedName.objects.create(
        username="舊名字", username_key="舊名字", reserved_until="2099-01-01T00:00:00Z"
    )
    migration = importlib.import_module("luntan.accounts.migrations.0008_username_key_fold_chinese")
    migration.recompute_keys(apps, None)
    key = username_key("老街摄影")
    assert User.objects.get(pk=old.pk).username_key == key
    assert User.objects.get(pk=young.pk).username_key == f"{key}#{young.pk}"
    assert FreedName.objects.get().username_key == username_key("旧名字")
