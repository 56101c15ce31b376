"""Serving attachments (``/attachments/<id>/``, ``/attachments/<id>/thumb/``) and the
standalone upload endpoint (``POST /attachments/upload/``).

Every attachment response carries ``X-Content-Type-Options: nosniff`` and
``Content-Security-Policy: default-src 'none'; sandbox``, so even a file whose bytes a
browser might take for HTML can neither run script nor load anything. Only raster
images (JPEG, PNG, GIF, WebP, re-encoded at upload) are served inline with their stored
Content-Type; every other file is ``application/octet-stream`` with
``Content-Disposition: attachment; filename*=UTF-8''…``.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_POST, require_safe

from luntan import permissions
from luntan.attachments import services
from luntan.attachments.conf import format_size
from luntan.attachments.filenames import content_disposition, extension_of
from luntan.attachments.messages import may_fetch
from luntan.attachments.models import Attachment
from luntan.permissions.viewer import ViewerRequest
from luntan.threads.models import Post

CSP = "default-src 'none'; sandbox"

_Response = TypeVar("_Response", bound=HttpResponseBase)


def _viewable(request: ViewerRequest, pk: int) -> Attachment:
    """The attachment ``pk`` if the viewer may fetch it, else ``Http404``.

    A private message's attachment: only members of its conversation who still see the
    message (not deleted for them, not left) — :func:`luntan.attachments.messages.may_fetch`;
    the uploader too only while a member. Otherwise the uploader may always fetch their
    own file (the editor previews unbound uploads); anyone else needs the attachment
    bound to a visible post of a thread they may read
    (:func:`luntan.permissions.check_view_thread`). One query (two for a message's).
    """
    try:
        a = Attachment.objects.select_related("post", "thread__board__parent__parent").get(pk=pk)
    except Attachment.DoesNotExist:
        raise Http404 from None
    viewer = request.viewer
    if a.pm_message_id is not None:
        if not may_fetch(viewer, a):
            raise Http404
        return a
    if viewer.is_authenticated and a.uploader_id == viewer.pk:
        return a
    if a.post is None or a.thread is None or a.post.state != Post.State.VISIBLE:
        raise Http404
    permissions.check_view_thread(viewer, a.thread)
    return a


def _secure(response: _Response) -> _Response:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = CSP
    response["Cross-Origin-Resource-Policy"] = "same-site"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _open(name: str) -> File:
    try:
        return default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None


def _file_response(a: Attachment, name: str, *, content_type: str | None = None) -> FileResponse:
    ext = extension_of(name) or "bin"
    fallback = f"attachment-{a.pk}.{extension_of(a.filename) or ext}"
    if a.is_image:
        response = FileResponse(_open(name), content_type=content_type or a.content_type)
        response["Content-Disposition"] = content_disposition("inline", a.filename, fallback)
    else:
        response = FileResponse(_open(name), content_type="application/octet-stream")
        response["Content-Disposition"] = content_disposition("attachment", a.filename, fallback)
    response["Cache-Control"] = "private, max-age=86400"
    return _secure(response)


@require_safe
def download(request: ViewerRequest, pk: str) -> FileResponse:
    """``GET /attachments/<id>/``: the file itself (inline for images, download otherwise).

    Counts the download (``F()`` update; HEAD requests are not counted). 404 when the
    attachment does not exist or the viewer may not see its post.
    """
    a = _viewable(request, int(pk))
    own = request.user.is_authenticated and a.uploader_id == request.user.pk
    if not a.is_image and a.thread is not None and not own:
        permissions.check_download(request.viewer, a.thread.board)  # 允许下载附件
    response = _file_response(a, a.stored_name)
    if request.method == "GET":
        services.count_download(a.pk)
    return response


@require_safe
def thumbnail(request: ViewerRequest, pk: str) -> FileResponse:
    """``GET /attachments/<id>/thumb/``: an image's thumbnail (the image itself when it is
    small enough). 404 for non-images and as :func:`download`. Not counted."""
    a = _viewable(request, int(pk))
    if not a.is_image:
        raise Http404
    if not a.thumbnail_name:
        return _file_response(a, a.stored_name)
    thumb_type = "image/png" if a.thumbnail_name.endswith(".png") else "image/jpeg"
    return _file_response(a, a.thumbnail_name, content_type=thumb_type)


def _json_error(message: str, status: int) -> JsonResponse:
    return _secure(JsonResponse({"error": message}, status=status))


def describe(a: Attachment) -> dict:
    """The JSON shape of an uploaded attachment (for the editor and the API)."""
    return {
        "id": a.pk,
        "name": a.filename,
        "size": a.size,
        "size_text": format_size(a.size),
        "is_image": a.is_image,
        "width": a.width,
        "height": a.height,
        "url": a.get_absolute_url(),
        "thumb_url": a.thumbnail_url if a.is_image else None,
        "bbcode": f"[attach]{a.pk}[/attach]",
    }


@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """``POST /attachments/upload/`` (multipart, field ``file``, CSRF token required).

    Stores the file unbound and answers ``201`` with :func:`describe`'s JSON; the editor
    puts ``[attach]<id>[/attach]`` into the text and sends the id with the post
    (``attachments`` field), which binds it. Errors: ``403 {"error": …}`` for guests and
    members who may not post, ``400 {"error": …}`` for a refused file.
    """
    if not request.user.is_authenticated:
        return _json_error("您需要登录后才可以上传附件。", 403)
    uploaded = request.FILES.get("file")
    if uploaded is None:
        return _json_error("请选择要上传的文件。", 400)
    try:
        a = services.upload(request.user, uploaded)
    except PermissionDenied as exc:
        return _json_error(str(exc), 403)
    except ValidationError as exc:
        return _json_error(" ".join(exc.messages), 400)
    return _secure(JsonResponse(describe(a), status=201))
