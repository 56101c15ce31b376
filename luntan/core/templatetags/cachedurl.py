"""``{% url %}`` with its answers memoised per process (a template builtin, see settings).

Django's ``{% url %}`` walks the URL resolver on every call; a thread page makes about 25
of them (header, menus, forms), about a tenth of a member's page CPU. The answer depends
only on the URL name, its ``str``/``int`` arguments, the script prefix, the URLconf and
the current app, so :func:`luntan.core.urlcache.reverse_cached` keeps it. The tag's
syntax and output are Django's own (it replaces the built-in tag of the same name).
"""

from __future__ import annotations

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from luntan.core.urlcache import reverse_cached

register = template.Library()


class CachedURLNode(defaulttags.URLNode):
    """:class:`django.template.defaulttags.URLNode` reversing through the memo."""

    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            match = getattr(request, "resolver_match", None)
            current_app = getattr(match, "namespace", None)
        url = ""
        try:
            url = reverse_cached(view_name, tuple(args), kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """``{% url "name" arg … [as var] %}``, as Django's, memoised (module docstring)."""
    node = defaulttags.url(parser, token)
    return CachedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
