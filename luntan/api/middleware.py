"""Problem details for what never reaches the API's views.

:class:`ProblemMiddleware` (near the top of ``MIDDLEWARE``) turns every error answer
under ``/api/v1/`` that is not already JSON — an unknown path's 404 page, a 405, the IP
ban refusal of :class:`luntan.bans.middleware.BanMiddleware`, Django's 500 page — into an
``application/problem+json`` answer (:mod:`luntan.api.problems`), keeping ``Allow`` and
``Retry-After``. The browsable docs (``/api/v1/docs``) are the only HTML the API serves.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from luntan.api.problems import problem_response

PREFIX = "/api/v1/"

_DETAILS = {
    400: gettext_noop("请求格式不正确。"),
    401: gettext_noop("您需要登录后才可以访问。"),
    403: gettext_noop("您没有权限进行此操作。"),
    404: gettext_noop("您要找的内容不存在。"),
    405: gettext_noop("不支持该请求方法。"),
    413: gettext_noop("请求内容太大。"),
    429: gettext_noop("请求太频繁，请稍后再试。"),
}


class ProblemMiddleware:
    """See the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(PREFIX) or response.status_code < 400:
            return response
        kind = response.get("Content-Type", "")
        if "json" in kind:
            return response
        status = response.status_code
        detail = _DETAILS.get(status)
        problem = problem_response(
            request,
            status,
            None,
            _(detail) if detail else _("服务器出错了，请稍后再试。"),
        )
        for header in ("Allow", "Retry-After"):
            if response.has_header(header):
                problem[header] = response[header]
        return problem
