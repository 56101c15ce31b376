"""Parsing the search page's query string (``/search/?q=…``)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from luntan.search.query import MAX_QUERY_LENGTH
from luntan.search.service import SearchRequest

#: Largest id a parameter may name (the URL patterns' ``[0-9]{1,18}``; fits a 64-bit column).
MAX_ID = 10**18 - 1
#: Last result page a request may ask for.
MAX_PAGE = 10_000
#: Dates outside this range are ignored: ``9999-12-31`` + 1 day or ``0001-01-01`` moved to
#: UTC would overflow Python's ``datetime``.
MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(9000, 12, 31)


class _BoundedDateField(forms.DateField):
    """A ``DateField`` that refuses dates outside ``MIN_DATE``–``MAX_DATE``."""

    def to_python(self, value):  # noqa: D102 - see the class docstring
        day = super().to_python(value)
        if day is not None and not MIN_DATE <= day <= MAX_DATE:
            raise forms.ValidationError(_("日期超出范围。"), code="out_of_range")
        return day


class SearchForm(forms.Form):
    """The search form's fields; invalid optional values are ignored, not errors.

    Every value is range-checked: ids 1–``MAX_ID``, pages 1–``MAX_PAGE``, dates
    ``MIN_DATE``–``MAX_DATE``; a value out of range is dropped like any invalid one.
    """

    q = forms.CharField(label=_("关键词"), required=False, max_length=MAX_QUERY_LENGTH * 2)
    scope = forms.ChoiceField(
        label=_("范围"),
        required=False,
        choices=[("full", _("全文")), ("title", _("仅标题"))],
    )
    board = forms.IntegerField(label=_("版块"), required=False, min_value=1, max_value=MAX_ID)
    author = forms.CharField(label=_("作者"), required=False, max_length=15)
    after = _BoundedDateField(label=_("开始日期"), required=False)
    before = _BoundedDateField(label=_("结束日期"), required=False)
    type = forms.IntegerField(label=_("主题分类"), required=False, min_value=1, max_value=MAX_ID)
    order = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[("relevance", _("相关度")), ("time", _("发表时间"))],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def to_request(self) -> SearchRequest:
        """A :class:`SearchRequest` from the valid fields (invalid ones fall back)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return SearchRequest(
            q=(data.get("q") or "").strip(),
            scope=data.get("scope") or "full",
            board_id=data.get("board"),
            author=(data.get("author") or "").strip(),
            after=data.get("after"),
            before=data.get("before"),
            type_id=data.get("type"),
            order=data.get("order") or "relevance",
            page=data.get("page") or 1,
        )
