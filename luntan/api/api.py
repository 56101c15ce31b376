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
from luntan.api.endpoints import boards, members, posts, search, site, threads  # noqa: F401
from luntan.api.endpoints.common import router
from luntan.api.ratelimit import READ_THROTTLES

api = NinjaAPI(
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
