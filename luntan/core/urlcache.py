"""``reverse()`` for the links a list page makes by the dozen, memoised.

A board page links each thread and a board index each board: ``reverse()`` walks the
URL resolver every time (about a tenth of a board page's CPU). The answer depends only on
the URL name, the id, the script prefix and the URLconf, so it is kept per process
(bounded; cleared when the ``ROOT_URLCONF`` setting changes, as in tests).
"""

from __future__ import annotations

import functools

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse


@functools.lru_cache(maxsize=65_536)
def _reverse(prefix: str, urlconf, name: str, pk: int) -> str:
    return reverse(name, args=[pk])


@functools.lru_cache(maxsize=65_536)
def _reverse_full(prefix: str, urlconf, name: str, args: tuple, kwargs: tuple, app) -> str:
    return reverse(name, args=args, kwargs=dict(kwargs), current_app=app)


def reverse_cached(
    name: str, args: tuple = (), kwargs: dict | None = None, current_app: str | None = None
) -> str:
    """``reverse(name, args=…, kwargs=…, current_app=…)`` memoised per process when every
    argument is a ``str`` or ``int`` (anything else, e.g. a lazy string, is reversed every
    time). Raises ``NoReverseMatch`` like ``reverse()``."""
    items = tuple(sorted(kwargs.items())) if kwargs else ()
    values = (*args, *(v for _, v in items))
    if all(type(v) in (int, str) for v in values) and (
        current_app is None or type(current_app) is str
    ):
        return _reverse_full(
            get_script_prefix(), get_urlconf(), name, tuple(args), items, current_app
        )
    return reverse(name, args=args, kwargs=kwargs, current_app=current_app)


def reverse_pk(name: str, pk: int) -> str:
    """``reverse(name, args=[pk])`` from the cache (e.g. ``"/t/12/"``). Raises
    ``NoReverseMatch`` like ``reverse()``."""
    return _reverse(get_script_prefix(), get_urlconf(), name, pk)


def _clear(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()
        _reverse_full.cache_clear()


setting_changed.connect(_clear, dispatch_uid="luntan_urlcache_clear")
