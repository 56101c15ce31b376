"""Conversions of single Discuz! values (no database server needed)."""

from __future__ import annotations

from datetime import UTC, datetime

from luntan.importers.discuz.convert import (
    clean_ip,
    decode_highlight,
    discuz_password,
    find_police_filing,
    parse_threadtypes,
    plain_name,
    post_state,
    sticky_level,
    thread_state,
    unescape_subject,
    unix_to_utc,
)

SEED_THREADTYPES = (
    'a:6:{s:8:"required";b:1;s:8:"listable";b:1;s:6:"prefix";s:1:"1";s:5:"types";a:3:{i:1;'
    's:12:"本地新闻";i:2;s:12:"新闻转播";i:3;s:12:"便民信息";}s:5:"icons";a:3:{i:1;s:0:"";i:2;'
    's:0:"";i:3;s:0:"";}s:10:"moderators";a:3:{i:1;s:1:"0";i:2;s:1:"0";i:3;s:1:"0";}}'
)


def test_unix_seconds_become_aware_utc():
    assert unix_to_utc(1307685231) == datetime(2011, 6, 10, 5, 53, 51, tzinfo=UTC)
    assert unix_to_utc(0) == datetime(1970, 1, 1, tzinfo=UTC)


def test_subjects_are_unescaped_once():
    assert unescape_subject("早餐&amp;新闻 &quot;好&quot; &lt;b&gt;") == '早餐&新闻 "好" <b>'
    assert unescape_subject("&amp;amp;") == "&amp;"


def test_admin_names_lose_tags():
    assert plain_name('<font color="red">简阳&amp;新闻</font>', 50) == "简阳&新闻"
    assert plain_name("x" * 60, 50) == "x" * 50


def test_highlight_colour_index_becomes_hex():
    assert decode_highlight(0) == ""
    assert decode_highlight(1) == "#EE1B2E"
    assert decode_highlight(15) == "#2897C5"  # underline + colour 5
    assert decode_highlight(48) == "#EC1282"
    assert decode_highlight(40) == ""  # bold only: no colour kept


def test_states_and_sticky_levels():
    assert [thread_state(d) for d in (0, 1, 3, -1, -2, -3)] == [0, 0, 0, -1, -2, -2]
    assert [sticky_level(d) for d in (-2, 0, 1, 2, 3, 4)] == [0, 0, 1, 2, 3, 3]
    assert [post_state(i) for i in (0, -1, -2, -3, -5)] == [0, -1, -2, -2, -5]


def test_threadtypes_of_the_seed_board():
    parsed = parse_threadtypes(SEED_THREADTYPES)
    assert parsed == {
        "required": True,
        "prefix": True,
        "types": {1: "本地新闻", 2: "新闻转播", 3: "便民信息"},
    }
    off = SEED_THREADTYPES.replace('b:1;s:8:"listable"', 'b:0;s:8:"listable"').replace(
        's:6:"prefix";s:1:"1"', 's:6:"prefix";s:1:"0"'
    )
    assert parse_threadtypes(off)["required"] is False
    assert parse_threadtypes(off)["prefix"] is False
    assert parse_threadtypes("") == {} and parse_threadtypes("a:1:{broken") == {}


def test_ucenter_hash_becomes_a_discuz_password():
    assert discuz_password("3D7CE14477FFBE97A0F7B0F5892CD63B", "5b9e4f") == (
        "discuz$5b9e4f$3d7ce14477ffbe97a0f7b0f5892cd63b"
    )
    assert discuz_password("", "5b9e4f") is None
    assert discuz_password("$2y$10$abc", "x") is None
    assert discuz_password("3d7ce14477ffbe97a0f7b0f5892cd63b", "") is None


def test_ips_are_validated():
    assert clean_ip(" 58.218.204.37 ") == "58.218.204.37"
    assert clean_ip("hidden") is None and clean_ip("") is None and clean_ip(None) is None


def test_police_filing_is_found_in_any_setting():
    assert (
        find_police_filing(["蜀ICP备07502275号-3", '<a href="#">川公网安备 51200002000214号</a>'])
        == "川公网安备 51200002000214号"
    )
    assert find_police_filing(["", "nothing"]) == ""


def test_decode_highlight_bold():
    from luntan.importers.discuz.convert import decode_highlight_bold

    # style bits as topicadmin_moderate.php stores them: bindec(bold.italic.underline)
    assert decode_highlight_bold(0) is False
    assert decode_highlight_bold(5) is False  # colour only
    assert decode_highlight_bold(45) is True  # bold + colour 5
    assert decode_highlight_bold(40) is True  # bold only
    assert decode_highlight_bold(75) is True  # bold + italic + underline
    assert decode_highlight_bold(25) is False  # italic only
    assert decode_highlight_bold(15) is False  # underline only
