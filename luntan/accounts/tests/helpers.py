"""Test helpers: sign up through the real pages, read links out of the mail outbox,
solve an ALTCHA challenge the way the browser does."""

from __future__ import annotations

import base64
import html
import json
import re

import altcha
from django.core import mail

PASSWORD = "lun-tan-2024-pw"  # noqa: S105 - a test password that passes the validators


def signup(client, username: str, email: str, password: str = PASSWORD, **extra):
    """POST the sign-up form; returns the response."""
    data = {"username": username, "email": email, "password1": password, "password2": password}
    data.update(extra)
    return client.post("/accounts/signup/", data)


def last_link(path_part: str) -> str:
    """The last URL in the mail outbox containing ``path_part`` (as a path: /accounts/…)."""
    for message in reversed(mail.outbox):
        for url in re.findall(r"https?://[^\s]+", message.body):
            if path_part in url:
                return re.sub(r"^https?://[^/]+", "", url)
    raise AssertionError(f"no mail with a link containing {path_part!r}")


def solve_from_page(content: str) -> str:
    """Find the challenge embedded in a page's captcha widget, solve it, and return the
    payload the widget would post (base64 JSON)."""
    match = re.search(r'data-challenge="([^"]+)"', content)
    assert match, "no captcha challenge on the page"
    challenge = json.loads(html.unescape(match.group(1)))
    return solve(challenge)


def solve(challenge: dict) -> str:
    """Solve ``challenge`` (``altcha.Challenge.__dict__``) by brute force, as the widget's
    Web Worker does, and encode the payload."""
    solution = altcha.solve_challenge(
        challenge["challenge"],
        challenge["salt"],
        challenge["algorithm"],
        challenge.get("max_number") or challenge.get("maxnumber") or 1_000_000,
    )
    assert solution is not None
    payload = {
        "algorithm": challenge["algorithm"],
        "challenge": challenge["challenge"],
        "number": solution.number,
        "salt": challenge["salt"],
        "signature": challenge["signature"],
    }
    return base64.b64encode(json.dumps(payload).encode()).decode()


def totp(secret: str, *, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 TOTP (HMAC-SHA1) of a base32 ``secret`` at UNIX time ``at`` (now): the
    code an authenticator app shows."""
    import hashlib
    import hmac
    import struct
    import time

    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def activate_totp(user) -> tuple[str, list[str]]:
    """Give ``user`` an authenticator app and recovery codes as the setup page does
    (allauth's own activation); returns the base32 key and the recovery codes."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    existing = Authenticator.objects.filter(
        user=user, type=Authenticator.Type.RECOVERY_CODES
    ).first()
    rc = RecoveryCodes(existing) if existing else RecoveryCodes.activate(user)
    codes = rc.get_unused_codes()
    return secret, codes
