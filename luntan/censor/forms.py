"""Forms of the censor word page."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from luntan.censor.models import CensorWord
from luntan.censor.services import compile_find


class CensorWordForm(forms.Form):
    """Add one word."""

    find = forms.CharField(label=_("不良词语"), max_length=255)
    action = forms.ChoiceField(label=_("处理方式"), choices=CensorWord.Action.choices)
    replacement = forms.CharField(label=_("替换为"), max_length=255, required=False)

    def clean_find(self) -> str:
        find = self.cleaned_data["find"].strip()
        compile_find(find)
        if CensorWord.objects.filter(find=find).exists():
            raise ValidationError(_("该词语已存在。"))
        return find


class ImportForm(forms.Form):
    """Import a list: one word a line, ``word=replacement``, ``word={BANNED}``,
    ``word={MOD}`` (Discuz! 批量添加)."""

    words = forms.CharField(label=_("词语列表"), widget=forms.Textarea(attrs={"rows": 10}))
    overwrite = forms.BooleanField(label=_("覆盖已有词语"), required=False, initial=True)
