"""Template context: ``viewer``, the request's :class:`~luntan.permissions.viewer.Viewer`.

Templates ask it (``{% if viewer.is_staff_moderator %}``) instead of comparing group ids;
nothing is computed until a template reads an attribute (the viewer is lazy).
"""

from __future__ import annotations

from django.http import HttpRequest

from luntan.permissions.middleware import build_viewer


def viewer(request: HttpRequest) -> dict:
    """``{"viewer": request.viewer}`` (a guest's viewer when the middleware did not run,
    e.g. on an error page)."""
    found = getattr(request, "viewer", None)
    if found is None:
        found = build_viewer(request)
    return {"viewer": found}
