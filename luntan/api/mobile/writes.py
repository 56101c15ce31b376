"""The write modules of the mobile API: ``login``, ``secure``, ``sendreply``,
``newthread``, ``mobilesign``, ``favthread``, ``favforum``, ``pollvote``, ``topicadmin``,
``forumupload``, ``sendpm``.

Every write checks the ``formhash`` (:func:`luntan.api.mobile.envelope.formhash_ok`;
``login`` needs none, as in Discuz!), then the pages' permission functions, then calls
the one service of its use case: the posting pipeline for posts (length limits, flood
control, markup rights, censor words, the review queue), the favourites, polls and
moderation services. Success answers carry the Discuz! message keys the apps test
(``login_succeed``, ``post_reply_succeed``, ``post_newthread_succeed``, ``do_success``,
``mobilesign_success``).

The captcha: luntan's is a proof-of-work check (ALTCHA) that runs in a browser, which
the Discuz! apps cannot solve. So where the pages would ask for it — posting by members
who must solve it (:func:`luntan.permissions.captcha_required_for`), logging in after
``LUNTAN_CAPTCHA_LOGIN_FAILURES`` failures from the address — the mobile API refuses
(``submit_seccode_invalid``, ``login_strike``) and tells the member to use the web page,
rather than let an app skip the check.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth import authenticate
from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _

from luntan import markup, permissions
from luntan.accounts.captcha import login_needs_captcha
from luntan.api.mobile import envelope, ids, pm_bridge
from luntan.api.mobile.common import MobileError, int_param, need_member, refusal, text_param
from luntan.api.mobile.reads import load_board, load_thread
from luntan.markup import limits as markup_limits
from luntan.permissions.middleware import attach_viewer, build_viewer
from luntan.permissions.posting import posting_limits_apply
from luntan.threads import posting
from luntan.threads.models import Post
from luntan.threads.posting import PostInput, Trust

Vars = dict[str, Any]
Answer = tuple[Vars, tuple[str, str]]

#: Pipeline error codes → Discuz! message keys (lang_message.php).
POSTING_KEYS = {
    "empty": "post_sm_isnull",
    "too_short": "post_sm_isnull",
    "too_long": "post_message_toolong",
    "flood": "post_flood_ctrl",
    "closed": "post_thread_closed",
    "thread": "thread_nonexistence",
    "subject": "post_subject_isnull",
    "type": "post_type_isnull",
    "censored": "word_banned",
}

#: The longest session a log-in may ask for (Discuz! ``cookietime``, the apps send 30 days).
MAX_COOKIE_SECONDS = 30 * 24 * 3600


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _require_post(request: HttpRequest, p: QueryDict, field: str = "formhash") -> None:
    """A write must be a POST carrying this session's formhash (Discuz! ``submitcheck``);
    ``submit_invalid`` otherwise."""
    if request.method != "POST" or not envelope.formhash_ok(
        request, p.get(field) or p.get("formhash")
    ):
        raise MobileError("submit_invalid", _("您的请求来路不正确或表单验证串不符，无法提交。"))


def _posting_error(exc: ValidationError) -> MobileError:
    code = getattr(exc, "code", None) or ""
    if not code and getattr(exc, "error_list", None):
        code = exc.error_list[0].code or ""
    text = exc.messages[0] if exc.messages else _("提交失败。")
    return MobileError(POSTING_KEYS.get(code, "post_invalid"), text)


def _no_captcha_bypass(request: HttpRequest) -> None:
    if permissions.captcha_required_for(request.viewer):  # type: ignore[attr-defined]
        raise MobileError(
            "submit_seccode_invalid", _("您所在的用户组发帖需要验证码，请在网页上发帖。")
        )


def _attachment_ids(p: QueryDict) -> list[int]:
    """Upload ids claimed by ``attachnew[aid][…]`` keys and ``unused[]`` / ``attachnew[]``
    values (what DiscuzHub sends); junk is ignored."""
    found: list[int] = []
    for key in p:
        if key.startswith("attachnew[") and "]" in key:
            raw = key[len("attachnew[") : key.index("]")]
            if raw.isascii() and raw.isdigit() and len(raw) < 19:
                found.append(int(raw))
    for key in ("unused[]", "unused", "attachnew[]"):
        for raw in p.getlist(key):
            if raw.isascii() and raw.isdigit() and len(raw) < 19:
                found.append(int(raw))
    return list(dict.fromkeys(found))[:50]


# --- login, secure --------------------------------------------------------------------------


def login(request: HttpRequest, p: QueryDict) -> Answer:
    """Log in with ``username`` and ``password`` (no formhash, as in Discuz!): the
    Django session cookie is set (for ``cookietime`` seconds, at most 30 days; else the
    site's session age), ``login_succeed`` with the member's ``Variables`` (uid, formhash
    after the log-in). Failures: ``login_invalid``; ``user_banned`` for a member banned
    from visiting (禁止访问); ``login_mfa_required`` for an account with two-factor
    sign-in (the client cannot send a code); ``login_strike`` once the address
    must solve the page's captcha (see the module docstring)."""
    username = text_param(p, "username", 150).strip()
    password = text_param(p, "password", 4096)
    ip = _ip(request)
    if login_needs_captcha(ip):
        raise MobileError("login_strike", _("密码错误次数过多，请稍后重新登录，或在网页上登录。"))
    user = (
        authenticate(request, username=username, password=password)
        if username and password
        else None
    )
    if user is None:
        raise MobileError("login_invalid", _("登录失败，用户名或密码错误。"))
    if is_mfa_enabled(user):
        # The Discuz! client has no field for a second factor: a password alone must
        # not open an account protected by 两步验证 (allauth.mfa).
        raise MobileError(
            "login_mfa_required",
            _(
                "您的账号已启用两步验证，客户端无法输入验证码。请在网页上登录，或使用 API 访问令牌。"
            ),
        )
    django_login(request, user)
    viewer = attach_viewer(request, build_viewer(request)).viewer
    if not viewer.rights.allow_visit:  # 禁止访问: the ban middleware would log them out
        django_logout(request)
        attach_viewer(request, build_viewer(request))
        raise MobileError("user_banned", _("抱歉，您的账号已被禁止访问。"))
    seconds = int_param(p, "cookietime", 0, MAX_COOKIE_SECONDS) or 0
    if seconds:
        request.session.set_expiry(seconds)
    return {"auth": None}, (
        "login_succeed",
        _("欢迎您回来，%(name)s，现在将转入登录前页面。") % {"name": user.username},
    )


def secure(request: HttpRequest, p: QueryDict) -> Vars | None:
    """Which captcha a form needs (``type`` login or post). ``None`` — the envelope's
    ``"Variables": null`` — when none, X3.4's no-captcha answer. When the page would ask
    for one, the answer names it with ``sechash`` and a ``seccode`` link to the web page;
    the write itself is then refused (see the module docstring)."""
    kind = (p.get("type") or "").strip()
    if kind == "login":
        needed = login_needs_captcha(_ip(request))
        page = "/accounts/login/"
    else:
        needed = request.user.is_authenticated and permissions.captcha_required_for(request.viewer)  # type: ignore[attr-defined]
        page = "/"
    if not needed:
        return None
    return {
        "sechash": envelope.formhash(request)[:8],
        "seccode": request.build_absolute_uri(page),
        "secqaa": "",
    }


# --- posting -------------------------------------------------------------------------------


def _trust(request: HttpRequest, moderator: bool) -> Trust:
    if posting_limits_apply(request.viewer, moderator=moderator):  # type: ignore[attr-defined]
        return Trust.MEMBER
    return Trust.MODERATOR


def _body(p: QueryDict) -> str:
    message = text_param(p, "message")
    trim = text_param(p, "noticetrimstr", 20_000).strip()
    if trim:
        message = f"{trim}\n\n{message}"
    return message


def _check_markup(body: str) -> None:
    try:
        markup.check_input(body, "bbcode", markup_limits.POST)
    except ValidationError as exc:
        raise _posting_error(exc) from None


def _written(result: Any, ok: str, held: str, text_ok: str) -> Answer:
    base = ids.offset()
    out = {
        "tid": ids.encode("thread", result.thread, base),
        "pid": ids.encode("post", result.post, base),
    }
    if result.held:
        return out, (held, str(result.message or _("您的帖子需要审核后才能显示。")))
    return out, (ok, text_ok)


def sendreply(request: HttpRequest, p: QueryDict) -> Answer:
    """回复 ``tid`` with ``message`` (BBCode; ``noticetrimstr`` — the app's ready-made
    quote — goes first), quoting ``repquote``/``reppid`` when given, binding uploads
    from ``attachnew[aid]``. The checks of ``/t/<id>/reply/``; ``post_reply_succeed``
    (``post_reply_mod_succeed`` when held for review) with ``tid`` and ``pid``."""
    need_member(request)
    _require_post(request, p)
    thread = load_thread(request, int_param(p, "tid"))
    viewer = request.viewer  # type: ignore[attr-defined]
    moderator = permissions.is_moderator(viewer, thread.board)
    try:
        permissions.check_reply(viewer, thread, moderator=moderator)
    except PermissionDenied as exc:
        if thread.closed:
            raise MobileError(
                "post_thread_closed", str(exc) or _("本主题已关闭，不能回复。")
            ) from None
        raise MobileError(
            "post_forum_newreply_nopermission", str(exc) or _("您没有权限在该版块回复。")
        ) from None
    _no_captcha_bypass(request)
    quote = None
    quoted = int_param(p, "repquote") or int_param(p, "reppid")
    if quoted:
        pk = ids.decode_pk(Post, "post", quoted)
        quote = posting.quotable_posts(thread).filter(pk=pk).first() if pk else None
        if quote is None:
            raise MobileError("post_invalid", _("只能引用本主题中的帖子。"))
    body = _body(p)
    _check_markup(body)
    try:
        result = posting.submit(
            posting.PostRequest(
                author=request.user,  # type: ignore[arg-type]
                body=PostInput(body, "bbcode"),
                trust=_trust(request, moderator),
                thread=thread,
                quote=quote,
                attachment_ids=_attachment_ids(p),
                ip=_ip(request),
                viewer=viewer,
            )
        )
    except ValidationError as exc:
        raise _posting_error(exc) from None
    except PermissionDenied as exc:
        raise refusal(request, exc) from None
    return _written(result, "post_reply_succeed", "post_reply_mod_succeed", _("回复发布成功"))


def newthread(request: HttpRequest, p: QueryDict) -> Answer:
    """发新帖 in ``fid`` with ``subject``, ``message``, ``typeid`` and uploads
    (``unused[]``/``attachnew``). The checks of ``/f/<id>/new/``;
    ``post_newthread_succeed`` (``…_mod_succeed`` when held) with ``tid`` and ``pid``."""
    from luntan.boards.models import ThreadType

    need_member(request)
    _require_post(request, p)
    board = load_board(request, int_param(p, "fid"))
    viewer = request.viewer  # type: ignore[attr-defined]
    try:
        permissions.check_start_thread(viewer, board)
    except PermissionDenied as exc:
        raise MobileError(
            "post_forum_newthread_nopermission", str(exc) or _("您没有权限在该版块发帖。")
        ) from None
    _no_captcha_bypass(request)
    thread_type = None
    typeid = int_param(p, "typeid")
    if typeid:
        thread_type = ThreadType.objects.filter(board=board, pk=typeid).first()
        if thread_type is None:
            raise MobileError("post_type_isnull", _("请选择本版块的主题分类。"))
    body = text_param(p, "message")
    _check_markup(body)
    moderator = permissions.is_moderator(viewer, board)
    try:
        result = posting.submit(
            posting.PostRequest(
                author=request.user,  # type: ignore[arg-type]
                body=PostInput(body, "bbcode"),
                trust=_trust(request, moderator),
                board=board,
                subject=text_param(p, "subject", 1000),
                thread_type=thread_type,
                attachment_ids=_attachment_ids(p),
                ip=_ip(request),
                viewer=viewer,
            )
        )
    except ValidationError as exc:
        raise _posting_error(exc) from None
    except PermissionDenied as exc:
        raise refusal(request, exc) from None
    return _written(
        result, "post_newthread_succeed", "post_newthread_mod_succeed", _("主题发布成功")
    )


# --- small writes ----------------------------------------------------------------------------


def mobilesign(request: HttpRequest, p: QueryDict) -> Answer:
    """The app's daily check-in (``hash`` = formhash): the credit rule ``mobilesign``
    when the site defines one (:func:`luntan.credits.services.award`; its cycle limits
    apply). ``mobilesign_success`` when credits were given, ``mobilesign_failed``
    otherwise (already signed today, or no such rule)."""
    from luntan.credits.services import award

    user = need_member(request)
    if request.method != "POST" or not envelope.formhash_ok(
        request, p.get("hash") or p.get("formhash")
    ):
        raise MobileError(
            "mobilesign_formhash_failed", _("您的请求来路不正确或表单验证串不符，无法提交。")
        )
    if award(user, "mobilesign") is None:
        raise MobileError("mobilesign_failed", _("今天已经签到过了，或本站没有签到奖励。"))
    return {}, ("mobilesign_success", _("签到成功"))


def _favorite(request: HttpRequest, p: QueryDict, kind: str) -> Answer:
    from luntan.favorites.models import Favorite
    from luntan.favorites.services import add_favorite, remove_favorite

    user = need_member(request)
    _require_post(request, p)
    viewer = request.viewer  # type: ignore[attr-defined]
    if p.get("op") == "delete" or p.get("deletesubmit"):
        favid = int_param(p, "favid")
        fav = (
            Favorite.objects.filter(pk=favid, user=user).select_related("thread", "board").first()
            if favid
            else None
        )
        if fav is None:
            raise MobileError("favorite_does_not_exist", _("收藏不存在。"))
        remove_favorite(user, thread=fav.thread, board=fav.board)
        return {}, ("do_success", _("操作成功"))
    if kind == "thread":
        thread = load_thread(request, int_param(p, "id"))
        try:
            permissions.check_favorite_thread(viewer, thread)
        except PermissionDenied as exc:
            raise refusal(request, exc) from None
        _fav, created = add_favorite(user, thread=thread)
    else:
        board = load_board(request, int_param(p, "id"))
        try:
            permissions.check_favorite_board(viewer, board)
        except PermissionDenied as exc:
            raise refusal(request, exc) from None
        _fav, created = add_favorite(user, board=board)
    if not created:
        raise MobileError("favorite_repeat", _("抱歉，您已收藏，请勿重复收藏。"))
    return {"favid": _fav.pk}, ("do_success", _("收藏成功"))


def favthread(request: HttpRequest, p: QueryDict) -> Answer:
    """收藏 thread ``id`` (or delete favourite ``favid`` with ``op=delete``): ``do_success``."""
    return _favorite(request, p, "thread")


def favforum(request: HttpRequest, p: QueryDict) -> Answer:
    """收藏 board ``id`` (or delete ``favid``): ``do_success``."""
    return _favorite(request, p, "board")


def pollvote(request: HttpRequest, p: QueryDict) -> Answer:
    """Vote in the poll of ``tid`` for ``pollanswers[]`` (``polloptionid`` values from
    viewthread's ``special_poll``): :func:`luntan.permissions.check_vote`, then
    :func:`luntan.polls.services.vote`. ``thread_poll_succeed``."""
    from luntan.polls.models import Poll
    from luntan.polls.services import vote

    user = need_member(request)
    _require_post(request, p)
    thread = load_thread(request, int_param(p, "tid"))
    poll = Poll.objects.filter(thread_id=thread.pk).first()
    if poll is None:
        raise MobileError("poll_not_found", _("该主题不是投票。"))
    try:
        permissions.check_vote(request.viewer, thread, poll)  # type: ignore[attr-defined]
        vote(poll.pk, user, p.getlist("pollanswers[]") or p.getlist("pollanswers"))
    except PermissionDenied as exc:
        raise refusal(request, exc) from None
    except ValidationError as exc:
        raise MobileError("poll_invalid", exc.messages[0]) from None
    return {"tid": ids.encode("thread", thread)}, ("thread_poll_succeed", _("投票成功"))


#: topicadmin ``action`` → the moderation page's post action.
TOPICADMIN_ACTIONS = {"delpost": "delete", "banpost": "ban", "warn": "warn"}


def topicadmin(request: HttpRequest, p: QueryDict) -> Answer:
    """Moderator actions on posts of ``tid``: ``action`` ``delpost`` (删除), ``banpost``
    (屏蔽; ``banned=0`` shows it again), ``warn`` (警告) on ``topiclist[]`` (mobile pids),
    with ``reason``. The checks and services of ``/mod/t/<id>/posts/``
    (:func:`luntan.permissions.check_moderate_post`, :mod:`luntan.moderation.posts`)."""
    from luntan.moderation import services

    user = need_member(request)
    _require_post(request, p)
    if permissions.must_set_up_mfa(request.viewer):  # type: ignore[attr-defined]
        raise MobileError(
            "admin_nopermission",
            _("本站要求管理人员启用两步验证。请先在网页上设置验证器应用或通行密钥。"),
        )
    action = TOPICADMIN_ACTIONS.get(p.get("action") or "")
    if action is None:
        raise MobileError("undefined_action", _("未定义操作。"))
    thread = load_thread(request, int_param(p, "tid"))
    pks = [
        ids.decode_pk(Post, "post", int_param(QueryDict(f"v={v}"), "v"))
        for v in p.getlist("topiclist[]")[:100]
    ]
    posts = list(
        Post.objects.filter(thread=thread, pk__in=[pk for pk in pks if pk])
        .select_related("thread__board__parent__parent")
        .order_by("-floor")
    )
    if not posts or len(posts) != len(pks):
        raise MobileError("admin_nopermission", _("请选择本主题中的帖子。"))
    reason = text_param(p, "reason", 200)
    ip = _ip(request)
    try:
        for post in posts:
            permissions.check_moderate_post(request.viewer, post)  # type: ignore[attr-defined]
        rights = {"delete": "delete_post", "ban": "ban_post", "warn": "warn_post"}
        viewer = request.viewer  # type: ignore[attr-defined]
        permissions.check_moderation_right(viewer, rights[action])
        for post in posts:
            if action == "delete":
                services.delete_post(post, actor=user, reason=reason, ip=ip)
            elif action == "ban":
                services.ban_post(
                    post, actor=user, banned=p.get("banned", "1") != "0", reason=reason, ip=ip
                )
            else:
                services.warn_author(post, actor=user, reason=reason, ip=ip)
    except PermissionDenied as exc:
        raise MobileError("admin_nopermission", str(exc) or _("您没有权限进行此操作。")) from None
    except ValidationError as exc:
        raise MobileError("admin_invalid", exc.messages[0]) from None
    return {}, ("admin_succeed", _("操作成功"))


def sendpm(request: HttpRequest, p: QueryDict) -> Answer:
    """Send ``message`` to member ``touid`` (:func:`luntan.pms.services.send_message`:
    its blacklist, accept setting, daily limit and censor checks): ``do_success``."""
    from luntan.accounts.models import User

    need_member(request)
    _require_post(request, p)
    pk = ids.decode_pk(User, "user", int_param(p, "touid"))
    recipient = User.objects.filter(pk=pk, is_active=True).first() if pk else None
    if recipient is None:
        raise MobileError("message_can_not_send_2", _("收件人不存在。"))
    try:
        pm_bridge.send(request, p, recipient, text_param(p, "message", 20_000))
    except PermissionDenied as exc:
        raise MobileError("message_can_not_send", str(exc) or _("您不能发送短消息。")) from None
    except ValidationError as exc:
        raise MobileError("message_can_not_send", exc.messages[0]) from None
    return {}, ("do_success", _("操作成功"))
