"""The ``NinjaAPI`` of ``/api/v1/``: routers, auth, rate limits, problem handlers, docs.

The schema is served at ``/api/v1/openapi.json`` and Swagger UI at ``/api/v1/docs`` from
django-ninja's own static files (``ninja`` is in ``INSTALLED_APPS``: no CDN; the
validator badge, which would call validator.swagger.io, is switched off).
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from luntan.api import problems
from luntan.api.auth import READ_AUTH
from luntan.api.endpoints import (  # noqa: F401 - they register their operations
    attachments,
    boards,
    members,
    moderation,
    notifications,
    pms,
    posts,
    search,
    site,
    threads,
)
from luntan.api.endpoints.common import router
from luntan.api.ratelimit import READ_THROTTLES


class LuntanAPI(NinjaAPI):
    """``NinjaAPI`` whose schema documents error answers as ``application/problem+json``
    (what :mod:`luntan.api.problems` sends) instead of ``application/json``."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content") or {}
                    if int(status) >= 400 and "application/json" in content:
                        answer["content"] = {problems.CONTENT_TYPE: content["application/json"]}
        return schema


api = LuntanAPI(
    title="luntan API",
    version="1",
    description=(
        "luntan's JSON API. Errors are RFC 9457 problem details "
        "(application/problem+json) with a stable `code`; see docs/api.md."
    ),
    urls_namespace="api",
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    auth=READ_AUTH,
    throttle=READ_THROTTLES,
)
problems.install_handlers(api)

# The endpoint modules register their operations on one router (endpoints.common).
api.add_router("", router)
