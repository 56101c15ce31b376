"""Sign-ups racing for one name: the database keeps one canonical name key per member.

The check "is this name taken?" and the insert are two statements; two requests can both
pass the check. ``User.username_key`` is unique in the database, so the second insert
fails and its request gets the form error, not a 500 and not a second account.
Runs on SQLite (WAL file database) and on PostgreSQL (``DATABASE_URL``).
"""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connections
from django.test import Client

from luntan.accounts import usernames
from luntan.accounts.models import User
from luntan.accounts.tests.helpers import signup
from luntan.accounts.usernames import username_key


@pytest.mark.django_db(transaction=True)
def test_parallel_signups_with_one_name_make_one_member_and_form_errors(site_mode):
    site_mode("none")
    names = ["racer", "Racer", "RACER", "rаcer", "ｒacer"]  # one key: case, Cyrillic а, Ｆ
    barrier = threading.Barrier(len(names))
    results: list[int] = []
    errors: list[BaseException] = []

    def run(i: int, name: str) -> None:
        client = Client(REMOTE_ADDR=f"198.51.100.{i + 1}")
        try:
            barrier.wait()
            response = signup(client, name, f"racer{i}@example.com")
            results.append(response.status_code)
            if response.status_code == 200:
                assert "该用户名已被注册" in response.content.decode()
        except BaseException as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run, args=(i, n)) for i, n in enumerate(names)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert errors == []
    assert sorted(results) == [200] * (len(names) - 1) + [302]
    assert User.objects.filter(username_key=username_key("racer")).count() == 1


@pytest.mark.django_db
def test_the_loser_of_the_check_then_insert_race_gets_the_form_error(
    client, site_mode, monkeypatch
):
    """The window between the check and the insert, made certain: the check says free."""
    site_mode("none")
    assert signup(Client(), "winner", "winner@example.com").status_code == 302
    monkeypatch.setattr(usernames, "is_taken", lambda name, exclude_pk=None: False)
    response = signup(client, "winnеr", "loser@example.com")  # Cyrillic е
    assert response.status_code == 200
    assert "该用户名已被注册" in response.content.decode()
    assert User.objects.filter(username_key=username_key("winner")).count() == 1
    assert not User.objects.filter(email="loser@example.com").exists()


@pytest.mark.django_db
def test_the_database_refuses_a_second_member_with_the_same_key():
    User.objects.create_user("keyholder", "k@example.com", "x")
    with pytest.raises(IntegrityError):
        User.objects.create_user("KEYHOLDER", "k2@example.com", "x")


@pytest.mark.django_db
def test_imported_names_breaking_the_rules_are_reported_and_kept():
    """The importer's name call: every row keeps its name and gets a unique key."""
    User.objects.create_user("alice", "a@example.com", "x")
    rows = [
        {"discuz_uid": 1, "username": "Alice"},  # case clash with a local member
        {"discuz_uid": 2, "username": "аlice2"},  # fine
        {"discuz_uid": 3, "username": "Аlice2"},  # look-alike clash inside the batch
        {"discuz_uid": 4, "username": "管理员"},  # reserved
        {"discuz_uid": 5, "username": "a b"},  # a space
    ]
    notes: dict[str, int] = {}
    usernames.key_imported_names(rows, notes)
    assert [r["username"] for r in rows] == ["Alice", "аlice2", "Аlice2", "管理员", "a b"]
    keys = [r["username_key"] for r in rows]
    assert len(set(keys)) == 5
    assert keys[0] == username_key("alice") + "#1" and keys[2] == username_key("alice2") + "#3"
    assert sum(notes.values()) == 4  # two clashes, one reserved, one space
    for row in rows:
        User.objects.create(**row)  # the unique key column takes them all
    assert usernames.is_taken("ALICE2")
