"""Shared set-up of the 管理中心 tests."""

from __future__ import annotations

from django.test import Client

from luntan.accounts.models import User, UserGroup
from luntan.threads.tests.factories import make_user


def make_admin(username: str = "站长老王") -> User:
    """An administrator (管理员, group 1) with password ``pw``."""
    return make_user(username, group_id=UserGroup.ADMIN, email="admin@example.com")


def admin_client(user: User | None = None) -> Client:
    """A client logged in as an administrator who has confirmed the password (sudo)."""
    user = user or make_admin()
    client = Client()
    client.force_login(user)
    response = client.post("/admin-center/confirm/", {"password": "pw", "next": "/admin-center/"})
    assert response.status_code == 302, response.content[:500]
    return client
