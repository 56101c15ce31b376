"""Folding, segmentation and [hide] stripping."""

from luntan.search.text import char_tokens, fold, index_tokens, strip_hidden, word_tokens


def test_fold_width_case_and_traditional():
    assert fold("ＡＢＣ") == "abc"
    assert fold("ABC") == "abc"
    assert fold("評警 開門") == "评警 开门"
    assert fold("１２３") == "123"


def test_word_tokens_are_search_mode_words_without_single_characters():
    words = word_tokens(fold("中华人民共和国的民警走访群众"))
    assert {"中华", "人民", "共和国", "中华人民共和国", "民警", "走访", "群众"} <= set(words)
    assert "的" not in words


def test_char_tokens_keep_latin_runs_whole():
    assert char_tokens(fold("开门ABC评警 c++ 3.14")) == [
        "开",
        "门",
        "abc",
        "评",
        "警",
        "c",
        "3",
        "14",
    ]
    assert char_tokens("wifi6") == ["wifi", "6"]


def test_index_tokens_hold_only_letters_and_digits():
    tokens = index_tokens("【新闻】开门评警！<script>alert(1)</script>")
    assert all(t.isalnum() for t in tokens.split())
    assert "评警" in tokens.split()
    assert "警" in tokens.split()


def test_strip_hidden_removes_nested_and_unclosed_boxes():
    assert "秘密" not in strip_hidden("公开[hide]秘密[/hide]尾")
    assert "秘密" not in strip_hidden("a[hide=10]x[hide]秘密[/hide]y[/hide]b")
    assert strip_hidden("a[HIDE]秘密").startswith("a")
    assert "秘密" not in strip_hidden("a[HIDE]秘密")
