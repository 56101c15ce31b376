"""``/api/mobile/index.php`` (the Discuz! mobile API dispatcher) and
``/uc_server/avatar.php`` (avatars at the ``ucenterurl`` the apps build on).

The dispatcher reads ``module`` (Discuz!'s whitelist: an unknown name answers
``{"error":"module_not_exists"}`` as X3.4 does), runs the module with the query string
and form body merged, and answers the envelope (:mod:`luntan.api.mobile.envelope`).
A module that refuses answers its complete, defaulted fields plus ``Message``. Bad
input never gives a 500: anything a module raises that is not a refusal is logged and
answered as ``Message`` ``system_error``. The view is exempt from Django's CSRF check;
writes check the ``formhash`` instead (see :mod:`luntan.api.mobile.envelope`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.core.files.storage import default_storage
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from luntan.accounts.avatars import avatar_url
from luntan.accounts.models import User
from luntan.api.mobile import envelope, ids, reads, writes
from luntan.api.mobile.common import MobileError, int_param, need_member, params, refusal
from luntan.core.models import Smiley

log = logging.getLogger(__name__)

Module = Callable[..., Any]

#: module → (function, defaulted fields answered beside an error Message).
MODULES: dict[str, tuple[Module, dict[str, Any]]] = {
    "forumindex": (reads.forumindex, reads.FORUMINDEX_DEFAULTS),
    "forumdisplay": (reads.forumdisplay, reads.FORUMDISPLAY_DEFAULTS),
    "viewthread": (reads.viewthread, reads.VIEWTHREAD_DEFAULTS),
    "newthreads": (reads.newthreads, reads.LIST_DEFAULTS),
    "hotthread": (reads.hotthread, reads.LIST_DEFAULTS),
    "profile": (reads.profile, reads.PROFILE_DEFAULTS),
    "smiley": (reads.smiley, {"smilies": []}),
    "checkpost": (reads.checkpost, reads.CHECKPOST_DEFAULTS),
    "mynotelist": (reads.mynotelist, reads.PAGED_DEFAULTS),
    "myfavthread": (reads.myfavthread, reads.PAGED_DEFAULTS),
    "myfavforum": (reads.myfavforum, reads.PAGED_DEFAULTS),
    "mypm": (reads.mypm, reads.PAGED_DEFAULTS),
    "publicpm": (reads.publicpm, reads.PAGED_DEFAULTS),
    "login": (writes.login, {}),
    "sendreply": (writes.sendreply, {"tid": "0", "pid": "0"}),
    "newthread": (writes.newthread, {"tid": "0", "pid": "0"}),
    "mobilesign": (writes.mobilesign, {}),
    "favthread": (writes.favthread, {}),
    "favforum": (writes.favforum, {}),
    "pollvote": (writes.pollvote, {}),
    "topicadmin": (writes.topicadmin, {}),
    "sendpm": (writes.sendpm, {}),
}

#: Discuz! X3.4's module whitelist (``mobile.php``): names it knows that luntan does not
#: serve answer an enveloped ``module_unsupported`` message instead of ``module_not_exists``.
KNOWN = frozenset(
    "extends buyattachment buythread checkpost connect favforum favthread forumdisplay "
    "forumindex forumnav forumupload friend hotforum hotthread login myfavforum "
    "myfavthread mypm mythread newthread profile publicpm register seccode secure sendpm "
    "sendreply sub_checkpost sublist toplist viewthread uploadavatar pollvote mynotelist "
    "credit profiles modcp topicadmin forumimage newthreads signin smiley threadrecommend "
    "check mobilesign wsqindex wsqsiteinfo recommend wechat wechat_clearlogin checkinfo "
    "seccodehtml showactivity bestanswer forummisc checkcookie checknewpm viewcomment "
    "plugin".split()
)


def _fail(request: HttpRequest, defaults: dict[str, Any], key: str, text: str) -> HttpResponse:
    return envelope.envelope(request, dict(defaults), (key, text))


@csrf_exempt
def index(request: HttpRequest) -> HttpResponse:
    """``GET|POST /api/mobile/index.php?version=4&module=…`` (see the module docstring).
    ``?check`` alone (X3.4's cached site info) is the ``check`` module."""
    if request.method not in ("GET", "POST", "HEAD"):
        return envelope.json_response({"error": "param_error"}, status=405)
    try:
        p = params(request)
    except RequestDataTooBig:
        return envelope.json_response({"error": "param_error"}, status=413)
    module = (p.get("module") or "").strip()
    if not module and ("check" in request.GET or p.get("check") == "check"):
        module = "check"
    if not module:
        return HttpResponse(b"", content_type="application/json")
    if module == "check":
        return envelope.json_response(envelope.stringify_check(reads.check(request)))
    if module == "secure":
        return envelope.envelope(request, writes.secure(request, p))
    if module == "forumupload":
        return forumupload(request, p)
    entry = MODULES.get(module)
    if entry is None:
        if module in KNOWN:
            return _fail(request, {}, "module_unsupported", _("本站不支持该功能。"))
        return envelope.json_response({"error": "module_not_exists"})
    run, defaults = entry
    try:
        answer = run(request, p)
    except MobileError as exc:
        return _fail(request, defaults, exc.key, exc.text)
    except Http404:
        return _fail(request, defaults, "thread_nonexistence", _("您要找的内容不存在。"))
    except PermissionDenied as exc:
        err = refusal(request, exc)
        return _fail(request, defaults, err.key, err.text)
    except (ValidationError, ValueError, OverflowError, DatabaseError) as exc:
        if envelope.debug_enabled():
            raise
        log.warning("mobile module %s failed: %r", module, exc)
        return _fail(request, defaults, "system_error", _("请求无法处理，请稍后再试。"))
    if isinstance(answer, tuple):
        fields, message = answer
        return envelope.envelope(request, {**defaults, **fields}, message)
    return envelope.envelope(request, answer)


def forumupload(request: HttpRequest, p) -> HttpResponse:
    """Image upload (``Filedata``, ``hash`` = the ``uploadhash`` of ``checkpost``): plain
    text ``DISCUZUPLOAD|status|aid|isimage|sizelimit`` as X3.4's ``forum_upload`` —
    status 0 with the new attachment's id, else a non-zero status and aid 0 (2: not
    logged in / no right, 8: bad hash, 9: no file, 11: refused file). The upload is
    checked by content (:func:`luntan.attachments.services.upload`); its id goes back in
    ``attachnew[aid]`` of sendreply/newthread."""
    from luntan import permissions
    from luntan.attachments.services import upload

    def answer(status: int, aid: int = 0, image: int = 0) -> HttpResponse:
        return HttpResponse(
            f"DISCUZUPLOAD|{status}|{aid}|{image}|0", content_type="text/plain; charset=utf-8"
        )

    try:
        user = need_member(request)
    except MobileError:
        return answer(2)
    if request.method != "POST" or not envelope.formhash_ok(
        request, p.get("hash") or p.get("formhash")
    ):
        return answer(8)
    board = None
    fid = int_param(p, "fid")
    if fid:
        try:
            board = reads.load_board(request, fid)
        except MobileError:
            return answer(2)
    try:
        permissions.check_upload(request.viewer, board)  # type: ignore[attr-defined]
    except PermissionDenied:
        return answer(2)
    file = request.FILES.get("Filedata")
    if file is None:
        return answer(9)
    try:
        att = upload(user, file)
    except ValidationError as exc:
        return HttpResponse(
            f"DISCUZUPLOAD|11|0|0|0|{exc.messages[0] if exc.messages else ''}",
            content_type="text/plain; charset=utf-8",
        )
    return answer(0, att.pk, 1 if getattr(att, "is_image", False) else 0)


#: Discuz! avatar sizes (``avatar.php``).
SIZES = frozenset({"small", "middle", "big"})


def avatar(request: HttpRequest) -> HttpResponse:
    """``/uc_server/avatar.php?uid=N&size=small|middle|big``: a redirect to the member's
    avatar (:func:`luntan.accounts.avatars.avatar_url`), by mobile uid (the Discuz! uid of
    an imported member); the generated default for an unknown uid or a guest (uid 0)."""
    uid = int_param(request.GET, "uid", 0) or 0
    size = request.GET.get("size") or "middle"
    if size not in SIZES:
        size = "middle"
    user = None
    if uid:
        pk = ids.decode_pk(User, "user", uid)
        if pk is not None:
            user = User.objects.filter(pk=pk).only("pk", "username", "avatar").first()
    response = HttpResponseRedirect(avatar_url(user, size))
    response["Cache-Control"] = "public, max-age=300"
    return response


def smiley_image(request: HttpRequest, name: str) -> HttpResponse:
    """``/static/image/smiley/<dir>/<file>``, where Discuz! apps load the images of the
    ``smiley`` module (mobile_api.md §2.8): a redirect to the stored smiley file
    (``default_storage`` name ``smilies/<dir>/<file>``, as the importer saves it). Only
    names of existing :class:`luntan.core.models.Smiley` rows are served; anything else
    is 404. A front proxy serving ``/static/`` itself must pass this prefix on."""
    stored = reads.SMILEY_PREFIX + name
    if not Smiley.objects.filter(image=stored).exists():
        raise Http404(name)
    response = HttpResponseRedirect(default_storage.url(stored))
    response["Cache-Control"] = "public, max-age=3600"
    return response
