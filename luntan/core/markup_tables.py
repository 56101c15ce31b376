"""The site's smilies and custom BBCode tags, handed to :mod:`luntan.markup`.

:func:`smiley_table` and :func:`custom_tag_specs` are registered as the markup
providers in ``CoreConfig.ready``; each is one query when cold and then served from the
cache for ``TABLE_CACHE_SECONDS`` (and from a 2-second copy per process, see
:mod:`luntan.markup.smilies`). :func:`forget_tables` drops both after a change (the
importer calls it; saving a row through the ORM does too).
"""

from __future__ import annotations

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db.models.signals import post_delete, post_save
from django.utils.html import escape

from luntan.markup import smilies
from luntan.markup.bbcode import custom
from luntan.markup.bbcode.nodes import TagSpec

from .models import CustomBBCode, Smiley

SMILEY_CACHE_KEY = "luntan:smilies:v1"
BBCODE_CACHE_KEY = "luntan:custom-bbcode:v1"
TABLE_CACHE_SECONDS = 300


def smiley_entries() -> list[dict[str, str]]:
    """The smilies of available sets, in display order, as dicts ``code``, ``url``
    (empty when there is no image) and ``emoji`` — for the renderer and the editor's
    smiley list. One query when the cache is cold."""
    found = cache.get(SMILEY_CACHE_KEY)
    if found is None:
        found = [
            {
                "code": s.code,
                "url": default_storage.url(s.image) if s.image else "",
                "emoji": s.emoji,
            }
            for s in Smiley.objects.filter(smiley_set__is_available=True)
            .select_related("smiley_set")
            .order_by("smiley_set__display_order", "smiley_set_id", "display_order", "pk")
        ]
        cache.set(SMILEY_CACHE_KEY, found, TABLE_CACHE_SECONDS)
    return found


def smiley_table() -> smilies.SmileyTable:
    """The :class:`~luntan.markup.smilies.SmileyTable` of :func:`smiley_entries`: the
    image when there is one, else the emoji (else the code as text)."""
    entries = {}
    for row in smiley_entries():
        if row["url"]:
            entries[row["code"]] = smilies.smiley_img(row["code"], row["url"])
        else:
            entries[row["code"]] = escape(row["emoji"] or row["code"])
    return smilies.make_table(entries)


def custom_tag_specs() -> dict[str, TagSpec]:
    """TagSpecs of the enabled :class:`CustomBBCode` rows (one query when cold)."""
    rows = cache.get(BBCODE_CACHE_KEY)
    if rows is None:
        rows = list(
            CustomBBCode.objects.filter(is_enabled=True).values_list("tag", "params", "replacement")
        )
        cache.set(BBCODE_CACHE_KEY, rows, TABLE_CACHE_SECONDS)
    return custom.make_specs(custom.CustomTag(*row) for row in rows)


def forget_tables(**_kwargs) -> None:
    """Drop the cached smilies and custom tags (this process and the shared cache)."""
    cache.delete_many([SMILEY_CACHE_KEY, BBCODE_CACHE_KEY])
    smilies.forget()
    custom.forget()


def connect() -> None:
    """Register the providers with :mod:`luntan.markup` and the cache invalidation."""
    smilies.set_provider(smiley_table)
    custom.set_provider(custom_tag_specs)
    for model in (Smiley, CustomBBCode):
        post_save.connect(forget_tables, sender=model, dispatch_uid=f"forget-{model.__name__}")
        post_delete.connect(forget_tables, sender=model, dispatch_uid=f"forget-d-{model.__name__}")
