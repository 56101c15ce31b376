"""Attachments (附件): ``POST /attachments`` (upload, multipart field ``file``),
``GET /attachments/{id}`` (its description) and ``GET /attachments/{id}/file`` (the file).

Upload is the editor's upload button (:func:`luntan.attachments.services.upload`: the
same upload rights, types checked by content, size and daily limits); the answer's ``id``
goes into a new thread's or reply's ``attachment_ids`` (bound by the posting pipeline,
only the caller's own unbound uploads) and ``[attach]id[/attach]`` into the text. The
file is served by the attachments app's own view (:func:`luntan.attachments.views.
download`): the same visibility and 允许下载附件 checks, headers and download count, for
a token's member too.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import File, Schema, Status
from ninja.files import UploadedFile

from luntan.api.auth import MEMBER_AUTH, ApiRequest, MemberApiRequest, require_scope
from luntan.api.endpoints.common import ERRORS, Id, router
from luntan.api.problems import Problem
from luntan.api.ratelimit import WRITE_THROTTLES
from luntan.attachments import services
from luntan.attachments import views as attachment_views

TAGS = ["attachments"]


class AttachmentOut(Schema):
    """An attachment as the editor sees it: ``url`` (the file for the browser, with the
    session), ``bbcode`` to put into a post."""

    id: int
    name: str
    size: int
    size_text: str
    is_image: bool
    width: int | None
    height: int | None
    url: str
    thumb_url: str | None
    bbcode: str


@router.post(
    "/attachments",
    tags=TAGS,
    response={201: AttachmentOut, **ERRORS},
    auth=MEMBER_AUTH,
    throttle=WRITE_THROTTLES,
    summary="Upload an attachment",
)
def upload(request: MemberApiRequest, file: File[UploadedFile]):
    """Store ``file`` as the caller's unbound upload (201). 403 ``forbidden`` for members
    who may not upload; 422 (``upload`` …) for a refused file (type by content, size,
    pixels, daily count)."""
    require_scope(request, "write")
    try:
        a = services.upload(request.user, file)
    except PermissionDenied as exc:
        raise Problem(403, "forbidden", str(exc)) from None
    return Status(201, attachment_views.describe(a))


def _viewable(request: ApiRequest, pk: int):
    return attachment_views._viewable(request, pk)


@router.get(
    "/attachments/{attachment_id}",
    tags=TAGS,
    response={200: AttachmentOut, **ERRORS},
    summary="An attachment's description",
)
def attachment(request: ApiRequest, attachment_id: Id):
    """The description of an attachment the caller may see (their own upload, one
    bound to a visible post of a thread they may read, or one of a private message of
    a conversation they are in and still see); 404 otherwise."""
    return attachment_views.describe(_viewable(request, attachment_id))


@router.get(
    "/attachments/{attachment_id}/file",
    tags=TAGS,
    response={**ERRORS},
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file (inline for images, a download otherwise)",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
                    "image/*": {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
    summary="Download an attachment",
)
def attachment_file(request: ApiRequest, attachment_id: Id):
    """The file, with the checks and headers of ``/attachments/<id>/`` (404 when hidden,
    403 without 允许下载附件); counts a download."""
    if request.method != "GET":
        raise Http404
    return attachment_views.download(request, str(attachment_id))
