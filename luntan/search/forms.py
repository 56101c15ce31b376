"""Parsing the search page's query string (``/search/?q=…``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luntan.search.query import MAX_QUERY_LENGTH
from luntan.search.service import SearchRequest


class SearchForm(forms.Form):
    """The search form's fields; invalid optional values are ignored, not errors."""

    q = forms.CharField(label=_("关键词"), required=False, max_length=MAX_QUERY_LENGTH * 2)
    scope = forms.ChoiceField(
        label=_("范围"),
        required=False,
        choices=[("full", _("全文")), ("title", _("仅标题"))],
    )
    board = forms.IntegerField(label=_("版块"), required=False, min_value=1)
    author = forms.CharField(label=_("作者"), required=False, max_length=15)
    after = forms.DateField(label=_("开始日期"), required=False)
    before = forms.DateField(label=_("结束日期"), required=False)
    type = forms.IntegerField(label=_("主题分类"), required=False, min_value=1)
    order = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[("relevance", _("相关度")), ("time", _("发表时间"))],
    )
    page = forms.IntegerField(required=False, min_value=1)

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
