"""Forum events → webhook deliveries, registered from :class:`WebhooksConfig.ready`.

| event | hook | data |
|---|---|---|
| ``thread.created`` | posting ``on_created``, floor 1 (not held posts) | ``thread``, ``post`` |
| ``post.created`` | posting ``on_created``, a reply (not held) | ``thread``, ``post`` |
| ``post.edited`` | posting ``on_edited`` | ``thread``, ``post``, ``editor`` |
| ``post.deleted`` | posting ``on_deleted`` | ``thread``, ``post``, ``actor``, ``thread_deleted`` |
| ``member.registered`` | ``luntan.accounts.hooks`` | ``member`` |
| ``report.filed`` | ``luntan.moderation.hooks`` | ``report``, ``post``, ``reporter`` |

Each hook runs inside its use case's transaction; :func:`luntan.webhooks.services.
queue_event` records the deliveries there (rolled back with it) and enqueues them on
commit. Payloads carry ids, names, subjects, URLs and the sanitised post HTML — never
e-mail addresses or IPs; anonymous authors are ``null``.
"""

from __future__ import annotations

from typing import Any

from luntan.accounts.hooks import register_on_registered
from luntan.moderation.hooks import register_on_reported
from luntan.threads.hidden_content import public_html
from luntan.threads.posting import hooks
from luntan.webhooks.services import queue_event


def _member(user_id: int | None, name: str, anonymous: bool = False) -> dict | None:
    if anonymous or not user_id:
        return None
    return {"id": user_id, "username": name}


def _thread(thread: Any) -> dict:
    return {
        "id": thread.pk,
        "board_id": thread.board_id,
        "subject": thread.subject,
        "url": thread.get_absolute_url(),
    }


def _post(post: Any) -> dict:
    return {
        "id": post.pk,
        "thread_id": post.thread_id,
        "floor": post.floor,
        "author": _member(post.author_id, post.author_name, post.is_anonymous),
        "created": post.created,
        "html": public_html(post),  # a password post's protected text never leaves
        "url": post.get_absolute_url(),
    }


def on_created(request: Any, result: Any) -> None:
    post, thread = result.post, result.thread
    event = "thread.created" if post.floor == 1 else "post.created"
    queue_event(event, {"thread": _thread(thread), "post": _post(post)})


def on_edited(request: Any, result: Any) -> None:
    post = result.post
    editor = request.editor
    queue_event(
        "post.edited",
        {
            "thread": _thread(result.thread),
            "post": _post(post),
            "editor": _member(getattr(editor, "pk", None), getattr(editor, "username", "")),
        },
    )


def on_deleted(request: Any, post: Any, thread: Any, before_state: int) -> None:
    actor = request.actor
    queue_event(
        "post.deleted",
        {
            "thread": _thread(thread),
            "post": {"id": post.pk, "thread_id": post.thread_id, "floor": post.floor},
            "actor": _member(getattr(actor, "pk", None), getattr(actor, "username", "")),
            "thread_deleted": post.floor == 1,
        },
    )


def on_registered(user: Any) -> None:
    queue_event(
        "member.registered",
        {"member": {"id": user.pk, "username": user.username, "joined": user.date_joined}},
    )


def on_reported(report: Any) -> None:
    post = report.post
    queue_event(
        "report.filed",
        {
            "report": {"id": report.pk, "reason": report.reason, "created": report.created},
            "post": {"id": post.pk, "thread_id": post.thread_id, "floor": post.floor},
            "reporter": _member(report.reporter_id, report.reporter.username),
        },
    )


def register() -> None:
    """Plug the hooks in (idempotent)."""

    hooks.register_on_created(on_created)
    hooks.register_on_edited(on_edited)
    hooks.register_on_deleted(on_deleted)
    register_on_registered(on_registered)
    register_on_reported(on_reported)
