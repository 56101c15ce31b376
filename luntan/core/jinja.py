"""The Jinja2 environment of luntan's precompiled templates (``TEMPLATES["jinja2"]``).

Django templates are interpreted node by node; Jinja2 compiles a template to Python once,
which makes a loop of 20 floors cost about what hand-written Python costs. Only hot
loops use it (the thread page's floors, ``luntan/threads/jinja2/threads/_floors.html``);
pages stay Django templates.

In these templates: ``{{ _("楼主") }}`` translates with Django's catalogs (the active
language of the request; ``makemessages`` extracts ``_("…")`` from ``.html`` files),
every ``{{ value }}`` is HTML-escaped unless it is safe (Django ``SafeString`` or
``Markup``), and block tags swallow their own line (``trim_blocks``/``lstrip_blocks``),
so templates can be indented normally without spreading whitespace into the page.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, ngettext
from jinja2 import Environment


def environment(**options: Any) -> Environment:
    """Build the environment Django's Jinja2 backend uses (``options`` from the backend:
    loader, autoescape, auto_reload …) with the i18n extension bound to Django's
    ``gettext``/``ngettext`` and block-line trimming."""
    options.setdefault("extensions", [])
    options["extensions"] = [*options["extensions"], "jinja2.ext.i18n"]
    options.setdefault("trim_blocks", True)
    options.setdefault("lstrip_blocks", True)
    options.pop("autoescape", None)  # always on: these templates write HTML
    env = Environment(autoescape=True, **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env
