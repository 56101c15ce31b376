"""``/healthz`` and ``/metrics``, answered before sessions, bans, host checks and the
HTTPS redirect (a load balancer probes by IP over plain HTTP), and request metrics.

Put :class:`OpsMiddleware` right after :class:`luntan.core.proxy.ForwardedForMiddleware`
in ``MIDDLEWARE`` so that ``REMOTE_ADDR`` is already the client for the ``/metrics``
allow list and every other request is measured whole.
"""

from __future__ import annotations

import ipaddress
import time

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from prometheus_client import CONTENT_TYPE_LATEST

from luntan.core.proxy import parse_networks
from luntan.ops import health, metrics

HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"


def metrics_allowed(remote_addr: str) -> bool:
    """Return True when ``remote_addr`` is inside ``settings.LUNTAN_METRICS_ALLOW``
    (addresses or networks; default loopback only)."""
    allowed = parse_networks(getattr(settings, "LUNTAN_METRICS_ALLOW", ["127.0.0.1", "::1"]))
    try:
        address = ipaddress.ip_address(remote_addr)
    except ValueError:
        return False
    return any(address.version == net.version and address in net for net in allowed)


class OpsMiddleware:
    """Answer ``GET /healthz`` (JSON, 200 or 503) and ``GET /metrics`` (Prometheus text,
    403 outside the allow list); time and count every other response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path in (HEALTH_PATH, HEALTH_PATH + "/"):
            return self.healthz(request)
        if path in (METRICS_PATH, METRICS_PATH + "/"):
            return self.metrics(request)
        started = time.perf_counter()
        response = self.get_response(request)
        metrics.observe(response.status_code, time.perf_counter() - started)
        return response

    def healthz(self, request) -> HttpResponse:
        """The health report: 200 when healthy, 503 otherwise; never cached."""
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        healthy, report = health.health()
        response = JsonResponse(report, status=200 if healthy else 503)
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex"
        return response

    def metrics(self, request) -> HttpResponse:
        """The Prometheus exposition of this process, for allowed addresses only."""
        if not metrics_allowed(request.META.get("REMOTE_ADDR", "")):
            return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        response = HttpResponse(metrics.exposition(), content_type=CONTENT_TYPE_LATEST)
        response["Cache-Control"] = "no-store"
        return response
