"""System checks of the accounts app.

``luntan.accounts.E001``: the human check (``LUNTAN_CAPTCHA``) is off while ``DEBUG`` is
off. It is an ``Error``, so ``luntan migrate``, ``runserver`` and ``check --deploy`` refuse
to run; only the test settings (``LUNTAN_TESTING = True``) or a developer's ``DEBUG=1`` may
switch the captcha off.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register


@register()
def captcha_is_on_in_production(app_configs=None, **kwargs) -> list[Error]:
    """Error when the captcha is off outside DEBUG and the test settings."""
    if getattr(settings, "LUNTAN_CAPTCHA", True):
        return []
    if settings.DEBUG or getattr(settings, "LUNTAN_TESTING", False):
        return []
    return [
        Error(
            "The human check (captcha) is switched off (LUNTAN_CAPTCHA=0) on a production "
            "site (DEBUG is off).",
            hint="Unset LUNTAN_CAPTCHA, or set DEBUG=1 on a development machine.",
            id="luntan.accounts.E001",
        )
    ]
