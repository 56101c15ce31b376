"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error of ``/api/v1/`` is one JSON object::

    {"type": "about:blank", "title": "Not Found", "status": 404,
     "detail": "主题不存在或已被删除。", "code": "not_found", "instance": "/api/v1/threads/9"}

``code`` is stable (clients switch on it; the list is in ``docs/api.md``), ``title`` the
HTTP reason phrase, ``detail`` a sentence for people in the request's language. 422
answers add ``errors`` (``[{"loc": [...], "msg": "...", "type": "..."}]``), 429 answers
add ``retry_after`` (seconds, also in the ``Retry-After`` header).

:class:`Problem` is raised by endpoints and the auth/rate-limit layer; the handlers of
:func:`install_handlers` turn it and every other error of the API (validation, 404,
permission refusals, ``ValidationError`` of the posting pipeline, unexpected
exceptions) into such an answer. :class:`luntan.api.middleware.ProblemMiddleware` covers
what never reaches the API's views (unknown paths, IP-ban refusals, server errors).
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from luntan.core.models import get_site_settings
from luntan.permissions import BoardPasswordRequired, ThreadReadLevelDenied

CONTENT_TYPE = "application/problem+json"

logger = logging.getLogger(__name__)

#: The default ``code`` of each status when nothing more specific is known.
DEFAULT_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}

#: Posting pipeline error codes answered with 429 (flood control is a rate limit).
RATE_CODES = {"flood"}


class Problem(Exception):
    """An error answer: ``status`` (HTTP), ``code`` (stable, snake_case), ``detail`` (a
    translated sentence), ``headers`` (e.g. ``Retry-After``) and ``extra`` members."""

    def __init__(
        self,
        status: int,
        code: str | None = None,
        detail: str = "",
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or code or str(status))
        self.status = status
        self.code = code or DEFAULT_CODES.get(status, "error")
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem_response(
    request: HttpRequest | None,
    status: int,
    code: str | None = None,
    detail: str = "",
    *,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> HttpResponse:
    """The ``application/problem+json`` answer (see the module docstring)."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _title(status),
        "status": status,
        "detail": str(detail) if detail else _title(status),
        "code": code or DEFAULT_CODES.get(status, "error"),
    }
    if request is not None:
        body["instance"] = request.path
    body.update(extra)
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str),
        status=status,
        content_type=f"{CONTENT_TYPE}; charset=utf-8",
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def from_problem(request: HttpRequest, exc: Problem) -> HttpResponse:
    """The answer for a raised :class:`Problem`."""
    return problem_response(
        request, exc.status, exc.code, exc.detail, headers=exc.headers, **exc.extra
    )


def _clean_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """ninja/pydantic validation errors without the raw input (it may not be JSON)."""
    out = []
    for err in errors:
        loc = [str(part) for part in err.get("loc", ())]
        out.append({"loc": loc, "msg": str(err.get("msg", "")), "type": str(err.get("type", ""))})
    return out


def install_handlers(api) -> None:
    """Register the exception handlers of ``api`` (a ``NinjaAPI``) that answer with
    problem details. Unexpected exceptions are logged and answered with a 500 problem."""
    from ninja.errors import AuthenticationError, HttpError, Throttled
    from ninja.errors import ValidationError as NinjaValidationError

    def problem(request, exc: Problem):
        return from_problem(request, exc)

    def validation(request, exc: NinjaValidationError):
        return problem_response(
            request,
            422,
            "invalid",
            _("请求参数不正确。"),
            errors=_clean_errors(exc.errors),
        )

    def throttled(request, exc: Throttled):
        wait = max(1, int(exc.wait or 1) + (0 if float(exc.wait or 1).is_integer() else 1))
        return problem_response(
            request,
            429,
            "rate_limited",
            _("请求太频繁，请 %(n)d 秒后再试。") % {"n": wait},
            headers={"Retry-After": str(wait)},
            retry_after=wait,
        )

    def authentication(request, exc: AuthenticationError):
        return problem_response(request, 401, "not_authenticated", _("您需要登录后才可以访问。"))

    def http_error(request, exc: HttpError):
        status = exc.status_code
        detail = {
            400: _("请求格式不正确。"),
            403: _("您没有权限进行此操作。"),
            404: _("您要找的内容不存在。"),
            405: _("不支持该请求方法。"),
        }.get(status, str(exc))
        return problem_response(request, status, None, detail)

    def not_found(request, exc: Http404):
        return problem_response(request, 404, "not_found", _("您要找的内容不存在。"))

    def denied(request, exc: PermissionDenied):
        if isinstance(exc, BoardPasswordRequired):
            return problem_response(
                request,
                403,
                "board_password_required",
                _("该版块需要访问密码。"),
                board_id=exc.board.pk,
            )
        if isinstance(exc, ThreadReadLevelDenied):
            return problem_response(request, 403, "read_level", str(exc.args[0]))
        detail = str(exc.args[0]) if exc.args and exc.args[0] else _("您没有权限进行此操作。")
        return problem_response(request, 403, "forbidden", detail)

    def invalid(request, exc: DjangoValidationError):
        code = getattr(exc, "code", None) or "invalid"
        if getattr(exc, "error_list", None) and len(exc.error_list) == 1:
            code = exc.error_list[0].code or code
        detail = " ".join(str(m) for m in exc.messages)
        if code in RATE_CODES:
            wait = max(1, get_site_settings().flood_seconds)
            return problem_response(
                request,
                429,
                code,
                detail,
                headers={"Retry-After": str(wait)},
                retry_after=wait,
            )
        return problem_response(request, 422, code, detail)

    def unexpected(request, exc: Exception):
        logger.exception("API error on %s", request.path, exc_info=exc)
        return problem_response(request, 500, "server_error", _("服务器出错了，请稍后再试。"))

    api.add_exception_handler(Exception, unexpected)
    api.add_exception_handler(Problem, problem)
    api.add_exception_handler(NinjaValidationError, validation)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(AuthenticationError, authentication)
    api.add_exception_handler(Throttled, throttled)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(PermissionDenied, denied)
    api.add_exception_handler(DjangoValidationError, invalid)
