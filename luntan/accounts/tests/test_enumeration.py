"""Account enumeration: nothing in a response tells whether an account exists.

The password-reset POST for an existing and an unknown address, and a failed log-in for
an existing and an unknown name, answer with the same status, headers and page figures.
Debugging headers (``X-Queries``) are off unless ``LUNTAN_DEBUG_HEADERS`` (or ``DEBUG``).
"""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from luntan.accounts.models import User

pytestmark = pytest.mark.django_db

# X-Request-ID: a fresh random id on every response (luntan.core.requestid).
_VOLATILE = {"Date", "Set-Cookie", "Content-Length", "X-Request-ID"}


def _headers(response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k not in _VOLATILE}


def _figures(response) -> list[str]:
    """Numbers in the page outside the CSRF token (query counts, timings)."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return re.findall(r"\d+ queries|Processed in [\d.]+", text)


@pytest.fixture
def member(db):
    return User.objects.create_user("existing", "exists@example.com", "right-pass-123")


def test_production_settings_send_no_debugging_headers():
    import luntan.settings as production

    assert production.LUNTAN_DEBUG_HEADERS is False


@override_settings(LUNTAN_DEBUG_HEADERS=False)
def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, member):
    known = client.post("/accounts/password/reset/", {"email": "exists@example.com"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert _headers(known) == _headers(unknown)
    assert "X-Queries" not in known.headers


@override_settings(LUNTAN_DEBUG_HEADERS=True)
def test_account_pages_show_no_query_count_even_with_debugging_headers(client, member):
    bad = {"login": "existing", "password": "wrong-pass-123"}
    known = client.post("/accounts/login/", bad)
    unknown = client.post("/accounts/login/", {**bad, "login": "nobody-here"})
    assert known.status_code == unknown.status_code == 200
    assert _figures(known) == _figures(unknown) == []
    assert "X-Queries" not in known.headers and "X-Queries" not in unknown.headers
    reset = client.post("/accounts/password/reset/", {"email": "exists@example.com"})
    assert "X-Queries" not in reset.headers


@override_settings(LUNTAN_DEBUG_HEADERS=True)
def test_other_pages_keep_the_footer_figures_and_the_header_when_debugging(client):
    response = client.get("/")
    assert "X-Queries" in response.headers
    assert re.search(r"\d+ queries", response.content.decode())


@override_settings(LUNTAN_DEBUG_HEADERS=False)
def test_password_reset_does_the_same_work_for_an_unknown_address_and_mails_nobody(
    client, member, mailoutbox, monkeypatch
):
    """The timing must not tell whether an account exists: an unknown address costs the
    same mail rendering and queueing (the bulk of the work) as a known one, yet no mail
    leaves: the task is queued without a recipient."""
    from luntan.accounts import adapter, tasks

    rendered: list[str] = []
    queued: list[list[str]] = []
    render_mail = adapter.AccountAdapter.render_mail
    enqueue = tasks.send_mail_task.enqueue

    def counting_render(self, template_prefix, email, context, headers=None):
        rendered.append(template_prefix)
        return render_mail(self, template_prefix, email, context, headers)

    def counting_enqueue(*args, **kwargs):
        queued.append(kwargs["to"])
        return enqueue(*args, **kwargs)

    monkeypatch.setattr(adapter.AccountAdapter, "render_mail", counting_render)

    class CountingTask:
        enqueue = staticmethod(counting_enqueue)

    monkeypatch.setattr(adapter, "send_mail_task", CountingTask())
    client.post("/accounts/password/reset/", {"email": "exists@example.com"})
    client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert rendered == ["account/email/password_reset_key"] * 2
    assert queued == [["exists@example.com"], []]
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["exists@example.com"]


def _query_shapes(queries) -> list[str]:
    """The SQL of each query with its literals blanked: what it asks, not for whom."""
    # PostgreSQL reads through named server-side cursors (``_django_curs_<id>_sync_<n>``)
    return [re.sub(r"'[^']*'|\b\d+\b|\"_django_curs_\w+\"", "?", q["sql"]) for q in queries]


@override_settings(LUNTAN_DEBUG_HEADERS=False)
def test_password_reset_runs_the_same_queries_for_known_and_unknown_addresses(client, member):
    """The database work is what takes time on this path: an unknown address runs the
    same account lookups (the address row check and the address list that allauth's
    token hashes) as a known one, against an account id that cannot exist."""
    from allauth.account.models import EmailAddress
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    EmailAddress.objects.create(user=member, email="exists@example.com", primary=True)
    client.post("/accounts/password/reset/", {"email": "warm-up@example.com"})  # caches
    with CaptureQueriesContext(connection) as known:
        client.post("/accounts/password/reset/", {"email": "exists@example.com"})
    with CaptureQueriesContext(connection) as unknown:
        client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert len(known.captured_queries) == len(unknown.captured_queries)
    assert _query_shapes(known.captured_queries) == _query_shapes(unknown.captured_queries)
