"""Forms of the ban pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from luntan.bans.models import Ban


class BanForm(forms.Form):
    """Ban a member: kind, reason, days (0 or empty: until lifted)."""

    kind = forms.ChoiceField(label=_("处罚"), choices=Ban.Kind.choices)
    reason = forms.CharField(label=_("理由"), max_length=200, required=False)
    days = forms.IntegerField(
        label=_("期限（天，0 为永久）"), min_value=0, max_value=36500, required=False
    )


class IPBanForm(forms.Form):
    """Ban an IP pattern for ``days`` (0 or empty: forever)."""

    pattern = forms.CharField(label=_("IP 地址"), max_length=64)
    reason = forms.CharField(label=_("理由"), max_length=200, required=False)
    days = forms.IntegerField(
        label=_("期限（天，0 为永久）"), min_value=0, max_value=36500, required=False
    )
