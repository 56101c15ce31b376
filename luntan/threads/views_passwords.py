"""The password form of a password post (密码帖, ``/p/<id>/password/``)."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from luntan import permissions
from luntan.permissions import password_attempts, post_passwords
from luntan.permissions.viewer import ViewerRequest
from luntan.threads.models import Post


@require_http_methods(["GET", "POST"])
def post_password(request: ViewerRequest, pk: str) -> HttpResponse:
    """Ask for password post ``pk``'s password (密码帖; POST ``password`` with the CSRF
    token); on success remember it for the session
    (:func:`luntan.permissions.post_passwords.unlock`) and 302 to the post. 404 for a post
    the viewer may not see or without a password; a wrong one gives the form back with
    "密码错误" (status 200); after too many wrong ones every try is refused for a while
    (status 429, :mod:`luntan.permissions.password_attempts`)."""
    try:
        post = Post.objects.select_related("thread__board__parent__parent").get(
            pk=int(pk), state=Post.State.VISIBLE
        )
    except Post.DoesNotExist:
        raise Http404 from None
    permissions.check_view_thread(request.viewer, post.thread)
    if post_passwords.post_password(post.source) is None:
        raise Http404
    error = None
    status = 200
    if request.method == "POST":
        kind = password_attempts.POST
        if password_attempts.attempts_exhausted(kind, request.viewer):
            error, status = password_attempts.too_many_message(), 429
        elif post_passwords.unlock(request, post, request.POST.get("password", "")):
            return HttpResponseRedirect(post.get_absolute_url())
        else:
            password_attempts.note_wrong_password(kind, request.viewer)
            error = _("密码错误，请重新输入。")
    return render(
        request, "threads/post_password.html", {"post": post, "error": error}, status=status
    )
