"""Where content rules plug into member names and signatures.

``accounts`` sits below the feature apps, so it does not import the censor word list
(:mod:`luntan.censor`); the censor app registers its checks here from its
``AppConfig.ready()``. With nothing registered a name passes and a signature is kept as
typed.

================================  ===================================  ==================
hook                              called                               registered by
================================  ===================================  ==================
:func:`register_name_check`       sign-up, social sign-up, admin        ``luntan.censor``
                                  rename (:func:`check_name`)
:func:`register_signature_screen` :func:`luntan.accounts.services.      ``luntan.censor``
                                  set_signature`
================================  ===================================  ==================

Registration is idempotent, so ``ready()`` may run more than once in tests.
"""

from __future__ import annotations

from collections.abc import Callable

#: ``check(name)``: returns nothing; raises ``ValidationError`` to refuse the name.
NameCheck = Callable[[str], None]
#: ``screen(text)`` → the text to store (replacements made); raises ``ValidationError``
#: to refuse it.
SignatureScreen = Callable[[str], str]

_name_checks: list[NameCheck] = []
_signature_screens: list[SignatureScreen] = []


def register_name_check(check: NameCheck) -> None:
    """Add a check every new or changed member name must pass (see :data:`NameCheck`)."""
    if check not in _name_checks:
        _name_checks.append(check)


def register_signature_screen(screen: SignatureScreen) -> None:
    """Add a screen every signature passes through (see :data:`SignatureScreen`)."""
    if screen not in _signature_screens:
        _signature_screens.append(screen)


def check_name(name: str) -> None:
    """Run every registered name check on ``name``; raises the first ``ValidationError``."""
    for check in _name_checks:
        check(name)


def screen_signature(text: str) -> str:
    """``text`` through every registered signature screen, in registration order.
    Raises ``ValidationError`` when a screen refuses it."""
    for screen in _signature_screens:
        text = screen(text)
    return text
