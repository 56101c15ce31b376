"""The imported seed thread's page shows 查看: 1166 as the Discuz! page did.

Discuz! X3.4 reads ``forum_thread.views`` before counting the current view
(``viewthread_updateviews`` runs after the thread row is loaded), and the seed page shows
the stored 1166.
"""

from __future__ import annotations

import re

import pytest

from .test_seed_page import _seed_page

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]


def test_imported_seed_thread_page_shows_the_stored_view_count(client, seed_db):
    _page, text = _seed_page(client, seed_db)
    assert re.search(r"查看: ?1166\b", text), "查看: 1166 expected"
