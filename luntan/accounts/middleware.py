"""Keep the layout's ``site`` (SiteSettings) on django-allauth's pages; answer 404 for
the login pages of third-party providers the site has not configured.

allauth's login and sign-up views put the Django sites framework's ``site`` (a
``RequestSite``) into their template context, which would hide the site settings the
layout reads as ``site`` (site name, ICP number). Their ``TemplateResponse`` context is
put right before rendering.
"""

from __future__ import annotations

from luntan.core.models import SiteSettings, get_site_settings


class SiteContextMiddleware:
    """``process_template_response``: replace a non-SiteSettings ``site`` in the context."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_template_response(self, request, response):
        context = getattr(response, "context_data", None)
        if context and "site" in context and not isinstance(context["site"], SiteSettings):
            context["site"] = get_site_settings()
        return response

    def process_exception(self, request, exception):
        """A third-party login page (``/accounts/qq/login/`` …) of a provider the site has
        not configured (no ``SocialApp``) is a 404, not allauth's ``DoesNotExist`` 500."""
        from allauth.socialaccount.models import SocialApp
        from django.http import Http404

        if isinstance(exception, SocialApp.DoesNotExist):
            raise Http404("third-party login not configured")
        return None
