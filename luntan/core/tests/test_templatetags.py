"""Display rules of the template filters and pagination links."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from luntan.core.templatetags.luntan_core import page_window, pagination
from luntan.threads.templatetags.luntan_threads import (
    discuz_date,
    discuz_minute,
    discuz_time,
    floor_label,
    post_time,
    region,
    safe_color,
)


@pytest.mark.parametrize(
    ("floor", "label"),
    [(1, "楼主"), (2, "沙发"), (3, "板凳"), (4, "地板"), (5, "5#"), (100000, "100000#"), ("x", "")],
)
def test_floor_label_follows_discuz_postnocustom(floor, label):
    assert floor_label(floor) == label


def test_discuz_time_formats_in_the_viewers_zone_without_padding_the_date():
    moment = datetime(2011, 6, 10, 5, 3, 1, tzinfo=UTC)
    with timezone.override(zoneinfo.ZoneInfo("Asia/Shanghai")):
        assert discuz_time(moment) == "2011-6-10 13:03:01"
        assert discuz_minute(moment) == "2011-6-10 13:03"
        assert discuz_date(moment) == "2011-6-10"
    with timezone.override(zoneinfo.ZoneInfo("America/Los_Angeles")):
        assert discuz_time(moment) == "2011-6-9 22:03:01"
    assert discuz_time(None) == ""


def test_post_time_is_relative_under_an_hour():
    now = datetime(2024, 11, 18, 0, 0, tzinfo=UTC)
    with timezone.override(zoneinfo.ZoneInfo("Asia/Shanghai")):
        assert post_time(now - timedelta(seconds=20), now).endswith(">刚刚</span>")
        html = post_time(now - timedelta(minutes=12), now)
        assert html == '<span title="2024-11-18 07:48:00">12 分钟前</span>'
        assert post_time(now - timedelta(hours=2), now) == "2024-11-18 06:00:00"


def test_region_and_colour_filters():
    assert region("中国|0|江苏省|徐州市|电信", "city") == "中国江苏徐州"
    assert region("", "city") == ""
    assert safe_color("#f00") == "#f00" and safe_color("#EE1B2E") == "#EE1B2E"
    assert safe_color("red;x:y") == "" and safe_color("") == ""


@pytest.mark.parametrize(
    ("current", "total", "expected"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (7, 20, [1, None, 5, 6, 7, 8, 9, None, 20]),
        (1, 20, [1, 2, 3, None, 20]),
        (4, 20, [1, 2, 3, 4, 5, 6, None, 20]),
        (20, 20, [1, None, 18, 19, 20]),
    ],
)
def test_page_window(current, total, expected):
    assert page_window(current, total) == expected


def test_pagination_keeps_other_parameters_in_the_jump_form():
    ctx = pagination(2, 5, "?author=3&order=desc&page=")
    assert ctx["hidden"] == [("author", "3"), ("order", "desc")]
    assert ctx["previous"] == 1 and ctx["next"] == 3
    assert pagination(1, 1, "?page=")["pages"] == []
