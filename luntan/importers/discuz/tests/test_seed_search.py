"""The imported seed thread is found by Chinese search right after the import."""

from __future__ import annotations

import pytest

from luntan.threads.models import Thread

from .helpers import run_import

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db]


@pytest.mark.parametrize("query", ["走访", '"开门评警"', "大走访 评警", "評警"])
def test_searching_the_imported_seed_finds_its_thread(
    client, seed_db, settings, django_capture_on_commit_callbacks, query
):
    settings.LUNTAN_SEARCH_INTERVAL = 0
    with django_capture_on_commit_callbacks(execute=True):
        run_import(seed_db)
    thread = Thread.objects.get(discuz_tid=17406)
    op = thread.post_set.get(floor=1)
    page = client.get("/search/", {"q": query}).content.decode()
    assert f"/p/{op.pk}/" in page
    assert "群众利益至高无上" in page


def test_a_word_not_in_the_seed_finds_nothing(
    client, seed_db, settings, django_capture_on_commit_callbacks
):
    settings.LUNTAN_SEARCH_INTERVAL = 0
    with django_capture_on_commit_callbacks(execute=True):
        run_import(seed_db)
    page = client.get("/search/", {"q": "二手车"}).content.decode()
    assert "群众利益至高无上" not in page
