"""The board index cuts last-post subjects on grapheme clusters (issue 9, item 10)."""

import pytest

from luntan.threads.tests.factories import make_board, make_thread

pytestmark = pytest.mark.django_db

FAMILY = "👨\u200d👩\u200d👧"


def test_the_index_last_subject_keeps_an_emoji_sequence_whole(client):
    board = make_board("表情版")
    make_thread(board, subject="一" * 24 + FAMILY + "尾巴")
    html = client.get("/").content.decode()
    assert "一" * 24 + FAMILY + "…" in html
    assert "一" * 24 + "👨…" not in html


def test_the_subboard_list_cuts_on_grapheme_clusters_too(client):
    parent = make_board("父版块")
    child = make_board("子版块", parent=parent)
    make_thread(child, subject="一" * 24 + FAMILY + "尾巴")
    html = client.get(parent.get_absolute_url()).content.decode()
    assert "一" * 24 + FAMILY + "…" in html
