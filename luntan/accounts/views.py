"""Member pages: the public profile (/u/<id>/) and the account settings page.

Log in, sign up, log out, password reset and e-mail confirmation are django-allauth's
views (``luntan/accounts/urls.py``) rendered with this app's templates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.account.views import SignupView as AllauthSignupView
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.views import SignupView as AllauthSocialSignupView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from luntan.accounts import services
from luntan.accounts.forms import TimeZoneForm
from luntan.accounts.http import MemberRequest
from luntan.accounts.models import User
from luntan.credits.display import PROFILE_FIELDS, profile_credits

if TYPE_CHECKING:
    from luntan.permissions.viewer import ViewerRequest  # a higher layer: annotations only


def profile(request: ViewerRequest, pk: str) -> HttpResponse:
    """A member's public profile: username, usergroup, post and thread counts, join date.

    One query (the member with their group) for administrators and super moderators. The
    post and thread counts shown to anyone else leave out boards the viewer may not see
    (staff-only, hidden, other groups'), so a profile reveals no hidden board's activity:
    for a member who has posted, one query for the boards and, when some are denied, two
    counts over them. Unknown or
    inactive members give 404.
    """
    member = get_object_or_404(
        User.objects.select_related("group", "credit_balance").only(
            "id",
            "username",
            "posts",
            "threads",
            "credits",
            "custom_title",
            "date_joined",
            "last_login",
            "is_active",
            "group__id",
            "group__name",
            "group__color",
            *PROFILE_FIELDS,
        ),
        pk=int(pk),
        is_active=True,
    )
    _hide_denied_counts(request.viewer, member)
    return render(
        request,
        "accounts/profile.html",
        {"member": member, "member_credits": profile_credits(member)},
    )


def _hide_denied_counts(viewer, member: User) -> None:
    """Subtract ``member``'s visible posts and normal threads in boards ``viewer`` may not
    see from the stored ``posts``/``threads`` shown on the page (nothing is saved)."""
    from luntan.permissions import denied_board_ids
    from luntan.threads.models import Post, Thread

    if not (member.posts or member.threads):
        return  # nothing to hide: no query
    denied = denied_board_ids(viewer, reading=False)
    if not denied:
        return
    hidden_posts = Post.objects.filter(
        author=member,
        state=Post.State.VISIBLE,
        thread__state=Thread.State.NORMAL,
        thread__board_id__in=denied,
    ).count()
    hidden_threads = Thread.objects.filter(
        author=member, state=Thread.State.NORMAL, board_id__in=denied
    ).count()
    member.posts = max(member.posts - hidden_posts, 0)
    member.threads = max(member.threads - hidden_threads, 0)


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: MemberRequest) -> HttpResponse:
    """设置: the member's time zone (POST saves it through :func:`services.set_time_zone`),
    with links to change the password and e-mail and to connect third-party logins."""
    form = TimeZoneForm(request.POST or None, initial={"time_zone": request.user.time_zone})
    if request.method == "POST" and form.is_valid():
        services.set_time_zone(request.user, form.cleaned_data["time_zone"])
        messages.success(request, _("设置已保存。"))
        return redirect("accounts:settings")
    social = SocialAccount.objects.filter(user=request.user).order_by("provider")
    return render(request, "accounts/settings.html", {"form": form, "social_accounts": social})


class _OneTransactionSignup:
    """Mixin for allauth's sign-up views: the member and their e-mail address are saved in
    one transaction; a sign-up that loses a race for its name (``services.UsernameTaken``)
    writes nothing and shows the form again with the username error."""

    def form_valid(self, form):  # noqa: D102 - see the class docstring
        try:
            with transaction.atomic():
                return super().form_valid(form)  # type: ignore[misc]
        except services.UsernameTaken as exc:
            form.add_error("username", exc)
            return self.form_invalid(form)  # type: ignore[attr-defined]


class SignupView(_OneTransactionSignup, AllauthSignupView):
    """allauth's sign-up (马上注册), saved in one transaction (:class:`_OneTransactionSignup`)."""


signup = SignupView.as_view()


class SocialSignupView(_OneTransactionSignup, AllauthSocialSignupView):
    """allauth's third-party sign-up form (a new QQ/WeChat … member picks a name), saved in
    one transaction (:class:`_OneTransactionSignup`)."""


social_signup = SocialSignupView.as_view()
