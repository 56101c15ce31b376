"""Webhooks (网络钩子): an administrator registers URLs for forum events; each event is
delivered as a signed JSON POST, queued on the task queue, retried with backoff and
logged (see ``docs/webhooks.md``)."""
