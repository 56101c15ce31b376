"""Request types for view annotations.

django-stubs types ``request.user`` as ``User | AnonymousUser`` and cannot see a
``login_required`` decorator; :class:`MemberRequest` says what such a view receives.
"""

from __future__ import annotations

from django.http import HttpRequest

from luntan.accounts.models import User


class MemberRequest(HttpRequest):
    """The request of a view behind ``login_required``: ``request.user`` is a signed-in
    :class:`~luntan.accounts.models.User` (an annotation only; nothing is checked here)."""

    user: User
