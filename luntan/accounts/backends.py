"""The login backend: Django's ``ModelBackend`` with the per-request user load precompiled.

Every request of a logged-in member loads its user row (``AuthenticationMiddleware`` →
``get_user``). Django builds and compiles that ``User.objects.get(pk=…)`` queryset each
time, several times the cost of running it; :data:`_USER` compiles it once per process
(:class:`luntan.core.precompiled.PrecompiledObjects`) and only executes it. One query, as
before; authentication, permissions and inactive-user rules are ``ModelBackend``'s.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from luntan.core.precompiled import PrecompiledObjects

_USER = PrecompiledObjects(
    lambda values: get_user_model()._default_manager.filter(pk=values["pk"]), slots=("pk",)
)
_MAX = 2**63


class ModelBackend(DjangoModelBackend):
    """``django.contrib.auth.backends.ModelBackend`` whose :meth:`get_user` runs a
    precompiled query. Sessions stored with Django's backend path keep working (that
    backend stays listed after this one in ``AUTHENTICATION_BACKENDS``)."""

    def get_user(self, user_id):
        """The active user with primary key ``user_id`` (an int or its string form from
        the session), or ``None`` when there is none, it is inactive, or the id is not
        an integer."""
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        if not -_MAX <= pk < _MAX:
            return None
        found = _USER.fetch(pk=pk)
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None
