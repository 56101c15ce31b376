"""Sections other apps add to the 设置 page (``/accounts/settings/``): ``accounts`` is a
lower layer than the feature apps, so they register a :class:`SettingsSection` from their
``AppConfig.ready()`` (提醒设置: ``luntan.notifications``) and the page renders each one
under its own heading, in registration order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class SettingsSection:
    """A part of the settings page.

    ``anchor`` is its heading's id (``#anchor``) and the value of the ``action`` field its
    form posts to ``/accounts/settings/``; ``title`` the heading (lazy translated);
    ``handle(request, posted)`` returns the section's HTML (forms with CSRF tokens,
    escaped), or ``None`` when ``posted`` (the POST was for this section) and it saved
    it: the page then redirects to ``#anchor``. ``handle`` writes only through services.
    """

    anchor: str
    title: object
    handle: Callable[[HttpRequest, bool], str | None]


_sections: dict[str, SettingsSection] = {}


def register_settings_section(section: SettingsSection) -> None:
    """Add ``section`` to the settings page (again under the same anchor: replaced)."""
    _sections[section.anchor] = section


def settings_sections() -> list[SettingsSection]:
    """The registered sections, in registration order."""
    return list(_sections.values())
