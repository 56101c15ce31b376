"""The door of every 管理中心 page: administrators only, with a fresh password."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse

from luntan import permissions
from luntan.admincenter import sudo


def admin_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a 管理中心 view: guests are sent to log in, members who are not
    administrators (:func:`luntan.permissions.can_use_admin_center`) get 403, and an
    administrator whose password confirmation is older than the sudo window is sent to
    the confirmation page (``admincenter:confirm``) with ``next`` set."""

    @wraps(view)
    def wrapped(request, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.can_use_admin_center(request.viewer):
            raise PermissionDenied
        if not sudo.is_fresh(request):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('admincenter:confirm')}?{query}")
        return view(request, *args, **kwargs)

    return wrapped
