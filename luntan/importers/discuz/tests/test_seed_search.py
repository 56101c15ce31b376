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


def test_a_run_killed_while_indexing_is_made_whole_by_the_next(
    client, seed_db, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from luntan import search
    from luntan.threads.models import Post

    settings.LUNTAN_SEARCH_INTERVAL = 0
    real = search.index_post_rows

    def killed(rows):
        list(rows)
        raise KeyboardInterrupt  # the process dies while the batch is being indexed

    monkeypatch.setattr(search, "index_post_rows", killed)
    with pytest.raises(KeyboardInterrupt), django_capture_on_commit_callbacks(execute=True):
        run_import(seed_db)
    monkeypatch.setattr(search, "index_post_rows", real)
    # The batch's posts and index entries commit together: neither is there.
    assert not Post.objects.filter(discuz_pid__isnull=False).exists()
    assert "群众利益至高无上" not in client.get("/search/", {"q": "走访"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        report = run_import(seed_db)
    assert report["posts"].created == 4
    assert Post.objects.filter(discuz_pid__isnull=False).count() == 4  # nothing doubled
    assert "群众利益至高无上" in client.get("/search/", {"q": "走访"}).content.decode()


def test_posts_a_killed_earlier_version_left_unindexed_are_indexed_by_the_next_run(
    client, seed_db, settings, django_capture_on_commit_callbacks
):
    from luntan.importers.discuz.models import PendingIndex
    from luntan.search.backends import get_backend
    from luntan.threads.models import Post

    settings.LUNTAN_SEARCH_INTERVAL = 0
    with django_capture_on_commit_callbacks(execute=True):
        run_import(seed_db)
    # What a run of the earlier version, killed after commit and before indexing, left.
    get_backend().clear()
    PendingIndex.objects.create(discuz_pids=list(Post.objects.values_list("discuz_pid", flat=True)))
    assert "群众利益至高无上" not in client.get("/search/", {"q": "走访"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        report = run_import(seed_db)
    assert report["posts"].created == 0
    assert not PendingIndex.objects.exists()
    assert "群众利益至高无上" in client.get("/search/", {"q": "走访"}).content.decode()
