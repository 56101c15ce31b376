"""Query parsing and compilation: escaping, phrases, exclusion."""

import re

import pytest

from luntan.search.backends.postgres import compile_tsquery
from luntan.search.backends.sqlite import compile_match
from luntan.search.query import AnyOf, Chars, Word, parse_query


def test_one_character_query_is_a_character_match():
    assert parse_query("警").include == (Chars(("警",)),)


def test_words_are_anded_and_minus_excludes():
    parsed = parse_query("徐州 民警 -交通")
    assert parsed.include == (Word("徐州"), Word("民警"))
    assert parsed.exclude == (Word("交通"),)


def test_quoted_phrase_is_characters_in_order():
    assert parse_query('"开门评警"').include == (Chars(("开", "门", "评", "警")),)
    assert parse_query("“开门评警”").include == (Chars(("开", "门", "评", "警")),)


def test_out_of_dictionary_word_also_matches_its_characters():
    assert parse_query("評警").include == (AnyOf((Word("评警"), Chars(("评", "警")))),)


def test_only_exclusions_or_punctuation_is_empty():
    assert parse_query("-警").is_empty
    assert parse_query("!!! ？？").is_empty
    assert parse_query("").is_empty


FTS5_STRING = re.compile(r'"(?:[^"]|"")*"')
TSQUERY_LEXEME = re.compile(r"'(?:[^'\\]|''|\\.)*'")


@pytest.mark.parametrize(
    "raw",
    [
        'a" OR "b',
        "x NOT y",
        "{title} : z",
        "NEAR(a b)",
        "'; DROP TABLE x; --",
        'a""b*',
        "a & !b | c",
    ],
)
def test_user_text_only_ever_becomes_quoted_strings(raw):
    parsed = parse_query(raw)
    outside = FTS5_STRING.sub(" ", compile_match(parsed, title_only=False))
    assert set(outside.replace("(", " ").replace(")", " ").split()) <= {
        "{title",
        "body}",
        ":",
        "AND",
        "OR",
        "NOT",
    }
    outside = TSQUERY_LEXEME.sub(" ", compile_tsquery(parsed))
    assert set(outside.replace("(", " ").replace(")", " ").split()) <= {"&", "|", "!", "<->"}


def test_tsquery_quotes_lexemes_phrases_and_exclusions():
    parsed = parse_query('民警 "开门" -交通')
    assert compile_tsquery(parsed) == "'民警' & ('开' <-> '门') & !'交通'"
