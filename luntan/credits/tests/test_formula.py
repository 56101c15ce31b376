"""The total-credits formula is parsed, never evaluated as code."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from luntan.credits.formula import DEFAULT_FORMULA, FormulaError, parse
from luntan.credits.models import CreditSettings


def test_default_formula_is_discuz_s():
    f = parse(DEFAULT_FORMULA)
    values = {"posts": 2, "digestposts": 1, "extcredits1": 3, "extcredits2": 10, "extcredits3": 4}
    assert f.evaluate(values) == 2 + 5 + 6 + 10 + 4
    assert f.names == {"posts", "digestposts", "extcredits1", "extcredits2", "extcredits3"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("posts*2 - threads", 2 * 7 - 3), ("-posts + 100", 93), ("(posts + threads) * 2", 20)],
)
def test_sums_products_minus_and_brackets(text, expected):
    assert parse(text).evaluate({"posts": 7, "threads": 3}) == expected


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os')",
        "posts**9",
        "posts / 2",
        "karma + posts",
        "posts.__class__",
        "",
        "posts +",
        "(posts",
        "posts)",
        "1" * 20,
        "posts" + " + posts" * 60,
    ],
)
def test_anything_else_is_refused(text):
    with pytest.raises(FormulaError):
        parse(text)


def test_unknown_name_error_lists_the_names_one_may_use():
    with pytest.raises(FormulaError, match="karma.*extcredits1"):
        parse("karma")


@pytest.mark.django_db
def test_admin_validation_puts_the_error_on_the_formula_field():
    settings = CreditSettings(formula="posts**9")
    with pytest.raises(ValidationError) as exc:
        settings.full_clean()
    assert "formula" in exc.value.message_dict
    CreditSettings(formula=DEFAULT_FORMULA).full_clean()
