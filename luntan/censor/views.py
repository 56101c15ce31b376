"""词语过滤 page (``/censor/``), administrators only (404 for others): the word list with
delete buttons, a form to add a word and a box to import a list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from luntan import permissions
from luntan.censor import services
from luntan.censor.forms import CensorWordForm, ImportForm
from luntan.censor.models import CensorWord
from luntan.permissions.viewer import ViewerRequest


@require_http_methods(["GET", "POST"])
def censor_words(request: ViewerRequest) -> HttpResponse:
    """GET: the list and forms. POST ``delete=<id>``, the add form (``find``, ``action``,
    ``replacement``) or the import form (``words``, ``overwrite``); then 302 back."""
    if not permissions.can_edit_site_settings(request.viewer):
        raise Http404
    add_form = CensorWordForm(request.POST if "find" in request.POST else None)
    import_form = ImportForm(request.POST if "words" in request.POST else None)
    if request.method == "POST":
        delete = request.POST.get("delete", "")
        if delete.isdigit():
            if services.delete_word(int(delete)):
                messages.success(request, _("已删除。"))
            return HttpResponseRedirect(reverse("censor:words"))
        if "find" in request.POST and add_form.is_valid():
            try:
                services.add_word(
                    add_form.cleaned_data["find"],
                    action=add_form.cleaned_data["action"],
                    replacement=add_form.cleaned_data["replacement"],
                    operator=request.user,
                )
            except ValidationError as exc:
                add_form.add_error("find", exc)
            else:
                messages.success(request, _("已添加。"))
                return HttpResponseRedirect(reverse("censor:words"))
        if "words" in request.POST and import_form.is_valid():
            result = services.import_words(
                import_form.cleaned_data["words"],
                operator=request.user,
                overwrite=import_form.cleaned_data["overwrite"],
            )
            messages.success(
                request,
                _("导入完成：新增 %(a)d 个，更新 %(u)d 个。")
                % {"a": result.added, "u": result.updated},
            )
            for number, message in result.errors[:50]:
                messages.error(request, _("第 %(n)d 行：%(m)s") % {"n": number, "m": message})
            return HttpResponseRedirect(reverse("censor:words"))
    return render(
        request,
        "censor/words.html",
        {
            "words": CensorWord.objects.all()[:2000],
            "add_form": add_form,
            "import_form": import_form,
        },
    )
