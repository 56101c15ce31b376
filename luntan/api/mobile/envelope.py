"""The wire format of the mobile API: every scalar a JSON string, the envelope
``{Version, Charset, Variables, Message}``, the session identity repeated in every reply,
and the ``formhash`` (the mobile API's CSRF token).

Rules from ``../shared/discuz/mobile_api.md`` §1.2–1.6 (Discuz! X3.4
``mobile_core::format()`` / ``mobile_core::variable()``): ints, floats and bools become
strings (``True`` → ``"1"``, ``False`` → ``""``), ``None`` stays ``null``; objects the
client casts to a map are always objects (``{}``, never ``[]``).

``formhash`` and Django's CSRF: the page forms carry Django's masked CSRF token; the
mobile API is exempt from Django's check (apps post form fields, not the
``X-CSRFToken`` header) and checks ``formhash`` instead. ``formhash`` is an HMAC of the
same per-browser CSRF secret (the ``csrftoken`` cookie Django sets on the first reply,
rotated at log-in), so it is bound to the cookie session exactly as Django's token is,
changes when the member logs in, and a page's cookie jar without that secret cannot
forge it. The secret itself never appears in a body.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_str
from django.utils.functional import Promise

from luntan.api.mobile import ids

#: What ``Version`` says: the API level served (the client always asks for 4).
VERSION = "4"
CHARSET = "UTF-8"
#: Discuz! ``cookiepre``; the client treats cookie names as opaque.
COOKIE_PREFIX = "luntan_"
#: Discuz! group id of guests (游客).
GUEST_GROUP = 7


def stringify(value: Any) -> Any:
    """``value`` with every scalar as a string: ``bool`` → ``"1"``/``""``, numbers →
    decimal text, ``datetime`` → Unix seconds, lazy translations → text, ``None`` kept;
    dicts and lists recursively (tuples become lists)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime):
        return str(int(value.timestamp()))
    if isinstance(value, Mapping):
        return {str(k): stringify(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [stringify(v) for v in value]
    if isinstance(value, Promise):
        return force_str(value)
    return str(value)


def json_response(data: Any, status: int = 200) -> HttpResponse:
    """``data`` as ``application/json`` (UTF-8, not ASCII-escaped)."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    response = HttpResponse(body, content_type="application/json; charset=utf-8", status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def _secret(request: HttpRequest) -> str:
    get_token(request)  # makes sure the request has a CSRF secret (set as a cookie)
    return str(request.META.get("CSRF_COOKIE") or "")


def formhash(request: HttpRequest) -> str:
    """The request's ``formhash``: 16 hex digits, an HMAC of the CSRF secret (see the
    module docstring)."""
    return salted_hmac("luntan.api.mobile.formhash", _secret(request)).hexdigest()[:16]


def saltkey(request: HttpRequest) -> str:
    """An 8-character value standing for Discuz!'s ``saltkey`` cookie (the client stores
    it and never sends it back); derived from the CSRF secret, not the secret itself."""
    return salted_hmac("luntan.api.mobile.saltkey", _secret(request)).hexdigest()[:8]


def formhash_ok(request: HttpRequest, value: str | None) -> bool:
    """True when ``value`` is this session's ``formhash`` (constant time)."""
    return bool(value) and constant_time_compare(str(value), formhash(request))


def ucenter_url(request: HttpRequest) -> str:
    """The absolute ``ucenterurl`` the client builds avatar URLs on (``{ucenterurl}/
    avatar.php?uid=N&size=…``): this site's ``/uc_server``."""
    path = reverse("mobile_avatar").rsplit("/", 1)[0]
    return request.build_absolute_uri(path)


def avatar_url(request: HttpRequest, uid: int, size: str = "small") -> str:
    """The avatar address of mobile uid ``uid`` as Discuz! writes it."""
    return f"{ucenter_url(request)}/avatar.php?uid={uid}&size={size}"


def member_fields(request: HttpRequest) -> dict[str, Any]:
    """The global ``Variables`` (mobile_api.md §1.4): the session identity and counters."""
    user = request.user
    member = user.is_authenticated
    uid = ids.encode("user", user) if member else 0
    viewer = request.viewer  # type: ignore[attr-defined]
    notice = {"newpush": 0, "newpm": 0, "newprompt": 0, "newmypost": 0}
    if member:
        from luntan.notifications.services import unread_count

        notice["newprompt"] = unread_count(user.pk or 0)
        notice["newpm"] = _unread_pms(user)
    return {
        "cookiepre": COOKIE_PREFIX,
        "auth": None,
        "saltkey": saltkey(request),
        "member_uid": uid,
        "member_username": user.username if member else "",
        "member_avatar": avatar_url(request, uid),
        "groupid": viewer.group_id if member else GUEST_GROUP,
        "formhash": formhash(request),
        "ismoderator": None,
        "readaccess": viewer.rights.read_access,
        "notice": notice,
    }


def _unread_pms(user: Any) -> int:
    """Unread private messages when the ``pms`` app is installed, else 0."""
    from luntan.api.mobile import pm_bridge

    return pm_bridge.unread(user)


def envelope(
    request: HttpRequest,
    variables: Mapping[str, Any] | None,
    message: tuple[str, str] | None = None,
    *,
    globals_: bool = True,
) -> HttpResponse:
    """The enveloped reply: ``Variables`` = the global fields merged with ``variables``
    (module fields win), ``Message`` when ``message`` = ``(messageval, messagestr)``.
    ``variables`` ``None`` gives ``"Variables": null`` (the ``secure`` module's "no
    captcha" answer)."""
    body: dict[str, Any] = {"Version": VERSION, "Charset": CHARSET}
    if variables is None:
        body["Variables"] = None
    else:
        merged = member_fields(request) if globals_ else {}
        merged.update(variables)
        body["Variables"] = merged
    if message is not None:
        body["Message"] = {"messageval": message[0], "messagestr": message[1]}
    response = json_response(stringify(body))
    return response


def debug_enabled() -> bool:
    """Whether DEBUG is on (the dispatcher then lets exceptions through)."""
    return bool(settings.DEBUG)


#: ``check`` keys X3.4 leaves as JSON numbers (the client ignores them; DiscuzHub reads longs).
CHECK_NUMBERS = frozenset({"totalposts", "totalmembers"})


def stringify_check(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The ``check`` answer: every value a string except :data:`CHECK_NUMBERS`."""
    return {k: (v if k in CHECK_NUMBERS else stringify(v)) for k, v in fields.items()}
