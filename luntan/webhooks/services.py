"""Webhook use cases: register, queue an event, deliver (with retries), retry what is due.

Every write to :class:`~luntan.webhooks.models.Webhook` and
:class:`~luntan.webhooks.models.Delivery` happens here, each in a transaction.

Delivery: ``POST`` of the JSON payload ``{"event", "delivery", "created", "data"}`` with
headers ``Content-Type: application/json``, ``User-Agent: luntan-webhooks``,
``X-Luntan-Event``, ``X-Luntan-Delivery`` (the delivery id) and ``X-Luntan-Signature:
sha256=<hex HMAC-SHA256 of the body with the webhook's secret>`` (as GitHub's
``X-Hub-Signature-256``). A 2xx answer is delivered; anything else (other status,
connection error, timeout, unsafe target) is an attempt that failed: it is retried after
:data:`BACKOFF` (30 s, 2 min, 10 min, 1 h), then the delivery is marked failed after
:data:`MAX_ATTEMPTS`. Retries are enqueued on the task queue with ``run_after`` when the
backend defers tasks (the database backend does), and ``luntan retry_webhooks`` enqueues
any delivery that is due (e.g. with the immediate backend).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from luntan.core.cache import shared as cache  # one count for every worker
from luntan.webhooks import transport
from luntan.webhooks.models import EVENTS, Delivery, Webhook
from luntan.webhooks.tasks import deliver_task

MAX_ATTEMPTS = 5
#: Wait before attempt 2, 3, 4, 5.
BACKOFF = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10), timedelta(hours=1))


def new_secret() -> str:
    """A random signing secret (43 URL-safe characters)."""
    return secrets.token_urlsafe(32)


def sign(secret: str, body: bytes) -> str:
    """``sha256=<hex>``: the HMAC-SHA256 of ``body`` with ``secret``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def check_webhook(url: str, events: list[str], *, allow_private: bool) -> None:
    """Raise ``ValidationError`` (codes ``url``, ``events``) for an http(s) URL that is
    unsafe to call (see :mod:`luntan.webhooks.transport`) or unknown events."""
    unknown = set(events) - set(EVENTS)
    if not events or unknown:
        raise ValidationError(_("请选择要通知的事件。"), code="events")
    try:
        transport.resolve(url, allow_private=allow_private)
    except transport.UnsafeTarget as exc:
        raise ValidationError(
            _("该地址不能用作网络钩子：%(reason)s") % {"reason": exc}, code="url"
        ) from exc


def save_webhook(webhook: Webhook) -> Webhook:
    """Save ``webhook`` (the admin's form) after :func:`check_webhook`; a new one gets a
    secret if none was given. Raises ``ValidationError``."""
    check_webhook(webhook.url, list(webhook.events), allow_private=webhook.allow_private)
    if not webhook.secret:
        webhook.secret = new_secret()
    if webhook.created is None:
        webhook.created = timezone.now()
    with transaction.atomic():
        webhook.save()
    return webhook


#: Cache key of the events some active webhook subscribes to (a sorted list of names).
SUBSCRIBED_KEY = "luntan:webhooks:subscribed"


def subscribed_events() -> frozenset[str]:
    """The events at least one active webhook subscribes to, from the cache (no query once
    warm; every save or delete of a :class:`Webhook` forgets it, see :func:`forget_subscribed`)."""
    names = cache.get(SUBSCRIBED_KEY)
    if names is None:
        rows = Webhook.objects.filter(is_active=True).values_list("events", flat=True)
        names = sorted({e for events in rows for e in (events or [])})
        cache.set(SUBSCRIBED_KEY, names, None)
    return frozenset(names)


def forget_subscribed(**_kwargs: Any) -> None:
    """Drop the cached :func:`subscribed_events` (connected to the Webhook's save and delete
    signals, so the admin's edits count too)."""
    cache.delete(SUBSCRIBED_KEY)


post_save.connect(forget_subscribed, sender=Webhook, dispatch_uid="webhooks-subscribed-save")
post_delete.connect(forget_subscribed, sender=Webhook, dispatch_uid="webhooks-subscribed-delete")


def queue_event(event: str, data: dict[str, Any], *, now: datetime | None = None) -> list[int]:
    """Record one delivery of ``event`` (``data``: JSON-serialisable) per active webhook
    subscribed to it and enqueue them after the current transaction commits. Returns the
    delivery ids. No query when no active webhook subscribes to ``event`` (the cached
    :func:`subscribed_events`), one for the webhook list otherwise."""
    now = now or timezone.now()
    if event not in subscribed_events():
        return []
    hooks = [w for w in Webhook.objects.filter(is_active=True) if event in (w.events or [])]
    if not hooks:
        return []
    ids = []
    with transaction.atomic():
        for webhook in hooks:
            delivery = Delivery.objects.create(
                webhook=webhook,
                event=event,
                payload={},
                created=now,
                next_attempt_at=now,
            )
            delivery.payload = {
                "event": event,
                "delivery": delivery.pk,
                "created": now.isoformat(),
                "data": json.loads(json.dumps(data, cls=DjangoJSONEncoder)),
            }
            Delivery.objects.filter(pk=delivery.pk).update(payload=delivery.payload)
            ids.append(delivery.pk)
    transaction.on_commit(lambda: _enqueue(ids))
    return ids


def _enqueue(ids: list[int], run_after: datetime | None = None) -> None:

    task = deliver_task
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # picked up by ``luntan retry_webhooks``
        task = task.using(run_after=run_after)
    for delivery_id in ids:
        task.enqueue(delivery_id)


def deliver(delivery_id: int, *, now: datetime | None = None) -> Delivery | None:
    """Attempt delivery ``delivery_id`` once (if still pending) and record the outcome;
    schedules the next attempt on failure. Returns the delivery (``None`` if gone)."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("webhook")
            .filter(pk=delivery_id, status=Delivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = None
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    webhook = delivery.webhook
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "luntan-webhooks",
        "X-Luntan-Event": delivery.event,
        "X-Luntan-Delivery": str(delivery.pk),
        "X-Luntan-Signature": sign(webhook.secret, body),
    }
    status: int | None = None
    error = ""
    try:
        status = transport.post(webhook.url, body, headers, allow_private=webhook.allow_private)
        if not 200 <= status < 300:
            error = f"HTTP {status}"
    except transport.UnsafeTarget as exc:
        error = _("已拒绝：%(reason)s") % {"reason": exc}
    except OSError as exc:
        error = f"{type(exc).__name__}: {exc}"
    return _record(delivery, status, error[:300], now or timezone.now())


def _record(delivery: Delivery, status: int | None, error: str, now: datetime) -> Delivery:
    fields = ["status", "response_status", "error", "next_attempt_at", "delivered_at"]
    delivery.response_status = status
    delivery.error = error
    if not error:
        delivery.status = Delivery.Status.DELIVERED
        delivery.delivered_at = now
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = Delivery.Status.FAILED
    else:
        delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
    with transaction.atomic():
        delivery.save(update_fields=fields)
    if delivery.status == Delivery.Status.PENDING:
        retry_at = delivery.next_attempt_at
        transaction.on_commit(lambda: _enqueue([delivery.pk], run_after=retry_at))
    return delivery


def retry_due(now: datetime | None = None) -> int:
    """Enqueue every pending delivery whose next attempt is due; returns how many."""
    now = now or timezone.now()
    ids = list(
        Delivery.objects.filter(
            status=Delivery.Status.PENDING, next_attempt_at__lte=now
        ).values_list("pk", flat=True)
    )
    _enqueue(ids)
    return len(ids)
