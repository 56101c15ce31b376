"""Password posts (密码帖, Discuz! ``[password]secret[/password]`` in a post; X3.4
``parsepassword()`` in source/function/function_discuzcode.php).

A post holding ``[password]…[/password]`` is locked: the floor shows "本帖为密码帖" and a
link to the password form instead of its content (attachments included) until the viewer
typed the password once in this session. Its author, the board's moderators, super
moderators and administrators always see it. The password itself is never shown
(:mod:`luntan.markup.bbcode.tags_password` renders the tag as nothing), and the post's
text stays out of search, snippets and quotes (:func:`luntan.markup.render_plain`
returns "" for it). The session stores, per unlocked post, a keyed fingerprint of the
password, so changing it in an edit locks every session out again.
"""

from __future__ import annotations

import re

from django.utils.crypto import constant_time_compare, salted_hmac

SESSION_KEY = "luntan_post_passwords"
_PASSWORD = re.compile(r"\[password\](.+?)\[/password\]", re.IGNORECASE | re.DOTALL)


def post_password(source: str | None) -> str | None:
    """The password of a post's BBCode ``source`` (the first ``[password]`` block, trimmed),
    or ``None`` when it has none."""
    found = _PASSWORD.search(source or "")
    if found is None:
        return None
    return found.group(1).strip() or None


def fingerprint(password: str) -> str:
    """A short keyed digest of ``password`` (what the session remembers)."""
    return salted_hmac("luntan.post-password", password).hexdigest()[:20]


def is_locked(post, user, *, moderator: bool, unlocked: dict | None) -> bool:
    """True when ``post`` has a password the viewer must still type: not the post's
    author, not a moderator of its board (``moderator``) or an administrator, and
    ``unlocked`` (the session's ``{post id (str): fingerprint}``) lacks it."""
    password = post_password(getattr(post, "source", ""))
    if password is None:
        return False
    member = user is not None and getattr(user, "is_authenticated", False)
    if member and (moderator or user.is_superuser or post.author_id == user.pk):
        return False
    return (unlocked or {}).get(str(post.pk)) != fingerprint(password)


def unlock(request, post, raw: str) -> bool:
    """Check ``raw`` against ``post``'s password; on success remember it in the session
    and return True."""
    password = post_password(post.source)
    if password is None or not constant_time_compare(raw.strip(), password):
        return False
    unlocked = dict(request.session.get(SESSION_KEY) or {})
    unlocked[str(post.pk)] = fingerprint(password)
    request.session[SESSION_KEY] = unlocked
    return True
