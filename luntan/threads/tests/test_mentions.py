"""@mentions end only where a member's name can end (issue 9, item 12)."""

import pytest

from luntan.threads.mentions import link_mentions

NAMES = {"alice": 1, "bob": 2, "张三": 3, "abcdefghijklmno": 4}


def linked(source: str, fmt: str = "bbcode") -> str:
    return link_mentions(source, fmt, lambda wanted: {n: NAMES[n] for n in wanted if n in NAMES})


@pytest.mark.parametrize(
    "source",
    [
        "@alice2 你好",
        "@alicex 你好",
        "@bob_ 在吗",
        "@bob_smith",
        "@bob.smith 来了",
        "@bob-smith 来了",
        "@abcdefghijklmnop 名字更长",
    ],
)
def test_a_longer_latin_name_does_not_link_its_prefix(source):
    assert linked(source) == source
    assert linked(source, "markdown") == source


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("@alice 你好", "[url=/u/1/]@alice[/url] 你好"),
        ("@bob.", "[url=/u/2/]@bob[/url]."),
        ("@bob...", "[url=/u/2/]@bob[/url]..."),
        ("问@bob，好吗", "问[url=/u/2/]@bob[/url]，好吗"),
        ("@bob你好", "[url=/u/2/]@bob[/url]你好"),
        ("@张三你好", "[url=/u/3/]@张三[/url]你好"),
        ("@张三abc", "[url=/u/3/]@张三[/url]abc"),
        ("@abcdefghijklmno!", "[url=/u/4/]@abcdefghijklmno[/url]!"),
    ],
)
def test_a_mention_ends_where_a_name_can_end(source, expected):
    assert linked(source) == expected
