"""The benchmark data generator (``bench.datagen``) builds a consistent site, small scale."""

from __future__ import annotations

import pytest
from django.core.management import call_command, get_commands

from bench import datagen
from luntan.boards.models import Board
from luntan.threads.models import Post, Thread

pytestmark = pytest.mark.django_db

SMALL = datagen.SiteSpec(threads=40, boards=3, users=15, big_floors=130, templates=12, seed=7)


def test_generated_site_has_the_requested_shape_and_consistent_counters():
    site = datagen.generate(SMALL)

    assert Thread.objects.count() == site.threads == 41
    assert Post.objects.count() == site.posts
    assert Board.objects.filter(kind=Board.Kind.BOARD).count() == 3
    big = Thread.objects.get(pk=site.big_thread_id)
    assert (big.board_id, big.max_floor, big.replies) == (site.big_board_id, 130, 129)
    assert list(big.post_set.order_by("floor").values_list("floor", flat=True)) == list(
        range(1, 131)
    )
    small = Thread.objects.get(pk=site.small_thread_id)
    assert small.post_set.count() == small.max_floor == 20
    assert datagen.check_counters() == []


def test_rebuild_counters_changes_nothing_after_generation():
    if "rebuild_counters" not in get_commands():
        pytest.skip("luntan rebuild_counters is not there yet")
    datagen.generate(SMALL)
    before = datagen.counter_snapshot()
    call_command("rebuild_counters", verbosity=0)
    assert datagen.counter_snapshot() == before
