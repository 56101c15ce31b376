"""Two-factor sign-in pages (django-allauth's ``allauth.mfa``; docs/accounts.md, 两步验证).

allauth serves the pages under ``/accounts/2fa/`` (authenticator app / TOTP, passkeys
and security keys / WebAuthn, recovery codes) in luntan's templates
(``luntan/accounts/templates/mfa/``). Here: the overview page (``mfa_index``), which also
offers the way back to the staff page a member was sent from by the staff two-factor
policy (:class:`luntan.admincenter.middleware.StaffMFAMiddleware`).
"""

from __future__ import annotations

from allauth.mfa.base.views import IndexView
from allauth.mfa.models import Authenticator
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme

#: Session key of the staff page to return to once a second factor is set up (written
#: by the staff two-factor middleware; a path on this site).
NEXT_SESSION_KEY = "luntan:mfa_next"


def second_factor_count(user) -> int:
    """How many authenticator apps (TOTP) and passkeys (WebAuthn) ``user`` has (one
    query; recovery codes are not counted)."""
    return Authenticator.objects.filter(
        user_id=user.pk, type__in=(Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
    ).count()


@method_decorator(login_required, name="dispatch")
class MFAIndexView(IndexView):
    """设置 › 两步验证: allauth's overview (``authenticators``: ``{type: authenticator or
    list}``) plus ``return_to``: the staff page kept in the session, offered (and then
    forgotten) once the member has a second factor."""

    def get_context_data(self, **kwargs) -> dict:
        ctx = super().get_context_data(**kwargs)
        request = self.request
        target = request.session.get(NEXT_SESSION_KEY) or ""
        ctx["return_to"] = ""
        if target and second_factor_count(request.user):
            request.session.pop(NEXT_SESSION_KEY, None)
            if target.startswith("/") and url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}
            ):
                ctx["return_to"] = target
        return ctx


mfa_index = MFAIndexView.as_view()


def admin_login(request, extra_context=None):
    """Django's admin log-in (``admin.site.login``, installed by ``luntan.urls``): Django's
    own form would sign a member in with the password alone, skipping 两步验证, so a
    guest is sent to the site's log-in (allauth: password, then the second factor) with
    ``next`` kept; a signed-in member the admin refused (not staff) gets 403 instead of
    a second log-in form. ``extra_context`` is accepted for the admin's signature and
    ignored."""
    if request.user.is_authenticated:
        raise PermissionDenied
    target = request.GET.get("next") or reverse("admin:index")
    if not (
        target.startswith("/")
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    ):
        target = reverse("admin:index")
    return redirect_to_login(target, login_url=reverse("account_login"))
